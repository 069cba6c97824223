// The real `parley` command, spawned as a user would run it: node bin/parley.mjs <command> with DATABASE_URL
// (or --database-url). Whatever it changes is checked through the app itself, authenticating as a caller would.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createPostgresDatabase, postgresAvailable, type TestDatabase } from '../helpers/databases.ts';
import { basic } from '../helpers/test-app.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The test runner's environment without anything that would point the CLI elsewhere. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k === 'DATABASE_URL' || k === 'PORT' || k === 'HOST' || k.startsWith('PARLEY_')) delete env[k];
  return { ...env, PARLEY_TIMEZONE: 'Europe/Oslo', ...extra };
}

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `input`: what the command reads on its standard input (none: stdin is closed, as in CI). */
function parley(args: string[], env: Record<string, string>, input?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/parley.mjs', ...args], {
      cwd: ROOT,
      env: cleanEnv(env),
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (input !== undefined) child.stdin!.end(input);
    let stdout = '',
      stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d) => {
      stdout += d;
    });
    child.stderr!.setEncoding('utf8').on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Status of ChatSessionsForUser called with `authorization` (and `headers`), on a fresh app over `url` (no credential
 * cache; `env` adds settings).
 */
async function statusWith(
  url: string,
  authorization: string,
  headers: Record<string, string> = {},
  env: Record<string, string> = {},
): Promise<{ status: number; sessions: number }> {
  const app = await createApp(loadConfig({ DATABASE_URL: url, PARLEY_TIMEZONE: 'Europe/Oslo', PARLEY_AUTH_CACHE_SECONDS: '0', ...env }), { logger: false });
  try {
    const res = await app.server.inject({ method: 'POST', url: '/api/v1/Agents/Chat/ChatSessionsForUser', headers: { authorization, ...headers } });
    const json = res.statusCode === 200 ? JSON.parse(res.body) : undefined;
    return { status: res.statusCode, sessions: Array.isArray(json) ? json.length : -1 };
  } finally {
    await app.close();
  }
}

const ok = (r: CliResult, what: string) => assert.equal(r.code, 0, `${what} failed (${r.code}): ${r.stderr}${r.stdout}`);
/** Runs a command that must succeed; its standard output. */
async function stdoutOf(args: string[], env: Record<string, string>) {
  const r = await parley(args, env);
  ok(r, args.join(' '));
  return r.stdout;
}
/** What `migrate` prints on a fresh database: the first migration, and any later ones. */
const APPLIED_ALL = /^applied: 001-initial(, [\w-]+)*\n$/;

