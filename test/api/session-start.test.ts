// Where a session starts (queue, offline form, bot) and the status changes a save may make.
// The demo users and topics these tests rely on, and the helpers they share: test/helpers/life-cycle-kit.ts;
// each test makes its sessions with test/helpers/factories.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ChatSessionFlags, ChatSessionStatus } from '../../src/domain/enums.ts';
import { ADM0, ANN1, OLA2, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { activeSession, endedSession, preQueueSession } from '../helpers/factories.ts';

import { SUPPORT, OFFSET_DATE, userIds, setPresent, getSession, messages, say, create, save, queued, SALES, BOT_LAB } from '../helpers/life-cycle-kit.ts';

for (const { kind, skip } of await databaseKinds()) {
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
    let ids: Record<string, number>;
    before(async () => {
      app = await startTestApp({ kind });
      ids = await userIds(app);
    });
    after(async () => app?.close());
    const setStatus = (auth: string, id: number, Status: string) => save(app, auth, { ChatSessionId: id, TopicId: SUPPORT, Status });

    test('UserLast → Finished ends the chat: WhenEnded, rank freed, a ClosedByUser message', async () => {
      const mia = await activeSession(app, SUPPORT, ids.ann1, { status: ChatSessionStatus.UserLast, flags: ChatSessionFlags.UserIsTyping });
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
      const finished = await endedSession(app, SUPPORT, ids.tje0, ChatSessionStatus.Finished);
      const active = await activeSession(app, SUPPORT, ids.tje0);
      const cases: Array<[string, number, string]> = [
        ['Finished', finished, 'InQueue'],
        ['Finished', finished, 'UserLast'],
        ['CustomerLast', active, 'RequestPosted'],
        ['CustomerLast', active, 'ClosedFromQueue'],
        ['OfflineForm', await preQueueSession(app, SUPPORT, ChatSessionStatus.OfflineForm), 'CustomerLast'],
        ['Deleted', await endedSession(app, SUPPORT, null, ChatSessionStatus.Deleted), 'Finished'],
        ['ClosedFromQueue', await endedSession(app, SUPPORT, null, ChatSessionStatus.ClosedFromQueue), 'InQueue'],
      ];
      for (const [from, id, status] of cases) {
        const before = await getSession(app, ADM0, id);
        const res = await setStatus(ADM0, id, status);
        assert.equal(res.status, 400, `${from} → ${status}`);
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
