// The visitor's offline form: who may send it, what is checked and stored, and the ticket it becomes.
// The demo data these tests rely on, and the helpers they share: test/helpers/visitor-kit.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { databaseKinds } from '../helpers/databases.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

import { TestClock, SUPPORT, SALES, widgetKit, assertError, NO_LIMITS } from '../helpers/visitor-kit.ts';

for (const { kind, skip } of await databaseKinds()) {
  describe(`Visitor SubmitOfflineForm on ${kind}`, { skip }, () => {
    let app: TestApp;
    const clock = new TestClock();
    const w = widgetKit(() => app);
    before(async () => {
      app = await startTestApp({ kind, clock, env: NO_LIMITS });
    });
    after(async () => app?.close());

    test("with nobody present: a ticket in the topic's category and priority, linked to the session, RequestPosted", async () => {
      await w.setPresent('tje0', false);
      await w.setPresent('ann1', false);
      let o: { SessionKey: string; Session: any };
      try {
        assert.equal(w.ok(await w.visitor('GetTopic', { ChatTopicId: SUPPORT })).IsOpen, false);
        o = await w.open({ CustomerName: 'Kari Nordmann' });
      } finally {
        await w.setPresent('tje0', true);
        await w.setPresent('ann1', true);
      }
      assert.equal(o.Session.Status, 'OfflineForm');
      assert.equal(o.Session.OfflineFormAvailable, true);
      assert.equal(o.Session.TicketId, 0);
      assertError(await w.visitor('SubmitOfflineForm', { Message: '  ' }, o.SessionKey), 400, /Message/);
      assertError(await w.visitor('SubmitOfflineForm', { Message: 'x', CustomerEmail: 'broken@' }, o.SessionKey), 400, /CustomerEmail/);
      const tickets = async () =>
        Number(
          (
            await app.store.db
              .selectFrom('tickets')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await tickets();
      assertError(await w.visitor('SubmitOfflineForm', { Message: '' }, o.SessionKey), 400);
      assert.equal(await tickets(), before, 'refused forms create no ticket');

      const posted = w.ok(
        await w.visitor(
          'SubmitOfflineForm',
          {
            Message: 'My widget is broken\nIt stopped on Monday.',
            CustomerEmail: 'kari@nordicwidgets.no',
            CustomerPhone: '+47 22 00 00 00',
          },
          o.SessionKey,
        ),
      );
      assert.equal(posted.Status, 'RequestPosted');
      assert.ok(posted.TicketId > 0);
      assert.equal(posted.OfflineFormAvailable, false);
      assert.ok(posted.WhenEnded);
      assert.equal(await tickets(), before + 1);
      const ticket = await app.store.db.selectFrom('tickets').selectAll().where('id', '=', posted.TicketId).executeTakeFirstOrThrow();
      const support = (await app.store.topics.byId(SUPPORT))!;
      assert.equal(ticket.title, 'My widget is broken');
      assert.equal(ticket.origin, 11, 'Chat');
      assert.equal(ticket.category_id, support.ticketCategoryId);
      assert.ok(support.ticketCategoryId !== null && support.ticketPriorityId !== null);
      assert.equal(ticket.priority_id, support.ticketPriorityId);
      const category = await app.store.db.selectFrom('ticket_categories').select('name').where('id', '=', ticket.category_id!).executeTakeFirstOrThrow();
      assert.equal(category.name, 'Chat requests');
      const kari = await app.store.db.selectFrom('persons').select('id').where('email', '=', 'kari@nordicwidgets.no').executeTakeFirstOrThrow();
      assert.equal(ticket.person_id, kari.id, 'matched by the e-mail the form gave');
      assert.equal(ticket.from_address, 'kari@nordicwidgets.no');

      const agent = await w.agentView(o.Session.ChatSessionId);
      assert.equal(agent.Status, 'RequestPosted');
      assert.equal(agent.Ticket?.TicketId, posted.TicketId);
      assert.equal(agent.CustomerPhone, '+47 22 00 00 00');
      assert.equal(agent.Person?.PersonId, kari.id);
      assert.equal((await w.getSession(o.SessionKey)).TicketId, posted.TicketId);
      const texts = (await w.messages(o.SessionKey)).filter((m: any) => m.SpecialType === 'None').map((m: any) => [m.Type, m.Message]);
      assert.deepEqual(texts, [['ToUser', 'My widget is broken\nIt stopped on Monday.']]);
      // Once posted, the form is closed.
      assertError(await w.visitor('SubmitOfflineForm', { Message: 'Again' }, o.SessionKey), 409);
    });

    test("the topic's required offline fields are checked; a topic without TicketEnabled takes no requests (409)", async () => {
      // ola2 is away: the topic is closed.
      const topic = await w.newTopic({ TicketEnabled: true, Widget: { OfflineFields: 'Email, Phone' } }, ['ola2']);
      const o = await w.open({ ChatTopicId: topic });
      assert.equal(o.Session.Status, 'OfflineForm');
      const missing = await w.visitor('SubmitOfflineForm', { Message: 'Call me' }, o.SessionKey);
      assertError(missing, 400, /CustomerEmail/);
      assert.match(missing.json.ErrorMessage, /CustomerPhone/);
      assertError(await w.visitor('SubmitOfflineForm', { Message: 'Call me', CustomerEmail: 'caller@example.com' }, o.SessionKey), 400, /CustomerPhone/);
      const posted = w.ok(
        await w.visitor('SubmitOfflineForm', { Message: 'Call me', CustomerEmail: 'caller@example.com', CustomerPhone: '12345678' }, o.SessionKey),
      );
      assert.equal(posted.Status, 'RequestPosted');
      const ticket = await app.store.db.selectFrom('tickets').selectAll().where('id', '=', posted.TicketId).executeTakeFirstOrThrow();
      assert.equal(ticket.category_id, null, 'the topic names no category');
      assert.equal(ticket.person_id, null, 'nobody in the CRM has that address');

      // Salg: closed, TicketEnabled off.
      const sales = w.ok(await w.visitor('OpenSession', { ChatTopicId: SALES }));
      assert.equal(sales.Session.Status, 'OfflineForm');
      assert.equal(sales.Session.OfflineFormAvailable, false);
      assertError(await w.visitor('SubmitOfflineForm', { Message: 'Ring meg' }, sales.SessionKey), 409);
      assert.equal((await w.getSession(sales.SessionKey)).Status, 'OfflineForm');
    });

    test('consent: a chat that starts at the offline form needs none to open; the form asks for it with OfflineCollectConsent', async () => {
      // ola2 is away: the topic is closed.
      const topic = await w.newTopic({ TicketEnabled: true, CollectConsent: true, OfflineCollectConsent: true }, ['ola2']);
      const o = w.ok(await w.visitor('OpenSession', { ChatTopicId: topic, Message: 'My question', CustomerName: 'Anon', CustomerEmail: 'anon@example.com' }));
      assert.equal(o.Session.Status, 'OfflineForm');
      // Nothing the customer gave is stored before consent: not the question, not the details; no chat lines either.
      const stored = await w.agentView(o.Session.ChatSessionId);
      assert.equal(stored.CustomerName, '');
      assert.equal(stored.CustomerEmail, '');
      assert.equal(stored.FirstMessage, '');
      assertError(await w.post(o.SessionKey, 'Hello?'), 400, /Consented/);
      assertError(await w.visitor('SubmitOfflineForm', { Message: 'Please call', CustomerEmail: 'a@example.com' }, o.SessionKey), 400, /Consented/);
      assertError(
        await w.visitor('SubmitOfflineForm', { Message: 'Please call', CustomerEmail: 'a@example.com', Consented: false }, o.SessionKey),
        400,
        /Consented/,
      );
      const posted = w.ok(await w.visitor('SubmitOfflineForm', { Message: 'Please call', CustomerEmail: 'a@example.com', Consented: true }, o.SessionKey));
      assert.equal(posted.Status, 'RequestPosted');
      assert.equal((await w.agentView(o.Session.ChatSessionId)).CustomerConsented, true);

      // Without OfflineCollectConsent the form needs no consent.
      const plain = await w.newTopic({ TicketEnabled: true, CollectConsent: true }, ['ola2']);
      const p = w.ok(await w.visitor('OpenSession', { ChatTopicId: plain }));
      assert.equal(w.ok(await w.visitor('SubmitOfflineForm', { Message: 'Hello', CustomerEmail: 'b@example.com' }, p.SessionKey)).Status, 'RequestPosted');
      assert.equal((await w.agentView(p.Session.ChatSessionId)).CustomerConsented, false);
    });

    test('from the queue only with UseQueueOfflineForm, after OfflineFormTimeLimit minutes', async () => {
      const plain = await w.newTopic({ TicketEnabled: true });
      const p = await w.open({ ChatTopicId: plain });
      clock.advance(60);
      assert.equal((await w.getSession(p.SessionKey)).OfflineFormAvailable, false, 'UseQueueOfflineForm off');
      assertError(await w.visitor('SubmitOfflineForm', { Message: 'Waited an hour' }, p.SessionKey), 409);

      const topic = await w.newTopic({ TicketEnabled: true, UseQueueOfflineForm: true, OfflineFormTimeLimit: 5 });
      const o = await w.open({ ChatTopicId: topic });
      assert.equal(o.Session.Status, 'InQueue');
      assert.equal(o.Session.OfflineFormAvailable, false);
      clock.advance(4);
      assert.equal((await w.getSession(o.SessionKey)).OfflineFormAvailable, false, '4 of 5 minutes');
      assertError(await w.visitor('SubmitOfflineForm', { Message: 'Too slow' }, o.SessionKey), 409);
      assert.equal((await w.getSession(o.SessionKey)).Status, 'InQueue', 'a refused form leaves the queue alone');
      clock.advance(1);
      const waited = await w.getSession(o.SessionKey);
      assert.equal(waited.Status, 'InQueue');
      assert.equal(waited.OfflineFormAvailable, true, '5 minutes waited');
      const posted = w.ok(await w.visitor('SubmitOfflineForm', { Message: 'Too slow, call me' }, o.SessionKey));
      assert.equal(posted.Status, 'RequestPosted');
      assert.ok(posted.TicketId > 0);
      assert.equal((await w.agentView(o.Session.ChatSessionId)).Ticket?.TicketId, posted.TicketId);
    });

    test('from the queue when it is OfflineFormQueueLength long; newcomers then start at the offline form', async () => {
      const topic = await w.newTopic({ TicketEnabled: true, UseQueueOfflineForm: true, OfflineFormQueueLength: 2 });
      const a = await w.open({ ChatTopicId: topic });
      assert.equal(a.Session.Status, 'InQueue');
      assert.equal(a.Session.OfflineFormAvailable, false, 'one waiting');
      const b = await w.open({ ChatTopicId: topic });
      assert.equal(b.Session.Status, 'InQueue');
      assert.equal(b.Session.OfflineFormAvailable, true, 'two waiting');
      assert.equal((await w.getSession(a.SessionKey)).OfflineFormAvailable, true);
      const c = await w.open({ ChatTopicId: topic });
      assert.equal(c.Session.Status, 'OfflineForm', 'the queue is full');
      assert.equal(c.Session.OfflineFormAvailable, true);
      const posted = w.ok(await w.visitor('SubmitOfflineForm', { Message: 'Busy, are you?' }, b.SessionKey));
      assert.equal(posted.Status, 'RequestPosted');
      const after = await w.getSession(a.SessionKey);
      assert.equal(after.QueuePosition, 1);
      assert.equal(after.OfflineFormAvailable, false, 'one waiting again');
      assertError(await w.visitor('SubmitOfflineForm', { Message: 'Me too' }, a.SessionKey), 409);
    });
  });
}
