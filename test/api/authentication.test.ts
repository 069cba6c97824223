// Who may call: Basic, SoTicket, Bearer (Parley API tokens and JWTs from a trusted issuer), the cookie session
// with X-XSRF-TOKEN, SO-AppToken, and how the secrets behind them are stored.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type App, createApp, randomKeys } from '../../src/app.ts';
import { hashPassword } from '../../src/auth/passwords.ts';
import { digest } from '../../src/auth/secrets.ts';
import { loadConfig } from '../../src/config.ts';
import { fillDemoData } from '../../src/demo/demo-data.ts';
import { databaseKinds, sqliteMemory } from '../helpers/databases.ts';
import { createTestIssuer, foreignSigner, type TestIssuer } from '../helpers/jwt.ts';
import { basic, call, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';

const REALM = 'Basic realm="SuperOffice Username or Ticket"';
const TICKET_URL = '/api/v1/Parley/Authentication/Ticket';
const SESSION_URL = '/api/v1/Parley/Authentication/Session';
const LOGOUT_URL = '/api/v1/Parley/Authentication/Logout';

type Res = Awaited<ReturnType<typeof call>>;

function assertUnauthorized(res: Res, message?: RegExp) {
  assert.equal(res.status, 401, `expected 401, got ${res.status}: ${res.body}`);
  assert.equal(res.headers['www-authenticate'], REALM);
  assert.equal(res.json.Error, true);
  assert.equal(res.json.ErrorType, 'SoCredentialsException');
  if (message) assert.match(res.json.ErrorMessage, message);
}

function assertOk(res: Res) {
  assert.equal(res.status, 200, `expected 200, got ${res.status}: ${res.body}`);
}

/** The topics tje0 sees sessions of (see chat-sessions-for-user.test.ts): proves the caller is tje0. */
async function assertIsTje0(app: App, auth: string, headers: Record<string, string> = {}) {
  const res = await call(app, 'ChatSessionsForUser', { auth, headers, query: '$select=TopicId' });
  assertOk(res);
  assert.deepEqual([...new Set(res.json.map((s: any) => s.TopicId))].sort(), [1, 2, 3]);
}

async function getTicket(app: App, userName = 'tje0', password = 'Tje0') {
  const res = await call(app, TICKET_URL, { body: { UserName: userName, Password: password } });
  assertOk(res);
  return res.json.Ticket as string;
}

const tje0Id = async (app: App) => (await app.store.associates.byUserName('tje0'))!.id;

/** An app on in-memory SQLite whose clock the test moves. */
async function startClockedApp(env: Record<string, string> = {}) {
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

describe('Basic authentication', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ kind: 'sqlite' });
  });
  after(async () => app?.close());

  test('the right user name and password authenticate', async () => {
    await assertIsTje0(app, TJE0);
  });

  test('a wrong password or an unknown user answers 401 with the SuperOffice realm', async () => {
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: basic('tje0', 'wrong') }));
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: basic('tje0', '') }));
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: basic('no-such-user', 'Tje0') }));
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: `Basic ${Buffer.from('no colon here').toString('base64')}` }));
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: 'Basic' }));
  });

  test('a wrong password is not remembered by the credential cache', async () => {
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: basic('tje0', 'nope') }));
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: basic('tje0', 'nope') }));
    await assertIsTje0(app, TJE0);
  });

  test('the scheme name is matched case-insensitively', async () => {
    const encoded = TJE0.slice('Basic '.length);
    await assertIsTje0(app, `basic ${encoded}`);
    await assertIsTje0(app, `BASIC ${encoded}`);
    await assertIsTje0(app, `bAsIc   ${encoded}`);
  });

  test('an unknown scheme answers 401', async () => {
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: `Digest ${TJE0.slice(6)}` }), /not supported/);
  });

  test('no credentials at all answers 401 with the realm', async () => {
    assertUnauthorized(await call(app, 'ChatSessionsForUser'));
  });
});

describe('PARLEY_BASIC_AUTH=false', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ kind: 'sqlite', env: { PARLEY_BASIC_AUTH: 'false' } });
  });
  after(async () => app?.close());

  test('Basic is refused even with the right password', async () => {
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: TJE0 }), /Basic/);
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: `basic ${TJE0.slice(6)}` }));
  });

  test('other schemes still work', async () => {
    const { ticket } = await app.auth.issueTicket((await app.store.associates.byUserName('tje0'))!);
    await assertIsTje0(app, `SOTicket ${ticket}`);
  });
});

