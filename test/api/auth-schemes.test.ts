// Authentication schemes: Basic, SoTicket (and its expiry), Bearer API tokens and JWTs from a trusted issuer.
// The demo data these tests rely on, and the helpers they share: test/helpers/authentication-kit.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { digest } from '../../src/auth/secrets.ts';
import { loadConfig } from '../../src/config.ts';
import { createTestIssuer, foreignSigner, type TestIssuer } from '../helpers/jwt.ts';
import { basic, call, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';

import { TICKET_URL, LOGOUT_URL, assertUnauthorized, assertOk, assertIsTje0, getTicket, tje0Id, startClockedApp } from '../helpers/authentication-kit.ts';

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
    const { ticket } = await app.auth.issue.ticket((await app.store.associates.byUserName('tje0'))!);
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
    const { token, expires } = await app.auth.issue.apiToken(await tje0Id(app), 'day', 1);
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
    const { token, expires } = await app.auth.issue.apiToken(await tje0Id(app), 'test', null);
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
    const { token } = await app.auth.issue.apiToken(await tje0Id(app), 'test', null);
    await assertIsTje0(app, `Bearer ${token}`);
    await app.auth.revokeCaller({ authorization: `Bearer ${token}`, cookies: {} });
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: `Bearer ${token}` }));
  });

  test('a token revoked by id (as the CLI does) answers 401', async () => {
    const { id, token } = await app.auth.issue.apiToken(await tje0Id(app), 'cli', null);
    assert.equal(await app.store.credentials.revokeById('api-token', id), true);
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: `Bearer ${token}` }));
  });

  test('Logout with the token revokes it', async () => {
    const { token } = await app.auth.issue.apiToken(await tje0Id(app), 'test', null);
    await assertIsTje0(app, `Bearer ${token}`);
    assert.equal((await call(app, LOGOUT_URL, { auth: `Bearer ${token}` })).status, 204);
    assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: `Bearer ${token}` }));
  });

  test('a ticket is not accepted as a Bearer token, nor a token as a SoTicket', async () => {
    const ticket = await getTicket(app);
    const { token } = await app.auth.issue.apiToken(await tje0Id(app), 'test', null);
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
    const { token } = await app.auth.issue.apiToken(await tje0Id(app), 'test', null);
    await assertIsTje0(app, `Bearer ${token}`);
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
