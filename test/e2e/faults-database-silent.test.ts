// PostgreSQL stops answering (a network partition, a stalled server): calls end with 503 and Retry-After within the
// configured timeouts instead of hanging, the process lives on, and service returns when the database does. A TCP
// proxy in the test stands between Parley and PostgreSQL and holds the traffic on command.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createApp, type App, randomKeys } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { fillDemoData } from '../../src/demo/demo-data.ts';
import { createPostgresDatabase, databaseKinds, type TestDatabase } from '../helpers/databases.ts';
import { call, TJE0 } from '../helpers/test-app.ts';

/** Forwards to PostgreSQL; while `held`, nothing passes in either direction (the bytes wait, as on a stalled link). */
function holdingProxy(target: URL) {
  const pairs = new Set<[net.Socket, net.Socket]>();
  let held = false;
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    if (held) { client.pause(); upstream.pause(); }
    client.pipe(upstream);
    upstream.pipe(client);
    const drop = () => { pairs.delete(pair); client.destroy(); upstream.destroy(); };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  return {
    server,
    hold(on: boolean) {
      held = on;
      for (const [a, b] of pairs) for (const s of [a, b]) (on ? s.pause() : s.resume());
    },
  };
}

for (const { kind, skip } of (await databaseKinds()).filter((k) => k.kind === 'postgres')) {
  describe(`The database silent on ${kind}`, { skip }, () => {
    let db: TestDatabase;
    let proxy: ReturnType<typeof holdingProxy>;
    let app: App;
    before(async () => {
      db = await createPostgresDatabase();
      proxy = holdingProxy(new URL(db.url));
      await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
      const through = new URL(db.url);
      through.port = String((proxy.server.address() as net.AddressInfo).port);
      app = await createApp(loadConfig({
        DATABASE_URL: through.toString(), PARLEY_TIMEZONE: 'Europe/Oslo', PARLEY_SWEEP_SECONDS: '0', PARLEY_RESPONSE_CACHE_SECONDS: '0',
        PARLEY_DATABASE_CONNECT_TIMEOUT_MS: '1000', PARLEY_DATABASE_STATEMENT_TIMEOUT_MS: '1000', PARLEY_AUTH_CACHE_SECONDS: '300',
      }), { logger: false });
      await fillDemoData(app.store, new Date(), randomKeys.sessionKey);
    });
    after(async () => {
      proxy?.hold(false);
      await app?.close();
      proxy?.server.close();
      await db?.drop();
    });

    test('calls answer 503 with Retry-After within the timeouts, never hang; service returns with the database', async () => {
      assert.equal((await call(app, 'ChatSessionsForUser', { auth: TJE0 })).status, 200);
      proxy.hold(true);
      const started = Date.now();
      const during = await Promise.all([1, 2, 3].map(() => call(app, 'ChatSessionsForUser', { auth: TJE0 })));
      const waited = Date.now() - started;
      for (const res of during) {
        assert.equal(res.status, 503, res.body);
        assert.equal(res.headers['retry-after'], '5');
        assert.equal(res.json.ErrorType, 'SoServiceUnavailableException');
      }
      assert.ok(waited < 10_000, `answered after ${waited} ms`);
      proxy.hold(false);
      let status = 0;
      for (const end = Date.now() + 10_000; status !== 200 && Date.now() < end;) {
        status = (await call(app, 'ChatSessionsForUser', { auth: TJE0 })).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(status, 200, 'served again once the database answers');
    });
  });
}