describe('SoTicket', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ kind: 'sqlite' });
  });
  after(async () => app?.close());

  test('POST Authentication/Ticket answers a 7T: ticket and its expiry', async () => {
    const res = await call(app, TICKET_URL, { body: { UserName: 'tje0', Password: 'Tje0' } });
    assertOk(res);
    assert.match(res.json.Ticket, /^7T:[A-Za-z0-9_-]{40,}$/);
    const expires = Date.parse(res.json.Expires);
    assert.ok(expires > Date.now() + 7 * 3_600_000 && expires < Date.now() + 9 * 3_600_000, 'expires after the default 8 hours');
  });

  test('a check that read the ticket before it was revoked does not make the revoked ticket remembered', async () => {
    const ticket = await getTicket(app, 'tje0', 'Tje0');
    const credentials = app.store.credentials;
    const findLive = credentials.findLive.bind(credentials);
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    credentials.findLive = async (...args: Parameters<typeof findLive>) => {
      const found = await findLive(...args); // read while the ticket is still live...
      await gate; // ...and answered after the logout
      return found;
    };
    try {
      const inFlight = call(app, 'ChatTopicsForUser', { auth: `SOTicket ${ticket}` });
      await new Promise((r) => setTimeout(r, 50));
      await app.auth.revokeCaller({ authorization: `SOTicket ${ticket}`, cookies: {} } as never);
      release();
      await inFlight;
    } finally {
      credentials.findLive = findLive;
    }
    assert.equal((await call(app, 'ChatTopicsForUser', { auth: `SOTicket ${ticket}` })).status, 401, 'revoked means revoked');
  });

  test('user names are matched case-insensitively on log-in', async () => {
    await getTicket(app, 'TJE0', 'Tje0');
  });

  test('the ticket is accepted as SOTicket, SoTicket and soticket', async () => {
    const ticket = await getTicket(app);
    await assertIsTje0(app, `SOTicket ${ticket}`);
    await assertIsTje0(app, `SoTicket ${ticket}`);
    await assertIsTje0(app, `soticket ${ticket}`);
  });

  test('a wrong password or unknown user gets no ticket', async () => {
    assertUnauthorized(await call(app, TICKET_URL, { body: { UserName: 'tje0', Password: 'wrong' } }));
    assertUnauthorized(await call(app, TICKET_URL, { body: { UserName: 'nobody', Password: 'Tje0' } }));
  });

  test('an unknown ticket answers 401', async () => {
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: 'SOTicket 7T:not-a-real-ticket' }));
    const real = await getTicket(app);
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: `SOTicket ${real}x` }));
  });

  test('Logout revokes the ticket at once, even right after it was verified and cached', async () => {
    const ticket = await getTicket(app);
    await assertIsTje0(app, `SOTicket ${ticket}`);
    const out = await call(app, LOGOUT_URL, { auth: `SOTicket ${ticket}` });
    assert.equal(out.status, 204);
    assert.equal(out.body, '');
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: `SOTicket ${ticket}` }));
    // Another spelling of the scheme does not revive it either.
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: `soticket ${ticket}` }));
  });

  test('Logout with one spelling of the scheme revokes a ticket cached under another', async () => {
    const ticket = await getTicket(app);
    await assertIsTje0(app, `SOTicket ${ticket}`);
    assert.equal((await call(app, LOGOUT_URL, { auth: `soticket ${ticket}` })).status, 204);
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: `SOTicket ${ticket}` }));
  });

  test("logging out one ticket leaves the user's other tickets alone", async () => {
    const a = await getTicket(app);
    const b = await getTicket(app);
    assert.notEqual(a, b);
    assert.equal((await call(app, LOGOUT_URL, { auth: `SOTicket ${a}` })).status, 204);
    await assertIsTje0(app, `SOTicket ${b}`);
  });

  test('a stored ticket whose expires_at has passed answers 401', async () => {
    const secret = '7T:already-expired-ticket';
    await app.store.credentials.insert({
      kind: 'ticket',
      tokenHash: digest(secret),
      associateId: await tje0Id(app),
      createdAt: new Date(Date.now() - 10 * 3_600_000),
      expiresAt: new Date(Date.now() - 60_000),
    });
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: `SOTicket ${secret}` }));
  });

  test('a ticket for a deleted user answers 401', async () => {
    const uid = await app.store.associates.insert({ userName: 'leaver', fullName: 'Lea Ver', passwordHash: null, isAdmin: false }, new Date());
    const secret = '7T:ticket-of-a-deleted-user';
    await app.store.credentials.insert({ kind: 'ticket', tokenHash: digest(secret), associateId: uid, createdAt: new Date(), expiresAt: null });
    assertOk(await call(app, 'ChatSessionsForUser', { auth: `SOTicket ${secret}` }));
    await app.store.db.updateTable('associates').set({ deleted: 1 }).where('id', '=', uid).execute();
    app.auth.forgetUser(uid);
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: `SOTicket ${secret}` }));
  });
});

describe('SoTicket expiry with a test clock', () => {
  let env: Awaited<ReturnType<typeof startClockedApp>>;
  before(async () => {
    env = await startClockedApp({ PARLEY_TICKET_HOURS: '2' });
  });
  after(async () => env?.app.close());

  test('a ticket works until it expires, then answers 401 (the cache does not outlive it)', async () => {
    const { app } = env;
    const ticket = await getTicket(app);
    await assertIsTje0(app, `SOTicket ${ticket}`);
    env.advanceHours(1.5);
    await assertIsTje0(app, `SOTicket ${ticket}`);
    env.advanceHours(1);
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: `SOTicket ${ticket}` }), /expired/);
  });

  test('a verified ticket is not remembered past its own expiry, however long the cache keeps others', async () => {
    const { app, clock } = env;
    const soon = '7T:expires-in-ten-seconds';
    await app.store.credentials.insert({
      kind: 'ticket',
      tokenHash: digest(soon),
      associateId: await tje0Id(app),
      createdAt: clock.now(),
      expiresAt: new Date(clock.time + 10_000),
    });
    await assertIsTje0(app, `SOTicket ${soon}`); // remembered now, for at most 30 s
    clock.time += 11_000;
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: `SOTicket ${soon}` }), /expired/);
  });

  test('an API token issued for one day expires after it', async () => {
    const { app } = env;
    const { token, expires } = await app.auth.issueApiToken(await tje0Id(app), 'day', 1);
    assert.ok(expires);
    await assertIsTje0(app, `Bearer ${token}`);
    env.advanceHours(25);
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: `Bearer ${token}` }));
  });
});

