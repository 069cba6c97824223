// Who may call: Basic, SoTicket, Bearer (Parley API tokens and JWTs from a trusted issuer), the cookie session
// with X-XSRF-TOKEN, SO-AppToken, and how the secrets behind them are stored.
import assert from 'node:assert/strict';
import { type App, createApp, randomKeys } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { fillDemoData } from '../../src/demo/demo-data.ts';
import { sqliteMemory } from './databases.ts';
import { call } from './test-app.ts';

export const REALM = 'Basic realm="SuperOffice Username or Ticket"';

export const TICKET_URL = '/api/v1/Parley/Authentication/Ticket';

export const SESSION_URL = '/api/v1/Parley/Authentication/Session';

export const LOGOUT_URL = '/api/v1/Parley/Authentication/Logout';

export type Res = Awaited<ReturnType<typeof call>>;

export function assertUnauthorized(res: Res, message?: RegExp) {
  assert.equal(res.status, 401, `expected 401, got ${res.status}: ${res.body}`);
  assert.equal(res.headers['www-authenticate'], REALM);
  assert.equal(res.json.Error, true);
  assert.equal(res.json.ErrorType, 'SoCredentialsException');
  if (message) assert.match(res.json.ErrorMessage, message);
}

export function assertOk(res: Res) {
  assert.equal(res.status, 200, `expected 200, got ${res.status}: ${res.body}`);
}

/** The topics tje0 sees sessions of (see chat-sessions-for-user.test.ts): proves the caller is tje0. */
export async function assertIsTje0(app: App, auth: string, headers: Record<string, string> = {}) {
  const res = await call(app, 'ChatSessionsForUser', { auth, headers, query: '$select=TopicId' });
  assertOk(res);
  assert.deepEqual([...new Set(res.json.map((s: any) => s.TopicId))].sort(), [1, 2, 3]);
}

export async function getTicket(app: App, userName = 'tje0', password = 'Tje0') {
  const res = await call(app, TICKET_URL, { body: { UserName: userName, Password: password } });
  assertOk(res);
  return res.json.Ticket as string;
}

export const tje0Id = async (app: App) => (await app.store.associates.byUserName('tje0'))!.id;

/** An app on in-memory SQLite whose clock the test moves. */
export async function startClockedApp(env: Record<string, string> = {}) {
  const clock = {
    time: Date.now(),
    now() {
      return new Date(this.time);
    },
  };
  const config = loadConfig({ DATABASE_URL: sqliteMemory().url, PARLEY_TIMEZONE: 'Europe/Oslo', PARLEY_AUTH_CACHE_SECONDS: '30', ...env });
  const app = await createApp(config, { clock, logger: false });
  await fillDemoData(app.store, clock.now(), randomKeys.sessionKey);
  return {
    app,
    clock,
    advanceHours: (h: number) => {
      clock.time += h * 3_600_000;
    },
  };
}

/** Cookie value by name from a Set-Cookie list. */
export function cookieFrom(setCookie: string | string[] | undefined, name: string) {
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const line = list.find((c) => c.startsWith(`${name}=`));
  assert.ok(line, `Set-Cookie has ${name}: ${JSON.stringify(list)}`);
  return {
    value: line.slice(name.length + 1).split(';')[0],
    attributes: line
      .split(';')
      .slice(1)
      .map((a) => a.trim().toLowerCase()),
  };
}

export async function openSession(app: App, userName = 'tje0', password = 'Tje0') {
  const res = await call(app, SESSION_URL, { body: { UserName: userName, Password: password } });
  assertOk(res);
  const session = cookieFrom(res.headers['set-cookie'], 'ParleySession');
  const xsrf = cookieFrom(res.headers['set-cookie'], 'XSRF-TOKEN');
  return { res, session, xsrf };
}
