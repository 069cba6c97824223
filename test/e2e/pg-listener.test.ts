// The PostgreSQL LISTEN connection: after the server drops it (restart, failover, pg_terminate_backend) it comes
// back quickly every time, not slower with each drop, and catches up on what committed meanwhile.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { PgEventListener } from '../../src/push/pg-listener.ts';
import { createPostgresDatabase, databaseKinds, type TestDatabase } from '../helpers/databases.ts';

const kinds = (await databaseKinds()).filter((k) => k.kind === 'postgres');

for (const { skip } of kinds) {
  describe('PostgreSQL event listener', { skip }, () => {
    let db: TestDatabase;
    let admin: pg.Client;
    before(async () => {
      db = await createPostgresDatabase();
      admin = new pg.Client({ connectionString: db.url });
      await admin.connect();
    });
    after(async () => {
      await admin?.end();
      await db?.drop();
    });

    const listenerPid = async () => {
      for (let i = 0; i < 100; i++) {
        const r = await admin.query(`select pid from pg_stat_activity where datname = current_database() and query = 'listen parley_events'`);
        if (r.rows.length) return Number(r.rows[0].pid);
        await new Promise((res) => setTimeout(res, 20));
      }
      throw new Error('the listener did not connect');
    };

    test('every drop is followed by a quick reconnect and a catch-up wake; notifications arrive', async () => {
      let wakes = 0;
      const errors: unknown[] = [];
      const listener = new PgEventListener(
        db.url,
        () => {
          wakes++;
        },
        (err) => errors.push(err),
      );
      await listener.start();
      try {
        assert.equal(wakes, 1, 'a catch-up wake once listening');
        for (let drop = 1; drop <= 5; drop++) {
          const pid = await listenerPid();
          const woken: number = wakes;
          const t0 = Date.now();
          await admin.query('select pg_terminate_backend($1)', [pid]);
          while (wakes === woken && Date.now() - t0 < 5000) await new Promise((res) => setTimeout(res, 10));
          const took = Date.now() - t0;
          assert.ok(wakes > woken, `reconnected after drop ${drop}`);
          // Growing back-off would take 250 * 2^(drop-1) ms: 4 s by the fifth drop.
          assert.ok(took < 3000, `drop ${drop}: back listening after ${took} ms`);
        }
        assert.ok(errors.length >= 1, 'the drops were reported');
        const n = wakes;
        await admin.query(`select pg_notify('parley_events', '1')`);
        for (let i = 0; i < 100 && wakes === n; i++) await new Promise((res) => setTimeout(res, 10));
        assert.equal(wakes, n + 1, 'a notification wakes it');
      } finally {
        await listener.stop();
      }
    });

    test('stop() while connecting leaves no LISTEN connection behind', async () => {
      const listener = new PgEventListener(
        db.url,
        () => {},
        () => {},
      );
      const starting = listener.start();
      await listener.stop();
      await starting;
      await new Promise((res) => setTimeout(res, 200));
      const r = await admin.query(`select count(*)::int as n from pg_stat_activity where datname = current_database() and query = 'listen parley_events'`);
      assert.equal(r.rows[0].n, 0);
    });
  });
}