describe('Bearer API token', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ kind: 'sqlite' });
  });
  after(async () => app?.close());

  test('an issued 8A: token authenticates its user, scheme case-insensitive', async () => {
    const { token, expires } = await app.auth.issueApiToken(await tje0Id(app), 'test', null);
    assert.match(token, /^8A:/);
    assert.equal(expires, null);
    await assertIsTje0(app, `Bearer ${token}`);
    await assertIsTje0(app, `bearer ${token}`);
    await assertIsTje0(app, `BEARER ${token}`);
  });

  test('an unknown token answers 401', async () => {
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: 'Bearer 8A:unknown' }));
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: 'Bearer' }));
  });

  test('a token revoked through the authenticator answers 401 at once, even when cached', async () => {
    const { token } = await app.auth.issueApiToken(await tje0Id(app), 'test', null);
    await assertIsTje0(app, `Bearer ${token}`);
    await app.auth.revokeCaller({ authorization: `Bearer ${token}`, cookies: {} });
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: `Bearer ${token}` }));
  });

  test('a token revoked by id (as the CLI does) answers 401', async () => {
    const { id, token } = await app.auth.issueApiToken(await tje0Id(app), 'cli', null);
    assert.equal(await app.store.credentials.revokeById('api-token', id), true);
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: `Bearer ${token}` }));
  });

  test('Logout with the token revokes it', async () => {
    const { token } = await app.auth.issueApiToken(await tje0Id(app), 'test', null);
    await assertIsTje0(app, `Bearer ${token}`);
    assert.equal((await call(app, LOGOUT_URL, { auth: `Bearer ${token}` })).status, 204);
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: `Bearer ${token}` }));
  });

  test('a ticket is not accepted as a Bearer token, nor a token as a SoTicket', async () => {
    const ticket = await getTicket(app);
    const { token } = await app.auth.issueApiToken(await tje0Id(app), 'test', null);
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: `Bearer ${ticket}` }));
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: `SOTicket ${token}` }));
  });
});

describe('Bearer JWT from a trusted issuer', () => {
  let app: TestApp;
  let issuer: TestIssuer;
  before(async () => {
    issuer = await createTestIssuer();
    app = await startTestApp({ kind: 'sqlite', env: issuer.env });
  });
  after(async () => {
    await app?.close();
    issuer?.remove();
  });

  test('a token whose sub is the user name authenticates that user', async () => {
    await assertIsTje0(app, `Bearer ${await issuer.sign({ sub: 'tje0' })}`);
  });

  test('a token whose sub is the associate id (as text) authenticates that user', async () => {
    await assertIsTje0(app, `Bearer ${await issuer.sign({ sub: String(await tje0Id(app)) })}`);
  });

  test('a token from another issuer answers 401', async () => {
    const token = await issuer.sign({ sub: 'tje0' }, { issuer: 'https://evil.example/' });
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: `Bearer ${token}` }), /rejected/);
  });

  test('an expired token answers 401', async () => {
    const token = await issuer.sign({ sub: 'tje0' }, { expiresIn: Math.floor(Date.now() / 1000) - 600 });
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: `Bearer ${token}` }), /rejected/);
  });

  test('a token without exp answers 401 (it would never expire)', async () => {
    const token = await issuer.sign({ sub: 'tje0' }, { expiresIn: null });
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: `Bearer ${token}` }), /exp/);
  });

  test('a token for another audience, or for none, answers 401', async () => {
    const other = await issuer.sign({ sub: 'tje0' }, { audience: 'some-other-service' });
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: `Bearer ${other}` }), /aud/);
    const none = await issuer.sign({ sub: 'tje0' }, { audience: null });
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: `Bearer ${none}` }), /aud/);
  });

  test('a token not yet valid answers 401', async () => {
    const token = await issuer.sign({ sub: 'tje0' }, { notBefore: '1h' });
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: `Bearer ${token}` }));
  });

  test('a token signed by another key, or with a tampered payload, answers 401', async () => {
    const forged = await (await foreignSigner(issuer.issuer))({ sub: 'tje0' });
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: `Bearer ${forged}` }), /rejected/);
    const [h, , s] = (await issuer.sign({ sub: 'ann1' })).split('.');
    const payload = Buffer.from(JSON.stringify({ sub: 'adm0', iss: issuer.issuer, exp: Math.floor(Date.now() / 1000) + 300 })).toString('base64url');
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: `Bearer ${h}.${payload}.${s}` }));
  });

  test('an unsigned (alg none) token answers 401', async () => {
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const token = `${enc({ alg: 'none', typ: 'JWT' })}.${enc({ sub: 'tje0', iss: issuer.issuer, exp: Math.floor(Date.now() / 1000) + 300 })}.`;
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: `Bearer ${token}` }));
  });

  test('a token naming no known user answers 401', async () => {
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: `Bearer ${await issuer.sign({ sub: 'nobody' })}` }), /no known user/);
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: `Bearer ${await issuer.sign({ sub: '99999' })}` }), /no known user/);
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: `Bearer ${await issuer.sign({ name: 'tje0' })}` }), /no known user/);
  });

  test('API tokens keep working next to JWTs', async () => {
    const { token } = await app.auth.issueApiToken(await tje0Id(app), 'test', null);
    await assertIsTje0(app, `Bearer ${token}`);
  });
});

