// Operations: /health, /ready (and its 503s), /metrics (request counters by route pattern, latency histogram,
// process metrics, queue lengths read from the database, events, webhooks), X-Request-Id, the log (request ids on
// unexpected errors, no credentials) and the shutdown hooks; on SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type App, createApp, randomKeys } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { fillDemoData } from '../../src/demo/demo-data.ts';
import { ChatSessionStatus } from '../../src/domain/enums.ts';
import { databaseKinds, openTestDatabase } from '../helpers/databases.ts';
import { openSse, sleep } from '../helpers/sse.ts';
import { call, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';

const SUPPORT = 1;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition (enough of the format for the values tests compare). */
function samples(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

const find = (all: Sample[], name: string, labels: Record<string, string> = {}) =>
  all.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

const value = (all: Sample[], name: string, labels: Record<string, string> = {}) => {
  const found = find(all, name, labels);
  assert.equal(found.length, 1, `one sample of ${name} ${JSON.stringify(labels)}, found ${found.length}`);
  return found[0].value;
};

async function scrape(app: App) {
  const res = await app.server.inject({ method: 'GET', url: '/metrics' });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  return { text: res.body, all: samples(res.body) };
}

const get = (app: App, url: string, headers: Record<string, string> = {}) => app.server.inject({ method: 'GET', url, headers });

async function queuedPerTopic(app: App) {
  const rows = await app.store.db.selectFrom('chat_sessions').select(['topic_id']).where('status', '=', ChatSessionStatus.InQueue).execute();
  const counts = new Map<number, number>();
  for (const r of rows) counts.set(r.topic_id, (counts.get(r.topic_id) ?? 0) + 1);
  return counts;
}

const outboxCount = async (app: App) =>
  Number(
    (
      await app.store.db
        .selectFrom('outbox_events')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

const waitFor = async (check: () => Promise<boolean>, what: string) => {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail(`timed out waiting for ${what}`);
};

for (const { kind, skip } of await databaseKinds()) {
  describe(`operations on ${kind}`, { skip }, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp({ kind });
    });
    after(async () => app?.close());

    test('/health answers ok', async () => {
      const res = await get(app, '/health');
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^application\/json/);
      assert.deepEqual(res.json(), { Status: 'ok' });
    });

    test('/ready answers ready when the database answers and every migration is applied', async () => {
      const res = await get(app, '/ready');
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { Status: 'ready' });
      assert.equal(res.headers['cache-control'], 'no-store');
    });

    test('/metrics counts requests by method, route pattern and status, with a latency histogram', async () => {
      const before = (await scrape(app)).all;
      const route = '/api/v1/Agents/Chat/GetChatSessionEntity';
      const prior = find(before, 'parley_http_requests_total', { method: 'POST', route, status: '200' })[0]?.value ?? 0;
      for (const id of [1, 2, 3]) assert.equal((await call(app, 'GetChatSessionEntity', { auth: TJE0, query: `chatSessionEntityId=${id}` })).status, 200);
      assert.equal((await call(app, 'ChatSessionsForUser', { auth: 'Basic bm9ib2R5Om5vcGU=' })).status, 401);
      const { all } = await scrape(app);
      assert.equal(value(all, 'parley_http_requests_total', { method: 'POST', route, status: '200' }), prior + 3);
      assert.ok(value(all, 'parley_http_requests_total', { method: 'POST', route: '/api/v1/Agents/Chat/ChatSessionsForUser', status: '401' }) >= 1);
      assert.ok(value(all, 'parley_http_requests_total', { method: 'GET', route: '/health', status: '200' }) >= 1);
      assert.equal(value(all, 'parley_http_request_duration_seconds_count', { method: 'POST', route }), prior + 3);
      assert.equal(value(all, 'parley_http_request_duration_seconds_bucket', { method: 'POST', route, le: '+Inf' }), prior + 3);
      assert.ok(find(all, 'parley_http_request_duration_seconds_bucket', { method: 'POST', route }).length > 5, 'several buckets');
      assert.ok(value(all, 'parley_http_request_duration_seconds_sum', { method: 'POST', route }) > 0);
    });

    test('route labels are patterns: no raw ids, query strings or unknown URLs', async () => {
      await call(app, 'GetChatTopicEntity', { auth: TJE0, query: 'chatTopicEntityId=987654' });
      assert.equal((await get(app, '/api/v1/no/such/thing/123456789')).statusCode, 404);
      assert.equal((await get(app, '/api/v1/Agents/Chat/ChatSessionsForUser/55555')).statusCode, 404);
      const { all } = await scrape(app);
      const routes = new Set(find(all, 'parley_http_requests_total').map((s) => s.labels.route));
      for (const r of routes) {
        assert.doesNotMatch(r, /987654|123456789|55555|\?/, `route label ${r}`);
        assert.ok(r === 'unmatched' || r.startsWith('/'), `route label ${r}`);
      }
      assert.ok(routes.has('unmatched'), 'unknown URLs share one label');
      assert.ok(routes.has('/api/v1/Agents/Chat/GetChatTopicEntity'));
    });

    test('process metrics come along', async () => {
      const { all } = await scrape(app);
      assert.ok(find(all, 'process_cpu_user_seconds_total').length === 1);
      assert.ok(find(all, 'nodejs_heap_size_used_bytes').length === 1);
      assert.ok(find(all, 'nodejs_eventloop_lag_seconds').length === 1);
    });

    test('parley_queue_length per topic equals the queued sessions, read at scrape time; an emptied queue reads 0', async () => {
      const counts = await queuedPerTopic(app);
      assert.ok((counts.get(SUPPORT) ?? 0) >= 2, 'the demo queues sessions in Customer support');
      let { all } = await scrape(app);
      for (const [topic, n] of counts) assert.equal(value(all, 'parley_queue_length', { topic: String(topic) }), n, `topic ${topic}`);
      assert.equal(find(all, 'parley_queue_length').length, counts.size, 'only topics that ever had a queue');

      // tje0 picks up every queued session of Customer support.
      for (let i = counts.get(SUPPORT)!; i > 0; i--) {
        const res = await call(app, 'PickUpFirstChatSession', { auth: TJE0 });
        assert.equal(res.status, 200);
      }
      const now = await queuedPerTopic(app);
      ({ all } = await scrape(app));
      assert.equal(now.get(SUPPORT) ?? 0, 0);
      assert.equal(value(all, 'parley_queue_length', { topic: String(SUPPORT) }), 0);
      for (const [topic, n] of now) assert.equal(value(all, 'parley_queue_length', { topic: String(topic) }), n);
    });

    test('events committed to the outbox are counted as published; push and outbox gauges are there', async () => {
      const start = (await scrape(app)).all;
      const published = value(start, 'parley_events_published_total');
      const rows = await outboxCount(app);
      const res = await call(app, 'CreateChatSessionForTopic', { auth: TJE0, body: { ChatTopicId: SUPPORT } });
      assert.equal(res.status, 200);
      const added = (await outboxCount(app)) - rows;
      assert.ok(added >= 1, 'creating a session appends events');
      await waitFor(async () => value((await scrape(app)).all, 'parley_events_published_total') === published + added, 'the published counter');
      const { all } = await scrape(app);
      assert.equal(value(all, 'parley_outbox_events'), await outboxCount(app));
      assert.equal(value(all, 'parley_push_connections', { kind: 'agent' }), 0);
      assert.equal(value(all, 'parley_push_connections', { kind: 'visitor' }), 0);
      assert.ok(find(all, 'parley_events_delivered_total').length === 1);
      assert.equal(value(all, 'parley_database_up'), 1);
      assert.equal(value(all, 'parley_queue_length', { topic: String(SUPPORT) }), (await queuedPerTopic(app)).get(SUPPORT) ?? 0);
    });

    test('polls of a cached list count as response cache hits or misses', async () => {
      const before = (await scrape(app)).all;
      const hits = find(before, 'parley_response_cache_lookups_total', { result: 'hit' })[0]?.value ?? 0;
      const misses = find(before, 'parley_response_cache_lookups_total', { result: 'miss' })[0]?.value ?? 0;
      // A change, so the first poll builds its answer; the second finds it.
      assert.equal((await call(app, 'CreateChatSessionForTopic', { auth: TJE0, body: { ChatTopicId: SUPPORT } })).status, 200);
      assert.equal((await call(app, 'ChatSessionsForUser', { auth: TJE0 })).status, 200);
      assert.equal((await call(app, 'ChatSessionsForUser', { auth: TJE0 })).status, 200);
      const { all } = await scrape(app);
      assert.equal(value(all, 'parley_response_cache_lookups_total', { result: 'miss' }), misses + 1);
      assert.equal(value(all, 'parley_response_cache_lookups_total', { result: 'hit' }), hits + 1);
    });

    test('an active webhook shows its failures in a row and how far behind it is', async () => {
      const lastId = await app.store.events.lastId();
      const id = await app.store.webhooks.insert({
        name: 'CRM sync',
        targetUrl: 'http://127.0.0.1:9/hook',
        secret: 's',
        events: ['chatsession.created'],
        deliveredUpTo: lastId,
        createdAt: new Date(),
      });
      await app.store.db.updateTable('webhooks').set({ failures: 3 }).where('id', '=', id).execute();
      const { all } = await scrape(app);
      assert.equal(value(all, 'parley_webhook_failures', { webhook: String(id), name: 'CRM sync' }), 3);
      assert.equal(value(all, 'parley_webhook_lag_events', { webhook: String(id) }), 0);
      await app.store.webhooks.remove(id);
      assert.equal(find((await scrape(app)).all, 'parley_webhook_failures', { webhook: String(id) }).length, 0, 'a removed hook leaves the gauge');
    });

    test('GET /api as a page escapes the base URL it builds from the Host header', async () => {
      const res = await get(app, '/api', { accept: 'text/html', host: 'evil.example"><script>alert(1)</script>' });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      assert.doesNotMatch(res.body, /<script>|"><|alert\(1\)<\//);
      assert.match(res.body, /evil\.example&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;\/api\/v1/);
      assert.match(res.body, /<td>Parley<\/td>/, 'the rest of the page is unchanged');
    });

    test("X-Request-Id: a caller's plain id is kept and echoed; otherwise every answer gets a fresh UUID", async () => {
      const given = await call(app, 'ChatTopicsForUser', { auth: TJE0, headers: { 'x-request-id': 'lb-7f3a.42:trace' } });
      assert.equal(given.headers['x-request-id'], 'lb-7f3a.42:trace');
      const none = await call(app, 'ChatTopicsForUser', { auth: TJE0 });
      assert.match(String(none.headers['x-request-id']), UUID);
      const other = await call(app, 'ChatTopicsForUser', { auth: TJE0 });
      assert.notEqual(other.headers['x-request-id'], none.headers['x-request-id']);
      for (const bad of ['has spaces in it', 'x'.repeat(200), '<script>']) {
        const res = await call(app, 'ChatTopicsForUser', { auth: TJE0, headers: { 'x-request-id': bad } });
        assert.match(String(res.headers['x-request-id']), UUID, `${bad.slice(0, 20)} is replaced`);
      }
      // Errors and unknown URLs carry it too.
      assert.equal((await call(app, 'ChatTopicsForUser', { headers: { 'x-request-id': 'unauth-1' } })).headers['x-request-id'], 'unauth-1');
      assert.equal((await get(app, '/nowhere', { 'x-request-id': 'lost-1' })).headers['x-request-id'], 'lost-1');
      assert.equal((await get(app, '/health', { 'x-request-id': 'probe-1' })).headers['x-request-id'], 'probe-1');
    });
  });

  describe(`operations on ${kind}: failures and shutdown`, { skip }, () => {
    const apps: TestApp[] = [];
    const fresh = async () => {
      const a = await startTestApp({ kind });
      apps.push(a);
      return a;
    };
    after(async () => {
      for (const a of apps) await a.close();
    });

    test('/ready is 503 when a migration is missing', async () => {
      const app = await fresh();
      const latest = (await app.store.db
        .selectFrom('kysely_migration' as any)
        .select('name')
        .orderBy('name', 'desc')
        .executeTakeFirstOrThrow()) as { name: string };
      await app.store.db
        .deleteFrom('kysely_migration' as any)
        .where('name', '=', latest.name)
        .execute();
      const res = await get(app, '/ready');
      assert.equal(res.statusCode, 503);
      assert.deepEqual(res.json(), { Status: 'unavailable', Reason: 'database migrations pending' });
      assert.equal((await get(app, '/health')).statusCode, 200, 'alive all the same');
    });

    test('/ready is 503 when the database is closed; /health and /metrics still answer', async () => {
      const app = await fresh();
      await app.database.close();
      const res = await get(app, '/ready');
      assert.equal(res.statusCode, 503);
      assert.deepEqual(res.json(), { Status: 'unavailable', Reason: 'database unreachable' });
      assert.equal((await get(app, '/health')).statusCode, 200);
      const { all } = await scrape(app);
      assert.equal(value(all, 'parley_database_up'), 0);
      assert.equal(find(all, 'parley_queue_length').length, 0);
      assert.ok(find(all, 'parley_http_requests_total').length > 0, 'the counters are still there');
    });

    test('shutdown hooks run first, while the database is open, and /ready says shutting down from then on', async () => {
      const app = await fresh();
      const seen: Array<{ status: number; body: unknown; version: number }> = [];
      app.onShutdown(async () => {
        const res = await get(app, '/ready');
        seen.push({ status: res.statusCode, body: res.json(), version: await app.store.dataVersion() });
      });
      app.onShutdown(() => {
        throw new Error('a failing hook does not stop the others');
      });
      await Promise.all([app.close(), app.close()]);
      assert.equal(seen.length, 1, 'closing twice is one shutdown');
      assert.equal(seen[0].status, 503);
      assert.deepEqual(seen[0].body, { Status: 'unavailable', Reason: 'shutting down' });
      assert.ok(seen[0].version >= 0);
    });
  });

  describe(`operations on ${kind}: the log`, { skip }, () => {
    const lines: string[] = [];
    let app: App;
    let drop: () => Promise<void>;
    before(async () => {
      const testDb = await openTestDatabase(kind);
      drop = testDb.drop;
      const config = loadConfig({ DATABASE_URL: testDb.url, PARLEY_TIMEZONE: 'Europe/Oslo', PARLEY_SWEEP_SECONDS: '0', LOG_LEVEL: 'trace' });
      app = await createApp(config, {
        logger: {
          write: (line) => {
            lines.push(line);
          },
        },
      });
      await fillDemoData(app.store, new Date(), randomKeys.sessionKey);
    });
    after(async () => {
      await app?.close();
      await drop?.();
    });

    test('requests log their id; credentials never reach the log; an unexpected error is logged with the request id', async () => {
      const secrets = ['dGplMDpUamUw', 'cookie-secret-1', 'session-key-secret-2', 'app-token-secret-3', 'xsrf-secret-4'];
      await call(app, 'ChatTopicsForUser', {
        auth: TJE0,
        headers: { 'x-request-id': 'logged-1', cookie: `ParleySession=${secrets[1]}; XSRF-TOKEN=${secrets[4]}`, 'x-xsrf-token': secrets[4] },
      });
      await call(app, '/api/v1/Visitor/GetSession', { body: {}, headers: { 'x-session-key': secrets[2], 'x-request-id': 'visitor-1' } });
      await call(app, 'ChatTopicsForUser', { auth: TJE0, headers: { 'so-apptoken': secrets[3] } });
      assert.ok(
        lines.some((l) => JSON.parse(l).reqId === 'logged-1'),
        'request lines carry reqId',
      );

      // EventSource cannot send headers: push streams take the session key and the XSRF token in the URL.
      await app.server.listen({ port: 0, host: '127.0.0.1' });
      const base = `http://127.0.0.1:${(app.server.server.address() as { port: number }).port}`;
      const opened = await call(app, '/api/v1/Visitor/OpenSession', { body: { ChatTopicId: SUPPORT, Consented: true } });
      const visitorKey = opened.json.SessionKey as string;
      const login = await call(app, '/api/v1/Parley/Authentication/Session', { body: { UserName: 'tje0', Password: 'Tje0' } });
      const xsrf = login.json.XsrfToken as string;
      const session = (login.headers['set-cookie'] as string[])[0].split(';')[0];
      secrets.push(visitorKey, encodeURIComponent(visitorKey), xsrf, encodeURIComponent(xsrf), session.split('=')[1]);
      const visitor = await openSse(`${base}/api/v1/Push/Visitor?language=en&key=${encodeURIComponent(visitorKey)}`);
      const agent = await openSse(`${base}/api/v1/Push/Agent?xsrf=${encodeURIComponent(xsrf)}&lastEventId=`, { cookie: `${session}; XSRF-TOKEN=${xsrf}` });
      assert.equal(visitor.status, 200);
      assert.equal(agent.status, 200);
      await visitor.until(() => visitor.comments.includes('connected'));
      await agent.until(() => agent.comments.includes('connected'));
      visitor.close();
      agent.close();
      // Any spelling of the names, and every occurrence, is masked; other parameters stay readable.
      await get(
        app,
        '/api/v1/Visitor/GetSession?KEY=upper-key-secret-5&Xsrf=mixed-xsrf-secret-6&key=again-secret-7&%6Bey=encoded-secret-8&appToken=app-secret-9',
      );
      secrets.push('upper-key-secret-5', 'mixed-xsrf-secret-6', 'again-secret-7', 'encoded-secret-8', 'app-secret-9');
      await sleep(100);
      const urls = lines.map((l) => JSON.parse(l).req?.url as string | undefined).filter((u) => u?.startsWith('/api/v1/Push/'));
      assert.ok(
        urls.some((u) => u!.includes('language=en') && /[?&]key=/.test(u!)),
        `push URLs are logged, masked: ${urls.join(' ')}`,
      );

      await app.database.close();
      const failed = await call(app, 'GetChatSessionEntity', { auth: TJE0, query: 'chatSessionEntityId=1', headers: { 'x-request-id': 'boom-1' } });
      assert.equal(failed.status, 500);
      assert.equal(failed.headers['x-request-id'], 'boom-1');
      assert.doesNotMatch(failed.body, /destroyed|pool/i, 'no details to the caller');
      const logged = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'unexpected error');
      assert.ok(logged, 'the unexpected error is logged');
      assert.equal(logged.reqId, 'boom-1');
      assert.equal(logged.level, 50);
      const all = lines.join('');
      for (const s of secrets) assert.ok(!all.includes(s), `${s} is not in the log`);
    });
  });
}
