// The visitor API opening a chat: the topic as the widget sees it, and OpenSession with its forms, consent and queue.
// The demo data these tests rely on, and the helpers they share: test/helpers/visitor-kit.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { databaseKinds } from '../helpers/databases.ts';
import { ADM0, call, startTestApp, type TestApp } from '../helpers/test-app.ts';

import { TestClock, SUPPORT, SALES, BOT_LAB, widgetKit, assertError, NO_LIMITS } from '../helpers/visitor-kit.ts';

for (const { kind, skip } of await databaseKinds()) {
  describe(`Visitor GetTopic and OpenSession on ${kind}`, { skip }, () => {
    let app: TestApp;
    const clock = new TestClock();
    const w = widgetKit(() => app);
    before(async () => {
      app = await startTestApp({ kind, clock, env: NO_LIMITS });
    });
    after(async () => app?.close());

    test('GetTopic is anonymous: the public face, IsOpen, the name translated; an unknown topic is a 404', async () => {
      const en = w.ok(await w.visitor('GetTopic', { ChatTopicId: SUPPORT }, undefined, { headers: { 'accept-language': 'en' } }));
      assert.equal(en.ChatTopicId, SUPPORT);
      assert.equal(en.Name, 'Customer support');
      assert.equal(en.IsOpen, true, 'open around the clock, tje0 and ann1 present');
      assert.equal(en.CollectConsent, true);
      assert.equal(en.TicketEnabled, true);
      assert.equal(en.WidgetEnableRating, true);
      assert.equal(en.BadgeHeader, 'Chat with us');
      assert.equal(typeof en.Widget, 'object');
      const nb = w.ok(await w.visitor('GetTopic', { ChatTopicId: SUPPORT }, undefined, { headers: { 'accept-language': 'nb' } }));
      assert.equal(nb.Name, 'Kundestøtte');
      const sales = w.ok(await w.visitor('GetTopic', { ChatTopicId: SALES }));
      assert.equal(sales.IsOpen, false, 'inside opening hours, but ola2, its only responder, is away');
      assertError(await w.visitor('GetTopic', { ChatTopicId: 999 }), 404, /999/);
      assertError(await w.visitor('OpenSession', { ChatTopicId: 999, Consented: true }), 404, /999/);
      // A key is not needed, and a wrong one is not looked at.
      assert.equal((await w.visitor('GetTopic', { ChatTopicId: SUPPORT }, 'not-a-key')).status, 200);
    });

    test('OpenSession needs consent where the topic collects it', async () => {
      const before = await app.store.sessions.countInQueue(SUPPORT);
      assertError(await w.visitor('OpenSession', { ChatTopicId: SUPPORT }), 400, /Consented/);
      assertError(await w.visitor('OpenSession', { ChatTopicId: SUPPORT, Consented: false }), 400, /Consented/);
      assert.equal(await app.store.sessions.countInQueue(SUPPORT), before, 'nothing stored');
      const consented = await w.open({ ChatTopicId: SUPPORT });
      assert.equal((await w.agentView(consented.Session.ChatSessionId)).CustomerConsented, true);
      // Salg does not collect consent (it is closed, so the chat goes to the offline form).
      const sales = w.ok(await w.visitor('OpenSession', { ChatTopicId: SALES }));
      assert.equal(sales.Session.Status, 'OfflineForm');
    });

    test('a new session has its own long url-safe key and is queued with its position when the topic is open', async () => {
      const queued = await app.store.sessions.countInQueue(SUPPORT);
      const a = await w.open();
      const b = await w.open();
      for (const o of [a, b]) assert.match(o.SessionKey, /^[A-Za-z0-9_-]{43,}$/);
      assert.notEqual(a.SessionKey, b.SessionKey);
      assert.equal(a.Session.Status, 'InQueue');
      assert.equal(a.Session.TopicId, SUPPORT);
      assert.equal(a.Session.QueuePosition, queued + 1);
      assert.equal(b.Session.QueuePosition, queued + 2);
      const agentA = await w.agentView(a.Session.ChatSessionId);
      assert.equal(agentA.InitialQueuePos, queued + 1);
      assert.equal(agentA.SessionKey, '', 'agents never read the key: only its digest is stored');
      assert.equal((await app.store.sessions.byKey(a.SessionKey))?.id, a.Session.ChatSessionId, 'the key answered is the one that opens it');
      assert.equal((await w.agentView(b.Session.ChatSessionId)).InitialQueuePos, queued + 2);
    });

    test('with nobody present the session starts at the offline form, the first question kept', async () => {
      const o = await w.open({ ChatTopicId: SALES, Message: 'Hva koster 10 widgets?' });
      assert.equal(o.Session.Status, 'OfflineForm');
      assert.equal(o.Session.QueuePosition, 0);
      const agent = await w.agentView(o.Session.ChatSessionId);
      assert.equal(agent.Status, 'OfflineForm');
      assert.equal(agent.InitialQueuePos, 0, 'never queued');
      assert.equal(agent.FirstMessage, 'Hva koster 10 widgets?');
      // Writing more at the offline form keeps it there.
      w.ok(await w.post(o.SessionKey, 'Hallo?'));
      assert.equal((await w.getSession(o.SessionKey)).Status, 'OfflineForm');
      assert.deepEqual(
        (await w.messages(o.SessionKey)).filter((m: any) => m.SpecialType === 'None').map((m: any) => [m.Type, m.Message]),
        [
          ['ToUser', 'Hva koster 10 widgets?'],
          ['ToUser', 'Hallo?'],
        ],
      );
    });

    test('the pre-chat form comes first unless the required fields are given; SubmitPreChat checks them', async () => {
      const topic = await w.newTopic({ Widget: { PreFormEnabled: true, RequiredFields: 'Email, Name' } });
      const form = await w.open({ ChatTopicId: topic });
      assert.equal(form.Session.Status, 'PreChatForm');
      const partial = await w.open({ ChatTopicId: topic, CustomerName: 'Only Name' });
      assert.equal(partial.Session.Status, 'PreChatForm', 'the e-mail is still missing');
      const given = await w.open({ ChatTopicId: topic, CustomerName: 'Given', CustomerEmail: 'given@example.com' });
      assert.equal(given.Session.Status, 'InQueue', 'straight to the queue');
      assert.equal(given.Session.QueuePosition, 1);

      const missing = await w.visitor('SubmitPreChat', {}, form.SessionKey);
      assertError(missing, 400, /CustomerEmail/);
      assert.match(missing.json.ErrorMessage, /CustomerName/);
      assertError(await w.visitor('SubmitPreChat', { CustomerName: 'Form Filler' }, form.SessionKey), 400, /CustomerEmail/);
      assertError(await w.visitor('SubmitPreChat', { CustomerName: 'Form Filler', CustomerEmail: 'not an address' }, form.SessionKey), 400, /CustomerEmail/);
      assert.equal((await w.getSession(form.SessionKey)).Status, 'PreChatForm', 'refused forms change nothing');
      const sent = w.ok(await w.visitor('SubmitPreChat', { CustomerName: 'Form Filler', CustomerEmail: 'filler@example.com' }, form.SessionKey));
      assert.equal(sent.Status, 'InQueue');
      assert.equal(sent.CustomerName, 'Form Filler');
      assert.equal(sent.CustomerEmail, 'filler@example.com');
      // InitialQueuePos counts who was waiting when it entered the queue; the queue itself is ordered by when the
      // customers came (WhenRequested, as PickUpFirstChatSession takes them), so the form filler is served first.
      assert.equal((await w.agentView(form.Session.ChatSessionId)).InitialQueuePos, 2);
      assert.equal(sent.QueuePosition, 1);
      assert.equal((await w.getSession(given.SessionKey)).QueuePosition, 2);
      assertError(await w.visitor('SubmitPreChat', { CustomerName: 'Again', CustomerEmail: 'again@example.com' }, form.SessionKey), 409);
    });

    test('the FAQ step: LeaveFaq goes on to the queue, and is a 409 anywhere else', async () => {
      const topic = await w.newTopic({ Widget: { AutoFaqEnabled: true } });
      const o = await w.open({ ChatTopicId: topic });
      assert.equal(o.Session.Status, 'Faq');
      const left = w.ok(await w.visitor('LeaveFaq', {}, o.SessionKey));
      assert.equal(left.Status, 'InQueue');
      assert.equal(left.QueuePosition, 1);
      assertError(await w.visitor('LeaveFaq', {}, o.SessionKey), 409);
      // Pre-chat form first, then the FAQ.
      const both = await w.newTopic({ Widget: { AutoFaqEnabled: true, PreFormEnabled: true, RequiredFields: 'Name' } });
      const p = await w.open({ ChatTopicId: both });
      assert.equal(p.Session.Status, 'PreChatForm');
      assertError(await w.visitor('LeaveFaq', {}, p.SessionKey), 409);
      assert.equal(w.ok(await w.visitor('SubmitPreChat', { CustomerName: 'Asker' }, p.SessionKey)).Status, 'Faq');
      assert.equal(w.ok(await w.visitor('LeaveFaq', {}, p.SessionKey)).Status, 'InQueue');
    });

    test('a bot topic starts with the bot active and never at the offline form', async () => {
      const o = await w.open({ ChatTopicId: BOT_LAB, Message: 'Hi bot' });
      assert.equal(o.Session.Status, 'InQueue');
      const agent = await w.agentView(o.Session.ChatSessionId);
      assert.equal(agent.ChatbotIsActive, true);
      assert.equal(agent.User, null);
      // Its only responder (adm0) goes away: the bot still takes the chat.
      await w.setPresent('adm0', false);
      try {
        const alone = await w.open({ ChatTopicId: BOT_LAB });
        assert.equal(alone.Session.Status, 'InQueue');
        assert.equal((await w.agentView(alone.Session.ChatSessionId)).ChatbotIsActive, true);
      } finally {
        await w.setPresent('adm0', true);
      }
      // A non-bot topic's session has no bot.
      assert.equal((await w.agentView((await w.open()).Session.ChatSessionId)).ChatbotIsActive, false);
    });

    test("the first message is a ToUser message and the session's FirstMessage", async () => {
      const o = await w.open({ CustomerName: 'Questioner', Message: 'Where is my order?' });
      assert.equal(o.Session.Status, 'InQueue');
      const list = await w.messages(o.SessionKey);
      const typed = list.filter((m: any) => m.SpecialType === 'None');
      assert.equal(typed.length, 1);
      assert.equal(typed[0].Type, 'ToUser');
      assert.equal(typed[0].Message, 'Where is my order?');
      assert.equal(typed[0].Author, 'Questioner');
      assert.ok(
        list.some((m: any) => m.SpecialType === 'NewSession'),
        'the conversation starts with a NewSession line',
      );
      const agent = await w.agentView(o.Session.ChatSessionId);
      assert.equal(agent.FirstMessage, 'Where is my order?');
      assert.equal(agent.LastMessage, 'Where is my order?');
      const agentMessages = (await call(app, 'GetChatMessages', { auth: ADM0, body: { ChatSessionId: o.Session.ChatSessionId, After: 0 } })).json;
      assert.deepEqual(
        agentMessages.filter((m: any) => m.SpecialType === 'None').map((m: any) => [m.Type, m.Message]),
        [['ToUser', 'Where is my order?']],
      );
    });

    test('the customer is matched to the CRM person by e-mail; the agent sees Person and Contact', async () => {
      const o = await w.open({ CustomerName: 'Kari', CustomerEmail: 'Kari@NordicWidgets.no' });
      const agent = await w.agentView(o.Session.ChatSessionId);
      const kari = await app.store.db.selectFrom('persons').select(['id', 'contact_id']).where('email', '=', 'kari@nordicwidgets.no').executeTakeFirstOrThrow();
      assert.equal(agent.Person?.PersonId, kari.id);
      assert.equal(agent.Person.Firstname, 'Kari');
      assert.equal(agent.Contact?.ContactId, kari.contact_id);
      assert.equal(agent.Contact.Name, 'Nordic Widgets AS');
      assert.equal(agent.CustomerEmail, 'Kari@NordicWidgets.no');
      const stranger = await w.agentView((await w.open({ CustomerEmail: 'nobody@example.com' })).Session.ChatSessionId);
      assert.equal(stranger.Person, null);
      assert.equal(stranger.Contact, null);
    });

    test('a malformed e-mail is a 400 and stores nothing', async () => {
      const count = async () =>
        Number(
          (
            await app.store.db
              .selectFrom('chat_sessions')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await count();
      for (const email of ['not-an-address', 'a@b', 'two@@example.com', 'space in@example.com']) {
        assertError(await w.visitor('OpenSession', { ChatTopicId: SUPPORT, Consented: true, CustomerEmail: email }), 400, /CustomerEmail/);
      }
      assert.equal(await count(), before);
    });

    test("CustomerHost is the caller's address", async () => {
      const o = await w.open({}, '198.51.100.23');
      assert.equal((await w.agentView(o.Session.ChatSessionId)).CustomerHost, '198.51.100.23');
    });

    // The clock moves forward from here on.
    test('Salg with ola2 present: open inside its hours, closed at lunch, at 20:00 Oslo time and on Saturday', async () => {
      await w.setPresent('ola2', true);
      try {
        const isOpen = async () => w.ok(await w.visitor('GetTopic', { ChatTopicId: SALES })).IsOpen;
        assert.equal(await isOpen(), true, 'Wednesday 11:00 in Oslo');
        const inHours = w.ok(await w.visitor('OpenSession', { ChatTopicId: SALES, Message: 'Pris?' }));
        assert.equal(inHours.Session.Status, 'InQueue');
        assert.match(inHours.Session.QueueMessage, /^Du er nummer \d+ i køen \(snitt \d\d:\d\d\)$/);

        clock.to('2026-03-04T10:45:00Z'); // 11:45, lunch
        assert.equal(await isOpen(), false);
        assert.equal(w.ok(await w.visitor('OpenSession', { ChatTopicId: SALES })).Session.Status, 'OfflineForm');

        clock.to('2026-03-04T19:00:00Z'); // 20:00
        assert.equal(await isOpen(), false);
        const evening = w.ok(await w.visitor('OpenSession', { ChatTopicId: SALES, Message: 'Er dere der?' }));
        assert.equal(evening.Session.Status, 'OfflineForm');
        assert.equal(evening.Session.OfflineFormAvailable, false, 'Salg takes no requests (TicketEnabled off)');

        clock.to('2026-03-07T10:00:00Z'); // Saturday 11:00
        assert.equal(await isOpen(), false);
        assert.equal(w.ok(await w.visitor('OpenSession', { ChatTopicId: SALES })).Session.Status, 'OfflineForm');
        // Customer support is open around the clock.
        assert.equal((await w.open()).Session.Status, 'InQueue');

        clock.to('2026-03-09T09:00:00Z'); // Monday 10:00
        assert.equal(await isOpen(), true);
      } finally {
        await w.setPresent('ola2', false);
      }
    });
  });
}
