// Application tokens, secrets at rest, revocation across instances, and a smoke test of every scheme.
// The demo data these tests rely on, and the helpers they share: test/helpers/authentication-kit.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type App, createApp } from '../../src/app.ts';
import { hashPassword } from '../../src/auth/passwords.ts';
import { digest } from '../../src/auth/secrets.ts';
import { loadConfig } from '../../src/config.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { basic, call, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';

import { LOGOUT_URL, assertUnauthorized, assertOk, assertIsTje0, getTicket, tje0Id, openSession } from '../helpers/authentication-kit.ts';

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
      const { token } = await app.auth.issue.appToken('x');
      await assertIsTje0(app, TJE0, { 'so-apptoken': token });
    });

    test('an unknown or revoked token answers 401', async () => {
      assertUnauthorized(await call(app, 'ChatSessionsForUser', { auth: TJE0, headers: { 'so-apptoken': 'app:unknown' } }));
      const { id, token } = await app.auth.issue.appToken('gone');
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
      const { token } = await app.auth.issue.appToken('widget');
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
      const { token } = await app.auth.issue.appToken('x');
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
      const { token } = await app.auth.issue.appToken('x');
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
    const { token: apiToken } = await app.auth.issue.apiToken(await tje0Id(app), 'test', null);
    const { token: appToken } = await app.auth.issue.appToken('x');
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
      const { id, token } = await a.auth.issue.apiToken(await tje0Id(a), 'two', null);
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
}

for (const { kind, skip } of (await databaseKinds()).filter((k) => k.kind === 'postgres')) {
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
      const { token } = await app.auth.issue.apiToken(await tje0Id(app), 'pg', null);
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