describe('Log-in calls cost nothing before they are admitted', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ kind: 'sqlite', env: { PARLEY_LOGIN_REQUESTS_PER_MINUTE: '5' } });
  });
  after(async () => app?.close());

  test('a log-in body larger than the anonymous limit is a 413, whatever it holds', async () => {
    const xml = `<Ticket><UserName>tje0</UserName><Password>${'<x/>'.repeat(40_000)}</Password></Ticket>`;
    const res = await call(app, TICKET_URL, { rawBody: xml, contentType: 'application/xml', headers: { 'x-forwarded-for': '198.51.100.7' } });
    assert.equal(res.status, 413, res.body);
    assert.match(res.json.ErrorMessage, /131072 bytes/);
    // A customer's first message at its longest (32,000 characters, three bytes each) still fits.
    const opened = await call(app, '/api/v1/Visitor/OpenSession', { body: { ChatTopicId: 1, Consented: true, Message: '€'.repeat(32_000) } });
    assert.equal(opened.status, 200, opened.body.slice(0, 200));
    // Agents' saves keep the large limit.
    const big = await call(app, 'SaveChatTopicEntity', {
      auth: basic('adm0', 'Adm0'),
      body: { ChatTopicId: 0, Name: 'Big', Description: 'd', WelcomeMessage: 'w'.repeat(3000), x: 'y'.repeat(200_000) },
    });
    assert.notEqual(big.status, 413, big.body);
  });

  test('past the per-address limit a log-in call is a 429 before its body is read, even a malformed one', async () => {
    const from = { remoteAddress: '203.0.113.9' };
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await app.server.inject({
        method: 'POST',
        url: TICKET_URL,
        headers: { 'content-type': 'application/xml' },
        payload: '<Ticket><UserName>',
        ...from,
      });
      statuses.push(res.statusCode);
    }
    assert.deepEqual(statuses, [400, 400, 400, 400, 400, 429, 429]);
    // Another address is not held up by it.
    const other = await app.server.inject({
      method: 'POST',
      url: TICKET_URL,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ UserName: 'tje0', Password: 'Tje0' }),
      remoteAddress: '203.0.113.10',
    });
    assert.equal(other.statusCode, 200, other.body);
  });
});

describe('JWT settings', () => {
  test('an issuer without an audience is refused at start, since any token it minted for another service would log in', () => {
    const env = { PARLEY_JWT_ISSUER: 'https://id.test.example/', PARLEY_JWKS_FILE: '/dev/null' };
    assert.throws(() => loadConfig(env), /PARLEY_JWT_AUDIENCE/);
    assert.equal(loadConfig({ ...env, PARLEY_JWT_AUDIENCE: 'parley' }).auth.jwt?.audience, 'parley');
  });
});

describe('Bearer JWT without a configured issuer', () => {
  let app: TestApp;
  let issuer: TestIssuer;
  before(async () => {
    issuer = await createTestIssuer();
    app = await startTestApp({ kind: 'sqlite' });
  });
  after(async () => {
    await app?.close();
    issuer?.remove();
  });

  test('a well-signed JWT answers 401', async () => {
    const token = await issuer.sign({ sub: 'tje0' });
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: `Bearer ${token}` }), /no issuer configured/);
  });
});

