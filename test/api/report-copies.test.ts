// Each instance reports from its own in-memory copy of the facts: two instances on one database, and every change
// made through one (repositories, plain SQL, a deleted session without messages, a missed routing offer) reaches the
// other's next report; a copy that fell behind the pruned end of the log loads anew; the log is pruned; an idle copy
// is let go.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { type App, createApp, randomKeys } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { ReportRefresher } from '../../src/jobs/report-refresher.ts';
import { fillDemoData } from '../../src/demo/demo-data.ts';
import { ChatSessionStatus as S } from '../../src/domain/enums.ts';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { reportedSession } from '../helpers/factories.ts';
import { ADM0, call, type TestApp } from '../helpers/test-app.ts';

const SUPPORT = 1;
const APRIL = { From: '2024-04-01', To: '2024-05-01' };

for (const { kind, skip } of await databaseKinds()) {
  describe(`each instance's copy of the report facts on ${kind}`, { skip }, () => {
    let testDb: TestDatabase;
    let writer: App;
    let reader: App;
    let tje0: number;
    let ann1: number;

    const start = (url: string) =>
      createApp(loadConfig({ DATABASE_URL: url, PARLEY_TIMEZONE: 'Europe/Oslo', PARLEY_SWEEP_SECONDS: '0', PARLEY_SHUTDOWN_LINGER_MS: '0' }), {
        logger: false,
      });
    const summary = async (app: App, body: Record<string, unknown> = APRIL) => {
      const res = await call(app, '/api/v1/Parley/Reports/Summary', { auth: ADM0, body, headers: { 'so-timezone': 'UTC' } });
      assert.equal(res.status, 200, res.body);
      return res.json;
    };
    const build = (b: Parameters<typeof reportedSession>[1]) => reportedSession(writer as TestApp, b);

    before(async () => {
      if (kind === 'sqlite') {
        const dir = mkdtempSync(path.join(tmpdir(), 'parley-report-copies-'));
        testDb = { kind, url: `sqlite:${path.join(dir, 'parley.db')}`, drop: async () => {} };
      } else {
        testDb = await openTestDatabase(kind);
      }
      writer = await start(testDb.url);
      reader = await start(testDb.url);
      await fillDemoData(writer.store, new Date(), randomKeys.sessionKey);
      tje0 = (await writer.store.associates.byUserName('tje0'))?.id as number;
      ann1 = (await writer.store.associates.byUserName('ann1'))?.id as number;
    });
    after(async () => {
      await reader?.close();
      await writer?.close();
      await testDb?.drop();
    });

    test("changes made through one instance reach the other's next report", async () => {
      assert.equal((await summary(reader)).Requested, 0, 'the reader has loaded its copy');
      const id = await build({ topicId: SUPPORT, userId: tje0, status: S.Finished, requested: '2024-04-02T08:00:00Z', started: 30, ended: 300 });
      const bare = await build({ topicId: SUPPORT, userId: null, status: S.ClosedFromQueue, requested: '2024-04-03T08:00:00Z', ended: 60 });
      // The writer refreshes (its background job would): the reader's copy follows the log, not the queue.
      await writer.store.reports.refresh();
      let s = await summary(reader);
      assert.deepEqual([s.Requested, s.Answered, s.Missed, s.WaitMedian], [2, 1, 1, 30]);

      await writer.store.db.updateTable('chat_sessions').set({ rating: 5 }).where('id', '=', id).execute();
      await writer.store.db
        .insertInto('routing_declines')
        .values({ session_id: id, associate_id: ann1, outcome: 'timedOut', at: '2024-04-02T08:00:10.000Z' })
        .execute();
      s = await summary(reader);
      assert.deepEqual([s.Ratings, s.RatingAverage, s.OffersTimedOut, s.OffersDeclined], [1, 5, 1, 0]);

      await writer.store.db.updateTable('routing_declines').set({ outcome: 'declined' }).where('session_id', '=', id).execute();
      s = await summary(reader);
      assert.deepEqual([s.OffersTimedOut, s.OffersDeclined], [0, 1], "an offer's changed outcome");

      // A session without a single message, deleted by plain SQL: its facts row goes by cascade, and the copy follows.
      assert.equal(await writer.store.db.selectFrom('chat_messages').select('id').where('session_id', '=', bare).executeTakeFirst(), undefined);
      await writer.store.db.deleteFrom('chat_sessions').where('id', '=', bare).execute();
      s = await summary(reader);
      assert.deepEqual([s.Requested, s.Missed], [1, 0]);
      await writer.store.db.deleteFrom('routing_declines').where('session_id', '=', id).execute();
      assert.equal((await summary(reader)).OffersDeclined, 0);
    });

    test('a copy behind the pruned end of the log loads anew', async () => {
      await summary(reader);
      const id = await build({ topicId: SUPPORT, userId: tje0, status: S.Finished, requested: '2024-04-10T08:00:00Z', started: 50, ended: 500 });
      await writer.store.reports.refresh();
      // Pruned past what the reader has read, as the refresher does beyond 100,000 entries: the change is no longer
      // in the log, so only a full load can find it.
      const newest = Number(
        (
          await writer.store.db
            .selectFrom('report_changes')
            .select((eb) => eb.fn.max('seq').as('seq'))
            .executeTakeFirstOrThrow()
        ).seq,
      );
      await writer.store.db.deleteFrom('report_changes').where('seq', '<=', newest).execute();
      await writer.store.db.updateTable('report_changes_pruned').set({ through: newest }).execute();
      const s = await summary(reader);
      assert.equal(s.Requested, 2);
      assert.equal((await summary(reader, { From: '2024-04-10', To: '2024-04-11' })).WaitMedian, 50);
      await writer.store.db.deleteFrom('chat_messages').where('session_id', '=', id).execute();
      await writer.store.db.deleteFrom('chat_sessions').where('id', '=', id).execute();
      assert.equal((await summary(reader)).Requested, 1, 'and follows the log again after it');
    });

    test('the copy shows in /metrics, and is let go once idle; the next report loads it anew', async () => {
      const memory = async () => {
        const text = (await reader.server.inject({ method: 'GET', url: '/metrics' })).body;
        const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
        return [value('parley_report_memory_sessions'), value('parley_report_memory_bytes')];
      };
      const requested = (await summary(reader)).Requested;
      const facts = Number(
        (
          await reader.store.db
            .selectFrom('report_facts')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      let [sessions, bytes] = await memory();
      assert.equal(sessions, facts, 'every facts row is in the copy');
      assert.ok(bytes > 0);
      reader.store.reports.releaseIdle(60_000);
      assert.equal((await memory())[0], facts, 'asked for a moment ago: kept');
      reader.store.reports.releaseIdle(0);
      [sessions, bytes] = await memory();
      assert.deepEqual([sessions, bytes], [0, 0]);
      await reader.store.reports.refresh();
      assert.equal((await memory())[0], 0, 'a refresh does not load a copy let go');
      await build({ topicId: SUPPORT, userId: tje0, status: S.Finished, requested: '2024-04-25T08:00:00Z', started: 5, ended: 50 });
      assert.equal((await summary(reader)).Requested, requested + 1);
      assert.equal((await memory())[0], facts + 1);
    });

    test('the background job loads the copy and keeps it (idle minutes 0), or lets it go once idle', async () => {
      const log = { error: (err: unknown) => assert.fail(String(err)), debug: () => {} };
      const held = () => reader.store.reports.held().sessions;
      reader.store.reports.releaseIdle(0);
      assert.equal(held(), 0);
      await new ReportRefresher(reader.store.reports, 0, 0, log).runOnce();
      const loaded = held();
      assert.ok(loaded > 0, 'loaded by the job, before any report');
      const id = await build({ topicId: SUPPORT, userId: tje0, status: S.Finished, requested: '2024-04-26T08:00:00Z', started: 5, ended: 50 });
      await new ReportRefresher(reader.store.reports, 0, 0, log).runOnce();
      assert.equal(held(), loaded + 1, 'and kept current');
      await new ReportRefresher(reader.store.reports, 0, 60, log).runOnce();
      assert.equal(held(), loaded + 1, 'a report asked for it a moment ago (the earlier tests): not idle yet');
      // As far as the copy can tell, the last report asked for it 61 minutes ago.
      const realNow = Date.now;
      Date.now = () => realNow() + 61 * 60_000;
      try {
        await new ReportRefresher(reader.store.reports, 0, 60, log).runOnce();
      } finally {
        Date.now = realNow;
      }
      assert.equal(held(), 0, 'let go after an hour without a report');
      await writer.store.db.deleteFrom('chat_messages').where('session_id', '=', id).execute();
      await writer.store.db.deleteFrom('chat_sessions').where('id', '=', id).execute();
    });

    test('the refresher keeps the newest 100,000 log entries and notes how far it pruned', async () => {
      const requested = (await summary(reader)).Requested;
      const before = Number((await writer.store.db.selectFrom('report_changes_pruned').select('through').executeTakeFirstOrThrow()).through);
      const series =
        kind === 'postgres'
          ? sql`insert into report_changes (session_id) select 1 from generate_series(1, 100500)`
          : sql`insert into report_changes (session_id) with recursive n(i) as (select 1 union all select i + 1 from n where i < 100500) select 1 from n`;
      await series.execute(writer.store.db);
      await build({ topicId: SUPPORT, userId: tje0, status: S.Finished, requested: '2024-04-20T08:00:00Z', started: 5, ended: 50 });
      await writer.store.reports.refresh();
      const left = await writer.store.db
        .selectFrom('report_changes')
        .select((eb) => [eb.fn.countAll().as('n'), eb.fn.min('seq').as('oldest'), eb.fn.max('seq').as('newest')])
        .executeTakeFirstOrThrow();
      const through = Number((await writer.store.db.selectFrom('report_changes_pruned').select('through').executeTakeFirstOrThrow()).through);
      assert.equal(Number(left.n), 100_000);
      assert.equal(through, Number(left.newest) - 100_000);
      assert.ok(through > before && Number(left.oldest) > through);
      // The reader was behind the pruned end: it loads anew and counts the new session.
      assert.equal((await summary(reader)).Requested, requested + 1);
    });
  });
}
