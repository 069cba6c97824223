// The report facts stay true to the live tables whatever writes them: repositories, plain SQL, deletes; a report
// counts every change committed before it, and concurrent refreshes agree.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ChatMessageSpecialType, ChatMessageType, ChatSessionStatus as S } from '../../src/domain/enums.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { reportedSession as build } from '../helpers/factories.ts';
import { ADM0, call, startTestApp, type TestApp } from '../helpers/test-app.ts';

const SUPPORT = 1;
const MARCH = { From: '2024-03-01', To: '2024-04-01' };

for (const { kind, skip } of await databaseKinds()) {
  describe(`report facts on ${kind}`, { skip }, () => {
    let app: TestApp;
    let tje0: number;
    const summary = async () => {
      const res = await call(app, '/api/v1/Parley/Reports/Summary', { auth: ADM0, body: MARCH, headers: { 'so-timezone': 'UTC' } });
      assert.equal(res.status, 200, res.body);
      return res.json;
    };
    const queued = async () =>
      Number(
        (
          await app.store.db
            .selectFrom('report_dirty')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    before(async () => {
      app = await startTestApp({ kind });
      tje0 = (await app.store.associates.list()).find((a) => a.userName === 'tje0')?.id as number;
    });
    after(async () => app?.close());

    test('changes by repositories and by plain SQL reach the next report; the queue is empty after it', async () => {
      const id = await build(app, { topicId: SUPPORT, userId: tje0, status: S.Finished, requested: '2024-03-04T08:00:00Z', started: 60, ended: 600 });
      let s = await summary();
      assert.deepEqual([s.Requested, s.Answered, s.WaitMedian, s.Ratings, s.Transfers], [1, 1, 60, 0, 0]);
      assert.equal(await queued(), 0);
      await app.store.db.updateTable('chat_sessions').set({ rating: 4 }).where('id', '=', id).execute();
      await app.store.messages.insert({
        sessionId: id,
        type: ChatMessageType.Special,
        author: 'x',
        message: 'x',
        readByCustomer: 1,
        specialType: ChatMessageSpecialType.TransferedSession,
        specialParam: '',
        whenPosted: new Date('2024-03-04T08:02:00Z'),
        createdBy: tje0,
      });
      s = await summary();
      assert.deepEqual([s.Requested, s.Ratings, s.RatingAverage, s.Transfers], [1, 1, 4, 1]);
      // Picked up 30 s later than recorded: the wait follows.
      await app.store.db.updateTable('chat_sessions').set({ when_started: '2024-03-04T08:01:30.000Z' }).where('id', '=', id).execute();
      assert.equal((await summary()).WaitMedian, 90);
      await app.store.db
        .deleteFrom('chat_messages')
        .where('session_id', '=', id)
        .where('special_type', '=', ChatMessageSpecialType.TransferedSession)
        .execute();
      assert.equal((await summary()).Transfers, 0);
    });

    test('a long queue is worked off a batch at a time, letting other work in between (SQLite answers synchronously)', async () => {
      // In February: the March figures of the other tests stay as they are.
      const id = await build(app, { topicId: SUPPORT, userId: tje0, status: S.Finished, requested: '2024-02-07T08:00:00Z', started: 60, ended: 600 });
      await app.store.reports.refresh();
      // A backfill in small: one session queued 1,000 times (five batches).
      await app.store.db
        .insertInto('report_dirty')
        .values(Array.from({ length: 1000 }, () => ({ session_id: id })))
        .execute();
      let turns = 0;
      let refreshing = true;
      const spin = () => {
        if (!refreshing) return;
        turns++;
        setImmediate(spin);
      };
      setImmediate(spin);
      assert.equal(await app.store.reports.refresh(), 1000);
      refreshing = false;
      assert.ok(turns >= 4, `the event loop turned ${turns} times during the refresh: a request waiting would have waited for all of it`);
      assert.equal(await queued(), 0);
    });

    test('a Deleted session leaves at once, a deleted one with its row; concurrent refreshes agree', async () => {
      const gone = await build(app, { topicId: SUPPORT, userId: null, status: S.ClosedFromQueue, requested: '2024-03-05T08:00:00Z', ended: 100 });
      const marked = await build(app, { topicId: SUPPORT, userId: null, status: S.ClosedFromQueue, requested: '2024-03-06T08:00:00Z', ended: 100 });
      assert.deepEqual([(await summary()).Requested, (await summary()).Missed], [3, 2]);
      await app.store.db.updateTable('chat_sessions').set({ status: S.Deleted }).where('id', '=', marked).execute();
      await app.store.db.deleteFrom('chat_messages').where('session_id', '=', gone).execute();
      await app.store.db.deleteFrom('chat_sessions').where('id', '=', gone).execute();
      const refreshed = await Promise.all([app.store.reports.refresh(), app.store.reports.refresh(), app.store.reports.refresh()]);
      assert.ok(
        refreshed.some((n) => n > 0),
        'one of them took the queue',
      );
      assert.equal(await queued(), 0);
      const s = await summary();
      assert.deepEqual([s.Requested, s.Missed], [1, 0]);
      const rows = await app.store.db.selectFrom('report_facts').select('session_id').where('session_id', 'in', [gone, marked]).execute();
      assert.deepEqual(rows, [], 'no row is left of the deleted or the Deleted session');
    });
  });
}
