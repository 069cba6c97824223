// Parley started before its PostgreSQL is reachable (both booting together) waits for it and comes up on its own,
// instead of exiting.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, describe, test } from 'node:test';
import { createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createPostgresDatabase, databaseKinds, type TestDatabase } from '../helpers/databases.ts';

/** A port nothing listens on (yet). */
async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

for (const { kind, skip } of (await databaseKinds()).filter((k) => k.kind === 'postgres')) {
  describe(`Start before the database on ${kind}`, { skip }, () => {
    let db: TestDatabase | undefined;
    let app: App | undefined;
    let proxy: net.Server | undefined;
    after(async () => {
      await app?.close();
      proxy?.close();
      await db?.drop();
    });

    test('the app waits for a database that comes up a second later, then serves', async () => {
      db = await createPostgresDatabase();
      const target = new URL(db.url);
      const port = await freePort();
      const through = new URL(db.url);
      through.port = String(port);
      const starting = createApp(loadConfig({
        DATABASE_URL: through.toString(), PARLEY_TIMEZONE: 'Europe/Oslo', PARLEY_SWEEP_SECONDS: '0', PARLEY_DATABASE_STARTUP_WAIT_SECONDS: '30',
      }), { logger: false });
      let settled = false;
      void starting.then(() => { settled = true; }, () => { settled = true; });
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal(settled, false, 'still waiting, not exited');
      // The database "comes up": a forwarder on the port Parley was told.
      proxy = net.createServer((c) => {
        const u = net.connect(Number(target.port || 5432), target.hostname);
        c.pipe(u).pipe(c);
        c.on('error', () => u.destroy());
        u.on('error', () => c.destroy());
      });
      await new Promise<void>((resolve) => proxy!.listen(port, '127.0.0.1', resolve));
      app = await starting;
      const res = await app.server.inject({ method: 'GET', url: '/ready' });
      assert.equal(res.statusCode, 200, res.body);
    });
  });
}