/** Cookie value by name from a Set-Cookie list. */
function cookieFrom(setCookie: string | string[] | undefined, name: string) {
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

async function openSession(app: App, userName = 'tje0', password = 'Tje0') {
  const res = await call(app, SESSION_URL, { body: { UserName: userName, Password: password } });
  assertOk(res);
  const session = cookieFrom(res.headers['set-cookie'], 'ParleySession');
  const xsrf = cookieFrom(res.headers['set-cookie'], 'XSRF-TOKEN');
  return { res, session, xsrf };
}

describe('Cookie session with X-XSRF-TOKEN', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ kind: 'sqlite' });
  });
  after(async () => app?.close());

  const withCookies = (session: string, xsrfCookie: string | undefined, xsrfHeader: string | undefined) => ({
    cookie: `ParleySession=${session}${xsrfCookie !== undefined ? `; XSRF-TOKEN=${xsrfCookie}` : ''}`,
    ...(xsrfHeader !== undefined ? { 'x-xsrf-token': xsrfHeader } : {}),
  });

  test('POST Authentication/Session sets an HttpOnly session cookie and a readable XSRF-TOKEN cookie', async () => {
    const { res, session, xsrf } = await openSession(app);
    assert.ok(session.attributes.includes('httponly'), 'session cookie is HttpOnly');
    assert.ok(!xsrf.attributes.includes('httponly'), 'the page must be able to read the XSRF token');
    assert.ok(session.attributes.includes('path=/'));
    assert.ok(session.attributes.some((a) => a.startsWith('samesite=')));
    assert.equal(res.json.XsrfToken, xsrf.value);
    assert.notEqual(session.value, xsrf.value);
    assert.ok(session.value.length >= 40);
  });

  test('over plain HTTP the cookies are not Secure, and an untrusted X-Forwarded-Proto does not make them so', async () => {
    for (const headers of [{}, { 'x-forwarded-proto': 'https' }] as Array<Record<string, string>>) {
      const res = await call(app, SESSION_URL, { body: { UserName: 'tje0', Password: 'Tje0' }, headers });
      assertOk(res);
      for (const name of ['ParleySession', 'XSRF-TOKEN']) {
        assert.ok(!cookieFrom(res.headers['set-cookie'], name).attributes.includes('secure'), `${name} ${JSON.stringify(headers)}`);
      }
    }
  });

  test('both cookies plus X-XSRF-TOKEN equal to them authenticate', async () => {
    const { session, xsrf } = await openSession(app);
    await assertIsTje0(app, '', withCookies(session.value, xsrf.value, xsrf.value));
  });

  test('a missing X-XSRF-TOKEN header answers 401', async () => {
    const { session, xsrf } = await openSession(app);
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { headers: withCookies(session.value, xsrf.value, undefined) }), /XSRF/);
  });

  test('a wrong X-XSRF-TOKEN header answers 401', async () => {
    const { session, xsrf } = await openSession(app);
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { headers: withCookies(session.value, xsrf.value, `${xsrf.value}x`) }));
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { headers: withCookies(session.value, xsrf.value, '') }));
  });

  test('a header matching the XSRF cookie but not the session answers 401', async () => {
    const mine = await openSession(app);
    const other = await openSession(app, 'ann1', 'Ann1');
    // An attacker who can set the XSRF cookie (not the HttpOnly session) echoes a token of its own choosing.
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { headers: withCookies(mine.session.value, other.xsrf.value, other.xsrf.value) }));
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { headers: withCookies(mine.session.value, 'forged', 'forged') }));
  });

  test('an unknown session cookie answers 401', async () => {
    const { xsrf } = await openSession(app);
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { headers: withCookies('not-a-session', xsrf.value, xsrf.value) }));
  });

  test("a log-in posted by another site's page is refused (login CSRF); the console's own page and non-browsers are not", async () => {
    const body = { UserName: 'tje0', Password: 'Tje0' };
    for (const headers of [
      { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { origin: 'http://localhost:8080' },
    ] as Array<Record<string, string>>) {
      const res = await call(app, SESSION_URL, { body, headers: { host: 'localhost:80', ...headers } });
      assert.equal(res.status, 403, `${JSON.stringify(headers)}: ${res.body}`);
      assert.equal(res.json.ErrorType, 'SoAccessDeniedException');
      assert.equal(res.headers['set-cookie'], undefined, 'no cookie');
    }
    for (const headers of [
      {},
      { 'sec-fetch-site': 'same-origin', origin: 'http://localhost:80' },
      { origin: 'https://localhost:80' },
      { 'sec-fetch-site': 'none' },
    ] as Array<Record<string, string>>) {
      assertOk(await call(app, SESSION_URL, { body, headers: { host: 'localhost:80', ...headers } }));
    }
    // A SoTicket is no cookie: another site gains nothing by asking for one, so Ticket keeps serving any caller.
    assertOk(await call(app, TICKET_URL, { body, headers: { 'sec-fetch-site': 'cross-site' } }));
  });

  test('CurrentUser answers whom the credentials belong to', async () => {
    const { session, xsrf } = await openSession(app, 'ann1', 'Ann1');
    const res = await call(app, '/api/v1/Parley/Authentication/CurrentUser', { headers: withCookies(session.value, xsrf.value, xsrf.value) });
    assertOk(res);
    const ann1 = (await app.store.associates.byUserName('ann1'))!;
    assert.deepEqual(res.json, { AssociateId: ann1.id, UserName: 'ann1', FullName: ann1.fullName, IsAdministrator: false });
    assertUnauthorized(await call(app, '/api/v1/Parley/Authentication/CurrentUser'));
  });

  test('a wrong password opens no session and sets no cookie', async () => {
    const res = await call(app, SESSION_URL, { body: { UserName: 'tje0', Password: 'nope' } });
    assertUnauthorized(res);
    assert.equal(res.headers['set-cookie'], undefined);
  });

  test('Logout ends the web session', async () => {
    const { session, xsrf } = await openSession(app);
    const headers = withCookies(session.value, xsrf.value, xsrf.value);
    await assertIsTje0(app, '', headers);
    assert.equal((await call(app, LOGOUT_URL, { headers })).status, 204);
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { headers }));
  });
});

describe('Cookie session behind a trusted proxy (PARLEY_TRUST_PROXY=true)', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ kind: 'sqlite', env: { PARLEY_TRUST_PROXY: 'true' } });
  });
  after(async () => app?.close());

  const attributes = async (headers: Record<string, string>) => {
    const res = await call(app, SESSION_URL, { body: { UserName: 'tje0', Password: 'Tje0' }, headers });
    assertOk(res);
    return ['ParleySession', 'XSRF-TOKEN'].map((name) => cookieFrom(res.headers['set-cookie'], name).attributes);
  };

  test('a log-in that came over HTTPS (X-Forwarded-Proto: https) gets Secure cookies', async () => {
    for (const a of await attributes({ 'x-forwarded-proto': 'https' })) {
      assert.ok(a.includes('secure'), JSON.stringify(a));
      assert.ok(a.includes('path=/') && a.some((x) => x.startsWith('samesite=')), 'the other attributes stay');
    }
  });

  test('a log-in the proxy forwarded from plain HTTP gets cookies without Secure (they would not come back)', async () => {
    for (const a of await attributes({ 'x-forwarded-proto': 'http' })) assert.ok(!a.includes('secure'), JSON.stringify(a));
    for (const a of await attributes({})) assert.ok(!a.includes('secure'), JSON.stringify(a));
  });
});

