// PostgreSQL ends a connection Parley holds checked out (a webhook delivery waiting on its receiver, an advisory
// lock, a poll): the process must live on, the work on that connection fails, and the pool serves the next call.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { databaseKinds, PG_ADMIN_URL } from '../helpers/databases.ts';
import { call, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';

for (const { kind, skip } of (await databaseKinds()).filter((k) => k.kind === 'postgres')) {
  describe(`A checked-out connection lost on ${kind}`, { skip }, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp({ kind });
    });
    after(async () => app?.close());

    const terminate = async (pid: number) => {
      const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
      await admin.connect();
      await admin.query('select pg_terminate_backend($1)', [pid]);
      await admin.end();
    };

    test('a read whose connection ends under it is read again on a fresh connection', async () => {
      const marker = `read-again-${Date.now()}`;
      const read = sql<{ answer: number }>`select pg_sleep(0.5), 42 as answer, ${marker}::text as marker`.execute(app.store.db);
      let pid: number | undefined;
      const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
      await admin.connect();
      for (let i = 0; i < 40 && pid === undefined; i++) {
        const { rows } = await admin.query(
          `select pid from pg_stat_activity where query like '%pg_sleep(0.5)%' and pid <> pg_backend_pid() and state = 'active'`,
        );
        pid = rows[0]?.pid;
        if (pid === undefined) await new Promise((r) => setTimeout(r, 10));
      }
      await admin.end();
      assert.ok(pid, 'the read is running');
      await terminate(pid);
      const { rows } = await read;
      assert.equal(rows[0].answer, 42);
    });

    test('a transaction whose connection ends before COMMIT runs once more, and writes once', async () => {
      const before = await app.store.db.selectFrom('data_version').select('version').where('id', '=', 1).executeTakeFirstOrThrow();
      let runs = 0;
      const result = await app.store.transaction(async (s) => {
        runs++;
        await sql`update data_version set version = version + 1 where id = 1`.execute((s as typeof app.store).db);
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute((s as typeof app.store).db);
        if (runs === 1) await terminate(rows[0].pid);
        await sql`select 1`.execute((s as typeof app.store).db);
        return 'done';
      });
      assert.equal(result, 'done');
      assert.equal(runs, 2, 'the work ran again after the loss');
      const after = await app.store.db.selectFrom('data_version').select('version').where('id', '=', 1).executeTakeFirstOrThrow();
      assert.equal(Number(after.version), Number(before.version) + 1, 'the first attempt wrote nothing; the second wrote once');
    });

    test('pg_terminate_backend on a held connection fails its work, not the process; the next calls are served', async () => {
      const held = app.store.db.connection().execute(async (conn) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(conn);
        const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
        await admin.connect();
        await admin.query('select pg_terminate_backend($1)', [rows[0].pid]);
        await admin.end();
        // Idle while checked out, as a delivery waiting on a slow receiver: the end arrives as an 'error' event.
        await new Promise((r) => setTimeout(r, 300));
        // A write: unlike a read, it is not sent again on its own.
        await sql`update data_version set version = version where id = 1`.execute(conn);
      });
      await assert.rejects(held, 'the work on the lost connection fails');
      for (let i = 0; i < 3; i++) {
        const res = await call(app, 'ChatSessionsForUser', { auth: TJE0 });
        assert.equal(res.status, 200, res.body);
      }
    });
  });
}
