// SaveChatSessionEntity: creating and updating sessions, who may change which fields, links and hand-overs.
// The demo users, topics and CRM records these tests rely on, and the helpers they share: test/helpers/sessions-kit.ts;
// sessions to read or update come from test/helpers/factories.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADM0, ANN1, call, DEU4, OLA2, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { activeSession, fromAgent, fromCustomer, queuedSession } from '../helpers/factories.ts';

import { SUPPORT, SESSION_KEYS, OFFSET_DATE, demoIds, getSession, save, countSessions, SALES, SWEDEN, GERMANY } from '../helpers/sessions-kit.ts';

for (const { kind, skip } of await databaseKinds()) {
  describe(`SaveChatSessionEntity on ${kind}`, { skip }, () => {
    let app: TestApp;
    let ids: Awaited<ReturnType<typeof demoIds>>;
    before(async () => {
      app = await startTestApp({ kind });
      ids = await demoIds(app);
    });
    after(async () => app?.close());

    test('id 0 creates: the server fills SessionKey and InitialQueuePos = queued count + 1', async () => {
      const queued = await app.store.sessions.countInQueue(SUPPORT);
      const res = await save(app, TJE0, {
        ChatSessionId: 0,
        TopicId: SUPPORT,
        CustomerName: 'Nina',
        CustomerEmail: 'nina@example.com',
        Status: 'InQueue',
        SessionKey: 'chosen-by-the-client',
        InitialQueuePos: 77,
      });
      assert.equal(res.status, 200, res.body);
      const s = res.json;
      assert.deepEqual(Object.keys(s), SESSION_KEYS);
      assert.ok(s.ChatSessionId > 0);
      assert.equal(s.CustomerName, 'Nina');
      assert.notEqual(s.SessionKey, 'chosen-by-the-client');
      assert.ok(s.SessionKey.length >= 43, s.SessionKey);
      assert.equal(s.InitialQueuePos, queued + 1);
      assert.match(s.WhenRequested, OFFSET_DATE);
      const read = (await getSession(app, TJE0, s.ChatSessionId)).json;
      assert.deepEqual(read, { ...s, SessionKey: '' }, 'read back: all but the key, stored as a digest');
      assert.equal((await app.store.sessions.byKey(s.SessionKey))?.id, s.ChatSessionId);

      const next = await save(app, TJE0, { ChatSessionId: 0, TopicId: SUPPORT, CustomerName: 'Nina 2', Status: 'InQueue' });
      assert.equal(next.json.InitialQueuePos, queued + 2);
      assert.notEqual(next.json.SessionKey, s.SessionKey);
      assert.notEqual(next.json.ChatSessionId, s.ChatSessionId);
    });

    test('the entity from CreateDefaultChatSessionEntity, given a topic, can be saved', async () => {
      const def = (await call(app, 'CreateDefaultChatSessionEntity', { auth: OLA2 })).json;
      const queued = await app.store.sessions.countInQueue(SALES);
      const res = await save(app, OLA2, { ...def, TopicId: SALES, CustomerName: 'Default' });
      assert.equal(res.status, 200, res.body);
      assert.ok(res.json.ChatSessionId > 0);
      assert.equal(res.json.Status, 'InQueue');
      assert.equal(res.json.InitialQueuePos, queued + 1);
    });

    test('updates keep SessionKey and InitialQueuePos whatever the body says; fields left out keep their values', async () => {
      const created = (
        await save(app, TJE0, { ChatSessionId: 0, TopicId: SUPPORT, CustomerName: 'Olga', CustomerEmail: 'olga@example.com', Status: 'InQueue' })
      ).json;
      assert.ok(created.SessionKey.length >= 43, 'the creation answer shows the key, once');
      const res = await save(app, TJE0, { ...created, CustomerName: 'Olga B', SessionKey: 'stolen', InitialQueuePos: 1 });
      assert.equal(res.status, 200);
      assert.equal(res.json.CustomerName, 'Olga B');
      assert.equal(res.json.SessionKey, '');
      assert.equal(await app.store.sessions.byKey('stolen'), undefined);
      assert.equal((await app.store.sessions.byKey(created.SessionKey))?.id, created.ChatSessionId, 'the key still opens the session');
      assert.equal(res.json.InitialQueuePos, created.InitialQueuePos);
      const partial = await save(app, TJE0, { ChatSessionId: created.ChatSessionId, TopicId: SUPPORT, CustomerPhone: '+47 1234', SessionKey: '' });
      assert.equal(partial.status, 200);
      const read = (await getSession(app, TJE0, created.ChatSessionId)).json;
      assert.equal(read.CustomerPhone, '+47 1234');
      assert.equal(read.CustomerName, 'Olga B');
      assert.equal(read.CustomerEmail, 'olga@example.com');
      assert.equal(read.SessionKey, '');
      assert.equal((await app.store.sessions.byKey(created.SessionKey))?.id, created.ChatSessionId);
      assert.equal(read.InitialQueuePos, created.InitialQueuePos);
    });

    test('a session read with GetChatSessionEntity and saved back unchanged stays unchanged', async () => {
      const id = await activeSession(app, SUPPORT, ids.users.tje0, {
        personId: ids.kari,
        contactId: ids.nordic,
        ticketId: ids.ticket,
        lines: [fromCustomer('Kari Nordmann', 'The widget arrived broken'), fromAgent('Tor Jensen', 'Sorry! Can you send a photo?')],
      });
      const original = (await getSession(app, TJE0, id)).json;
      const saved = await save(app, TJE0, original);
      assert.equal(saved.status, 200, saved.body);
      assert.deepEqual(saved.json, original);
      assert.deepEqual((await getSession(app, TJE0, id)).json, original);
    });

    test('listener-only and notify-only members, and non-members, get 403 on create and update', async () => {
      const count = await countSessions(app);
      for (const [auth, topicId] of [
        [TJE0, SALES],
        [TJE0, SWEDEN],
        [DEU4, SUPPORT],
        [ANN1, SALES],
      ] as const) {
        const res = await save(app, auth, { ChatSessionId: 0, TopicId: topicId, CustomerName: 'Nope' });
        assert.equal(res.status, 403, `${topicId}`);
        assert.equal(res.json.ErrorType, 'SoAccessDeniedException');
      }
      assert.equal(await countSessions(app), count);
      const eva = (await getSession(app, TJE0, await activeSession(app, SALES, ids.users.ola2, { customerName: 'Eva' }))).json;
      const res = await save(app, TJE0, { ...eva, CustomerName: 'Changed by a listener' });
      assert.equal(res.status, 403);
      assert.equal((await getSession(app, OLA2, eva.ChatSessionId)).json.CustomerName, 'Eva');
    });

    test('moving a session into a topic where the caller may not respond is a 403', async () => {
      const mine = (await save(app, TJE0, { ChatSessionId: 0, TopicId: SUPPORT, CustomerName: 'Mover' })).json;
      const res = await save(app, TJE0, { ...mine, TopicId: SALES });
      assert.equal(res.status, 403);
      assert.equal((await getSession(app, TJE0, mine.ChatSessionId)).json.TopicId, SUPPORT);
    });

    test('moving a session out of a topic where the caller only listens is a 403', async () => {
      const eva = (await getSession(app, TJE0, await activeSession(app, SALES, ids.users.ola2))).json;
      const res = await save(app, TJE0, { ...eva, TopicId: SUPPORT });
      assert.equal(res.status, 403);
      assert.equal((await getSession(app, OLA2, eva.ChatSessionId)).json.TopicId, SALES);
    });

    test('a session the caller cannot see is not updated, even from a topic where the caller responds', async () => {
      const id = await queuedSession(app, SUPPORT, { customerName: 'Guest 2' });
      const res = await save(app, DEU4, { ChatSessionId: id, TopicId: GERMANY, CustomerName: 'Taken' });
      assert.equal(res.status, 404);
      const read = (await getSession(app, ADM0, id)).json;
      assert.equal(read.TopicId, SUPPORT);
      assert.equal(read.CustomerName, 'Guest 2');
    });

    test('Person, Contact, Project, Sale, Ticket, User and TransferTo are linked by id, and unlinked with null', async () => {
      // User and TransferTo: administrators and the topic's managers (a responder's are ignored, see below).
      const res = await save(app, ADM0, {
        ChatSessionId: 0,
        TopicId: SUPPORT,
        Status: 'CustomerLast',
        CustomerName: 'Linked',
        User: { AssociateId: ids.users.tje0 },
        TransferTo: { AssociateId: ids.users.ann1 },
        Person: { PersonId: ids.kari },
        Contact: { ContactId: ids.nordic },
        Project: { ProjectId: ids.project },
        Sale: { SaleId: ids.sale },
        Ticket: { TicketId: ids.ticket },
      });
      assert.equal(res.status, 200, res.body);
      const read = (await getSession(app, TJE0, res.json.ChatSessionId)).json;
      assert.equal(read.User.UserName, 'tje0');
      assert.equal(read.TransferTo.UserName, 'ann1');
      assert.equal(read.Person.PersonId, ids.kari);
      assert.equal(read.Person.Firstname, 'Kari');
      assert.equal(read.Contact.ContactId, ids.nordic);
      assert.equal(read.Contact.Name, 'Nordic Widgets AS');
      assert.equal(read.Project.Name, 'Widget roll-out 2026');
      assert.equal(read.Sale.Title, '500 widgets');
      assert.equal(read.Ticket.Title, 'Widget arrived broken');
      assert.equal(read.InitialQueuePos, 0, 'not created in the queue');

      const unlinked = await save(app, ADM0, {
        ChatSessionId: read.ChatSessionId,
        TopicId: SUPPORT,
        Person: null,
        Contact: null,
        Sale: { SaleId: 0 },
        TransferTo: null,
      });
      assert.equal(unlinked.status, 200);
      assert.equal(unlinked.json.Person, null);
      assert.equal(unlinked.json.Contact, null);
      assert.equal(unlinked.json.Sale, null);
      assert.equal(unlinked.json.TransferTo, null);
      assert.equal(unlinked.json.Ticket.Title, 'Widget arrived broken', 'left out: kept');
    });

    test('a responder cannot take a chat, hand it on or offer it through a save: User, TransferTo, ChatbotIsActive and Rank keep their values', async () => {
      const mine = (
        await save(app, ADM0, { ChatSessionId: 0, TopicId: SUPPORT, Status: 'CustomerLast', CustomerName: 'Kept', User: { AssociateId: ids.users.tje0 } })
      ).json;
      assert.equal(mine.User.UserName, 'tje0');
      const rank = mine.Rank;
      assert.ok(rank >= 1);
      const grab = await save(app, ANN1, {
        ...mine,
        CustomerName: 'Kept B',
        User: { AssociateId: ids.users.ann1 },
        TransferTo: { AssociateId: ids.users.ola2 },
        ChatbotIsActive: true,
        Rank: 7,
      });
      assert.equal(grab.status, 200, grab.body);
      assert.equal(grab.json.CustomerName, 'Kept B', 'the rest of the save goes through');
      assert.equal(grab.json.User.UserName, 'tje0', 'another responder cannot take it');
      assert.equal(grab.json.TransferTo, null, 'nor offer it to an agent who may be away');
      assert.equal(grab.json.ChatbotIsActive, false, 'nor hand it to the bot (which ResetChatSession would then send back)');
      assert.equal(grab.json.Rank, rank, "Rank is the server's");
      const reset = await call(app, 'ResetChatSession', { auth: ANN1, body: { ChatSessionId: mine.ChatSessionId } });
      assert.equal(reset.json.Status, 'CustomerLast');
      // Nor queue or end another agent's chat by saving a Status: ignored like User (a stale echo must not either).
      for (const Status of ['InQueue', 'OfflineForm', 'Finished']) {
        const moved = await save(app, ANN1, { ChatSessionId: mine.ChatSessionId, TopicId: SUPPORT, Status });
        assert.equal(moved.status, 200, moved.body);
        assert.equal(moved.json.Status, 'CustomerLast', Status);
        assert.equal(moved.json.User.UserName, 'tje0', Status);
      }
      const created = await save(app, ANN1, { ChatSessionId: 0, TopicId: SUPPORT, Status: 'InQueue', ChatbotIsActive: true });
      assert.equal(created.json.ChatbotIsActive, false, 'a new session is not handed to the bot by a responder either');
      const owner = await save(app, TJE0, {
        ChatSessionId: mine.ChatSessionId,
        TopicId: SUPPORT,
        User: { AssociateId: ids.users.ann1 },
        TransferTo: { AssociateId: ids.users.ann1 },
      });
      assert.equal(owner.json.User.UserName, 'tje0', 'the owner hands over with TransferChatSession, not a save');
      assert.equal(owner.json.TransferTo, null);
      const read = (await getSession(app, ADM0, mine.ChatSessionId)).json;
      assert.equal(read.User.UserName, 'tje0');
      assert.equal(read.TransferTo, null);

      // New sessions: a responder's active chat is the responder's own; nobody else is handed one or offered one.
      const active = await save(app, TJE0, {
        ChatSessionId: 0,
        TopicId: SUPPORT,
        Status: 'CustomerLast',
        User: { AssociateId: ids.users.ann1 },
        TransferTo: { AssociateId: ids.users.ann1 },
      });
      assert.equal(active.status, 200, active.body);
      assert.equal(active.json.User.UserName, 'tje0');
      assert.equal(active.json.TransferTo, null);
      assert.ok(active.json.Rank >= 1);
      const imported = await save(app, TJE0, { ChatSessionId: 0, TopicId: SUPPORT, Status: 'Finished', User: { AssociateId: ids.users.ann1 } });
      assert.equal(imported.json.User, null);
    });

    test('managers and administrators change the owner and the pending transfer through a save; the new owner gets a free rank', async () => {
      const chat = (
        await save(app, ADM0, { ChatSessionId: 0, TopicId: SUPPORT, Status: 'CustomerLast', CustomerName: 'Moved', User: { AssociateId: ids.users.ann1 } })
      ).json;
      const tjeRanks = await app.store.sessions.activeRanks(ids.users.tje0);
      const moved = await save(app, ADM0, { ...chat, User: { AssociateId: ids.users.tje0 }, Rank: 99 });
      assert.equal(moved.status, 200, moved.body);
      assert.equal(moved.json.User.UserName, 'tje0', 'adm0 manages Customer support');
      let free = 1;
      while (tjeRanks.includes(free)) free++;
      assert.equal(moved.json.Rank, free, 'the lowest rank tje0 has free, not the one in the body');
      const offered = await save(app, ADM0, { ChatSessionId: chat.ChatSessionId, TopicId: SUPPORT, TransferTo: { AssociateId: ids.users.ann1 } });
      assert.equal(offered.json.TransferTo.UserName, 'ann1');
      const accepted = await call(app, 'AcceptChatSessionTransfer', { auth: ANN1, body: { ChatSessionId: chat.ChatSessionId } });
      assert.equal(accepted.json.User.UserName, 'ann1');
    });

    test("TopicId of a saved session changes only by a manager of both topics or an administrator; others' is ignored", async () => {
      const chat = (
        await save(app, ADM0, { ChatSessionId: 0, TopicId: SUPPORT, Status: 'CustomerLast', CustomerName: 'Stays', User: { AssociateId: ids.users.tje0 } })
      ).json;
      const role = (topicId: number, associateId: number, roles: { canRespond?: boolean; canManage?: boolean }) =>
        app.store.topicAgents.upsert({ topicId, associateId, canListen: false, canRespond: false, canManage: false, canNotify: false, ...roles });
      // ann1 responds in Customer support and (for this test) in Vertrieb; deu4 manages Vertrieb and responds here.
      await role(GERMANY, ids.users.ann1, { canRespond: true });
      await role(SUPPORT, ids.users.deu4, { canRespond: true });
      try {
        for (const auth of [ANN1, DEU4]) {
          const moved = await save(app, auth, { ...chat, TopicId: GERMANY, CustomerName: 'Stays B' });
          assert.equal(moved.status, 200, moved.body);
          assert.equal(moved.json.TopicId, SUPPORT, "ignored, as a responder's User is");
          assert.equal(moved.json.CustomerName, 'Stays B', 'the rest of the save goes through');
          assert.equal(moved.json.User.UserName, 'tje0', 'the owner keeps the chat');
        }
        assert.equal((await getSession(app, TJE0, chat.ChatSessionId)).json.TopicId, SUPPORT);
        const fields = (await getSession(app, ANN1, chat.ChatSessionId)).json.FieldProperties;
        assert.deepEqual(fields.TopicId.FieldRight, { Mask: 'Read', Reason: '[SR_PARLEY_FIELD_MANAGERS_ONLY]' });
        const fresh = (await call(app, 'CreateDefaultChatSessionEntity', { auth: ANN1 })).json;
        assert.equal(fresh.FieldProperties.TopicId.FieldRight.Mask, 'Update', "a new session's topic is the creator's choice");

        // A manager of both topics moves it, with an owner who can respond there (or none).
        await role(SUPPORT, ids.users.deu4, { canRespond: true, canManage: true });
        const refused = await save(app, DEU4, { ChatSessionId: chat.ChatSessionId, TopicId: GERMANY });
        assert.equal(refused.status, 400, 'tje0 cannot respond in Vertrieb: the move would hand tje0 a chat tje0 cannot see');
        assert.match(refused.json.ErrorMessage, /tje0 cannot respond in chat topic 4/);
        const moved = await save(app, DEU4, { ChatSessionId: chat.ChatSessionId, TopicId: GERMANY, User: { AssociateId: ids.users.ann1 } });
        assert.equal(moved.status, 200, moved.body);
        assert.equal(moved.json.TopicId, GERMANY);
        assert.equal(moved.json.User.UserName, 'ann1');
        assert.equal((await getSession(app, DEU4, chat.ChatSessionId)).json.FieldProperties.TopicId.FieldRight.Mask, 'Update');
        const back = await save(app, ADM0, { ChatSessionId: chat.ChatSessionId, TopicId: SUPPORT });
        assert.equal(back.json.TopicId, SUPPORT, 'administrators move any session');
      } finally {
        await app.store.topicAgents.remove(GERMANY, ids.users.ann1);
        await app.store.topicAgents.remove(SUPPORT, ids.users.deu4);
      }
    });

    test("Rating, AlertLevel and CustomerConsented are written by managers only; a responder's values, owner or not, are ignored", async () => {
      const chat = (
        await save(app, ADM0, {
          ChatSessionId: 0,
          TopicId: SUPPORT,
          Status: 'CustomerLast',
          CustomerName: 'Rated',
          User: { AssociateId: ids.users.tje0 },
          Rating: 4,
          AlertLevel: 2,
          CustomerConsented: true,
        })
      ).json;
      assert.deepEqual([chat.Rating, chat.AlertLevel, chat.CustomerConsented], [4, 2, true], 'a manager writes them');
      for (const auth of [ANN1, TJE0]) {
        const res = await save(app, auth, { ...chat, Rating: 1, AlertLevel: 0, CustomerConsented: false, CustomerPhone: '+47 222' });
        assert.equal(res.status, 200, res.body);
        assert.deepEqual([res.json.Rating, res.json.AlertLevel, res.json.CustomerConsented], [4, 2, true]);
        assert.equal(res.json.CustomerPhone, '+47 222');
      }
      const stored = (await getSession(app, TJE0, chat.ChatSessionId)).json;
      assert.deepEqual([stored.Rating, stored.AlertLevel, stored.CustomerConsented], [4, 2, true]);
      for (const field of ['Rating', 'AlertLevel', 'CustomerConsented']) {
        assert.deepEqual(stored.FieldProperties[field].FieldRight, { Mask: 'Read', Reason: '[SR_PARLEY_FIELD_MANAGERS_ONLY]' }, field);
        assert.equal((await getSession(app, ADM0, chat.ChatSessionId)).json.FieldProperties[field].FieldRight.Mask, 'Update', field);
      }
      const created = (await save(app, ANN1, { ChatSessionId: 0, TopicId: SUPPORT, Status: 'InQueue', Rating: 5, AlertLevel: 3, CustomerConsented: true }))
        .json;
      assert.deepEqual([created.Rating, created.AlertLevel, created.CustomerConsented], [0, 0, false], 'nor on a session a responder creates');
      const fresh = (await call(app, 'CreateDefaultChatSessionEntity', { auth: ANN1 })).json;
      assert.equal(fresh.FieldProperties.Rating.FieldRight.Mask, 'Read');
    });

    test("a manager's save hands a chat over as a transfer would: to someone who can respond in the topic (400 otherwise)", async () => {
      // ola2 manages Salg, where tje0 only listens.
      const sale = (
        await save(app, OLA2, { ChatSessionId: 0, TopicId: SALES, Status: 'CustomerLast', CustomerName: 'Handed', User: { AssociateId: ids.users.ola2 } })
      ).json;
      const listener = await save(app, OLA2, { ChatSessionId: sale.ChatSessionId, TopicId: SALES, User: { AssociateId: ids.users.tje0 } });
      assert.equal(listener.status, 400, listener.body);
      assert.match(listener.json.ErrorMessage, /tje0 cannot respond in chat topic 2/);
      const offered = await save(app, OLA2, { ChatSessionId: sale.ChatSessionId, TopicId: SALES, TransferTo: { AssociateId: ids.users.tje0 } });
      assert.equal(offered.status, 400, offered.body);
      const kept = (await getSession(app, OLA2, sale.ChatSessionId)).json;
      assert.equal(kept.User.UserName, 'ola2');
      assert.equal(kept.TransferTo, null);
      const newOne = await save(app, ADM0, { ChatSessionId: 0, TopicId: SALES, Status: 'CustomerLast', User: { AssociateId: ids.users.tje0 } });
      assert.equal(newOne.status, 400, 'nor on a new session');

      // In Customer support: to a present responder, yes; to one who is away, or to the owner, no; a manager takes over.
      const chat = (await save(app, ADM0, { ChatSessionId: 0, TopicId: SUPPORT, Status: 'CustomerLast', User: { AssociateId: ids.users.tje0 } })).json;
      await app.store.topicAgents.upsert({
        topicId: SUPPORT,
        associateId: ids.users.deu4,
        canListen: false,
        canRespond: true,
        canManage: false,
        canNotify: false,
      });
      try {
        const away = await save(app, ADM0, { ChatSessionId: chat.ChatSessionId, TopicId: SUPPORT, TransferTo: { AssociateId: ids.users.deu4 } });
        assert.equal(away.status, 400);
        assert.match(away.json.ErrorMessage, /not present/);
        const owner = await save(app, ADM0, { ChatSessionId: chat.ChatSessionId, TopicId: SUPPORT, TransferTo: { AssociateId: ids.users.tje0 } });
        assert.equal(owner.status, 400);
        const ok = await save(app, ADM0, { ChatSessionId: chat.ChatSessionId, TopicId: SUPPORT, TransferTo: { AssociateId: ids.users.ann1 } });
        assert.equal(ok.json.TransferTo.UserName, 'ann1');
        const taken = await save(app, ADM0, { ChatSessionId: chat.ChatSessionId, TopicId: SUPPORT, User: { AssociateId: ids.users.adm0 }, TransferTo: null });
        assert.equal(taken.status, 200, taken.body);
        assert.equal(taken.json.User.UserName, 'adm0', 'a manager takes it over, as TransferChatSession naming oneself');
        const ended = await save(app, ADM0, { ChatSessionId: 0, TopicId: SUPPORT, Status: 'Finished', User: { AssociateId: ids.users.ola2 } });
        assert.equal(ended.status, 200, "an ended chat's owner is history (imports)");
      } finally {
        await app.store.topicAgents.remove(SUPPORT, ids.users.deu4);
      }
    });

    test('a stale entity saved back does not undo an accept that committed meanwhile', async () => {
      const chat = (
        await save(app, ADM0, { ChatSessionId: 0, TopicId: SUPPORT, Status: 'CustomerLast', CustomerName: 'Stale', User: { AssociateId: ids.users.tje0 } })
      ).json;
      assert.equal((await call(app, 'TransferChatSession', { auth: TJE0, body: { ChatSessionId: chat.ChatSessionId, ToAssociate: 'ann1' } })).status, 200);
      const stale = (await getSession(app, TJE0, chat.ChatSessionId)).json;
      assert.equal(stale.TransferTo.UserName, 'ann1');
      const accepted = (await call(app, 'AcceptChatSessionTransfer', { auth: ANN1, body: { ChatSessionId: chat.ChatSessionId } })).json;
      assert.equal(accepted.User.UserName, 'ann1');
      const res = await save(app, TJE0, { ...stale, CustomerName: 'Stale but edited' });
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json.CustomerName, 'Stale but edited');
      assert.equal(res.json.User.UserName, 'ann1', 'the accept stands');
      assert.equal(res.json.TransferTo, null, 'the accepted offer is not made again');
      assert.equal(res.json.Rank, accepted.Rank);
      const partial = await save(app, TJE0, { ChatSessionId: chat.ChatSessionId, TopicId: SUPPORT, CustomerPhone: '+47 5555' });
      assert.equal(partial.json.User.UserName, 'ann1');
    });

    test('unknown linked ids are a 400 and nothing is stored', async () => {
      const count = await countSessions(app);
      const links: Array<[string, Record<string, number>]> = [
        ['Person', { PersonId: 99999 }],
        ['Contact', { ContactId: 99999 }],
        ['Project', { ProjectId: 99999 }],
        ['Sale', { SaleId: 99999 }],
        ['Ticket', { TicketId: 99999 }],
        ['User', { AssociateId: 99999 }],
        ['TransferTo', { AssociateId: 99999 }],
      ];
      for (const [prop, value] of links) {
        const res = await save(app, TJE0, { ChatSessionId: 0, TopicId: SUPPORT, CustomerName: `Dangling ${prop}`, [prop]: value });
        assert.equal(res.status, 400, prop);
        assert.equal(res.json.ErrorType, 'SoValidationException');
        assert.match(res.json.ErrorMessage, new RegExp(`${prop} 99999`));
      }
      assert.equal(await countSessions(app), count);
      const id = await activeSession(app, SUPPORT, ids.users.ann1, { projectId: ids.project });
      assert.equal((await save(app, TJE0, { ChatSessionId: id, TopicId: SUPPORT, Project: { ProjectId: 99999 } })).status, 400);
      assert.equal((await getSession(app, TJE0, id)).json.Project.Name, 'Widget roll-out 2026');
    });

    test('dates with Z or an offset are honoured; dates without one are read in SO-TimeZone or the server zone', async () => {
      const res = await save(app, TJE0, {
        ChatSessionId: 0,
        TopicId: SUPPORT,
        CustomerName: 'Dated',
        Status: 'Finished',
        WhenRequested: '2024-03-01T10:00:00.1234567+05:00', // 05:00:00.123Z
        WhenStarted: '2024-07-01T12:00:00Z',
        WhenEnded: '2024-07-01T12:30:00', // server zone Europe/Oslo: 10:30Z
      });
      assert.equal(res.status, 200, res.body);
      const id = res.json.ChatSessionId;
      let read = (await getSession(app, TJE0, id)).json;
      assert.equal(read.WhenRequested, '2024-03-01T06:00:00.123+01:00');
      assert.equal(read.WhenStarted, '2024-07-01T14:00:00+02:00');
      assert.equal(read.WhenEnded, '2024-07-01T12:30:00+02:00');
      const utc = (await getSession(app, TJE0, id, { 'so-timezone': 'UTC, includeTZOffset' })).json;
      assert.equal(utc.WhenRequested, '2024-03-01T05:00:00.123+0000');
      assert.equal(utc.WhenEnded, '2024-07-01T10:30:00+0000');

      const ny = await save(
        app,
        TJE0,
        { ChatSessionId: id, TopicId: SUPPORT, WhenIdle: '2024-07-01T08:00:00', WhenFetched: '2024-07-01T08:00:00+00:00' },
        { 'so-timezone': 'US-NY' },
      );
      assert.equal(ny.status, 200);
      assert.equal(ny.json.WhenIdle, '2024-07-01T08:00:00', "answered in the caller's zone, without offset");
      assert.equal(ny.json.WhenFetched, '2024-07-01T04:00:00');
      read = (await getSession(app, TJE0, id)).json;
      assert.equal(read.WhenIdle, '2024-07-01T14:00:00+02:00');
      assert.equal(read.WhenFetched, '2024-07-01T10:00:00+02:00');

      const cleared = await save(app, TJE0, { ChatSessionId: id, TopicId: SUPPORT, WhenEnded: null, WhenIdle: '0001-01-01T00:00:00' });
      assert.equal(cleared.json.WhenEnded, null);
      assert.equal(cleared.json.WhenIdle, null, '.NET DateTime.MinValue means no date');
      const bad = await save(app, TJE0, { ChatSessionId: id, TopicId: SUPPORT, WhenEnded: 'yesterday' });
      assert.equal(bad.status, 400);
      assert.match(bad.json.ErrorMessage, /WhenEnded/);
    });

    test('Status is given by name (any casing) or number; an unknown status is a 400', async () => {
      for (const [given, name] of [
        ['CustomerLast', 'CustomerLast'],
        [6, 'UserLast'],
        ['9', 'Closed'],
        ['finished', 'Finished'],
        [0, 'Invalid'],
        ['ClosedFromQueue', 'ClosedFromQueue'],
      ] as const) {
        const res = await save(app, TJE0, { ChatSessionId: 0, TopicId: SUPPORT, Status: given });
        assert.equal(res.status, 200, String(given));
        assert.equal(res.json.Status, name, String(given));
        assert.equal((await getSession(app, TJE0, res.json.ChatSessionId)).json.Status, name);
      }
      for (const given of ['Bogus', 12, -1, 4.5, '', true, 'InQueue, Finished']) {
        const res = await save(app, TJE0, { ChatSessionId: 0, TopicId: SUPPORT, Status: given });
        assert.equal(res.status, 400, JSON.stringify(given));
        assert.match(res.json.ErrorMessage, /Status/);
      }
    });

    test('a changed Status must be a step of the life cycle, and brings its effects', async () => {
      const queued = (await save(app, TJE0, { ChatSessionId: 0, TopicId: SUPPORT, Status: 'InQueue' })).json;
      const setStatus = (Status: unknown) => save(app, TJE0, { ChatSessionId: queued.ChatSessionId, TopicId: SUPPORT, Status });
      const picked = await setStatus('CustomerLast');
      assert.equal(picked.status, 200, picked.body);
      assert.equal(picked.json.User.UserName, 'tje0', 'picking up through a save makes the caller the owner');
      assert.ok(picked.json.Rank >= 1);
      assert.ok(picked.json.WhenStarted);
      const ended = await setStatus('Finished');
      assert.equal(ended.json.Status, 'Finished');
      assert.ok(ended.json.WhenEnded);
      assert.equal(ended.json.Rank, 0, 'an ended chat frees its rank');
      const messages = await call(app, 'GetChatMessages', { auth: TJE0, body: { ChatSessionId: queued.ChatSessionId, After: 0 } });
      assert.equal(messages.json.at(-1).SpecialType, 'ClosedByUser');
      const back = await setStatus('InQueue');
      assert.equal(back.status, 400);
      assert.match(back.json.ErrorMessage, /Finished to InQueue/);
      assert.equal((await setStatus('Deleted')).json.Status, 'Deleted');
    });

    test('who wrote last follows the messages: a save echoing CustomerLast or UserLast leaves it as it is', async () => {
      const queued = (await save(app, TJE0, { ChatSessionId: 0, TopicId: SUPPORT, Status: 'InQueue', CustomerName: 'Echo' })).json;
      const picked = await call(app, 'PickUpChatSession', { auth: TJE0, body: { ChatSessionId: queued.ChatSessionId } });
      assert.equal(picked.json.Status, 'UserLast', 'the welcome message answered');
      const read = picked.json;
      // The customer writes meanwhile; the console saves back the entity it read before (Status UserLast).
      const s = (await app.store.sessions.byId(queued.ChatSessionId))!;
      await app.store.sessions.update({ ...s, status: 5 /* CustomerLast */ });
      const saved = await save(app, TJE0, { ...read, CustomerName: 'Echo, renamed' });
      assert.equal(saved.status, 200, saved.body);
      assert.equal(saved.json.Status, 'CustomerLast', 'still waiting for an answer');
      assert.equal(saved.json.CustomerName, 'Echo, renamed');
      assert.equal((await save(app, TJE0, { ...saved.json, Status: 'UserLast' })).json.Status, 'CustomerLast');
      assert.equal((await save(app, TJE0, { ...saved.json, Status: 'Finished' })).json.Status, 'Finished', 'other changes still apply');
    });

    test('Flags by name or number', async () => {
      const res = await save(app, TJE0, { ChatSessionId: 0, TopicId: SUPPORT, Flags: 'UserIsTyping' });
      assert.equal(res.json.Flags, 'UserIsTyping');
      const zero = await save(app, TJE0, { ChatSessionId: res.json.ChatSessionId, TopicId: SUPPORT, Flags: 0 });
      assert.equal(zero.json.Flags, 'CustomerIsTyping');
    });

    test('strings longer than their column are a 400: CustomerPhone holds 32 characters', async () => {
      const long = await save(app, TJE0, { ChatSessionId: 0, TopicId: SUPPORT, CustomerPhone: '1'.repeat(33) });
      assert.equal(long.status, 400);
      assert.match(long.json.ErrorMessage, /CustomerPhone.*32/);
      const exact = await save(app, TJE0, { ChatSessionId: 0, TopicId: SUPPORT, CustomerPhone: '1'.repeat(32) });
      assert.equal(exact.status, 200);
      assert.equal(exact.json.CustomerPhone, '1'.repeat(32));
      assert.equal((await save(app, TJE0, { ChatSessionId: 0, TopicId: SUPPORT, CustomerAlias: 'a'.repeat(65) })).status, 400);
    });

    test('an unknown property, a wrong type, a missing or unknown TopicId is a 400', async () => {
      const count = await countSessions(app);
      const unknown = await save(app, TJE0, { ChatSessionId: 0, TopicId: SUPPORT, CustomerShoeSize: 44 });
      assert.equal(unknown.status, 400);
      assert.match(unknown.json.ErrorMessage, /CustomerShoeSize/);
      for (const body of [
        { ChatSessionId: 0, TopicId: 'support' },
        { ChatSessionId: 0, TopicId: SUPPORT, Rating: 'good' },
        { ChatSessionId: 0, TopicId: SUPPORT, CustomerConsented: 'perhaps' },
        { ChatSessionId: 0 },
        { ChatSessionId: 0, TopicId: 9999 },
      ]) {
        const res = await save(app, ADM0, body);
        assert.equal(res.status, 400, JSON.stringify(body));
      }
      assert.equal((await call(app, 'SaveChatSessionEntity', { auth: TJE0, rawBody: '[1,2]', contentType: 'application/json' })).status, 400);
      assert.equal(await countSessions(app), count);
    });

    test('an XML body is accepted', async () => {
      const xml =
        `<ChatSessionEntity><ChatSessionId>0</ChatSessionId><TopicId>${SUPPORT}</TopicId><CustomerName>Xml</CustomerName>` +
        '<Status>InQueue</Status><CustomerConsented>true</CustomerConsented><WhenRequested>2024-01-02T03:04:05Z</WhenRequested>' +
        `<Person><PersonId>${ids.kari}</PersonId></Person></ChatSessionEntity>`;
      // adm0 manages the topic: CustomerConsented is the customer's, which a responder's save would leave alone.
      const res = await call(app, 'SaveChatSessionEntity', { auth: ADM0, rawBody: xml, contentType: 'text/xml' });
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json.CustomerName, 'Xml');
      assert.equal(res.json.CustomerConsented, true);
      assert.equal(res.json.WhenRequested, '2024-01-02T04:04:05+01:00');
      assert.equal(res.json.Person.Firstname, 'Kari');
    });
  });
}