describe('Failed log-in throttling (PARLEY_LOGIN_FAILURES_PER_MINUTE)', () => {
  // A burst of 3 failures, then one more every 20 s, per client address and per user name.
  let env: Awaited<ReturnType<typeof startClockedApp>>;
  let lookups = 0;
  let address = 0;
  before(async () => {
    env = await startClockedApp({ PARLEY_LOGIN_FAILURES_PER_MINUTE: '3' });
    // Every password check starts with this lookup: no lookup means no hash either.
    const associates = env.app.store.associates;
    const byUserNameRow = associates.byUserNameRow.bind(associates);
    associates.byUserNameRow = (name: string) => {
      lookups++;
      return byUserNameRow(name);
    };
  });
  after(async () => env?.app.close());

  /** A client address of its own per test, so tests do not share budgets. */
  const newAddress = () => `198.51.100.${++address}`;
  const from = async (remoteAddress: string, url: string, options: { auth?: string; body?: unknown }) => {
    const r = await env.app.server.inject({
      method: 'POST',
      url,
      remoteAddress,
      payload: options.body === undefined ? undefined : JSON.stringify(options.body),
      headers: { ...(options.auth ? { authorization: options.auth } : {}), ...(options.body === undefined ? {} : { 'content-type': 'application/json' }) },
    });
    return { status: r.statusCode, headers: r.headers, body: r.body, json: r.body ? JSON.parse(r.body) : undefined } as Res;
  };
  const basicCall = (remote: string, user: string, password: string) =>
    from(remote, '/api/v1/Agents/Chat/ChatSessionsForUser', { auth: basic(user, password) });
  const ticketCall = (remote: string, user: string, password: string) => from(remote, TICKET_URL, { body: { UserName: user, Password: password } });
  const sessionCall = (remote: string, user: string, password: string) => from(remote, SESSION_URL, { body: { UserName: user, Password: password } });

  function assertThrottled(res: Res, retryAfter = '20') {
    assert.equal(res.status, 429, `expected 429, got ${res.status}: ${res.body}`);
    assert.equal(res.headers['retry-after'], retryAfter);
    assert.equal(res.json.Error, true);
    assert.equal(res.json.ErrorType, 'SoTooManyRequestsException');
    assert.match(res.json.ErrorMessage, /log-in/i);
    assert.equal(res.headers['set-cookie'], undefined);
  }

  test('one address cannot lock a user out; failures from many addresses past ten times the limit do, without hashing', async () => {
    const [a, b] = [newAddress(), newAddress()];
    for (let i = 0; i < 3; i++) assertUnauthorized(await basicCall(a, 'ann1', `wrong-${i}`));
    assertThrottled(await basicCall(a, 'ann1', 'wrong-3')); // that address is done for now
    assertOk(await ticketCall(b, 'ann1', 'Ann1')); // ann1 herself, from elsewhere, is not held up
    // A spread-out guesser: 3 failures from each of 9 more addresses, 30 for the name in all.
    for (let n = 0; n < 9; n++) {
      const c = newAddress();
      for (let i = 0; i < 3; i++) assertUnauthorized(await basicCall(c, 'ANN1', `guess-${n}-${i}`)); // any case
    }
    const before = lookups;
    assertThrottled(await basicCall(newAddress(), 'ann1', 'wrong-again'), '2');
    assertThrottled(await basicCall(b, 'ann1', 'Ann1'), '2'); // now even the right password waits
    assertThrottled(await sessionCall(b, 'ann1', 'Ann1'), '2');
    assert.equal(lookups, before, 'a refused attempt is not looked up, so not hashed');
    assertOk(await basicCall(b, 'ola2', 'Ola2')); // another user from that address is not held up
    env.advanceHours(2 / 3600);
    assertOk(await ticketCall(b, 'ann1', 'Ann1')); // one attempt earned back
  });

  test('past the limit an address answers 429 for every user name, known or not', async () => {
    const [a, b] = [newAddress(), newAddress()];
    assertUnauthorized(await basicCall(a, 'no-such-user-1', 'x'));
    assertUnauthorized(await ticketCall(a, 'no-such-user-2', 'x'));
    assertUnauthorized(await sessionCall(a, 'deu4', 'wrong'));
    assertThrottled(await basicCall(a, 'tje0', 'Tje0'));
    assertThrottled(await ticketCall(a, 'no-such-user-3', 'x'));
    assertOk(await ticketCall(b, 'deu4', 'Deu4')); // the name deu4 failed once only
  });

  test('successful log-ins are not counted', async () => {
    const a = newAddress();
    for (let i = 0; i < 6; i++) {
      assertOk(await ticketCall(a, 'deu4', 'Deu4'));
      assertOk(await sessionCall(a, 'deu4', 'Deu4'));
    }
    env.advanceHours(1);
    for (let i = 0; i < 6; i++) assertOk(await basicCall(newAddress(), 'deu4', 'Deu4'));
    for (let i = 0; i < 3; i++) assertUnauthorized(await ticketCall(a, 'deu4', 'wrong'));
    assertThrottled(await ticketCall(a, 'deu4', 'wrong'));
  });

  test('a credential verified moments ago is answered from the cache: no lookup, no hash, no throttle', async () => {
    env.advanceHours(1);
    const a = newAddress();
    assertOk(await basicCall(a, 'tje0', 'Tje0'));
    for (let i = 0; i < 3; i++) assertUnauthorized(await basicCall(a, 'tje0', 'wrong'));
    assertThrottled(await ticketCall(a, 'tje0', 'Tje0'));
    const before = lookups;
    for (let i = 0; i < 5; i++) assertOk(await basicCall(a, 'tje0', 'Tje0'));
    assert.equal(lookups, before);
  });

  test("a credential in steady use is verified again before it expires, off the request's path", async () => {
    env.advanceHours(1);
    const a = newAddress();
    assertOk(await basicCall(a, 'ann1', 'Ann1'));
    const first = lookups;
    env.clock.time += 10_000;
    assertOk(await basicCall(a, 'ann1', 'Ann1'));
    assert.equal(lookups, first, 'fresh: from the cache');
    env.clock.time += 15_000; // 25 s of 30: the last quarter
    assertOk(await basicCall(a, 'ann1', 'Ann1')); // answered at once; the check runs behind it
    for (let i = 0; i < 100 && lookups === first; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(lookups, first + 1, 'verified again in the background');
    // The hash behind that lookup finishes (the authenticator's checks under way, looked at from outside).
    const underWay = (env.app.auth as unknown as { verifying: Map<string, unknown> }).verifying;
    for (let i = 0; i < 200 && underWay.size > 0; i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal(underWay.size, 0);
    env.clock.time += 20_000; // 45 s after the first check: past its expiry, within the renewed one
    assertOk(await basicCall(a, 'ann1', 'Ann1'));
    assert.equal(lookups, first + 1, 'still from the cache');
  });

  test('pollers sharing a credential whose cache entry expired verify it once, and are not throttled for it', async () => {
    env.advanceHours(1); // every verified credential has expired, every budget refilled
    const a = newAddress();
    const before = lookups;
    const answers = await Promise.all(Array.from({ length: 20 }, () => basicCall(a, 'deu4', 'Deu4')));
    for (const res of answers) assertOk(res);
    assert.equal(lookups - before, 1, 'one password check for twenty callers');
  });
});

describe('PARLEY_LOGIN_FAILURES_PER_MINUTE=0', () => {
  let env: Awaited<ReturnType<typeof startClockedApp>>;
  before(async () => {
    env = await startClockedApp({ PARLEY_LOGIN_FAILURES_PER_MINUTE: '0' });
  });
  after(async () => env?.app.close());

  test('turns the throttle off', async () => {
    for (let i = 0; i < 12; i++) assertUnauthorized(await call(env.app, TICKET_URL, { body: { UserName: 'tje0', Password: 'wrong' } }));
    await getTicket(env.app);
  });
});

describe('SO-AppToken', () => {
  describe('when required', () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp({ kind: 'sqlite', env: { PARLEY_REQUIRE_APP_TOKEN: 'true' } });
    });
    after(async () => app?.close());

    test('a call without SO-AppToken answers 401, even with good credentials', async () => {
      assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: TJE0 }), /SO-AppToken/);
    });

    test('a registered application token lets the call through', async () => {
      const { token } = await app.auth.issueAppToken('x');
      await assertIsTje0(app, TJE0, { 'so-apptoken': token });
    });

    test('an unknown or revoked token answers 401', async () => {
      assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: TJE0, headers: { 'so-apptoken': 'app:unknown' } }));
      const { id, token } = await app.auth.issueAppToken('gone');
      await assertIsTje0(app, TJE0, { 'so-apptoken': token });
      await app.store.credentials.revokeById('app-token', id);
      assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: TJE0, headers: { 'so-apptoken': token } }));
    });

    test('visitors need it too: the visitor API and the visitor push stream', async () => {
      const open = (headers: Record<string, string> = {}) =>
        app.server.inject({
          method: 'POST',
          url: '/api/v1/Visitor/OpenSession',
          headers: { 'content-type': 'application/json', ...headers },
          payload: JSON.stringify({ ChatTopicId: 1, Consented: true }),
        });
      const refused = await open();
      assert.equal(refused.statusCode, 401, refused.body);
      assert.match(JSON.parse(refused.body).ErrorMessage, /SO-AppToken/);
      const { token } = await app.auth.issueAppToken('widget');
      const opened = await open({ 'so-apptoken': token });
      assert.equal(opened.statusCode, 200, opened.body);
      const key = JSON.parse(opened.body).SessionKey as string;
      const noToken = await app.server.inject({ method: 'POST', url: '/api/v1/Visitor/GetSession', headers: { 'x-session-key': key } });
      assert.equal(noToken.statusCode, 401, noToken.body);
      const stream = await app.server.inject({ method: 'GET', url: `/api/v1/Push/Visitor?key=${encodeURIComponent(key)}` });
      assert.equal(stream.statusCode, 401, stream.body);
      assert.match(JSON.parse(stream.body).ErrorMessage, /SO-AppToken/);
    });

    test('the application token does not replace the user credentials', async () => {
      const { token } = await app.auth.issueAppToken('x');
      assertUnauthorized(await call(app, 'ChatSessionsForUser', { headers: { 'so-apptoken': token } }));
    });
  });

  describe('when not required', () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp({ kind: 'sqlite' });
    });
    after(async () => app?.close());

    test('calls without SO-AppToken work', async () => {
      await assertIsTje0(app, TJE0);
    });

    test('an unknown SO-AppToken still answers 401', async () => {
      assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: TJE0, headers: { 'so-apptoken': 'app:unknown' } }), /SO-AppToken/);
    });

    test('a registered token is accepted', async () => {
      const { token } = await app.auth.issueAppToken('x');
      await assertIsTje0(app, TJE0, { 'so-apptoken': token });
    });
  });
});

