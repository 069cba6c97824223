// Parley started before its PostgreSQL is reachable (both booting together) waits for it and comes up on its own,
// instead of exiting.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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

    /** A forwarder to PostgreSQL on `port`: the database "comes up" there. */
    const databaseUpOn = async (port: number) => {
      const target = new URL(db!.url);
      const server = net.createServer((c) => {
        const u = net.connect(Number(target.port || 5432), target.hostname);
        c.pipe(u).pipe(c);
        c.on('error', () => u.destroy());
        u.on('error', () => c.destroy());
      });
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      return server;
    };

    test('parley serve answers at once while it waits: /health 200, /ready 503, calls 503; then serves', { timeout: 60_000 }, async () => {
      db = await createPostgresDatabase();
      const [httpPort, dbPort] = [await freePort(), await freePort()];
      const through = new URL(db.url);
      through.port = String(dbPort);
      const base: NodeJS.ProcessEnv = { ...process.env };
      for (const k of Object.keys(base)) if (k === 'DATABASE_URL' || k === 'PORT' || k === 'HOST' || k.startsWith('PARLEY_')) delete base[k];
      const root = fileURLToPath(new URL('../..', import.meta.url));
      const child: ChildProcess = spawn(process.execPath, [path.join(root, 'bin', 'parley.mjs'), 'serve'], {
        cwd: root,
        stdio: 'ignore',
        env: {
          ...base,
          PORT: String(httpPort),
          HOST: '127.0.0.1',
          DATABASE_URL: through.toString(),
          PARLEY_DATABASE_STARTUP_WAIT_SECONDS: '60',
          LOG_LEVEL: 'warn',
        },
      });
      const url = (p: string) => `http://127.0.0.1:${httpPort}${p}`;
      let server: net.Server | undefined;
      try {
        let health: Response | undefined;
        for (let i = 0; i < 100 && !health; i++)
          health = await fetch(url('/health')).catch(async () => {
            await new Promise((r) => setTimeout(r, 100));
            return undefined;
          });
        assert.equal(health?.status, 200, 'the port answers while the database is away');
        const ready = await fetch(url('/ready'));
        assert.equal(ready.status, 503);
        assert.deepEqual(await ready.json(), { Status: 'unavailable', Reason: 'waiting for the database' });
        const early = await fetch(url('/api/v1/Agents/Chat/ChatSessionsForUser'), {
          method: 'POST',
          headers: { authorization: 'Basic dGplMDpUamUw', 'content-type': 'application/json' },
          body: '{}',
        });
        assert.equal(early.status, 503);
        assert.equal(early.headers.get('retry-after'), '5');
        assert.equal((await early.json()).ErrorType, 'SoServiceUnavailableException');
        assert.equal(child.exitCode, null, 'still waiting, not exited');
        server = await databaseUpOn(dbPort);
        const up = Date.now();
        let status = 0;
        while (status !== 200 && Date.now() - up < 20_000) {
          status = (await fetch(url('/ready')).catch(() => undefined))?.status ?? 0;
          if (status !== 200) await new Promise((r) => setTimeout(r, 100));
        }
        assert.equal(status, 200, 'ready once the database answers');
        // Asked again at least every second; then the migrations and the demo data of a fresh database.
        assert.ok(Date.now() - up < 3000, `ready ${Date.now() - up} ms after the database came up`);
        const served = await fetch(url('/api/v1/Agents/Chat/ChatSessionsForUser'), {
          method: 'POST',
          headers: { authorization: 'Basic dGplMDpUamUw', 'content-type': 'application/json' },
          body: '{}',
        });
        assert.equal(served.status, 200);
      } finally {
        child.kill('SIGKILL');
        server?.close();
      }
    });

    test('the app waits for a database that comes up a second later, then serves', async () => {
      db ??= await createPostgresDatabase();
      const port = await freePort();
      const through = new URL(db.url);
      through.port = String(port);
      const starting = createApp(
        loadConfig({
          DATABASE_URL: through.toString(),
          PARLEY_TIMEZONE: 'Europe/Oslo',
          PARLEY_SWEEP_SECONDS: '0',
          PARLEY_DATABASE_STARTUP_WAIT_SECONDS: '30',
        }),
        { logger: false },
      );
      let settled = false;
      void starting.then(
        () => {
          settled = true;
        },
        () => {
          settled = true;
        },
      );
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal(settled, false, 'still waiting, not exited');
      proxy = await databaseUpOn(port);
      app = await starting;
      const res = await app.server.inject({ method: 'GET', url: '/ready' });
      assert.equal(res.statusCode, 200, res.body);
    });
  });
}
