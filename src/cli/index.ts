// The `parley` command: serve, migrate, demo, webhooks, mail, audit and privacy here; users, tokens and applications in
// account-commands.ts. Each honours DATABASE_URL (and --database-url).
import fs from 'node:fs';
import { Command } from 'commander';
import { ConfigError } from '../config.ts';
import { DomainError } from '../domain/errors.ts';
import { AUDIT_KINDS, isAuditKind } from '../domain/audit.ts';
import { eraseCustomerData, exportCustomerData } from '../domain/privacy/customer-data.ts';
import { fillDemoData, isFresh } from '../demo/demo-data.ts';
import { parseHistorySpan } from '../demo/demo-history.ts';
import { fillDemoHistory } from '../demo/fill-history.ts';
import { migrateToLatest, openDatabase } from '../storage/database.ts';
import { randomKeys } from '../domain-deps.ts';
import { addWebhook, displayUrl } from '../webhooks/webhook-subscriptions.ts';
import { audited, cliActor, cliDeps, config, describeAuditEntry, describeMail, withStore } from './cli-context.ts';
import { addAccountCommands } from './account-commands.ts';

export function buildCli(): Command {
  const program = new Command('parley')
    .description('Parley: live chat, wire-compatible with the SuperOffice Chat agent')
    .option('--database-url <url>', 'overrides DATABASE_URL');
  const cfg = () => config(program.opts());

  program
    .command('serve')
    .description('serve the API (fills a fresh database with demo data unless --no-demo)')
    .option('--port <port>')
    .option('--host <host>')
    .option('--no-demo', 'do not add demo data to a fresh database')
    // Loaded when asked for: the server is most of the code, and the other commands need none of it.
    .action(async (o) => (await import('./serve.ts')).serve(config({ ...program.opts(), ...o })));

  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(async () => {
      // Not withStore: it migrates before its work, which would leave nothing for this command to report.
      const database = openDatabase(cfg().databaseUrl, { poolSize: 2 });
      try {
        const applied = await migrateToLatest(database.db);
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
      } finally {
        await database.close();
      }
    });

  program
    .command('demo')
    .description('fill an empty database with the demo data; --history adds generated chats of the past (for reports)')
    .option('--history <span>', 'chat history before today: 90d, 12w, 6m (30-day months)')
    .option('--per-day <n>', 'chats on an average weekday in that history', '60')
    .action(async (o: { history?: string; perDay: string }) => {
      const days = o.history === undefined ? 0 : parseHistorySpan(o.history);
      if (days === undefined) throw new ConfigError(`--history: '${o.history}' is not a span like 90d, 12w or 6m`);
      const perDay = Number(o.perDay);
      if (!Number.isInteger(perDay) || perDay < 1 || perDay > 100_000) throw new ConfigError('--per-day: a whole number from 1 to 100000');
      await withStore(cfg(), async (store) => {
        const fresh = await isFresh(store);
        if (!fresh && !days) throw new ConfigError('The database already has users; demo data goes into an empty database only');
        if (fresh) {
          await fillDemoData(store, new Date(), randomKeys.sessionKey);
          console.log('demo data added (logins: adm0/Adm0, tje0/Tje0, ...)');
        }
        if (days) console.log(`history added: ${await fillDemoHistory(store, new Date(), days, randomKeys.sessionKey, perDay)} chats over ${days} days`);
      });
    });

  addAccountCommands(program, cfg);

  const webhook = program.command('webhook').description('webhooks: chat events POSTed to a URL, signed with X-SuperOffice-Signature');
  webhook
    .command('add <name> <url>')
    .option('--events <events>', 'comma list (default: all chat events)')
    .option('--secret <secret>', 'shared secret (default: generated)')
    .action(async (name: string, url: string, o) =>
      withStore(cfg(), async (store) => {
        const events = o.events
          ? String(o.events)
              .split(',')
              .filter((e) => e.trim())
          : undefined;
        const added = await store.transaction(async (tx) => {
          const hook = await addWebhook(tx, { name, targetUrl: url, events, secret: o.secret }, new Date());
          // The secret stays out of the trail; the URL is shown as `webhook list` shows it (no credentials in it).
          await audited(tx, 'webhook.added', `webhook ${hook.id} ${name}`, null, { name, url: displayUrl(url), events: events ?? 'default' });
          return hook;
        });
        console.log(`webhook ${added.id} '${name}': secret ${added.secret}`);
      }),
    );
  webhook.command('list').action(async () =>
    withStore(cfg(), async (store) => {
      for (const w of await store.webhooks.list()) {
        const state = w.failures ? `\t${w.failures} failures, next attempt ${w.nextAttemptAt?.toISOString()}: ${w.lastError}` : '';
        console.log(
          `${w.id}\t${w.name}\t${displayUrl(w.targetUrl)}\t${w.events.join(',')}\tdelivered up to event ${w.deliveredUpTo}${w.active ? '' : '\tinactive'}${state}`,
        );
      }
    }),
  );
  webhook.command('remove <id>').action(async (id: string) =>
    withStore(cfg(), async (store) => {
      const removed = await store.transaction(async (tx) => {
        const done = /^\d+$/.test(id) && (await tx.webhooks.remove(Number(id)));
        if (done) await audited(tx, 'webhook.removed', `webhook ${id}`, null, null);
        return done;
      });
      if (!removed) throw new ConfigError(`No webhook ${id}`);
      console.log(`webhook ${id} removed`);
    }),
  );
  const mail = program.command('mail').description('the e-mail outbox (see E-mail in the README)');
  mail
    .command('list')
    .description('mails, newest first, with their state, attempts and last error')
    .option('--state <state>', 'only pending, sent or failed')
    .option('--limit <n>', 'at most this many', '50')
    .action(async (o) =>
      withStore(cfg(), async (store) => {
        if (o.state && !['pending', 'sent', 'failed'].includes(o.state)) throw new ConfigError('--state is pending, sent or failed');
        if (!/^\d+$/.test(o.limit)) throw new ConfigError('--limit is a number');
        for (const m of await store.mail.list({ state: o.state, limit: Number(o.limit) })) console.log(describeMail(m));
      }),
    );

  program
    .command('audit')
    .description('the audit trail, newest first (see Audit trail in the README)')
    .option('--user <name>', 'only what this user did (cli:<account> for the command line; the name tried for failed log-ins)')
    .option('--kind <kind>', `only this kind: ${AUDIT_KINDS.join(', ')}`)
    .option('--since <time>', 'from this ISO 8601 instant on')
    .option('--until <time>', 'before this ISO 8601 instant')
    .option('--limit <n>', 'at most this many', '100')
    .action(async (o) =>
      withStore(cfg(), async (store) => {
        if (o.kind && !isAuditKind(o.kind)) throw new ConfigError(`--kind is one of ${AUDIT_KINDS.join(', ')}`);
        if (!/^\d+$/.test(o.limit) || Number(o.limit) < 1) throw new ConfigError('--limit is a positive number');
        const instant = (v: string | undefined, flag: string) => {
          if (v === undefined) return undefined;
          const d = new Date(v);
          if (Number.isNaN(d.getTime())) throw new ConfigError(`${flag} is an ISO 8601 date-time`);
          return d;
        };
        const filter = { actorName: o.user, kind: o.kind, since: instant(o.since, '--since'), until: instant(o.until, '--until'), limit: Number(o.limit) };
        for (const e of await store.audit.list(filter)) console.log(describeAuditEntry(e));
      }),
    );

  const privacy = program.command('privacy').description("personal-data requests: a customer's data by e-mail address");
  privacy
    .command('export')
    .description('writes everything Parley holds about the customer as JSON')
    .requiredOption('--email <address>')
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (o) =>
      withStore(cfg(), async (store) => {
        const data = await exportCustomerData(cliDeps(store, cfg()), cliActor(), o.email);
        const json = `${JSON.stringify(data, null, 2)}\n`;
        if (o.out) fs.writeFileSync(o.out, json, { mode: 0o600 });
        else process.stdout.write(json);
      }),
    );
  privacy
    .command('erase')
    .description('removes or anonymises everything about the customer, everywhere')
    .requiredOption('--email <address>')
    .action(async (o) =>
      withStore(cfg(), async (store) => {
        const c = await eraseCustomerData(cliDeps(store, cfg()), cliActor(), o.email);
        console.log(
          `erased: ${c.sessions} sessions, ${c.messages} messages, ${c.events} events, ${c.mail} mails; anonymised: ${c.persons} persons, ${c.tickets} tickets`,
        );
      }),
    );
  return program;
}

export async function runCli(argv: string[]) {
  try {
    await buildCli().parseAsync(argv);
  } catch (e) {
    // A refusal of the domain's (a malformed address, say) is the user's to fix, like a bad flag: no stack trace.
    if (e instanceof ConfigError || (e instanceof DomainError && e.code !== 'unavailable')) {
      console.error(`parley: ${e.message}`);
      process.exitCode = 2;
      return;
    }
    throw e;
  }
}
