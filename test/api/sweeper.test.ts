// The time-driven rules, driven by a test clock: abandoned and dead chats close, silent ones close as idle,
// unanswered ones raise their alert level once per level and notify, ended ones are marked Deleted, then purged.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sweep } from '../../src/domain/sweeper/sweep.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { call, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';

class TestClock {
  constructor(public t = Date.parse('2026-03-04T10:00:00Z')) {}
  now = () => new Date(this.t);
  advance(minutes: number) {
    this.t += minutes * 60_000;
  }
}

const SUPPORT = 1;

for (const { kind, skip } of await databaseKinds()) {
  describe(`sweeper on ${kind}`, { skip }, () => {
    let app: TestApp;
    const clock = new TestClock();
    before(async () => {
      app = await startTestApp({
        kind,
        clock,
        env: { PARLEY_DEAD_SESSION_MINUTES: '5', PARLEY_IDLE_SESSION_MINUTES: '30', PARLEY_DELETE_AFTER_HOURS: '48', PARLEY_PURGE_AFTER_HOURS: '72' },
      });
    });
    after(async () => app?.close());

    const visitor = async (method: string, body: unknown, key?: string) => {
      const r = await app.server.inject({
        method: 'POST',
        url: `/api/v1/Visitor/${method}`,
        headers: { 'content-type': 'application/json', ...(key ? { 'x-session-key': key } : {}) },
        payload: JSON.stringify(body),
      });
      return JSON.parse(r.body || 'null');
    };
    const open = async () => await visitor('OpenSession', { ChatTopicId: SUPPORT, Consented: true, CustomerName: 'Sweepy', Message: 'hello' });
    const session = async (id: number) => app.store.sessions.byId(id);
    const messages = async (id: number) => app.store.messages.forSession(id, 0);
    const runSweep = () => sweep(app.deps, app.config.sweep);

    test('a queued customer whose widget stopped fetching leaves the queue: ClosedFromQueue', async () => {
      const { SessionKey, Session } = await open();
      assert.equal(Session.Status, 'InQueue');
      clock.advance(4);
      await visitor('GetSession', {}, SessionKey); // still there
      clock.advance(4);
      await runSweep();
      assert.equal((await session(Session.ChatSessionId))!.status, 4, 'fetched 4 minutes ago: still queued');
      clock.advance(6);
      await runSweep();
      const s = (await session(Session.ChatSessionId))!;
      assert.equal(s.status, 11);
      assert.ok(s.whenEnded);
      assert.equal((await messages(s.id)).at(-1)!.specialType, 11, 'ClosedByCustomer');
    });

    test('an active chat whose customer vanished closes; one where nobody writes closes as idle', async () => {
      const gone = await open();
      const silent = await open();
      for (const o of [gone, silent]) {
        assert.equal((await call(app, 'PickUpChatSession', { auth: TJE0, body: { ChatSessionId: o.Session.ChatSessionId } })).status, 200);
      }
      // The silent chat's widget keeps polling; nobody writes.
      for (let i = 0; i < 8; i++) {
        clock.advance(4);
        await visitor('GetMessages', { After: 0 }, silent.SessionKey);
        await runSweep();
      }
      const g = (await session(gone.Session.ChatSessionId))!;
      assert.equal(g.status, 9, 'Closed');
      assert.equal(g.rank, 0);
      assert.equal((await messages(g.id)).at(-1)!.specialType, 11, 'ClosedByCustomer');
      const s = (await session(silent.Session.ChatSessionId))!;
      assert.equal(s.status, 9);
      assert.equal((await messages(s.id)).at(-1)!.specialType, 12, 'ClosedByIdle');
    });

    test('unanswered chats raise AlertLevel once per level and notify present CanNotify agents, then managers', async () => {
      await app.store.db.updateTable('chat_topics').set({ warn_new_chat_minutes: 2, warn_manager_new_chat_minutes: 5 }).where('id', '=', SUPPORT).execute();
      const o = await open();
      const id = o.Session.ChatSessionId;
      const lastEvent = await app.store.events.lastId();
      clock.advance(3);
      await visitor('GetSession', {}, o.SessionKey);
      await runSweep();
      await runSweep();
      assert.equal((await session(id))!.alertLevel, 1);
      const alerts = (await app.store.events.after(lastEvent, 100, ['chatsession.alert'])).filter((e) => e.sessionId === id);
      assert.equal(alerts.length, 1, 'raised once, however often the sweeper runs');
      const tje0 = (await app.store.associates.byUserName('tje0'))!.id;
      const adm0 = (await app.store.associates.byUserName('adm0'))!.id;
      assert.deepEqual((alerts[0].payload as any).recipients, [tje0], 'tje0 has Notifications and is present');
      clock.advance(3);
      await visitor('GetSession', {}, o.SessionKey);
      await runSweep();
      assert.equal((await session(id))!.alertLevel, 2);
      const manager = (await app.store.events.after(lastEvent, 100, ['chatsession.alert'])).filter((e) => e.sessionId === id).at(-1)!;
      assert.deepEqual((manager.payload as any).recipients, [adm0]);
      // Answering sets the alarm back.
      const picked = await call(app, 'PickUpChatSession', { auth: TJE0, body: { ChatSessionId: id } });
      assert.equal(picked.json.AlertLevel, 0);
    });

    test('an unanswered customer message raises AlertLevel for the agents with Notifications, then the managers; an answer resets it', async () => {
      await app.store.db
        .updateTable('chat_topics')
        .set({ warn_chat_message_minutes: 2, warn_manager_chat_message_minutes: 5 })
        .where('id', '=', SUPPORT)
        .execute();
      const o = await open();
      const id = o.Session.ChatSessionId;
      assert.equal((await call(app, 'PickUpChatSession', { auth: TJE0, body: { ChatSessionId: id } })).status, 200);
      await visitor('PostMessage', { Message: 'Are you there?' }, o.SessionKey);
      assert.equal((await session(id))!.status, 5, 'CustomerLast');
      const lastEvent = await app.store.events.lastId();
      const alerts = async () => (await app.store.events.after(lastEvent, 100, ['chatsession.alert'])).filter((e) => e.sessionId === id);
      clock.advance(1.5);
      await visitor('GetSession', {}, o.SessionKey);
      await runSweep();
      assert.equal((await session(id))!.alertLevel, 0, 'not yet');
      clock.advance(1);
      await visitor('GetSession', {}, o.SessionKey);
      await runSweep();
      await runSweep();
      assert.equal((await session(id))!.alertLevel, 1);
      const tje0 = (await app.store.associates.byUserName('tje0'))!.id;
      const adm0 = (await app.store.associates.byUserName('adm0'))!.id;
      assert.deepEqual(
        (await alerts()).map((e) => [(e.payload as any).alertLevel, (e.payload as any).recipients, (e.payload as any).reason]),
        [[1, [tje0], 'unansweredMessage']],
      );
      clock.advance(3);
      await visitor('GetSession', {}, o.SessionKey);
      await runSweep();
      assert.equal((await session(id))!.alertLevel, 2);
      assert.deepEqual(((await alerts()).at(-1)!.payload as any).recipients, [adm0]);
      const answered = await call(app, 'AddChatMessage', { auth: TJE0, body: { ChatSessionId: id, Message: { Message: 'Yes, sorry!' } } });
      assert.equal(answered.status, 200, answered.body);
      assert.equal((await session(id))!.alertLevel, 0, 'the answer resets the alarm');
    });

    test('both thresholds passed at once (the sweeper was down): the agents are told first, then the managers', async () => {
      const o = await open();
      const id = o.Session.ChatSessionId;
      const lastEvent = await app.store.events.lastId();
      clock.advance(4);
      await visitor('GetSession', {}, o.SessionKey);
      clock.advance(4);
      await visitor('GetSession', {}, o.SessionKey);
      await runSweep();
      const alerts = (await app.store.events.after(lastEvent, 100, ['chatsession.alert'])).filter((e) => e.sessionId === id);
      const tje0 = (await app.store.associates.byUserName('tje0'))!.id;
      const adm0 = (await app.store.associates.byUserName('adm0'))!.id;
      assert.deepEqual(
        alerts.map((e) => [(e.payload as any).alertLevel, (e.payload as any).recipients]),
        [
          [1, [tje0]],
          [2, [adm0]],
        ],
      );
      assert.equal((await session(id))!.alertLevel, 2);
    });

    test("alert candidates leave out sessions at their topic's highest level, topics that never warn and bots' sessions", async () => {
      const a = await open();
      const b = await open();
      const c = await open();
      const d = await open();
      await app.store.db.updateTable('chat_sessions').set({ alert_level: 2 }).where('id', '=', b.Session.ChatSessionId).execute();
      await app.store.db.updateTable('chat_sessions').set({ chatbot_is_active: 1 }).where('id', '=', d.Session.ChatSessionId).execute();
      const { id: _support, ...support } = (await app.store.topics.byId(SUPPORT))!;
      const quiet = await app.store.topics.insert({ ...support, name: 'Never warns', warnNewChatMinutes: 0, warnManagerNewChatMinutes: 0 });
      await app.store.db.updateTable('chat_sessions').set({ topic_id: quiet }).where('id', '=', c.Session.ChatSessionId).execute();
      clock.advance(2);
      const ids = (await app.store.sessions.alertCandidates(4 /* InQueue */, new Date(clock.t - 60_000), 500)).map((s) => s.id);
      assert.ok(ids.includes(a.Session.ChatSessionId));
      assert.ok(!ids.includes(b.Session.ChatSessionId), 'already at level 2');
      assert.ok(!ids.includes(c.Session.ChatSessionId), 'its topic never warns');
      assert.ok(!ids.includes(d.Session.ChatSessionId), 'a bot is answering it');
      for (const o of [a, b, c, d]) await visitor('End', {}, o.SessionKey);
    });

    test('ended sessions are marked Deleted after the retention, then purged with their messages', async () => {
      const o = await open();
      await visitor('End', {}, o.SessionKey);
      const id = o.Session.ChatSessionId;
      assert.equal((await session(id))!.status, 11);
      clock.advance(47 * 60);
      await runSweep();
      assert.equal((await session(id))!.status, 11);
      clock.advance(2 * 60);
      await runSweep();
      assert.equal((await session(id))!.status, 8, 'Deleted');
      clock.advance(24 * 60);
      await runSweep();
      assert.equal(await session(id), undefined);
      assert.deepEqual(await messages(id), []);
    });

    test('two sweepers at once apply each change once', async () => {
      const o = await open();
      clock.advance(10);
      await Promise.all([runSweep(), runSweep(), runSweep()]);
      const ms = (await messages(o.Session.ChatSessionId)).filter((m) => m.specialType === 11);
      assert.equal(ms.length, 1);
      assert.equal((await session(o.Session.ChatSessionId))!.status, 11);
    });
  });
}
