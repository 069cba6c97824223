// Chat session entities: reading one, the default for a new one, deleting, and creating one on a topic.
// The demo users, topics and CRM records these tests rely on, and the helpers they share: test/helpers/sessions-kit.ts;
// each test makes its sessions with test/helpers/factories.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADM0, ANN1, call, DEU4, OLA2, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { ChatSessionFlags, ChatSessionStatus } from '../../src/domain/enums.ts';
import { next, SESSION_EVENTS } from '../../src/domain/session-status.ts';
import { activeSession, endedSession, fromAgent, fromCustomer, nextRank, queuedSession, transferOffered } from '../helpers/factories.ts';

import { SVE3, SUPPORT, SESSION_KEYS, OFFSET_DATE, demoIds, getSession, countSessions, SALES, SWEDEN, GERMANY } from '../helpers/sessions-kit.ts';

for (const { kind, skip } of await databaseKinds()) {
  describe(`GetChatSessionEntity on ${kind}`, { skip }, () => {
    let app: TestApp;
    let ids: Awaited<ReturnType<typeof demoIds>>;
    before(async () => {
      app = await startTestApp({ kind });
      ids = await demoIds(app);
    });
    after(async () => app?.close());

    test('a responder gets the whole session with its linked records, in the order of the reference page', async () => {
      const rank = await nextRank(app, ids.users.tje0);
      const id = await activeSession(app, SUPPORT, ids.users.tje0, {
        customerName: 'Kari Nordmann',
        personId: ids.kari,
        contactId: ids.nordic,
        ticketId: ids.ticket,
        lines: [
          fromCustomer('Kari Nordmann', 'The widget arrived broken'),
          fromAgent('Tor Jensen', 'Sorry! Can you send a photo?'),
          fromCustomer('Kari Nordmann', 'Sent it by e-mail just now'),
        ],
      });
      const res = await getSession(app, TJE0, id);
      assert.equal(res.status, 200);
      assert.match(String(res.headers['content-type']), /^application\/json; charset=utf-8/);
      const s = res.json;
      assert.deepEqual(Object.keys(s), SESSION_KEYS);
      assert.equal(s.ChatSessionId, id);
      assert.equal(s.TopicId, SUPPORT);
      assert.equal(s.Status, 'CustomerLast');
      assert.equal(s.Flags, 'CustomerIsTyping');
      assert.equal(s.Rank, rank);
      assert.equal(s.User.UserName, 'tje0');
      assert.equal(s.User.FullName, 'Tor Jensen');
      assert.equal(s.Person.Firstname, 'Kari');
      assert.equal(s.Person.Lastname, 'Nordmann');
      assert.equal(s.Contact.Name, 'Nordic Widgets AS');
      assert.equal(s.Ticket.Title, 'Widget arrived broken');
      assert.equal(s.Project, null);
      assert.equal(s.Sale, null);
      assert.equal(s.TransferTo, null);
      assert.equal(s.FirstMessage, 'The widget arrived broken');
      assert.equal(s.LastMessage, 'Sent it by e-mail just now');
      assert.equal(s.SessionKey, '', "only the key's digest is stored");
      assert.match(s.WhenRequested, OFFSET_DATE);
      assert.match(s.WhenStarted, OFFSET_DATE);
      assert.equal(s.WhenEnded, null);
      assert.deepEqual(s.TableRight, { Mask: 'URI', Reason: '' });
      assert.equal(s.FieldProperties.CustomerPhone.FieldRight.Mask, 'Update');
      assert.equal(s.FieldProperties.CustomerPhone.FieldLength, 32);
      assert.equal(s.FieldProperties.Status.FieldType, 'SuperOffice.Data.ChatSessionStatus');
      for (const owned of ['ChatSessionId', 'SessionKey', 'InitialQueuePos']) assert.equal(s.FieldProperties[owned].FieldRight.Mask, 'Read', owned);
    });

    test('transfers and sales are shown as nested carriers; typing flags by name', async () => {
      const offered = await transferOffered(app, SUPPORT, ids.users.tje0, ids.users.ann1, { saleId: ids.sale });
      const petter = (await getSession(app, TJE0, offered)).json;
      assert.equal(petter.TransferTo.UserName, 'ann1');
      assert.equal(petter.Sale.Title, '500 widgets');
      const typing = await activeSession(app, SUPPORT, ids.users.ann1, {
        status: ChatSessionStatus.UserLast,
        flags: ChatSessionFlags.UserIsTyping,
        projectId: ids.project,
      });
      const mia = (await getSession(app, TJE0, typing)).json;
      assert.equal(mia.Flags, 'UserIsTyping');
      assert.equal(mia.Project.Name, 'Widget roll-out 2026');
    });

    test('listeners and notifiers are members and see the session read-only', async () => {
      const listened = await getSession(app, TJE0, await activeSession(app, SALES, ids.users.ola2, { customerName: 'Eva' }));
      assert.equal(listened.status, 200);
      assert.equal(listened.json.CustomerName, 'Eva');
      assert.deepEqual(listened.json.TableRight, { Mask: 'Select', Reason: '' });
      assert.equal(listened.json.FieldProperties.CustomerName.FieldRight.Mask, 'Read');
      const notified = await getSession(app, TJE0, await endedSession(app, SWEDEN, ids.users.sve3, ChatSessionStatus.Finished));
      assert.equal(notified.json.Status, 'Finished');
    });

    test('a non-member gets 200 with null, never a 403 or 404', async () => {
      for (const [auth, id] of [
        [DEU4, await activeSession(app, SUPPORT, ids.users.tje0)],
        [ANN1, await activeSession(app, SALES, ids.users.ola2)],
        [OLA2, await activeSession(app, GERMANY, ids.users.deu4)],
      ] as const) {
        const res = await getSession(app, auth, id);
        assert.equal(res.status, 200);
        assert.equal(res.body, 'null');
      }
    });

    test('administrators see every session with FULL rights, member or not', async () => {
      const res = await getSession(app, ADM0, await activeSession(app, GERMANY, ids.users.deu4, { customerName: 'Jonas' }));
      assert.equal(res.status, 200);
      assert.equal(res.json.CustomerName, 'Jonas');
      assert.deepEqual(res.json.TableRight, { Mask: 'FULL', Reason: '' });
    });

    test('an unknown id answers 200 with null', async () => {
      for (const id of [99999, 0, -5]) {
        const res = await getSession(app, ADM0, id);
        assert.equal(res.status, 200);
        assert.equal(res.body, 'null');
      }
    });

    test('the query parameter name matches in any casing; a missing or non-numeric id is a 400', async () => {
      const id = await activeSession(app, SUPPORT, ids.users.ann1);
      for (const name of ['ChatSessionEntityId', 'chatsessionentityid', 'CHATSESSIONENTITYID']) {
        const res = await call(app, 'GetChatSessionEntity', { auth: TJE0, query: `${name}=${id}` });
        assert.equal(res.status, 200, name);
        assert.equal(res.json.ChatSessionId, id, name);
      }
      for (const query of ['chatSessionEntityId=glops', 'chatSessionEntityId=', 'chatSessionEntityId=2.5', '']) {
        const res = await call(app, 'GetChatSessionEntity', { auth: TJE0, query });
        assert.equal(res.status, 400, query);
        assert.match(res.json.ErrorMessage, /chatSessionEntityId/);
      }
    });

    test('$select and SO-TimeZone apply', async () => {
      const id = await activeSession(app, SUPPORT, ids.users.tje0, { personId: ids.kari });
      const res = await call(app, 'GetChatSessionEntity', {
        auth: TJE0,
        query: `chatSessionEntityId=${id}&$select=Status,WhenRequested,Person/Firstname`,
        headers: { 'so-timezone': 'UTC' },
      });
      assert.equal(res.status, 200);
      assert.equal(res.json.Status, 'CustomerLast');
      assert.equal(res.json.CustomerName, null);
      assert.equal(res.json.Person.Firstname, 'Kari');
      assert.equal(res.json.Person.Lastname, null);
      assert.match(res.json.WhenRequested, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?$/);
    });
  });

  describe(`CreateDefaultChatSessionEntity on ${kind}`, { skip }, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp({ kind });
    });
    after(async () => app?.close());

    test('answers an unsaved, queued session requested now, with nothing linked', async () => {
      const now = Date.now();
      const res = await call(app, 'CreateDefaultChatSessionEntity', { auth: TJE0 });
      assert.equal(res.status, 200);
      const s = res.json;
      assert.deepEqual(Object.keys(s), SESSION_KEYS);
      assert.equal(s.ChatSessionId, 0);
      assert.equal(s.TopicId, 0);
      assert.equal(s.Status, 'InQueue');
      assert.equal(s.SessionKey, '');
      assert.equal(s.InitialQueuePos, 0);
      assert.equal(s.Flags, 'CustomerIsTyping');
      assert.equal(s.ChatbotIsActive, false);
      assert.equal(s.Rating, 0);
      assert.equal(s.CustomerName, '');
      assert.match(s.WhenRequested, OFFSET_DATE);
      assert.ok(Math.abs(Date.parse(s.WhenRequested) - now) < 60_000);
      for (const k of ['WhenStarted', 'WhenEnded', 'WhenIdle', 'WhenFetched', 'User', 'Person', 'Contact', 'Project', 'Sale', 'Ticket', 'TransferTo']) {
        assert.equal(s[k], null, k);
      }
    });

    test('its rights are those of a row the caller may create: responders fill it in, others only read', async () => {
      const responder = (await call(app, 'CreateDefaultChatSessionEntity', { auth: TJE0 })).json;
      assert.equal(responder.TableRight.Mask, 'URI');
      assert.equal(responder.FieldProperties.CustomerName.FieldRight.Mask, 'Update');
      assert.equal((await call(app, 'CreateDefaultChatSessionEntity', { auth: ADM0 })).json.TableRight.Mask, 'FULL');
      const uid = await app.store.associates.insert({ userName: 'listener9', fullName: 'L', passwordHash: null, isAdmin: false }, new Date());
      await app.store.topicAgents.upsert({ topicId: 1, associateId: uid, canListen: true, canRespond: false, canManage: false, canNotify: false });
      const { hashPassword } = await import('../../src/auth/passwords.ts');
      await app.store.associates.setPassword(uid, await hashPassword('L9'), new Date());
      const listener = (await call(app, 'CreateDefaultChatSessionEntity', { auth: `Basic ${Buffer.from('listener9:L9').toString('base64')}` })).json;
      assert.equal(listener.TableRight.Mask, 'Select');
      assert.equal(listener.FieldProperties.CustomerName.FieldRight.Mask, 'Read');
    });
  });

  describe(`DeleteChatSessionEntity on ${kind}`, { skip }, () => {
    let app: TestApp;
    let ids: Awaited<ReturnType<typeof demoIds>>;
    before(async () => {
      app = await startTestApp({ kind });
      ids = await demoIds(app);
    });
    after(async () => app?.close());

    const remove = (auth: string, id: number | string) => call(app, 'DeleteChatSessionEntity', { auth, query: `ChatSessionEntityId=${id}` });

    test('a manager of the topic deletes: 204 without a body; the session and its messages are gone', async () => {
      const id = await activeSession(app, SALES, ids.users.ola2, { lines: [fromCustomer('Eva', 'Kan jeg få et tilbud?')] });
      assert.ok((await app.store.messages.forSession(id, 0)).length > 0);
      const status = (await app.store.sessions.byId(id))!.status;
      const lastEvent = await app.store.events.lastId();
      const res = await remove(OLA2, id);
      assert.equal(res.status, 204);
      assert.equal(res.body, '');
      assert.equal((await getSession(app, ADM0, id)).body, 'null');
      assert.equal(await app.store.sessions.byId(id), undefined);
      assert.deepEqual(await app.store.messages.forSession(id, 0), []);
      assert.ok(!(await call(app, 'ChatSessionsForUser', { auth: OLA2 })).json.some((s: any) => s.ChatSessionId === id));
      // Push and webhooks hear of it.
      const events = await app.store.events.after(lastEvent, 10);
      assert.deepEqual(
        events.map((e) => [e.type, e.sessionId, (e.payload as any).purged, (e.payload as any).oldStatus, (e.payload as any).newStatus]),
        [['chatsession.changed', id, true, status, 8 /* Deleted */]],
      );
    });

    test('deleting a live chat records a status change the life cycle allows (any status → Deleted by removal)', async () => {
      const live = (await call(app, 'ChatSessionsForUser', { auth: ADM0 })).json.find((x: any) => x.Status === 'CustomerLast' || x.Status === 'UserLast');
      assert.ok(live, 'the demo data has a live chat');
      const id = live.ChatSessionId as number;
      const lastEvent = await app.store.events.lastId();
      assert.equal((await remove(ADM0, id)).status, 204);
      const [event] = await app.store.events.after(lastEvent, 10);
      const { oldStatus, newStatus } = event.payload as { oldStatus: number; newStatus: number };
      assert.deepEqual([oldStatus, newStatus], [ChatSessionStatus[live.Status as 'CustomerLast'], ChatSessionStatus.Deleted]);
      assert.ok(
        SESSION_EVENTS.some((e) => next(oldStatus, e) === newStatus),
        'the transition table has this change',
      );
      // A save still cannot delete: removal is DeleteChatSessionEntity's alone.
      const other = (await call(app, 'ChatSessionsForUser', { auth: ADM0 })).json.find((x: any) => x.Status === 'CustomerLast' || x.Status === 'UserLast');
      const saved = await call(app, 'SaveChatSessionEntity', { auth: ADM0, body: { ...other, Status: 'Deleted' } });
      assert.equal(saved.status, 400, saved.body);
    });

    test('administrators delete any session; the id matches in any casing', async () => {
      const id = await activeSession(app, GERMANY, ids.users.deu4);
      const res = await call(app, 'DeleteChatSessionEntity', { auth: ADM0, query: `chatsessionentityid=${id}` });
      assert.equal(res.status, 204);
      assert.equal(await app.store.sessions.byId(id), undefined);
    });

    test('responders and listeners get 403 and the session stays', async () => {
      for (const [auth, id] of [
        [TJE0, await queuedSession(app, SUPPORT)],
        [ANN1, await activeSession(app, SUPPORT, ids.users.ann1)],
        [TJE0, await queuedSession(app, SALES)],
      ] as const) {
        const res = await remove(auth, id);
        assert.equal(res.status, 403, `${id}`);
        assert.equal(res.json.ErrorType, 'SoAccessDeniedException');
        assert.ok(await app.store.sessions.byId(id));
      }
    });

    test('a non-member is answered as for a missing row (204) and nothing is deleted', async () => {
      const id = await queuedSession(app, SUPPORT);
      assert.equal((await remove(DEU4, id)).status, 204);
      assert.ok(await app.store.sessions.byId(id));
    });

    test('an unknown id answers 204; a missing or non-numeric id is a 400', async () => {
      assert.equal((await remove(ADM0, 99999)).status, 204);
      assert.equal((await remove(ADM0, 'abc')).status, 400);
      assert.equal((await call(app, 'DeleteChatSessionEntity', { auth: ADM0 })).status, 400);
    });

    test('a session created through the API can be deleted by the manager who may see it', async () => {
      const created = await call(app, 'CreateChatSessionForTopic', { auth: SVE3, body: { ChatTopicId: SWEDEN } });
      assert.equal((await remove(SVE3, created.json.ChatSessionId)).status, 204);
      assert.equal((await getSession(app, SVE3, created.json.ChatSessionId)).body, 'null');
    });
  });

  describe(`CreateChatSessionForTopic on ${kind}`, { skip }, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp({ kind });
    });
    after(async () => app?.close());

    const create = (auth: string, topicId: unknown) => call(app, 'CreateChatSessionForTopic', { auth, body: { ChatTopicId: topicId } });

    test('a responder gets a new InQueue session at the end of the queue', async () => {
      const queued = await app.store.sessions.countInQueue(SUPPORT);
      const started = Date.now();
      const res = await create(TJE0, SUPPORT);
      assert.equal(res.status, 200);
      const s = res.json;
      assert.deepEqual(Object.keys(s), SESSION_KEYS);
      assert.ok(s.ChatSessionId > 0);
      assert.equal(s.TopicId, SUPPORT);
      assert.equal(s.Status, 'InQueue');
      assert.equal(s.InitialQueuePos, queued + 1);
      assert.ok(s.SessionKey.length >= 43);
      assert.equal(s.User, null);
      assert.ok(Math.abs(Date.parse(s.WhenRequested) - started) < 60_000);
      assert.deepEqual(s.TableRight, { Mask: 'URI', Reason: '' });
      assert.deepEqual((await getSession(app, TJE0, s.ChatSessionId)).json, { ...s, SessionKey: '' }, 'read back: all but the key');
      assert.equal(await app.store.sessions.countInQueue(SUPPORT), queued + 1);

      const next = await create(ANN1, SUPPORT);
      assert.equal(next.json.InitialQueuePos, queued + 2);
      assert.notEqual(next.json.SessionKey, s.SessionKey);
      assert.ok((await call(app, 'ChatSessionsForUser', { auth: TJE0 })).json.some((x: any) => x.ChatSessionId === next.json.ChatSessionId));
    });

    test('the queue is counted per topic', async () => {
      // Open both topics for chat: their agents present, no opening hours (otherwise newcomers get the offline form).
      await app.store.db.updateTable('associates').set({ present: 1 }).where('user_name', 'in', ['ola2', 'deu4']).execute();
      await app.store.db.updateTable('chat_topics').set({ opening_hours_enabled: 0 }).where('id', 'in', [SALES, GERMANY]).execute();
      const queued = await app.store.sessions.countInQueue(SALES);
      assert.equal((await create(OLA2, SALES)).json.InitialQueuePos, queued + 1);
      assert.equal(await app.store.sessions.countInQueue(GERMANY), 0);
      assert.equal((await create(ADM0, GERMANY)).json.InitialQueuePos, 1, 'administrators need no role');
    });

    test('managers and administrators may create; listener-only, notify-only and non-members get 403', async () => {
      assert.equal((await create(ADM0, SUPPORT)).status, 200, 'adm0 manages and listens');
      assert.equal((await create(SVE3, SWEDEN)).status, 200);
      const count = await countSessions(app);
      for (const [auth, topicId] of [
        [TJE0, SALES],
        [TJE0, SWEDEN],
        [DEU4, SUPPORT],
        [OLA2, GERMANY],
      ] as const) {
        const res = await create(auth, topicId);
        assert.equal(res.status, 403, `${topicId}`);
        assert.equal(res.json.ErrorType, 'SoAccessDeniedException');
      }
      assert.equal(await countSessions(app), count);
    });

    test('an unknown topic is a 404', async () => {
      const res = await create(ADM0, 9999);
      assert.equal(res.status, 404);
      assert.equal(res.json.ErrorType, 'SoNotFoundException');
    });

    test('a missing or non-numeric ChatTopicId is a 400', async () => {
      for (const body of [{}, { ChatTopicId: null }, { ChatTopicId: 'one' }, { ChatTopicId: 1.5 }, { TopicId: SUPPORT }]) {
        const res = await call(app, 'CreateChatSessionForTopic', { auth: TJE0, body });
        assert.equal(res.status, 400, JSON.stringify(body));
      }
      assert.equal((await call(app, 'CreateChatSessionForTopic', { auth: TJE0 })).status, 400, 'no body');
    });

    test('a form or XML body is accepted', async () => {
      const form = await call(app, 'CreateChatSessionForTopic', {
        auth: TJE0,
        rawBody: `ChatTopicId=${SUPPORT}`,
        contentType: 'application/x-www-form-urlencoded',
      });
      assert.equal(form.status, 200);
      assert.equal(form.json.Status, 'InQueue');
      const xml = await call(app, 'CreateChatSessionForTopic', {
        auth: TJE0,
        rawBody: `<CreateChatSessionForTopic><ChatTopicId>${SUPPORT}</ChatTopicId></CreateChatSessionForTopic>`,
        contentType: 'application/xml',
      });
      assert.equal(xml.status, 200);
      assert.equal(xml.json.InitialQueuePos, form.json.InitialQueuePos + 1);
    });
  });
}