describe('Secrets at rest', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ kind: 'sqlite' });
  });
  after(async () => app?.close());

  test('no column of credentials holds a ticket, API token, session or app token in clear text', async () => {
    const ticket = await getTicket(app);
    const { token: apiToken } = await app.auth.issueApiToken(await tje0Id(app), 'test', null);
    const { token: appToken } = await app.auth.issueAppToken('x');
    const { session } = await openSession(app);
    const rows = await app.store.db.selectFrom('credentials').selectAll().execute();
    assert.ok(rows.length >= 4);
    const stored = rows.flatMap((r) => Object.values(r).map((v) => String(v)));
    for (const secret of [ticket, apiToken, appToken, session.value]) {
      const body = secret.replace(/^[^:]*:/, ''); // also without its "7T:"/"8A:"/"app:" prefix
      assert.ok(!stored.some((v) => v.includes(body)), 'secret found in the credentials table');
    }
    // What is stored is the SHA-256 digest.
    assert.ok(rows.some((r) => r.token_hash === digest(ticket)));
    assert.ok(rows.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash)));
  });

  test('password hashes are Argon2id', async () => {
    const rows = await app.store.db.selectFrom('associates').select(['user_name', 'password_hash']).execute();
    const withPassword = rows.filter((r) => r.password_hash !== null);
    assert.ok(withPassword.length >= 5);
    for (const r of withPassword) {
      assert.match(r.password_hash!, /^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$/, r.user_name);
      assert.ok(!r.password_hash!.includes(r.user_name.replace(/^./, (c) => c.toUpperCase())), 'no clear-text password');
    }
  });
});

