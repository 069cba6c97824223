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
    before(async () => { app = await startTestApp({ kind }); });
    after(async () => app?.close());

    test('pg_terminate_backend on a held connection fails its work, not the process; the next calls are served', async () => {
      const held = app.store.db.connection().execute(async (conn) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(conn);
        const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
        await admin.connect();
        await admin.query('select pg_terminate_backend($1)', [rows[0].pid]);
        await admin.end();
        // Idle while checked out, as a delivery waiting on a slow receiver: the end arrives as an 'error' event.
        await new Promise((r) => setTimeout(r, 300));
        await sql`select 1`.execute(conn);
      });
      await assert.rejects(held, 'the work on the lost connection fails');
      for (let i = 0; i < 3; i++) {
        const res = await call(app, 'ChatSessionsForUser', { auth: TJE0 });
        assert.equal(res.status, 200, res.body);
      }
    });
  });
}
