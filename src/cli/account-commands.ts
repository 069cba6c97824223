// The CLI's commands for who may call Parley: users (`parley user ...`), API tokens (`parley token ...`) and
// registered applications (`parley app ...`). Every change is noted in the audit trail as the command line's.
import type { Command } from 'commander';
import { CredentialIssuer } from '../auth/credential-issuer.ts';
import { hashPassword } from '../auth/passwords.ts';
import { type Config, ConfigError } from '../config.ts';
import { systemClock } from '../domain-deps.ts';
import { audited, requireUser, withStore } from './cli-context.ts';
import { newPassword } from './password-input.ts';

export function addAccountCommands(program: Command, cfg: () => Config) {
  const user = program.command('user').description('manage users');
  user
    .command('add <name>')
    .option('--password <password>')
    .option('--password-stdin', 'read the password from standard input')
    .option('--admin')
    .option('--full-name <name>')
    .action(async (name: string, o) =>
      withStore(cfg(), async (store) => {
        if (await store.associates.byUserName(name)) throw new ConfigError(`User '${name}' already exists`);
        const password = await newPassword(o, cfg().minPasswordLength);
        const passwordHash = await hashPassword(password);
        const added = { userName: name, fullName: o.fullName ?? name, isAdmin: !!o.admin };
        const id = await store.transaction(async (tx) => {
          const newId = await tx.associates.insert({ ...added, passwordHash }, new Date());
          await audited(tx, 'user.added', `user ${name}`, null, { id: newId, ...added });
          return newId;
        });
        console.log(id);
      }),
    );
  user.command('list').action(async () =>
    withStore(cfg(), async (store) => {
      for (const u of await store.associates.list()) {
        console.log(`${u.id}\t${u.userName}\t${u.fullName}${u.isAdmin ? '\tadmin' : ''}`);
      }
    }),
  );
  user
    .command('set-password <name>')
    .option('--password <password>')
    .option('--password-stdin', 'read the password from standard input')
    .action(async (name: string, o) =>
      withStore(cfg(), async (store) => {
        const u = await requireUser(store, name);
        const passwordHash = await hashPassword(await newPassword(o, cfg().minPasswordLength));
        await store.transaction(async (tx) => {
          await tx.associates.setPassword(u.id, passwordHash, new Date());
          await audited(tx, 'user.password-changed', `user ${u.userName}`, null, null);
        });
        console.log(`password changed for ${u.userName}`);
      }),
    );
  user.command('remove <name>').action(async (name: string) =>
    withStore(cfg(), async (store) => {
      const u = await requireUser(store, name);
      await store.transaction(async (tx) => {
        await tx.associates.remove(u.id);
        await audited(tx, 'user.removed', `user ${u.userName}`, { id: u.id, userName: u.userName, fullName: u.fullName, isAdmin: u.isAdmin }, null);
      });
      console.log(`removed ${u.userName}`);
    }),
  );

  const token = program.command('token').description('Parley API tokens (Authorization: Bearer 8A:...)');
  token
    .command('issue <user>')
    .option('--name <name>', 'what the token is for', 'cli')
    .option('--days <days>', 'expires after this many days')
    .action(async (name: string, o) =>
      withStore(cfg(), async (store) => {
        const u = await requireUser(store, name);
        const days = o.days ? Number(o.days) : null;
        const issued = await store.transaction(async (tx) => {
          const token = await new CredentialIssuer(tx, cfg().auth, systemClock).apiToken(u.id, o.name, days);
          await audited(tx, 'token.issued', `token ${token.id} for ${u.userName}`, null, { name: o.name, days });
          return token;
        });
        console.log(`token ${issued.id} for ${u.userName}: ${issued.token}`);
      }),
    );
  token.command('list').action(async () =>
    withStore(cfg(), async (store) => {
      for (const t of await store.credentials.list('api-token')) {
        console.log(`${t.id}\t${t.name}\tuser ${t.associate_id}${t.revoked ? '\trevoked' : ''}`);
      }
    }),
  );
  token.command('revoke <id>').action(async (id: string) => revoke(cfg(), 'api-token', id));

  const app = program.command('app').description('registered applications (SO-AppToken)');
  app.command('add <name>').action(async (name: string) =>
    withStore(cfg(), async (store) => {
      const issued = await store.transaction(async (tx) => {
        const app = await new CredentialIssuer(tx, cfg().auth, systemClock).appToken(name);
        await audited(tx, 'app.added', `application ${app.id} ${name}`, null, { name });
        return app;
      });
      console.log(`application ${issued.id} '${name}': ${issued.token}`);
    }),
  );
  app.command('revoke <id>').action(async (id: string) => revoke(cfg(), 'app-token', id));
}

const REVOKED = { 'api-token': { kind: 'token.revoked', noun: 'token' }, 'app-token': { kind: 'app.revoked', noun: 'application' } } as const;

/** Revokes an API token or an application by id, noted in the audit trail; an unknown id is an error. */
function revoke(cfg: Config, type: keyof typeof REVOKED, id: string) {
  const { kind, noun } = REVOKED[type];
  return withStore(cfg, async (store) => {
    const revoked = await store.transaction(async (tx) => {
      const done = /^\d+$/.test(id) && (await tx.credentials.revokeById(type, Number(id)));
      if (done) await audited(tx, kind, `${noun} ${id}`, null, null);
      return done;
    });
    if (!revoked) throw new ConfigError(`No ${noun} ${id}`);
    console.log(`${noun} ${id} revoked`);
  });
}