for (const { kind, skip } of (await databaseKinds()).filter((k) => k.kind === 'postgres')) {
  describe(`Revocation reaches every instance on ${kind}`, { skip }, () => {
    let a: TestApp;
    let b: App;
    before(async () => {
      a = await startTestApp({ kind });
      // A second instance on the same database, with the same (30 s) cache of verified credentials.
      b = await createApp(
        loadConfig({ DATABASE_URL: a.testDb.url, PARLEY_TIMEZONE: 'Europe/Oslo', PARLEY_AUTH_CACHE_SECONDS: '30', PARLEY_SWEEP_SECONDS: '0' }),
        { logger: false },
      );
    });
    after(async () => {
      await b?.close();
      await a?.close();
    });

    /** B refuses the credential within a few seconds (at once, give or take a NOTIFY), well inside its cache time. */
    async function refusedByB(authorization: string) {
      const deadline = Date.now() + 5_000;
      let res = await call(b, 'ChatSessionsForUser', { auth: authorization });
      while (res.status === 200 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        res = await call(b, 'ChatSessionsForUser', { auth: authorization });
      }
      assertUnauthorized(res);
    }

    test('a SoTicket logged out on A stops working on B', async () => {
      const ticket = await getTicket(a);
      await assertIsTje0(b, `SOTicket ${ticket}`); // B has it cached now
      assert.equal((await call(a, LOGOUT_URL, { auth: `SOTicket ${ticket}` })).status, 204);
      await refusedByB(`SOTicket ${ticket}`);
    });

    test('an API token revoked (as the CLI does) stops working on B', async () => {
      const { id, token } = await a.auth.issueApiToken(await tje0Id(a), 'two', null);
      await assertIsTje0(b, `Bearer ${token}`);
      await a.store.credentials.revokeById('api-token', id);
      await refusedByB(`Bearer ${token}`);
    });

    test('a password changed (as the CLI does) stops the old one on B', async () => {
      assertOk(await call(b, 'ChatSessionsForUser', { auth: basic('ann1', 'Ann1') })); // B has it cached now
      await a.store.associates.setPassword((await a.store.associates.byUserName('ann1'))!.id, await hashPassword('Changed 1'), new Date());
      await refusedByB(basic('ann1', 'Ann1'));
    });
  });

  describe(`Authentication smoke test on ${kind}`, { skip }, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp({ kind });
    });
    after(async () => app?.close());

    test('Basic, SoTicket, API token, Logout and expiry work on PostgreSQL', async () => {
      await assertIsTje0(app, TJE0);
      assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: basic('tje0', 'wrong') }));
      const ticket = await getTicket(app);
      await assertIsTje0(app, `SoTicket ${ticket}`);
      assert.equal((await call(app, LOGOUT_URL, { auth: `SOTicket ${ticket}` })).status, 204);
      assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: `SOTicket ${ticket}` }));
      const { token } = await app.auth.issueApiToken(await tje0Id(app), 'pg', null);
      await assertIsTje0(app, `Bearer ${token}`);
      const past = '7T:expired-on-postgres';
      await app.store.credentials.insert({
        kind: 'ticket',
        tokenHash: digest(past),
        associateId: await tje0Id(app),
        createdAt: new Date(0),
        expiresAt: new Date(Date.now() - 1000),
      });
      assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: `SOTicket ${past}` }));
      const { session, xsrf } = await openSession(app);
      await assertIsTje0(app, '', { cookie: `ParleySession=${session.value}; XSRF-TOKEN=${xsrf.value}`, 'x-xsrf-token': xsrf.value });
    });
  });
}