describe('parley CLI on SQLite', () => {
  let dir: string;
  let url: string;
  let env: Record<string, string>;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-cli-'));
    url = `sqlite:${path.join(dir, 'x.db')}`;
    env = { DATABASE_URL: url };
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('migrate creates the database and applies the migrations; a second run has nothing to do', async () => {
    const first = await parley(['migrate'], env);
    ok(first, 'migrate');
    assert.match(first.stdout, APPLIED_ALL);
    assert.ok(fs.existsSync(path.join(dir, 'x.db')));
    // Password hashes and chats: readable by Parley's user only, the write-ahead log too.
    for (const file of ['x.db', 'x.db-wal']) {
      if (fs.existsSync(path.join(dir, file))) assert.equal(fs.statSync(path.join(dir, file)).mode & 0o777, 0o600, file);
    }
    const second = await parley(['migrate'], env);
    ok(second, 'migrate again');
    assert.equal(second.stdout, 'database is up to date\n');
  });

  test('demo fills the empty database, then refuses the non-empty one', async () => {
    const filled = await parley(['demo'], env);
    ok(filled, 'demo');
    assert.match(filled.stdout, /demo data added/);
    assert.equal((await statusWith(url, basic('tje0', 'Tje0'))).status, 200);
    const again = await parley(['demo'], env);
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /^parley: .*already has users.*empty database only/m);
    assert.equal(again.stdout, '');
    const users = await stdoutOf(['user', 'list'], env);
    assert.equal(users.split('\n').filter((l) => /\tadm0\t/.test(l)).length, 1, 'the demo users are there once');
  });

  let bobId: number;
  test('user add prints the new AssociateId', async () => {
    const r = await parley(['user', 'add', 'bob', '--password', 'Secret12', '--full-name', 'Bob B'], env);
    ok(r, 'user add');
    assert.match(r.stdout, /^\d+\n$/);
    bobId = Number(r.stdout.trim());
    assert.ok(bobId > 0);
    assert.deepEqual(await statusWith(url, basic('bob', 'Secret12')), { status: 200, sessions: 0 }, 'bob logs in and is in no topic');
  });

  test('user add of an existing name fails with a clear message and a non-zero exit', async () => {
    const r = await parley(['user', 'add', 'bob', '--password', 'Other9xyz'], env);
    assert.notEqual(r.code, 0);
    assert.equal(r.stderr, "parley: User 'bob' already exists\n");
    assert.equal(r.stdout, '');
    assert.equal((await statusWith(url, basic('bob', 'Other9xyz'))).status, 401, 'the first bob keeps his password');
    const missing = await parley(['user', 'add', 'carl'], env);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /--password-stdin/);
  });

  test('user add takes the password from standard input, and refuses one shorter than the minimum', async () => {
    const piped = await parley(['user', 'add', 'dora', '--password-stdin'], env, 'Piped pass 1\n');
    ok(piped, 'user add --password-stdin');
    assert.equal((await statusWith(url, basic('dora', 'Piped pass 1'))).status, 200);
    const short = await parley(['user', 'add', 'emil', '--password', 'Short1'], env);
    assert.equal(short.code, 2);
    assert.match(short.stderr, /at least 8 characters/);
    assert.doesNotMatch(await stdoutOf(['user', 'list'], env), /\temil\t/);
    ok(await parley(['user', 'add', 'emil', '--password', 'Short1'], { ...env, PARLEY_MIN_PASSWORD_LENGTH: '6' }), 'a lower minimum');
    ok(await parley(['user', 'remove', 'dora'], env), 'remove dora');
    ok(await parley(['user', 'remove', 'emil'], env), 'remove emil');
  });

  test('user list lists bob with his id and full name', async () => {
    const r = await parley(['user', 'list'], env);
    ok(r, 'user list');
    assert.ok(r.stdout.split('\n').includes(`${bobId}\tbob\tBob B`), r.stdout);
    assert.match(r.stdout, /^\d+\tadm0\tAda Admin\tadmin$/m);
  });

  test('user set-password: the new password works, the old one no longer does', async () => {
    const r = await parley(['user', 'set-password', 'bob', '--password', 'New2pass'], env);
    ok(r, 'set-password');
    assert.equal(r.stdout, 'password changed for bob\n');
    assert.equal((await statusWith(url, basic('bob', 'New2pass'))).status, 200);
    assert.equal((await statusWith(url, basic('bob', 'Secret12'))).status, 401);
    const byId = await parley(['user', 'set-password', String(bobId), '--password-stdin'], env, 'New3pass\n');
    ok(byId, 'set-password by id');
    assert.equal((await statusWith(url, basic('bob', 'New3pass'))).status, 200);
    const short = await parley(['user', 'set-password', 'bob', '--password', 'x'], env);
    assert.match(short.stderr, /at least 8 characters/);
    assert.equal((await statusWith(url, basic('bob', 'New3pass'))).status, 200, 'a refused password changes nothing');
    const unknown = await parley(['user', 'set-password', 'nobody', '--password', 'x'], env);
    assert.notEqual(unknown.code, 0);
    assert.equal(unknown.stderr, "parley: No user 'nobody'\n");
  });

  test('user remove: bob is gone from the list and can no longer log in', async () => {
    const r = await parley(['user', 'remove', 'bob'], env);
    ok(r, 'user remove');
    assert.equal(r.stdout, 'removed bob\n');
    assert.doesNotMatch(await stdoutOf(['user', 'list'], env), /\tbob\t/);
    assert.equal((await statusWith(url, basic('bob', 'New3pass'))).status, 401);
    const again = await parley(['user', 'remove', 'bob'], env);
    assert.notEqual(again.code, 0);
    assert.equal(again.stderr, "parley: No user 'bob'\n");
  });

  test('webhook list shows where hooks go without the secrets in their URLs', async () => {
    const added = await parley(['webhook', 'add', 'crm', 'https://hook:pa55word@crm.example/in?api_key=KEY-123&team=support'], env);
    ok(added, 'webhook add');
    const listed = await stdoutOf(['webhook', 'list'], env);
    assert.match(listed, /\tcrm\thttps:\/\/hook:\*\*\*@crm\.example\/in\?api_key=\*\*\*&team=\*\*\*\t/);
    assert.doesNotMatch(listed, /KEY-123|pa55word/);
  });

  test('token issue prints an 8A: token that works as Bearer; token revoke makes it stop working', async () => {
    const r = await parley(['token', 'issue', 'tje0', '--name', 'e2e'], env);
    ok(r, 'token issue');
    const m = /^token (\d+) for tje0: (8A:\S+)\n$/.exec(r.stdout);
    assert.ok(m, r.stdout);
    const [, id, token] = m;
    const withToken = await statusWith(url, `Bearer ${token}`);
    const withPassword = await statusWith(url, basic('tje0', 'Tje0'));
    assert.equal(withToken.status, 200);
    assert.equal(withToken.sessions, withPassword.sessions, 'the token acts as tje0');
    assert.ok(withToken.sessions > 0);

    assert.match(await stdoutOf(['token', 'list'], env), new RegExp(`^${id}\\te2e\\tuser \\d+$`, 'm'));
    const revoked = await parley(['token', 'revoke', id], env);
    ok(revoked, 'token revoke');
    assert.equal(revoked.stdout, `token ${id} revoked\n`);
    assert.equal((await statusWith(url, `Bearer ${token}`)).status, 401);
    assert.match(await stdoutOf(['token', 'list'], env), new RegExp(`^${id}\\te2e\\tuser \\d+\\trevoked$`, 'm'));
    const unknown = await parley(['token', 'revoke', '99999'], env);
    assert.notEqual(unknown.code, 0);
    assert.equal(unknown.stderr, 'parley: No token 99999\n');
    const nobody = await parley(['token', 'issue', 'nobody'], env);
    assert.notEqual(nobody.code, 0);
    assert.equal(nobody.stderr, "parley: No user 'nobody'\n");
  });

  test('app add prints a token that SO-AppToken accepts where one is required; app revoke makes it stop working', async () => {
    const r = await parley(['app', 'add', 'crm-sync'], env);
    ok(r, 'app add');
    const m = /^application (\d+) 'crm-sync': (\S+)\n$/.exec(r.stdout);
    assert.ok(m, r.stdout);
    const [, id, appToken] = m;
    const required = { PARLEY_REQUIRE_APP_TOKEN: 'true' };
    const tje0 = basic('tje0', 'Tje0');
    assert.equal((await statusWith(url, tje0, { 'so-apptoken': appToken }, required)).status, 200);
    assert.equal((await statusWith(url, tje0, {}, required)).status, 401, 'required: none is refused');
    const revoked = await parley(['app', 'revoke', id], env);
    ok(revoked, 'app revoke');
    assert.equal(revoked.stdout, `application ${id} revoked\n`);
    assert.equal((await statusWith(url, tje0, { 'so-apptoken': appToken }, required)).status, 401, 'revoked');
    const unknown = await parley(['app', 'revoke', '99999'], env);
    assert.notEqual(unknown.code, 0);
    assert.equal(unknown.stderr, 'parley: No application 99999\n');
  });

  test('--database-url overrides DATABASE_URL, before or after the command', async () => {
    const envFile = path.join(dir, 'env.db');
    const flagFile = path.join(dir, 'flag.db');
    const flagged = { DATABASE_URL: `sqlite:${envFile}` };
    const add = await parley(['--database-url', `sqlite:${flagFile}`, 'user', 'add', 'carol', '--password', 'Carol123'], flagged);
    ok(add, 'user add with --database-url');
    assert.ok(fs.existsSync(flagFile));
    assert.ok(!fs.existsSync(envFile), 'the DATABASE_URL database was not touched');
    const listed = await parley(['user', 'list', '--database-url', `sqlite:${flagFile}`], flagged);
    ok(listed, 'user list with --database-url after the command');
    assert.match(listed.stdout, /^\d+\tcarol\tcarol$/m);
    assert.ok(!fs.existsSync(envFile));
    assert.equal((await statusWith(`sqlite:${flagFile}`, basic('carol', 'Carol123'))).status, 200);
  });

  test('a DATABASE_URL of an unsupported kind is refused with a message, not a stack trace', async () => {
    const r = await parley(['user', 'list'], { DATABASE_URL: 'mysql://user:secret@localhost/db' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^parley: DATABASE_URL must start with sqlite: or postgres:\/\//);
    assert.doesNotMatch(r.stderr, /secret/, 'the password is not echoed');
  });

  test('audit lists what the command line changed, newest first, as cli:<account> from local; filters by kind and user; no secret in it', async () => {
    const account = `cli:${os.userInfo().username}`;
    const listed = await stdoutOf(['audit', '--limit', '1000'], env);
    const lines = listed.trim().split('\n');
    const kinds = lines.map((l) => l.split('\t')[3]);
    // What the earlier tests of this file did, in the order they did it, newest first.
    for (const k of ['user.added', 'user.password-changed', 'user.removed', 'webhook.added', 'token.issued', 'token.revoked'])
      assert.ok(kinds.includes(k), `${k} in ${kinds}`);
    assert.ok(kinds.indexOf('token.revoked') < kinds.indexOf('token.issued') && kinds.indexOf('user.removed') < kinds.indexOf('user.added'), 'newest first');
    for (const l of lines.filter((x) => !x.split('\t')[3].startsWith('login.'))) assert.deepEqual(l.split('\t').slice(1, 3), [account, 'local'], l);
    assert.match(listed, /\tuser\.added\tuser bob\tnull -> \{"id":\d+,"userName":"bob","fullName":"Bob B","isAdmin":false\}/);
    assert.doesNotMatch(listed, /KEY-123|pa55word|Secret12|8A:/, 'no secrets, passwords or tokens in the trail');

    const onlyTokens = await stdoutOf(['audit', '--kind', 'token.issued'], env);
    assert.deepEqual(
      new Set(
        onlyTokens
          .trim()
          .split('\n')
          .map((l) => l.split('\t')[3]),
      ),
      new Set(['token.issued']),
    );
    assert.equal(await stdoutOf(['audit', '--user', 'nobody-at-all'], env), '');
    assert.equal(await stdoutOf(['audit', '--since', new Date(Date.now() + 3_600_000).toISOString()], env), '');
    const bad = await parley(['audit', '--kind', 'everything'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^parley: --kind is one of topic\.created/);
  });

  test('privacy export writes the customer as JSON; privacy erase removes them and says how much went', async () => {
    const out = path.join(dir, 'kari.json');
    ok(await parley(['privacy', 'export', '--email', 'KARI@nordicwidgets.no', '--out', out], env), 'privacy export');
    assert.equal(fs.statSync(out).mode & 0o777, 0o600, 'personal data is readable by its owner only');
    const exported = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.ok(exported.sessions.length >= 1, 'the demo data has chats from Kari');
    assert.ok(
      exported.sessions.every(
        (s: { session: { customerName: string; sessionKey: string } }) => s.session.customerName === 'Kari Nordmann' && s.session.sessionKey === '',
      ),
    );
    assert.equal(exported.persons[0].email, 'kari@nordicwidgets.no');

    const erased = await stdoutOf(['privacy', 'erase', '--email', 'kari@nordicwidgets.no'], env);
    assert.match(
      erased,
      new RegExp(`^erased: ${exported.sessions.length} sessions, \\d+ messages, \\d+ events, \\d+ mails; anonymised: 1 persons, \\d+ tickets\n$`),
    );
    const after = JSON.parse(await stdoutOf(['privacy', 'export', '--email', 'kari@nordicwidgets.no'], env));
    assert.deepEqual([after.sessions, after.persons, after.tickets, after.mail], [[], [], [], []]);
    const trail = await stdoutOf(['audit', '--kind', 'privacy.erased'], env);
    assert.match(trail, /\tprivacy\.erased\tcustomer sha256:[0-9a-f]{16}\t/);
    assert.doesNotMatch(trail, /kari/i);
    const bad = await parley(['privacy', 'erase', '--email', 'not-an-address'], env);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, 'parley: Email must be an e-mail address\n');
  });
});

