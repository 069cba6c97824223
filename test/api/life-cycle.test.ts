// The chat life cycle through the HTTP API: pick-up (one session, the first in the queue), transfers (offer,
// accept, reject, cancel, a manager's take-over), a bot's hand-over (ResetChatSession), messages, transcripts,
// where CreateChatSessionForTopic starts a session, and status changes made with SaveChatSessionEntity.
// Each group starts from a fresh demo database:
//   Customer support (1): tje0 and ann1 respond (both present), adm0 manages and listens. Queued: Kari (4 min
//     ago), Guest 2 (2 min). Active: Lars Lund (tje0, rank 1), Mia (ann1, rank 1), Petter (tje0, rank 2, being
//     transferred to ann1). Ended: Ingrid (Finished, tje0), Ole (Closed, ann1), ...
//   Salg (2): opening hours; ola2 responds and manages but is away; tje0 listens. Queued: Per Hansen. Active: Eva.
//   Support Sverige (3): sve3; tje0 notified. Queued: Lars Lund (5 min).   Vertrieb (4): deu4.
//   Bot lab (5): a bot ("Parley helper") answers first; adm0 responds and manages.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { defaultSession } from '../../src/domain/defaults.ts';
import { ChatMessageSpecialType, ChatMessageType, ChatSessionStatus } from '../../src/domain/enums.ts';
import { actorOf } from '../../src/domain/rights.ts';
import { acceptTransfer } from '../../src/domain/sessions/accept-transfer.ts';
import { ADM0, ANN1, call, DEU4, OLA2, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';
import { databaseKinds } from '../helpers/databases.ts';

const SUPPORT = 1,
  SALES = 2,
  SWEDEN = 3,
  BOT_LAB = 5;
const OFFSET_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?[+-]\d\d:\d\d$/;

/** The id of a demo session, found by its topic, customer name and (for names used twice) status. */
async function sessionId(app: TestApp, topicId: number, customerName: string, status?: number) {
  let q = app.store.db.selectFrom('chat_sessions').select('id').where('topic_id', '=', topicId).where('customer_name', '=', customerName);
  if (status !== undefined) q = q.where('status', '=', status);
  return (await q.orderBy('id').executeTakeFirstOrThrow()).id;
}

async function userIds(app: TestApp) {
  const users: Record<string, number> = {};
  for (const a of await app.store.associates.list()) users[a.userName] = a.id;
  return users;
}

const setPresent = (app: TestApp, userName: string, present: boolean) =>
  app.store.db
    .updateTable('associates')
    .set({ present: present ? 1 : 0 })
    .where('user_name', '=', userName)
    .execute();

const ask = (method: string) => (app: TestApp, auth: string, id: number, headers?: Record<string, string>) =>
  call(app, method, { auth, body: { ChatSessionId: id }, headers });
const pickUp = ask('PickUpChatSession');
const accept = ask('AcceptChatSessionTransfer');
const reject = ask('RejectChatSessionTransfer');
const reset = ask('ResetChatSession');
const pickUpFirst = (app: TestApp, auth: string) => call(app, 'PickUpFirstChatSession', { auth });
const transfer = (app: TestApp, auth: string, id: number, to: string) =>
  call(app, 'TransferChatSession', { auth, body: { ChatSessionId: id, ToAssociate: to } });
const getSession = async (app: TestApp, auth: string, id: number) =>
  (await call(app, 'GetChatSessionEntity', { auth, query: `chatSessionEntityId=${id}` })).json;
const messages = (app: TestApp, auth: string, id: number, after = 0, headers?: Record<string, string>) =>
  call(app, 'GetChatMessages', { auth, body: { ChatSessionId: id, After: after }, headers });
const write = (app: TestApp, auth: string, id: number, message: Record<string, unknown> | null) =>
  call(app, 'AddChatMessage', { auth, body: { ChatSessionId: id, Message: message } });
const say = (app: TestApp, auth: string, id: number, text: string) => write(app, auth, id, { Type: 'ToCustomer', Message: text });
const create = (app: TestApp, auth: string, topicId: number) => call(app, 'CreateChatSessionForTopic', { auth, body: { ChatTopicId: topicId } });
const save = (app: TestApp, auth: string, body: Record<string, unknown>) => call(app, 'SaveChatSessionEntity', { auth, body });

/** A new queued session in Customer support (both responders present, open around the clock). */
async function queued(app: TestApp) {
  const res = await create(app, TJE0, SUPPORT);
  assert.equal(res.json.Status, 'InQueue');
  return res.json.ChatSessionId as number;
}

/** A session stored directly, for states the API reaches only through the customer's side. */
async function insertSession(app: TestApp, topicId: number, status: number, extra: Record<string, unknown> = {}) {
  return app.store.sessions.insert({
    ...defaultSession(new Date()),
    topicId,
    status,
    sessionKey: `k-${Math.random()}`,
    ...extra,
  });
}

const customerWrites = (app: TestApp, sessionId: number, text: string, author = 'Customer', whenPosted = new Date()) =>
  app.store.messages.insert({
    sessionId,
    type: ChatMessageType.ToUser,
    message: text,
    author,
    readByCustomer: 0,
    specialType: ChatMessageSpecialType.None,
    specialParam: '',
    whenPosted,
    createdBy: null,
  });

const specials = (list: any[], type: string) => list.filter((m) => m.SpecialType === type);

for (const { kind, skip } of await databaseKinds()) {
  describe(`PickUpChatSession on ${kind}`, { skip }, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp({ kind });
    });
    after(async () => app?.close());

    test('a responder answers a queued session: owner, WhenStarted, welcome message, UserLast', async () => {
      const id = await sessionId(app, SUPPORT, 'Kari Nordmann', ChatSessionStatus.InQueue);
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
      assert.equal(s.Rank, 2, 'ann1 already holds rank 1 (Mia)');
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
      for (const name of ['Lars Lund', 'Ingrid', 'Night owl', 'Curious', 'Ole']) {
        const res = await pickUp(app, TJE0, await sessionId(app, SUPPORT, name));
        assert.equal(res.status, 200, name);
        assert.equal(res.json, null, name);
      }
      assert.equal((await pickUp(app, TJE0, 987654)).json, null, 'an unknown session');
    });

    test('a listener gets 403; a non-member gets null; both leave the session queued', async () => {
      const perHansen = await sessionId(app, SALES, 'Per Hansen');
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
    before(async () => {
      app = await startTestApp({ kind });
    });
    after(async () => app?.close());

    test('oldest first by WhenRequested, only in topics where the caller can respond; an empty queue is null', async () => {
      // Requested an hour ago but stored last: the oldest request wins, not the lowest id.
      const early = await insertSession(app, SUPPORT, ChatSessionStatus.InQueue, {
        customerName: 'Early bird',
        whenRequested: new Date(Date.now() - 3_600_000),
      });
      const order: string[] = [];
      for (;;) {
        const res = await pickUpFirst(app, TJE0);
        assert.equal(res.status, 200, res.body);
        if (res.json === null) break;
        assert.equal(res.json.User.UserName, 'tje0');
        assert.equal(res.json.Status, 'UserLast');
        assert.ok(res.json.WhenStarted);
        assert.equal(res.json.TopicId, SUPPORT, 'tje0 only listens in Salg and is only notified in Support Sverige');
        order.push(res.json.CustomerName);
        assert.ok(order.length < 10);
      }
      assert.deepEqual(order, ['Early bird', 'Kari Nordmann', 'Guest 2']);
      assert.equal((await getSession(app, TJE0, early)).User.UserName, 'tje0');
      const welcome = (await messages(app, TJE0, early)).json.at(-1);
      assert.equal(welcome.SpecialType, 'Welcome');
      // The others' queues are untouched.
      assert.equal((await getSession(app, OLA2, await sessionId(app, SALES, 'Per Hansen'))).Status, 'InQueue');
      assert.equal(await app.store.sessions.countInQueue(SWEDEN), 1);
      assert.equal((await pickUpFirst(app, ANN1)).json, null, 'the Support queue is empty now');
    });

    test('a manager picks up from the topics they manage; a user with no such topic gets null', async () => {
      const res = await pickUpFirst(app, OLA2);
      assert.equal(res.json.CustomerName, 'Per Hansen');
      assert.equal(res.json.Rank, 2, 'ola2 holds rank 1 (Eva)');
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

  describe(`TransferChatSession on ${kind}`, { skip }, () => {
    let app: TestApp;
    let ids: Record<string, number>;
    let lars: number;
    before(async () => {
      app = await startTestApp({ kind });
      ids = await userIds(app);
      lars = await sessionId(app, SUPPORT, 'Lars Lund');
    });
    after(async () => app?.close());

    test('a caller who is neither the owner nor a manager changes nothing, without an error', async () => {
      const before = await getSession(app, TJE0, lars);
      for (const to of ['ann1', 'tje0', 'adm0']) {
        const res = await transfer(app, ANN1, lars, to);
        assert.equal(res.status, 200, to);
        assert.equal(res.json.TransferTo, null, to);
        assert.equal(res.json.User.UserName, 'tje0', to);
      }
      assert.deepEqual(await getSession(app, TJE0, lars), before);
    });

    test('to an away agent, one without CanRespond, a non-member, an unknown user or the owner: 400', async () => {
      await setPresent(app, 'ann1', false);
      try {
        const away = await transfer(app, TJE0, lars, 'ann1');
        assert.equal(away.status, 400);
        assert.equal(away.json.ErrorType, 'SoValidationException');
        assert.match(away.json.ErrorMessage, /present/);
      } finally {
        await setPresent(app, 'ann1', true);
      }
      const listener = await transfer(app, TJE0, lars, 'adm0');
      assert.equal(listener.status, 400, 'adm0 manages and listens but does not respond');
      assert.match(listener.json.ErrorMessage, /cannot respond/);
      assert.equal((await transfer(app, TJE0, lars, 'deu4')).status, 400);
      assert.equal((await transfer(app, TJE0, lars, 'nobody')).status, 400);
      assert.equal((await transfer(app, TJE0, lars, '987654')).status, 400);
      assert.equal((await transfer(app, TJE0, lars, 'tje0')).status, 400);
      assert.equal((await getSession(app, TJE0, lars)).TransferTo, null);
    });

    test('to a present responder by user name: TransferTo is set, the owner keeps the session meanwhile', async () => {
      const res = await transfer(app, TJE0, lars, 'ann1');
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json.TransferTo.UserName, 'ann1');
      assert.equal(res.json.User.UserName, 'tje0');
      assert.equal(res.json.Status, 'CustomerLast');
      assert.equal(res.json.Rank, 1);
      assert.deepEqual(await getSession(app, TJE0, lars), res.json);
      assert.equal((await reject(app, TJE0, lars)).json.TransferTo, null, 'the owner cancels');
    });

    test('ToAssociate as an associate id string; any casing of the user name', async () => {
      const byId = await transfer(app, TJE0, lars, String(ids.ann1));
      assert.equal(byId.status, 200, byId.body);
      assert.equal(byId.json.TransferTo.AssociateId, ids.ann1);
      await reject(app, TJE0, lars);
      const upper = await transfer(app, TJE0, lars, 'ANN1');
      assert.equal(upper.json.TransferTo.UserName, 'ann1');
      await reject(app, TJE0, lars);
    });

    test('a session that is not active is not transferred', async () => {
      for (const name of ['Ingrid', 'Kari Nordmann']) {
        const id = await sessionId(app, SUPPORT, name);
        const res = await transfer(app, TJE0, id, 'ann1');
        assert.equal(res.status, 200, name);
        assert.equal(res.json.TransferTo, null, name);
      }
    });

    test('a non-member gets null', async () => {
      const res = await transfer(app, DEU4, lars, 'deu4');
      assert.equal(res.status, 200);
      assert.equal(res.json, null);
    });

    test('a manager naming themselves takes the session over at once; the previous owner only reads', async () => {
      const before = (await messages(app, TJE0, lars)).json;
      const res = await transfer(app, ADM0, lars, 'adm0');
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json.User.UserName, 'adm0');
      assert.equal(res.json.TransferTo, null);
      assert.equal(res.json.Rank, 1);
      assert.equal(res.json.Status, 'CustomerLast', 'a take-over is not an answer');
      const after = (await messages(app, TJE0, lars)).json;
      assert.equal(after.length, before.length + 1);
      assert.equal(after.at(-1).SpecialType, 'TransferedSession');
      assert.equal(after.at(-1).Type, 'Special');
      assert.equal((await say(app, TJE0, lars, 'Still here?')).status, 403);
      assert.equal((await say(app, ADM0, lars, 'I will take it from here')).status, 200);
      // tje0's rank 1 is free again.
      assert.equal((await pickUp(app, TJE0, await queued(app))).json.Rank, 1);
    });
  });

  describe(`AcceptChatSessionTransfer on ${kind}`, { skip }, () => {
    let app: TestApp;
    let petter: number;
    before(async () => {
      app = await startTestApp({ kind });
      petter = await sessionId(app, SUPPORT, 'Petter');
    });
    after(async () => app?.close());

    test('without a transfer to the caller nothing changes, and no error', async () => {
      for (const auth of [TJE0, ADM0]) {
        const res = await accept(app, auth, petter);
        assert.equal(res.status, 200);
        assert.equal(res.json.User.UserName, 'tje0');
        assert.equal(res.json.TransferTo.UserName, 'ann1');
      }
      const lars = await sessionId(app, SUPPORT, 'Lars Lund');
      const none = await accept(app, ANN1, lars);
      assert.equal(none.json.User.UserName, 'tje0');
      assert.equal(none.json.TransferTo, null);
      assert.equal((await accept(app, DEU4, lars)).json, null, 'a non-member gets null');
    });

    test('the receiver becomes the owner; TransferTo cleared; a TransferedSession message', async () => {
      const count = (await messages(app, TJE0, petter)).json.length;
      const res = await accept(app, ANN1, petter);
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json.User.UserName, 'ann1');
      assert.equal(res.json.TransferTo, null);
      assert.equal(res.json.Status, 'UserLast');
      assert.equal(res.json.Rank, 2, 'ann1 holds rank 1 (Mia)');
      const list = (await messages(app, ANN1, petter)).json;
      assert.equal(list.length, count + 1);
      const note = list.at(-1);
      assert.equal(note.SpecialType, 'TransferedSession');
      assert.equal(note.Type, 'Special');
      assert.match(note.Message, /Tor Jensen.*Anne Berg/);
      assert.equal(note.SpecialParam, 'tje0');
    });

    test('the previous owner still reads the conversation but may not write in it', async () => {
      const read = await messages(app, TJE0, petter);
      assert.equal(read.status, 200);
      assert.ok(read.json.length >= 3);
      const res = await say(app, TJE0, petter, 'Are you still there?');
      assert.equal(res.status, 403);
      assert.equal(res.json.ErrorType, 'SoAccessDeniedException');
      assert.equal((await say(app, ANN1, petter, 'Hi, Anne here')).status, 200);
    });

    test("accepting again changes nothing; the previous owner's rank is free again", async () => {
      const again = await accept(app, ANN1, petter);
      assert.equal(again.json.User.UserName, 'ann1');
      assert.equal(specials((await messages(app, ANN1, petter)).json, 'TransferedSession').length, 1);
      assert.equal((await pickUp(app, TJE0, await queued(app))).json.Rank, 2, 'tje0 kept rank 1 (Lars); 2 is free');
    });

    test('a receiver who lost CanRespond, or was retired, since the offer cannot accept it: unchanged, no error', async () => {
      const lars = await sessionId(app, SUPPORT, 'Lars Lund');
      const ann1 = (await app.store.associates.byUserName('ann1'))!;
      assert.equal((await transfer(app, TJE0, lars, 'ann1')).json.TransferTo.UserName, 'ann1');
      const responder = { topicId: SUPPORT, associateId: ann1.id, canListen: false, canRespond: true, canManage: false, canNotify: false };
      await app.store.topicAgents.upsert({ ...responder, canRespond: false, canListen: true });
      const listening = await accept(app, ANN1, lars);
      assert.equal(listening.status, 200, listening.body);
      assert.equal(listening.json.User.UserName, 'tje0');
      assert.equal(listening.json.TransferTo.UserName, 'ann1');
      await app.store.topicAgents.upsert(responder);
      // Retired while a request of hers was under way (authenticated before the change committed).
      await app.store.db.updateTable('associates').set({ deleted: 1 }).where('id', '=', ann1.id).execute();
      try {
        const retired = await acceptTransfer(app.deps, actorOf(ann1), lars);
        assert.equal(retired?.userId, (await userIds(app)).tje0);
        assert.equal(retired?.transferToId, ann1.id);
      } finally {
        await app.store.db.updateTable('associates').set({ deleted: 0 }).where('id', '=', ann1.id).execute();
      }
      assert.equal(specials((await messages(app, TJE0, lars)).json, 'TransferedSession').length, 0);
      const accepted = await accept(app, ANN1, lars);
      assert.equal(accepted.json.User.UserName, 'ann1', 'able to respond again: accepted');
      assert.equal(accepted.json.TransferTo, null);
    });
  });

  describe(`RejectChatSessionTransfer on ${kind}`, { skip }, () => {
    let app: TestApp;
    let lars: number;
    before(async () => {
      app = await startTestApp({ kind });
      lars = await sessionId(app, SUPPORT, 'Lars Lund');
    });
    after(async () => app?.close());

    test('the receiver declines: TransferTo cleared, the owner keeps it, a TransferRejected message', async () => {
      assert.equal((await transfer(app, TJE0, lars, 'ann1')).json.TransferTo.UserName, 'ann1');
      const res = await reject(app, ANN1, lars);
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json.TransferTo, null);
      assert.equal(res.json.User.UserName, 'tje0');
      assert.equal(res.json.Status, 'CustomerLast');
      const note = (await messages(app, TJE0, lars)).json.at(-1);
      assert.equal(note.SpecialType, 'TransferRejected');
      assert.equal(note.Author, 'Anne Berg');
      assert.equal((await accept(app, ANN1, lars)).json.User.UserName, 'tje0', 'nothing left to accept');
    });

    test('the owner cancelling clears TransferTo without a TransferRejected message', async () => {
      await transfer(app, TJE0, lars, 'ann1');
      const before = (await messages(app, TJE0, lars)).json;
      const res = await reject(app, TJE0, lars);
      assert.equal(res.json.TransferTo, null);
      assert.equal(res.json.User.UserName, 'tje0');
      assert.deepEqual((await messages(app, TJE0, lars)).json, before);
    });

    test('nothing pending, or a third agent: the session comes back unchanged', async () => {
      const before = await getSession(app, TJE0, lars);
      assert.deepEqual((await reject(app, ANN1, lars)).json, before);
      assert.deepEqual((await reject(app, TJE0, lars)).json, before);
      const petter = await sessionId(app, SUPPORT, 'Petter');
      await app.store.topicAgents.upsert({
        topicId: SUPPORT,
        associateId: (await userIds(app)).ola2,
        canListen: false,
        canRespond: true,
        canManage: false,
        canNotify: false,
      });
      const pending = await reject(app, OLA2, petter);
      assert.equal(pending.status, 200, pending.body);
      assert.equal(pending.json.TransferTo.UserName, 'ann1', 'only the receiver, the owner or a manager');
      assert.equal((await reject(app, DEU4, lars)).json, null);
    });

    test('a manager of the topic cancels a pending transfer: TransferTo cleared, the owner keeps it, no TransferRejected', async () => {
      const petter = await sessionId(app, SUPPORT, 'Petter');
      const before = (await messages(app, ADM0, petter)).json;
      const res = await reject(app, ADM0, petter);
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json.TransferTo, null, 'adm0 manages Customer support');
      assert.equal(res.json.User.UserName, 'tje0');
      assert.deepEqual((await messages(app, ADM0, petter)).json, before);
      assert.equal((await accept(app, ANN1, petter)).json.User.UserName, 'tje0', 'nothing left to accept');
    });
  });

  describe(`ResetChatSession on ${kind}`, { skip }, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp({ kind });
    });
    after(async () => app?.close());

    test('a bot hands over while a responder is present: InQueue, the bot off, nobody owns it', async () => {
      const bot = (await create(app, ADM0, BOT_LAB)).json;
      assert.equal((await say(app, ADM0, bot.ChatSessionId, 'Hello, I am a bot')).status, 200);
      assert.equal((await getSession(app, ADM0, bot.ChatSessionId)).Status, 'UserLast');
      const res = await reset(app, ADM0, bot.ChatSessionId);
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json.Status, 'InQueue');
      assert.equal(res.json.ChatbotIsActive, false);
      assert.equal(res.json.User, null);
      assert.equal(res.json.Rank, 0);
      // Now people pick it up.
      assert.equal((await pickUp(app, ADM0, bot.ChatSessionId)).json.User.UserName, 'adm0');
    });

    test('with nobody present who can respond: the offline form', async () => {
      const bot = (await create(app, ADM0, BOT_LAB)).json;
      await setPresent(app, 'adm0', false);
      try {
        const res = await reset(app, ADM0, bot.ChatSessionId);
        assert.equal(res.json.Status, 'OfflineForm');
        assert.equal(res.json.ChatbotIsActive, false);
      } finally {
        await setPresent(app, 'adm0', true);
      }
    });

    test('a chat people are having goes back to the queue only by its owner or a manager; anyone else gets it unchanged', async () => {
      const lars = await sessionId(app, SUPPORT, 'Lars Lund');
      const mia = await sessionId(app, SUPPORT, 'Mia');
      const before = await getSession(app, TJE0, lars);
      assert.equal(before.InitialQueuePos, 0, 'never queued');
      const other = await reset(app, ANN1, lars);
      assert.equal(other.status, 200, other.body);
      assert.equal(other.json.Status, 'CustomerLast');
      assert.equal(other.json.User.UserName, 'tje0');
      assert.deepEqual(await getSession(app, TJE0, lars), before, 'another responder changes nothing');

      const queuedBefore = await app.store.sessions.countInQueue(SUPPORT);
      const owner = await reset(app, TJE0, lars);
      assert.equal(owner.json.Status, 'InQueue');
      assert.equal(owner.json.User, null);
      assert.equal(owner.json.Rank, 0);
      assert.equal(owner.json.InitialQueuePos, queuedBefore + 1, 'entering the queue sets InitialQueuePos once');
      const manager = await reset(app, ADM0, mia);
      assert.equal(manager.json.Status, 'InQueue', 'adm0 manages Customer support');
      assert.equal(manager.json.User, null);
      assert.equal(manager.json.InitialQueuePos, queuedBefore + 2);
      assert.equal((await pickUp(app, ANN1, lars)).json.User.UserName, 'ann1', 'now anyone who responds picks it up');
    });

    test('listeners get 403, non-members null; an ended session comes back unchanged', async () => {
      const bot = (await create(app, ADM0, BOT_LAB)).json;
      await app.store.topicAgents.upsert({
        topicId: BOT_LAB,
        associateId: (await userIds(app)).tje0,
        canListen: true,
        canRespond: false,
        canManage: false,
        canNotify: false,
      });
      const listener = await reset(app, TJE0, bot.ChatSessionId);
      assert.equal(listener.status, 403);
      assert.equal(listener.json.ErrorType, 'SoAccessDeniedException');
      assert.equal((await reset(app, DEU4, bot.ChatSessionId)).json, null);
      assert.equal((await getSession(app, ADM0, bot.ChatSessionId)).ChatbotIsActive, true);
      const ingrid = await sessionId(app, SUPPORT, 'Ingrid');
      const ended = await reset(app, TJE0, ingrid);
      assert.equal(ended.json.Status, 'Finished');
    });
  });

  describe(`AddChatMessage on ${kind}`, { skip }, () => {
    let app: TestApp;
    let lars: number;
    before(async () => {
      app = await startTestApp({ kind });
      lars = await sessionId(app, SUPPORT, 'Lars Lund');
    });
    after(async () => app?.close());

    test('the owner writes: the stored message comes back; the session is UserLast with LastMessage and WhenIdle', async () => {
      const before = await getSession(app, TJE0, lars);
      assert.equal(before.Status, 'CustomerLast');
      const t0 = Date.now();
      const res = await say(app, TJE0, lars, 'Got the photo, thanks');
      assert.equal(res.status, 200, res.body);
      const m = res.json;
      assert.deepEqual(Object.keys(m), [
        'ChatMessageId',
        'ChatSessionId',
        'Type',
        'Message',
        'Author',
        'ReadByCustomer',
        'SpecialType',
        'SpecialParam',
        'WhenPosted',
      ]);
      assert.ok(m.ChatMessageId > 0);
      assert.equal(m.ChatSessionId, lars);
      assert.equal(m.Type, 'ToCustomer');
      assert.equal(m.Message, 'Got the photo, thanks');
      assert.equal(m.Author, 'Tor Jensen');
      assert.equal(m.ReadByCustomer, 0, 'the customer has not read it yet');
      assert.equal(m.SpecialType, 'None');
      assert.match(m.WhenPosted, OFFSET_DATE);
      assert.ok(Math.abs(Date.parse(m.WhenPosted) - t0) < 60_000);
      const s = await getSession(app, TJE0, lars);
      assert.equal(s.Status, 'UserLast');
      assert.equal(s.LastMessage, 'Got the photo, thanks');
      assert.equal(s.FirstMessage, 'The widget arrived broken', 'the first message is kept');
      assert.equal(Date.parse(s.WhenIdle), Date.parse(m.WhenPosted));
      assert.deepEqual((await messages(app, TJE0, lars)).json.at(-1), m);
      // Writing again keeps UserLast.
      assert.equal((await say(app, TJE0, lars, 'Anything else?')).status, 200);
      assert.equal((await getSession(app, TJE0, lars)).Status, 'UserLast');
    });

    test('the first message people write becomes FirstMessage (system lines do not count)', async () => {
      const id = await queued(app);
      await pickUp(app, TJE0, id);
      assert.equal((await getSession(app, TJE0, id)).FirstMessage, '');
      await say(app, TJE0, id, 'What can I do for you?');
      const s = await getSession(app, TJE0, id);
      assert.equal(s.FirstMessage, 'What can I do for you?');
      assert.equal(s.LastMessage, 'What can I do for you?');
    });

    test('what an agent writes is not translated, even when it looks like a resource', async () => {
      const res = await call(app, 'AddChatMessage', {
        auth: TJE0,
        body: { ChatSessionId: lars, Message: { Message: '[SR_PARLEY_WELCOME]' } },
        headers: { 'Accept-Language': 'en' },
      });
      assert.equal(res.json.Message, '[SR_PARLEY_WELCOME]');
      assert.equal(res.json.Type, 'ToCustomer', 'Type defaults to ToCustomer');
    });

    test('"Message": null, no message text, or a message to the agent (ToUser): 400', async () => {
      const count = (await messages(app, TJE0, lars)).json.length;
      const nul = await write(app, TJE0, lars, null);
      assert.equal(nul.status, 400);
      assert.match(nul.json.ErrorMessage, /Message/);
      assert.equal((await write(app, TJE0, lars, { Type: 'ToCustomer', Message: '   ' })).status, 400);
      const toUser = await write(app, TJE0, lars, { Type: 'ToUser', Message: 'Pretending to be the customer' });
      assert.equal(toUser.status, 400);
      assert.match(toUser.json.ErrorMessage, /Type/);
      assert.equal((await call(app, 'AddChatMessage', { auth: TJE0, body: { ChatSessionId: lars } })).status, 400);
      assert.equal((await messages(app, TJE0, lars)).json.length, count);
    });

    test("the system's own lines (ClosedByUser, TransferedSession, Welcome, ...) cannot be sent: 400, nothing stored", async () => {
      const before = (await messages(app, TJE0, lars)).json;
      const session = await getSession(app, TJE0, lars);
      const system = Object.keys(ChatMessageSpecialType).filter((t) => !['None', 'BotMessage', 'Options'].includes(t));
      assert.ok(system.includes('ClosedByUser') && system.includes('TransferedSession') && system.includes('Welcome'));
      for (const SpecialType of system) {
        for (const Type of ['Special', 'ToCustomer']) {
          const res = await write(app, TJE0, lars, { Type, SpecialType, Message: 'Tor Jensen ended the chat' });
          assert.equal(res.status, 400, `${Type} ${SpecialType}`);
          assert.equal(res.json.ErrorType, 'SoValidationException');
          assert.match(res.json.ErrorMessage, new RegExp(`SpecialType ${SpecialType}`));
        }
      }
      const plainSpecial = await write(app, TJE0, lars, { Type: 'Special', SpecialType: 'None', Message: 'The customer agreed to pay' });
      assert.equal(plainSpecial.status, 400, 'a Special line needs a special type');
      assert.match(plainSpecial.json.ErrorMessage, /Special/);
      assert.deepEqual((await messages(app, TJE0, lars)).json, before);
      assert.deepEqual(await getSession(app, TJE0, lars), session);
    });

    test('bot lines only while a bot is active (400 otherwise, nothing stored); the author is the writer, whatever the wire says', async () => {
      const before = (await messages(app, TJE0, lars)).json;
      assert.equal((await getSession(app, TJE0, lars)).ChatbotIsActive, false);
      for (const SpecialType of ['BotMessage', 'Options']) {
        for (const Type of ['Special', 'ToCustomer']) {
          const res = await write(app, TJE0, lars, { Type, SpecialType, Message: 'Tor Jensen ended the chat' });
          assert.equal(res.status, 400, `${Type} ${SpecialType}`);
          assert.match(res.json.ErrorMessage, /ChatbotIsActive/);
        }
      }
      assert.deepEqual((await messages(app, TJE0, lars)).json, before);
      const forged = await write(app, TJE0, lars, { Type: 'ToCustomer', Message: 'Please send your password', Author: 'Lars Lund' });
      assert.equal(forged.status, 200, forged.body);
      assert.equal(forged.json.Author, 'Tor Jensen', "the agent's own name, not the one sent");
      const transcript = (await call(app, 'GetChatTranscript', { auth: TJE0, body: { ChatSessionId: lars, Html: false } })).json;
      assert.match(transcript, /Tor Jensen: Please send your password/);
      assert.doesNotMatch(transcript, /Lars Lund: Please send your password/);
    });

    test('listeners and responders who do not own the session: 403; non-members: 404; an ended session: 409', async () => {
      const eva = await sessionId(app, SALES, 'Eva');
      assert.equal((await say(app, TJE0, eva, 'Listening in')).status, 403);
      const notOwner = await say(app, ANN1, lars, 'Let me butt in');
      assert.equal(notOwner.status, 403);
      assert.equal(notOwner.json.ErrorType, 'SoAccessDeniedException');
      assert.equal((await say(app, ADM0, lars, 'Administrators do not own it either')).status, 403);
      const outsider = await say(app, DEU4, lars, 'Hello?');
      assert.equal(outsider.status, 404);
      assert.equal((await say(app, TJE0, 987654, 'Nobody')).status, 404);
      const ended = await say(app, TJE0, await sessionId(app, SUPPORT, 'Ingrid'), 'One more thing');
      assert.equal(ended.status, 409);
      assert.equal(ended.json.ErrorType, 'SoConcurrencyException');
    });

    test('while a bot owns the session any responder writes as the bot; a queued bot session becomes UserLast', async () => {
      const tje0 = (await userIds(app)).tje0;
      await app.store.topicAgents.upsert({ topicId: BOT_LAB, associateId: tje0, canRespond: true, canListen: false, canManage: false, canNotify: false });
      const bot = (await create(app, ADM0, BOT_LAB)).json;
      const res = await say(app, TJE0, bot.ChatSessionId, 'Hi! I am the helper bot.');
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json.Author, 'Parley helper');
      assert.equal(res.json.Type, 'ToCustomer');
      const s = await getSession(app, ADM0, bot.ChatSessionId);
      assert.equal(s.Status, 'UserLast');
      assert.equal(s.User, null, 'the bot owns it, not the agent');
      assert.equal(s.ChatbotIsActive, true);
      assert.equal(s.LastMessage, 'Hi! I am the helper bot.');
      const options = await write(app, ADM0, bot.ChatSessionId, {
        Type: 'Special',
        SpecialType: 'Options',
        Message: 'Pick one',
        SpecialParam: '["Sales","Support"]',
      });
      assert.equal(options.status, 200, options.body);
      assert.equal(options.json.SpecialType, 'Options');
      assert.equal(options.json.Author, 'Parley helper');
      const botLine = await write(app, TJE0, bot.ChatSessionId, {
        Type: 'Special',
        SpecialType: 'BotMessage',
        Message: 'Let me find an agent',
        Author: 'Tor Jensen',
      });
      assert.equal(botLine.status, 200, botLine.body);
      assert.equal(botLine.json.SpecialType, 'BotMessage');
      assert.equal(botLine.json.Author, 'Parley helper', "a bot line is the bot's, whatever Author says");
      assert.equal(
        (await write(app, TJE0, bot.ChatSessionId, { Type: 'Special', SpecialType: 'TransferedSession', Message: 'Transferred' })).status,
        400,
        'not even a bot',
      );
      // Listeners of a bot topic still may not write.
      await app.store.topicAgents.upsert({ topicId: BOT_LAB, associateId: tje0, canRespond: false, canListen: true, canManage: false, canNotify: false });
      assert.equal((await say(app, TJE0, bot.ChatSessionId, 'As a listener')).status, 403);
    });
  });

  describe(`GetChatMessages and GetChatTranscript on ${kind}`, { skip }, () => {
    let app: TestApp;
    let lars: number;
    before(async () => {
      app = await startTestApp({ kind });
      lars = await sessionId(app, SUPPORT, 'Lars Lund');
    });
    after(async () => app?.close());

    test('After = 0: every message, oldest first; After = n: only ids above n', async () => {
      const all = (await messages(app, TJE0, lars)).json;
      assert.equal(all.length, 4);
      const idsInOrder = all.map((m: any) => m.ChatMessageId);
      assert.deepEqual(
        idsInOrder,
        [...idsInOrder].sort((a, b) => a - b),
      );
      assert.deepEqual(
        all.map((m: any) => m.Type),
        ['Special', 'ToUser', 'ToCustomer', 'ToUser'],
      );
      assert.deepEqual(
        all.map((m: any) => m.Author),
        ['Parley', 'Lars Lund', 'Tor Jensen', 'Lars Lund'],
      );
      assert.equal(all[1].Message, 'The widget arrived broken');
      assert.equal(all[0].SpecialType, 'Welcome');
      for (const m of all) assert.equal(m.ChatSessionId, lars);
      const later = (await messages(app, TJE0, lars, idsInOrder[1])).json;
      assert.deepEqual(later, all.slice(2));
      assert.deepEqual((await messages(app, TJE0, lars, idsInOrder[3])).json, []);
      assert.deepEqual((await messages(app, TJE0, lars, -5)).json, all, 'a negative After reads as 0');
      // A message added now shows up after the last id read.
      const added = (await say(app, TJE0, lars, 'New one')).json;
      assert.deepEqual((await messages(app, TJE0, lars, idsInOrder[3])).json, [added]);
    });

    test('listeners and notified members read; administrators read; non-members get 404', async () => {
      const eva = await sessionId(app, SALES, 'Eva');
      const listener = await messages(app, TJE0, eva);
      assert.equal(listener.status, 200);
      assert.equal(listener.json[0].Message, 'Kan jeg få et tilbud?');
      assert.equal((await messages(app, TJE0, await sessionId(app, SWEDEN, 'Karin'))).status, 200);
      assert.equal((await messages(app, ADM0, eva)).status, 200);
      const outsider = await messages(app, DEU4, lars);
      assert.equal(outsider.status, 404);
      assert.equal(outsider.json.ErrorType, 'SoNotFoundException');
      assert.equal((await messages(app, TJE0, 987654)).status, 404);
    });

    test('a missing After or ChatSessionId is a 400', async () => {
      assert.equal((await call(app, 'GetChatMessages', { auth: TJE0, body: { ChatSessionId: lars } })).status, 400);
      assert.equal((await call(app, 'GetChatMessages', { auth: TJE0, body: { After: 0 } })).status, 400);
    });

    describe('GetChatTranscript', () => {
      let id: number;
      const posted = new Date('2026-01-15T12:00:00Z');
      const fmt = (zone: string, d = posted) => new Intl.DateTimeFormat('en', { timeZone: zone, dateStyle: 'short', timeStyle: 'short' }).format(d);
      const transcript = (html: boolean, headers?: Record<string, string>, auth = TJE0) =>
        call(app, 'GetChatTranscript', { auth, body: { ChatSessionId: id, Html: html }, headers });

      before(async () => {
        id = await insertSession(app, SUPPORT, ChatSessionStatus.CustomerLast, { userId: (await userIds(app)).tje0, rank: 9, customerName: 'Mallory' });
        await customerWrites(app, id, '<script>alert("x")</script> & "more"\nsecond line', 'Mallory <b>', posted);
        await app.store.messages.insert({
          sessionId: id,
          type: ChatMessageType.ToCustomer,
          message: 'Hello Mallory',
          author: 'Tor Jensen',
          readByCustomer: 0,
          specialType: ChatMessageSpecialType.None,
          specialParam: '',
          whenPosted: new Date(posted.getTime() + 60_000),
          createdBy: null,
        });
        await app.store.messages.insert({
          sessionId: id,
          type: ChatMessageType.Special,
          message: 'Tor Jensen ended the chat',
          author: 'Tor Jensen',
          readByCustomer: 1,
          specialType: ChatMessageSpecialType.ClosedByUser,
          specialParam: '',
          whenPosted: new Date(posted.getTime() + 120_000),
          createdBy: null,
        });
      });

      test('plain text: one line per message with time and author; system lines marked; a JSON string', async () => {
        const res = await transcript(false, { 'SO-TimeZone': 'UTC' });
        assert.equal(res.status, 200, res.body);
        assert.match(String(res.headers['content-type']), /^application\/json/);
        assert.ok(res.body.startsWith('"'), 'a quoted JSON string');
        assert.equal(typeof res.json, 'string');
        assert.equal(
          res.json,
          [
            `${fmt('UTC')} Mallory <b>: <script>alert("x")</script> & "more"`,
            'second line',
            `${fmt('UTC', new Date(posted.getTime() + 60_000))} Tor Jensen: Hello Mallory`,
            `${fmt('UTC', new Date(posted.getTime() + 120_000))} *** Tor Jensen ended the chat`,
          ].join('\n'),
        );
      });

      test("HTML: the customer's markup is escaped, never passed through", async () => {
        const res = await transcript(true, { 'SO-TimeZone': 'UTC' });
        assert.equal(res.status, 200);
        assert.equal(typeof res.json, 'string');
        const html: string = res.json;
        assert.ok(!html.includes('<script>'), html);
        assert.ok(!html.includes('<b>'), html);
        assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;more&quot;<br>second line'), html);
        assert.ok(html.includes('<strong>Mallory &lt;b&gt;</strong>'), html);
        assert.ok(html.includes('<p class="customer">'));
        assert.ok(html.includes('<p class="agent">'));
        assert.ok(html.includes('<p class="system">'));
        assert.ok(html.startsWith('<div class="chat-transcript">') && html.endsWith('</div>'));
        assert.ok(html.includes(`<time datetime="${posted.toISOString()}">${fmt('UTC').replace(/&/g, '&amp;')}</time>`), html);
      });

      test('times in SO-TimeZone; the server zone without one', async () => {
        const ny = (await transcript(false, { 'SO-TimeZone': 'US-NY' })).json as string;
        assert.ok(ny.startsWith(`${fmt('America/New_York')} Mallory`), ny);
        const oslo = (await transcript(false, { 'SO-TimeZone': 'NO' })).json as string;
        assert.ok(oslo.startsWith(`${fmt('Europe/Oslo')} Mallory`), oslo);
        assert.notEqual(fmt('America/New_York'), fmt('Europe/Oslo'));
        const server = (await transcript(false)).json as string;
        assert.ok(server.startsWith(`${fmt('Europe/Oslo')} Mallory`), 'the test server runs in Europe/Oslo');
        const html = (await transcript(true, { 'SO-TimeZone': 'US-NY' })).json as string;
        assert.ok(html.includes(`<time datetime="${posted.toISOString()}">${fmt('America/New_York')}</time>`), html);
      });

      test("a bot's lines carry the bot's name (class bot), never the system's *** mark", async () => {
        const botChat = await insertSession(app, SUPPORT, ChatSessionStatus.UserLast, { chatbotIsActive: true, customerName: 'Botty' });
        await app.store.messages.insert({
          sessionId: botChat,
          type: ChatMessageType.Special,
          message: 'Tor Jensen ended the chat',
          author: 'Parley helper',
          readByCustomer: 0,
          specialType: ChatMessageSpecialType.BotMessage,
          specialParam: '',
          whenPosted: posted,
          createdBy: null,
        });
        const read = (html: boolean) =>
          call(app, 'GetChatTranscript', { auth: TJE0, body: { ChatSessionId: botChat, Html: html }, headers: { 'SO-TimeZone': 'UTC' } });
        const plain = (await read(false)).json as string;
        assert.match(plain, /Parley helper: Tor Jensen ended the chat/);
        assert.doesNotMatch(plain, /\*\*\* Tor Jensen ended the chat/);
        const html = (await read(true)).json as string;
        assert.ok(html.includes('<p class="bot">'), html);
        assert.ok(html.includes('<strong>Parley helper</strong>: Tor Jensen ended the chat'), html);
      });

      test('members read it, listeners too; non-members get 404', async () => {
        assert.equal((await transcript(false, {}, ADM0)).status, 200);
        assert.equal((await transcript(false, {}, DEU4)).status, 404);
        const eva = await sessionId(app, SALES, 'Eva');
        const listened = await call(app, 'GetChatTranscript', { auth: TJE0, body: { ChatSessionId: eva, Html: false } });
        assert.equal(listened.status, 200);
        assert.match(listened.json, /Eva: Kan jeg få et tilbud\?/);
      });

      test("the customer's text is shown as written, even when it looks like a resource; system lines translate", async () => {
        const other = await insertSession(app, SUPPORT, ChatSessionStatus.InQueue, { customerName: 'Tricky' });
        await customerWrites(app, other, 'I typed [SR_PARLEY_WELCOME] on purpose', 'Tricky');
        await pickUp(app, TJE0, other);
        const en = (await call(app, 'GetChatTranscript', { auth: TJE0, body: { ChatSessionId: other, Html: false }, headers: { 'Accept-Language': 'en' } }))
          .json as string;
        assert.match(en, /Tricky: I typed \[SR_PARLEY_WELCOME\] on purpose/);
        assert.match(en, /Tor Jensen: Hi! How can we help you today\?/);
      });
    });
  });

  describe(`CreateChatSessionForTopic: where a session starts, on ${kind}`, { skip }, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp({ kind });
    });
    after(async () => app?.close());

    async function updateTopic(id: number, change: (t: any) => any) {
      const t = (await app.store.topics.byId(id))!;
      await app.store.topics.update(change(t));
    }
    const closedAllWeek = (t: any) => ({
      ...t,
      openingHoursEnabled: true,
      openingHours: { ...t.openingHours, days: t.openingHours.days.map((d: any) => ({ ...d, enabled: false })) },
    });
    const alwaysOpen = (t: any) => ({ ...t, openingHoursEnabled: false });

    test('open and a responder present: InQueue', async () => {
      const s = (await create(app, TJE0, SUPPORT)).json;
      assert.equal(s.Status, 'InQueue');
      assert.equal(s.ChatbotIsActive, false);
    });

    test('closed by opening hours, though a responder is present: OfflineForm', async () => {
      await setPresent(app, 'ola2', true);
      await updateTopic(SALES, closedAllWeek);
      const s = (await create(app, OLA2, SALES)).json;
      assert.equal(s.Status, 'OfflineForm');
      assert.equal(s.InitialQueuePos, 0, 'not in the queue');
    });

    test('open, but no responder present: OfflineForm; once one is, InQueue', async () => {
      await updateTopic(SALES, alwaysOpen);
      await setPresent(app, 'ola2', false);
      assert.equal((await create(app, OLA2, SALES)).json.Status, 'OfflineForm');
      await setPresent(app, 'ola2', true);
      assert.equal((await create(app, OLA2, SALES)).json.Status, 'InQueue');
      // Present non-responders do not count: in Support, adm0 only manages.
      await setPresent(app, 'tje0', false);
      await setPresent(app, 'ann1', false);
      try {
        assert.equal((await create(app, ADM0, SUPPORT)).json.Status, 'OfflineForm');
      } finally {
        await setPresent(app, 'tje0', true);
        await setPresent(app, 'ann1', true);
      }
    });

    test('with the pre-chat form on: PreChatForm; with FAQ suggestions: Faq', async () => {
      await updateTopic(SUPPORT, (t) => ({ ...t, widget: { ...t.widget, preFormEnabled: true } }));
      assert.equal((await create(app, TJE0, SUPPORT)).json.Status, 'PreChatForm');
      await updateTopic(SUPPORT, (t) => ({ ...t, widget: { ...t.widget, preFormEnabled: false, autoFaqEnabled: true } }));
      assert.equal((await create(app, TJE0, SUPPORT)).json.Status, 'Faq');
      await updateTopic(SUPPORT, (t) => ({ ...t, widget: { ...t.widget, autoFaqEnabled: false } }));
      assert.equal((await create(app, TJE0, SUPPORT)).json.Status, 'InQueue');
    });

    test('bot topics start with ChatbotIsActive and never at the offline form', async () => {
      const open = (await create(app, ADM0, BOT_LAB)).json;
      assert.equal(open.Status, 'InQueue');
      assert.equal(open.ChatbotIsActive, true);
      await setPresent(app, 'adm0', false);
      await updateTopic(BOT_LAB, closedAllWeek);
      try {
        const closed = (await create(app, ADM0, BOT_LAB)).json;
        assert.equal(closed.Status, 'InQueue', 'closed and nobody present, but the bot answers');
        assert.equal(closed.ChatbotIsActive, true);
        await updateTopic(BOT_LAB, (t) => ({ ...t, widget: { ...t.widget, preFormEnabled: true } }));
        const form = (await create(app, ADM0, BOT_LAB)).json;
        assert.equal(form.Status, 'PreChatForm');
        assert.equal(form.ChatbotIsActive, true);
      } finally {
        await setPresent(app, 'adm0', true);
      }
    });
  });

  describe(`SaveChatSessionEntity status changes on ${kind}`, { skip }, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp({ kind });
    });
    after(async () => app?.close());
    const setStatus = (auth: string, id: number, Status: string) => save(app, auth, { ChatSessionId: id, TopicId: SUPPORT, Status });

    test('UserLast → Finished ends the chat: WhenEnded, rank freed, a ClosedByUser message', async () => {
      const mia = await sessionId(app, SUPPORT, 'Mia');
      const t0 = Date.now();
      const res = await setStatus(ANN1, mia, 'Finished');
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json.Status, 'Finished');
      assert.ok(Math.abs(Date.parse(res.json.WhenEnded) - t0) < 60_000);
      assert.equal(res.json.Rank, 0);
      assert.equal(res.json.User.UserName, 'ann1', 'the record keeps who handled it');
      assert.equal(res.json.Flags, 'CustomerIsTyping', 'typing flags cleared');
      const note = (await messages(app, ANN1, mia)).json.at(-1);
      assert.equal(note.SpecialType, 'ClosedByUser');
      assert.equal(note.Type, 'Special');
      assert.equal(note.Author, 'Anne Berg');
      assert.equal((await say(app, ANN1, mia, 'Hello again')).status, 409);
    });

    test('jumps the life cycle does not have are a 400 and change nothing', async () => {
      const cases: Array<[string, string]> = [
        ['Ingrid', 'InQueue'],
        ['Ingrid', 'UserLast'],
        ['Lars Lund', 'RequestPosted'],
        ['Lars Lund', 'ClosedFromQueue'],
        ['Night owl', 'CustomerLast'],
        ['Old chat', 'Finished'],
        ['Guest 7', 'InQueue'],
      ];
      for (const [name, status] of cases) {
        const id = await sessionId(app, SUPPORT, name);
        const before = await getSession(app, ADM0, id);
        const res = await setStatus(ADM0, id, status);
        assert.equal(res.status, 400, `${name} → ${status}`);
        assert.equal(res.json.ErrorType, 'SoValidationException');
        assert.match(res.json.ErrorMessage, new RegExp(`to ${status}`));
        assert.deepEqual(await getSession(app, ADM0, id), before);
      }
    });

    test('InQueue → UserLast is a pick-up and an answer: the caller owns it, WhenStarted and a rank are set', async () => {
      const id = await queued(app);
      const res = await setStatus(TJE0, id, 'UserLast');
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json.Status, 'UserLast');
      assert.equal(res.json.User?.UserName, 'tje0');
      assert.match(res.json.WhenStarted ?? '', OFFSET_DATE);
      assert.ok(res.json.Rank >= 1);
    });

    test('InQueue → OfflineForm and → ClosedFromQueue are single steps without an owner', async () => {
      const offline = await setStatus(TJE0, await queued(app), 'OfflineForm');
      assert.equal(offline.json.Status, 'OfflineForm');
      assert.equal(offline.json.User, null);
      const left = await setStatus(TJE0, await queued(app), 'ClosedFromQueue');
      assert.equal(left.json.Status, 'ClosedFromQueue');
      assert.ok(left.json.WhenEnded);
      assert.equal(left.json.WhenStarted, null);
    });
  });
}
