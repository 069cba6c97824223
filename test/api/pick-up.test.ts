// Picking up chats: one session by id, the first of the caller's queues, and the races between responders.
// The demo users and topics these tests rely on, and the helpers they share: test/helpers/life-cycle-kit.ts;
// each test makes its sessions with test/helpers/factories.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ChatSessionStatus } from '../../src/domain/enums.ts';
import type { Session } from '../../src/domain/types.ts';
import { ADM0, ANN1, call, DEU4, OLA2, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { activeSession, endedSession, fromCustomer, nextRank, preQueueSession, queuedSession } from '../helpers/factories.ts';

import {
  SUPPORT,
  OFFSET_DATE,
  userIds,
  pickUp,
  pickUpFirst,
  getSession,
  messages,
  create,
  save,
  queued,
  specials,
  SALES,
  SWEDEN,
  BOT_LAB,
} from '../helpers/life-cycle-kit.ts';

/** A topic's queue as PickUpFirstChatSession serves it (ids): no bot sessions, the oldest request first, then the lowest id. */
async function queueOf(app: TestApp, topicId: number, memberId: number) {
  const requested = (s: Session) => s.whenRequested?.getTime() ?? 0;
  return (await app.store.sessions.forMember(memberId, null))
    .filter((s) => s.topicId === topicId && s.status === ChatSessionStatus.InQueue && !s.chatbotIsActive)
    .sort((a, b) => requested(a) - requested(b) || a.id - b.id)
    .map((s) => s.id);
}

for (const { kind, skip } of await databaseKinds()) {
  describe(`PickUpChatSession on ${kind}`, { skip }, () => {
    let app: TestApp;
    let ids: Record<string, number>;
    before(async () => {
      app = await startTestApp({ kind });
      ids = await userIds(app);
    });
    after(async () => app?.close());

    test('a responder answers a queued session: owner, WhenStarted, welcome message, UserLast', async () => {
      const id = await queuedSession(app, SUPPORT, {
        customerName: 'Kari Nordmann',
        lines: [fromCustomer('Kari Nordmann', 'My widget order has not arrived')],
      });
      await activeSession(app, SUPPORT, ids.ann1);
      const rank = await nextRank(app, ids.ann1);
      const started = Date.now();
      const res = await pickUp(app, ANN1, id);
      assert.equal(res.status, 200, res.body);
      const s = res.json;
      assert.equal(s.ChatSessionId, id);
      assert.equal(s.User.UserName, 'ann1');
      assert.equal(s.Status, 'UserLast', "the welcome message is the agent's first answer");
      assert.match(s.WhenStarted, OFFSET_DATE);
      assert.ok(Math.abs(Date.parse(s.WhenStarted) - started) < 60_000);
      assert.equal(s.WhenEnded, null);
      assert.equal(s.TransferTo, null);
      assert.equal(s.Rank, rank, 'the lowest rank ann1, who already has a chat, holds free');
      assert.equal(s.FirstMessage, 'My widget order has not arrived', 'system lines are not the conversation');
      assert.deepEqual(await getSession(app, ANN1, id), s);

      const raw = (await messages(app, ANN1, id)).json;
      const welcome = raw.at(-1);
      assert.equal(welcome.SpecialType, 'Welcome');
      assert.equal(welcome.Type, 'ToCustomer');
      assert.equal(welcome.Author, 'Anne Berg');
      assert.equal(welcome.Message, '[SR_PARLEY_WELCOME]', 'no language asked for: the resource comes back raw');
      assert.equal(specials(raw, 'Welcome').length, 1);
      const en = (await messages(app, ANN1, id, 0, { 'Accept-Language': 'en' })).json.at(-1);
      assert.equal(en.Message, 'Hi! How can we help you today?');
      const nb = (await messages(app, ANN1, id, 0, { 'Accept-Language': 'nb' })).json.at(-1);
      assert.equal(nb.Message, 'Hei! Hva kan vi hjelpe deg med i dag?');
    });

    test("the topic's LastAccept is updated", async () => {
      const before = (await app.store.topics.byId(SUPPORT))!.lastAccept;
      const t0 = Date.now();
      assert.equal((await pickUp(app, TJE0, await queued(app))).status, 200);
      const lastAccept = (await app.store.topics.byId(SUPPORT))!.lastAccept;
      assert.ok(lastAccept instanceof Date);
      assert.notEqual(lastAccept.getTime(), before?.getTime());
      assert.ok(Math.abs(lastAccept.getTime() - t0) < 60_000);
      const topic = (await call(app, 'GetChatTopicEntity', { auth: TJE0, query: `chatTopicEntityId=${SUPPORT}` })).json;
      assert.match(topic.LastAccept, OFFSET_DATE);
    });

    test('a session no longer in the queue answers 200 null and is left alone', async () => {
      const id = await queued(app);
      assert.equal((await pickUp(app, TJE0, id)).json.User.UserName, 'tje0');
      const again = await pickUp(app, ANN1, id);
      assert.equal(again.status, 200);
      assert.equal(again.body, 'null');
      const s = await getSession(app, TJE0, id);
      assert.equal(s.User.UserName, 'tje0');
      assert.equal(specials((await messages(app, TJE0, id)).json, 'Welcome').length, 1, 'no second welcome');
      const others: Array<[string, number]> = [
        ['active', await activeSession(app, SUPPORT, ids.tje0)],
        ['Finished', await endedSession(app, SUPPORT, ids.tje0, ChatSessionStatus.Finished)],
        ['OfflineForm', await preQueueSession(app, SUPPORT, ChatSessionStatus.OfflineForm)],
        ['Faq', await preQueueSession(app, SUPPORT, ChatSessionStatus.Faq)],
        ['Closed', await endedSession(app, SUPPORT, ids.ann1, ChatSessionStatus.Closed)],
      ];
      for (const [what, other] of others) {
        const res = await pickUp(app, TJE0, other);
        assert.equal(res.status, 200, what);
        assert.equal(res.json, null, what);
      }
      assert.equal((await pickUp(app, TJE0, 987654)).json, null, 'an unknown session');
    });

    test('a listener gets 403; a non-member gets null; both leave the session queued', async () => {
      const perHansen = await queuedSession(app, SALES);
      const listener = await pickUp(app, TJE0, perHansen);
      assert.equal(listener.status, 403);
      assert.equal(listener.json.ErrorType, 'SoAccessDeniedException');
      const kari = await queued(app);
      const outsider = await pickUp(app, DEU4, kari);
      assert.equal(outsider.status, 200);
      assert.equal(outsider.json, null);
      assert.equal((await getSession(app, OLA2, perHansen)).Status, 'InQueue');
      assert.equal((await getSession(app, TJE0, kari)).Status, 'InQueue');
    });

    test('managers and administrators may pick up', async () => {
      const res = await pickUp(app, ADM0, await queued(app));
      assert.equal(res.json.User.UserName, 'adm0');
      assert.equal(res.json.Rank, 1);
    });

    test('a session a bot is handling is not picked up', async () => {
      const bot = (await create(app, ADM0, BOT_LAB)).json;
      assert.equal(bot.Status, 'InQueue');
      assert.equal(bot.ChatbotIsActive, true);
      const res = await pickUp(app, ADM0, bot.ChatSessionId);
      assert.equal(res.status, 200);
      assert.equal(res.json, null);
      const after = await getSession(app, ADM0, bot.ChatSessionId);
      assert.equal(after.User, null);
      assert.equal(after.Status, 'InQueue');
    });

    test("a topic without a welcome message: the session waits for the agent's first answer (CustomerLast)", async () => {
      await app.store.db.updateTable('chat_topics').set({ welcome_message: '' }).where('id', '=', SUPPORT).execute();
      try {
        const id = await queued(app);
        const res = await pickUp(app, TJE0, id);
        assert.equal(res.json.Status, 'CustomerLast');
        assert.equal(specials((await messages(app, TJE0, id)).json, 'Welcome').length, 0);
      } finally {
        await app.store.db.updateTable('chat_topics').set({ welcome_message: '[SR_PARLEY_WELCOME]' }).where('id', '=', SUPPORT).execute();
      }
    });

    test("Rank: the lowest free positive number among the agent's active sessions; freed numbers are reused", async () => {
      // A fresh agent with no sessions: ranks 1, 2, 3; ending the second frees 2 for the next pick-up.
      const { hashPassword } = await import('../../src/auth/passwords.ts');
      const rid = await app.store.associates.insert(
        { userName: 'rnk9', fullName: 'Rita Rank', passwordHash: await hashPassword('Rnk9'), isAdmin: false, present: true },
        new Date(),
      );
      await app.store.topicAgents.upsert({ topicId: SUPPORT, associateId: rid, canRespond: true, canListen: false, canManage: false, canNotify: false });
      const RNK9 = `Basic ${Buffer.from('rnk9:Rnk9').toString('base64')}`;
      const s1 = (await pickUp(app, RNK9, await queued(app))).json;
      const s2 = (await pickUp(app, RNK9, await queued(app))).json;
      const s3 = (await pickUp(app, RNK9, await queued(app))).json;
      assert.deepEqual([s1.Rank, s2.Rank, s3.Rank], [1, 2, 3]);
      const ended = await save(app, RNK9, { ChatSessionId: s2.ChatSessionId, TopicId: SUPPORT, Status: 'Finished' });
      assert.equal(ended.status, 200, ended.body);
      assert.equal(ended.json.Rank, 0);
      const s4 = (await pickUp(app, RNK9, await queued(app))).json;
      assert.equal(s4.Rank, 2, 'the freed 2 is reused');
      const s5 = (await pickUp(app, RNK9, await queued(app))).json;
      assert.equal(s5.Rank, 4);
      // Ranks are per agent: tje0's and ann1's ranks 1 and 2 did not count.
      const ranks = (await app.store.sessions.activeRanks(rid)).sort();
      assert.deepEqual(ranks, [1, 2, 3, 4]);
    });

    test('a missing or non-numeric ChatSessionId is a 400; anonymous callers get 401', async () => {
      for (const body of [{}, { ChatSessionId: 'x' }, { ChatSessionId: null }]) {
        assert.equal((await call(app, 'PickUpChatSession', { auth: TJE0, body })).status, 400, JSON.stringify(body));
      }
      assert.equal((await pickUp(app, '', 1)).status, 401);
    });
  });

  describe(`PickUpFirstChatSession on ${kind}`, { skip }, () => {
    let app: TestApp;
    let ids: Record<string, number>;
    before(async () => {
      app = await startTestApp({ kind });
      ids = await userIds(app);
    });
    after(async () => app?.close());

    test('oldest first by WhenRequested, only in topics where the caller can respond; an empty queue is null', async () => {
      const sales = await queuedSession(app, SALES);
      const sweden = await queuedSession(app, SWEDEN);
      const swedenQueued = await app.store.sessions.countInQueue(SWEDEN);
      // Requested an hour ago but stored last: the oldest request wins, not the lowest id.
      const late = await queuedSession(app, SUPPORT, { customerName: 'Late', whenRequested: new Date(Date.now() - 60_000) });
      const early = await queuedSession(app, SUPPORT, { customerName: 'Early bird', whenRequested: new Date(Date.now() - 3_600_000) });
      const expected = await queueOf(app, SUPPORT, ids.tje0);
      const order: number[] = [];
      for (;;) {
        const res = await pickUpFirst(app, TJE0);
        assert.equal(res.status, 200, res.body);
        if (res.json === null) break;
        assert.equal(res.json.User.UserName, 'tje0');
        assert.equal(res.json.Status, 'UserLast');
        assert.ok(res.json.WhenStarted);
        assert.equal(res.json.TopicId, SUPPORT, 'tje0 only listens in Salg and is only notified in Support Sverige');
        order.push(res.json.ChatSessionId);
        assert.ok(order.length < 10);
      }
      assert.deepEqual(order, expected);
      assert.ok(order.indexOf(early) < order.indexOf(late), 'requested earlier, stored later: picked up first');
      assert.equal((await getSession(app, TJE0, early)).User.UserName, 'tje0');
      const welcome = (await messages(app, TJE0, early)).json.at(-1);
      assert.equal(welcome.SpecialType, 'Welcome');
      // The others' queues are untouched.
      assert.equal((await getSession(app, OLA2, sales)).Status, 'InQueue');
      assert.equal((await app.store.sessions.byId(sweden))?.status, ChatSessionStatus.InQueue);
      assert.equal(await app.store.sessions.countInQueue(SWEDEN), swedenQueued);
      assert.equal((await pickUpFirst(app, ANN1)).json, null, 'the Support queue is empty now');
    });

    test('a manager picks up from the topics they manage; a user with no such topic gets null', async () => {
      await queuedSession(app, SALES);
      const [first] = await queueOf(app, SALES, ids.ola2);
      const rank = await nextRank(app, ids.ola2);
      const res = await pickUpFirst(app, OLA2);
      assert.equal(res.json.ChatSessionId, first, 'the first in the Salg queue, which ola2 manages');
      assert.equal(res.json.TopicId, SALES);
      assert.equal(res.json.Rank, rank, 'the lowest rank ola2 holds free');
      const none = await pickUpFirst(app, DEU4);
      assert.equal(none.status, 200);
      assert.equal(none.body, 'null');
    });

    test('sessions a bot is handling are skipped', async () => {
      const bot = (await create(app, ADM0, BOT_LAB)).json;
      assert.equal(bot.ChatbotIsActive, true);
      const later = await queued(app);
      const res = await pickUpFirst(app, ADM0);
      assert.equal(res.json.ChatSessionId, later, 'the bot session is older but skipped');
      assert.equal((await pickUpFirst(app, ADM0)).json, null);
      assert.equal((await getSession(app, ADM0, bot.ChatSessionId)).Status, 'InQueue');
    });

    test('new sessions join the queue and are picked up next', async () => {
      const id = await queued(app);
      assert.equal((await pickUpFirst(app, ANN1)).json.ChatSessionId, id);
    });
  });
}