const pgSkip = (await postgresAvailable()) ? false : 'PostgreSQL not reachable';
describe('parley CLI on PostgreSQL', { skip: pgSkip }, () => {
  let db: TestDatabase;
  before(async () => {
    db = await createPostgresDatabase();
  });
  after(async () => db?.drop());

  test('migrate, demo, user add, token issue and revoke', async () => {
    const env = { DATABASE_URL: db.url };
    const migrated = await parley(['migrate'], env);
    ok(migrated, 'migrate');
    assert.match(migrated.stdout, APPLIED_ALL);
    assert.equal(await stdoutOf(['migrate'], env), 'database is up to date\n');

    ok(await parley(['demo'], env), 'demo');
    const refused = await parley(['demo'], env);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /already has users/);

    const added = await parley(['user', 'add', 'bob', '--password', 'Secret12', '--full-name', 'Bob B', '--admin'], env);
    ok(added, 'user add');
    assert.match(added.stdout, /^\d+\n$/);
    assert.match(await stdoutOf(['user', 'list'], env), new RegExp(`^${added.stdout.trim()}\\tbob\\tBob B\\tadmin$`, 'm'));
    assert.equal((await parley(['user', 'add', 'BOB', '--password', 'xxxxxxxx'], env)).code, 2, 'user names are unique regardless of case');
    assert.equal((await statusWith(db.url, basic('bob', 'Secret12'))).status, 200);

    const issued = await parley(['token', 'issue', 'tje0'], env);
    ok(issued, 'token issue');
    const [, id, token] = /^token (\d+) for tje0: (8A:\S+)$/m.exec(issued.stdout)!;
    assert.equal((await statusWith(db.url, `Bearer ${token}`)).status, 200);
    ok(await parley(['token', 'revoke', id], env), 'token revoke');
    assert.equal((await statusWith(db.url, `Bearer ${token}`)).status, 401);
  });
});
