// Browser log-ins and log-in abuse: the cookie session with X-XSRF-TOKEN, cross-site refusal, and throttling failed log-ins.
// The demo data these tests rely on, and the helpers they share: test/helpers/authentication-kit.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { basic, call, startTestApp, type TestApp } from '../helpers/test-app.ts';

import {
  TICKET_URL,
  SESSION_URL,
  LOGOUT_URL,
  type Res,
  assertUnauthorized,
  assertOk,
  assertIsTje0,
  getTicket,
  startClockedApp,
  cookieFrom,
  openSession,
} from '../helpers/authentication-kit.ts';

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
