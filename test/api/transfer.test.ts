// Handing chats over: transfers offered, accepted, rejected or taken over, and a bot handing its chat to the queue (ResetChatSession).
// The demo users and topics these tests rely on, and the helpers they share: test/helpers/life-cycle-kit.ts;
// each test makes its sessions with test/helpers/factories.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ChatSessionStatus } from '../../src/domain/enums.ts';
import { actorOf } from '../../src/domain/rights.ts';
import { acceptTransfer } from '../../src/domain/sessions/accept-transfer.ts';
import { ADM0, ANN1, DEU4, OLA2, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { activeSession, endedSession, fromAgent, fromCustomer, nextRank, queuedSession, transferOffered } from '../helpers/factories.ts';

import {
  SUPPORT,
  userIds,
  setPresent,
  pickUp,
  accept,
  reject,
  reset,
  transfer,
  getSession,
  messages,
  say,
  create,
  queued,
  specials,
  BOT_LAB,
} from '../helpers/life-cycle-kit.ts';

for (const { kind, skip } of await databaseKinds()) {
  describe(`TransferChatSession on ${kind}`, { skip }, () => {
    let app: TestApp;
    let ids: Record<string, number>;
    let lars: number;
    before(async () => {
      app = await startTestApp({ kind });
      ids = await userIds(app);
      lars = await activeSession(app, SUPPORT, ids.tje0);
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
      const rank = (await getSession(app, TJE0, lars)).Rank;
      const res = await transfer(app, TJE0, lars, 'ann1');
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json.TransferTo.UserName, 'ann1');
      assert.equal(res.json.User.UserName, 'tje0');
      assert.equal(res.json.Status, 'CustomerLast');
      assert.equal(res.json.Rank, rank, 'the owner keeps its rank');
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
      const inactive: Array<[string, number]> = [
        ['Finished', await endedSession(app, SUPPORT, ids.tje0, ChatSessionStatus.Finished)],
        ['InQueue', await queuedSession(app, SUPPORT)],
      ];
      for (const [what, id] of inactive) {
        const res = await transfer(app, TJE0, id, 'ann1');
        assert.equal(res.status, 200, what);
        assert.equal(res.json.TransferTo, null, what);
      }
    });

    test('a non-member gets null', async () => {
      const res = await transfer(app, DEU4, lars, 'deu4');
      assert.equal(res.status, 200);
      assert.equal(res.json, null);
    });

    test('a manager naming themselves takes the session over at once; the previous owner only reads', async () => {
      const before = (await messages(app, TJE0, lars)).json;
      const ownerRank = (await getSession(app, TJE0, lars)).Rank;
      const managerRank = await nextRank(app, ids.adm0);
      const res = await transfer(app, ADM0, lars, 'adm0');
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json.User.UserName, 'adm0');
      assert.equal(res.json.TransferTo, null);
      assert.equal(res.json.Rank, managerRank, 'the lowest rank adm0 holds free');
      assert.equal(res.json.Status, 'CustomerLast', 'a take-over is not an answer');
      const after = (await messages(app, TJE0, lars)).json;
      assert.equal(after.length, before.length + 1);
      assert.equal(after.at(-1).SpecialType, 'TransferedSession');
      assert.equal(after.at(-1).Type, 'Special');
      assert.equal((await say(app, TJE0, lars, 'Still here?')).status, 403);
      assert.equal((await say(app, ADM0, lars, 'I will take it from here')).status, 200);
      // The rank tje0 held for this chat is free again.
      assert.equal((await pickUp(app, TJE0, await queued(app))).json.Rank, ownerRank);
    });
  });

  describe(`AcceptChatSessionTransfer on ${kind}`, { skip }, () => {
    let app: TestApp;
    let ids: Record<string, number>;
    let petter: number;
    let ownerRank: number;
    before(async () => {
      app = await startTestApp({ kind });
      ids = await userIds(app);
      petter = await transferOffered(app, SUPPORT, ids.tje0, ids.ann1, {
        status: ChatSessionStatus.UserLast,
        customerName: 'Petter',
        lines: [fromCustomer('Petter', 'I want to buy 500 widgets'), fromAgent('Tor Jensen', 'Let me hand you to a colleague')],
      });
      ownerRank = (await getSession(app, TJE0, petter)).Rank;
    });
    after(async () => app?.close());

    test('without a transfer to the caller nothing changes, and no error', async () => {
      for (const auth of [TJE0, ADM0]) {
        const res = await accept(app, auth, petter);
        assert.equal(res.status, 200);
        assert.equal(res.json.User.UserName, 'tje0');
        assert.equal(res.json.TransferTo.UserName, 'ann1');
      }
      const lars = await activeSession(app, SUPPORT, ids.tje0);
      const none = await accept(app, ANN1, lars);
      assert.equal(none.json.User.UserName, 'tje0');
      assert.equal(none.json.TransferTo, null);
      assert.equal((await accept(app, DEU4, lars)).json, null, 'a non-member gets null');
    });

    test('the receiver becomes the owner; TransferTo cleared; a TransferedSession message', async () => {
      const count = (await messages(app, TJE0, petter)).json.length;
      const rank = await nextRank(app, ids.ann1);
      const res = await accept(app, ANN1, petter);
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json.User.UserName, 'ann1');
      assert.equal(res.json.TransferTo, null);
      assert.equal(res.json.Status, 'UserLast');
      assert.equal(res.json.Rank, rank, 'the lowest rank ann1 holds free');
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
      assert.ok(read.json.length >= 3, 'the two lines and the transfer');
      const res = await say(app, TJE0, petter, 'Are you still there?');
      assert.equal(res.status, 403);
      assert.equal(res.json.ErrorType, 'SoAccessDeniedException');
      assert.equal((await say(app, ANN1, petter, 'Hi, Anne here')).status, 200);
    });

    test("accepting again changes nothing; the previous owner's rank is free again", async () => {
      const again = await accept(app, ANN1, petter);
      assert.equal(again.json.User.UserName, 'ann1');
      assert.equal(specials((await messages(app, ANN1, petter)).json, 'TransferedSession').length, 1);
      assert.equal((await pickUp(app, TJE0, await queued(app))).json.Rank, ownerRank, 'the rank tje0 held for this chat is free');
    });

    test('a receiver who lost CanRespond, or was retired, since the offer cannot accept it: unchanged, no error', async () => {
      const lars = await activeSession(app, SUPPORT, ids.tje0);
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
        assert.equal(retired?.userId, ids.tje0);
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
    let ids: Record<string, number>;
    let lars: number;
    before(async () => {
      app = await startTestApp({ kind });
      ids = await userIds(app);
      lars = await activeSession(app, SUPPORT, ids.tje0);
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
      const petter = await transferOffered(app, SUPPORT, ids.tje0, ids.ann1);
      await app.store.topicAgents.upsert({
        topicId: SUPPORT,
        associateId: ids.ola2,
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
      const petter = await transferOffered(app, SUPPORT, ids.tje0, ids.ann1, { lines: [fromCustomer('Petter', 'I want to buy 500 widgets')] });
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
    let ids: Record<string, number>;
    before(async () => {
      app = await startTestApp({ kind });
      ids = await userIds(app);
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
      const lars = await activeSession(app, SUPPORT, ids.tje0);
      const mia = await activeSession(app, SUPPORT, ids.ann1);
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
        associateId: ids.tje0,
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
      const ingrid = await endedSession(app, SUPPORT, ids.tje0, ChatSessionStatus.Finished);
      const ended = await reset(app, TJE0, ingrid);
      assert.equal(ended.json.Status, 'Finished');
    });
  });
}
