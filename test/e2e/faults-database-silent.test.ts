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
    if (held) {
      client.pause();
      upstream.pause();
    }
    client.pipe(upstream);
    upstream.pipe(client);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  return {
    server,
    /** Ends every connection passing through (a failover, a cut link); new ones pass again. */
    cut() {
      for (const [a, b] of pairs) {
        a.destroy();
        b.destroy();
      }
    },
    hold(on: boolean) {
      held = on;
      for (const [a, b] of pairs) for (const s of [a, b]) on ? s.pause() : s.resume();
    },
  };
}

for (const { kind, skip } of (await databaseKinds()).filter((k) => k.kind === 'postgres')) {
  describe(`The database silent on ${kind}`, { skip }, () => {
    let db: TestDatabase;
    let proxy: ReturnType<typeof holdingProxy>;
    let app: App;
    const lines: Array<{ level: number; msg: string; err?: unknown }> = [];
    before(async () => {
      db = await createPostgresDatabase();
      proxy = holdingProxy(new URL(db.url));
      await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
      const through = new URL(db.url);
      through.port = String((proxy.server.address() as net.AddressInfo).port);
      app = await createApp(
        loadConfig({
          DATABASE_URL: through.toString(),
          PARLEY_TIMEZONE: 'Europe/Oslo',
          PARLEY_SWEEP_SECONDS: '0',
          PARLEY_RESPONSE_CACHE_SECONDS: '0',
          PARLEY_DATABASE_CONNECT_TIMEOUT_MS: '1000',
          PARLEY_DATABASE_STATEMENT_TIMEOUT_MS: '1000',
          PARLEY_AUTH_CACHE_SECONDS: '300',
        }),
        {
          logger: {
            write: (line) => {
              lines.push(JSON.parse(line));
            },
          },
        },
      );
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
      // Two more seconds of calls and job polls against the silent database.
      for (let i = 0; i < 4; i++) assert.equal((await call(app, 'ChatSessionsForUser', { auth: TJE0 })).status, 503);
      proxy.hold(false);
      const back = Date.now();
      let status = 0;
      while (status !== 200 && Date.now() - back < 10_000) {
        status = (await call(app, 'ChatSessionsForUser', { auth: TJE0 })).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(status, 200, 'served again once the database answers');
      assert.ok(Date.now() - back < 1000, `served again ${Date.now() - back} ms after the database answered`);
      // One warning for the outage and one line when it ended (once the database answered for a second without a
      // failure); no error line per call or per job poll.
      await new Promise((r) => setTimeout(r, 1100));
      assert.equal((await call(app, 'ChatSessionsForUser', { auth: TJE0 })).status, 200);
      assert.equal(lines.filter((l) => l.msg.startsWith('database unreachable')).length, 1, JSON.stringify(lines.filter((l) => l.level >= 40)));
      const ended = lines.filter((l) => l.msg === 'database reachable again');
      assert.equal(ended.length, 1);
      assert.ok((ended[0] as { failedCalls?: number }).failedCalls! >= 7);
      assert.deepEqual(
        lines.filter((l) => l.level >= 50),
        [],
      );
    });

    test('connections cut under load: calls answer 200 or 503, reads in flight run again on a fresh connection', async () => {
      const statuses: number[] = [];
      let going = true;
      const load = Promise.all(
        [1, 2, 3, 4].map(async () => {
          while (going) statuses.push((await call(app, 'ChatSessionsForUser', { auth: TJE0 })).status);
        }),
      );
      await new Promise((r) => setTimeout(r, 300));
      for (let i = 0; i < 5; i++) {
        proxy.cut();
        await new Promise((r) => setTimeout(r, 200));
      }
      const cutAt = Date.now();
      going = false;
      await load;
      assert.deepEqual(
        statuses.filter((s) => s !== 200 && s !== 503),
        [],
        'never a 500',
      );
      assert.ok(
        statuses.filter((s) => s === 200).length > statuses.length / 2,
        `mostly served: ${statuses.length} calls, ${statuses.filter((s) => s === 503).length} answered 503`,
      );
      assert.equal((await call(app, 'ChatSessionsForUser', { auth: TJE0 })).status, 200);
      assert.ok(Date.now() - cutAt < 1000);
      assert.deepEqual(
        lines.filter((l) => l.level >= 50),
        [],
      );
    });
  });
}
