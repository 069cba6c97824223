// Chat topics written: saving (every nested setting, who may) and deleting.
// The demo data these tests rely on, and the helpers they share: test/helpers/topics-kit.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADM0, ANN1, call, DEU4, OLA2, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';
import { databaseKinds } from '../helpers/databases.ts';

import {
  SUPPORT,
  SUPPORT_NAME,
  TOPIC_KEYS,
  OPENING_HOURS_KEYS,
  OFFSET_DATE,
  topicIds,
  createTopic,
  getTopic,
  SALES,
  GERMANY,
  BOT_LAB,
} from '../helpers/topics-kit.ts';

for (const { kind, skip } of await databaseKinds()) {
  describe(`SaveChatTopicEntity on ${kind}`, { skip }, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp({ kind });
    });
    after(async () => app?.close());

    test('an administrator creates with id 0: a new id comes back and the topic can be read', async () => {
      const res = await call(app, 'SaveChatTopicEntity', {
        auth: ADM0,
        body: { ChatTopicId: 0, Name: 'Returns', Description: 'Returned goods', WarnNewChatMinutes: 4 },
      });
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.json), TOPIC_KEYS);
      const id = res.json.ChatTopicId;
      assert.ok(id > BOT_LAB);
      assert.equal(res.json.Name, 'Returns');
      const read = await getTopic(app, ADM0, id);
      assert.equal(read.json.Name, 'Returns');
      assert.equal(read.json.Description, 'Returned goods');
      assert.equal(read.json.WarnNewChatMinutes, 4);
      const second = await createTopic(app);
      assert.notEqual(second, id);
    });

    test('property names match case-insensitively on input', async () => {
      const res = await call(app, 'SaveChatTopicEntity', { auth: ADM0, body: { chattopicid: 0, NAME: 'Shouting', badgeheader: 'Hi' } });
      assert.equal(res.status, 200);
      assert.equal(res.json.Name, 'Shouting');
      assert.equal(res.json.BadgeHeader, 'Hi');
    });

    test('non-administrators may not create, not even managers of other topics', async () => {
      for (const auth of [OLA2, TJE0, DEU4]) {
        const res = await call(app, 'SaveChatTopicEntity', { auth, body: { ChatTopicId: 0, Name: 'Not allowed' } });
        assert.equal(res.status, 403);
        assert.equal(res.json.ErrorType, 'SoAccessDeniedException');
      }
      const names = (await app.store.db.selectFrom('chat_topics').select('name').execute()).map((r) => r.name);
      assert.ok(!names.includes('Not allowed'));
    });

    test('a manager of the topic updates it; fields left out keep their values', async () => {
      const res = await call(app, 'SaveChatTopicEntity', { auth: OLA2, body: { ChatTopicId: SALES, Name: 'Salg', Description: 'Priser og tilbud' } });
      assert.equal(res.status, 200);
      assert.equal(res.json.Description, 'Priser og tilbud');
      assert.equal(res.json.CustomQueueText, 'Du er nummer {cque} i køen (snitt {cavw})', 'kept');
      assert.equal(res.json.Language.Value, 'Norsk', 'kept');
      const read = await getTopic(app, OLA2, SALES);
      assert.equal(read.json.Description, 'Priser og tilbud');
      assert.equal(read.json.WelcomeMessage, 'Hei! Hva kan vi hjelpe deg med?');
    });

    test('a topic read with GetChatTopicEntity and saved back unchanged stays unchanged', async () => {
      const original = await getTopic(app, ADM0, SUPPORT);
      const saved = await call(app, 'SaveChatTopicEntity', { auth: ADM0, body: original.json });
      assert.equal(saved.status, 200, saved.body);
      assert.deepEqual(saved.json, original.json);
      assert.deepEqual((await getTopic(app, ADM0, SUPPORT)).json, original.json);
    });

    test('a topic read as XML and saved back as XML stays unchanged', async () => {
      const original = await getTopic(app, ADM0, SUPPORT);
      const xml = await getTopic(app, ADM0, SUPPORT, { accept: 'application/xml' });
      const saved = await call(app, 'SaveChatTopicEntity', { auth: ADM0, rawBody: xml.body, contentType: 'application/xml' });
      assert.equal(saved.status, 200, saved.body);
      assert.deepEqual(saved.json, original.json);
    });

    test('members without the manager role get 403, and so do non-members; nothing changes', async () => {
      for (const [auth, id] of [
        [TJE0, SALES],
        [TJE0, SUPPORT],
        [ANN1, SUPPORT],
        [DEU4, SUPPORT],
      ] as const) {
        const res = await call(app, 'SaveChatTopicEntity', { auth, body: { ChatTopicId: id, Name: 'Hijacked' } });
        assert.equal(res.status, 403, `${id}`);
        assert.equal(res.json.ErrorType, 'SoAccessDeniedException');
      }
      assert.equal((await getTopic(app, ADM0, SUPPORT)).json.Name, SUPPORT_NAME);
    });

    test('LastAccept and SecondsPrAccept are kept by the server, on create and on update', async () => {
      const created = await call(app, 'SaveChatTopicEntity', {
        auth: ADM0,
        body: { ChatTopicId: 0, Name: 'Stats', LastAccept: '2020-01-01T10:00:00Z', SecondsPrAccept: 99 },
      });
      assert.equal(created.status, 200);
      assert.equal(created.json.LastAccept, null);
      assert.equal(created.json.SecondsPrAccept, 0);
      const id = created.json.ChatTopicId;
      const stored = (await app.store.topics.byId(id))!;
      const accepted = new Date('2024-05-01T08:00:00Z');
      await app.store.topics.update({ ...stored, lastAccept: accepted, secondsPrAccept: 42 });
      const updated = await call(app, 'SaveChatTopicEntity', {
        auth: ADM0,
        body: { ChatTopicId: id, Name: 'Stats', LastAccept: '2030-01-01T00:00:00Z', SecondsPrAccept: 1 },
      });
      assert.equal(updated.status, 200);
      assert.match(updated.json.LastAccept, OFFSET_DATE);
      assert.equal(Date.parse(updated.json.LastAccept), accepted.getTime());
      assert.equal(updated.json.SecondsPrAccept, 42);
      const read = await getTopic(app, ADM0, id);
      assert.equal(read.json.LastAccept, '2024-05-01T10:00:00+02:00');
      assert.equal(read.json.SecondsPrAccept, 42);
    });

    test('opening hours round trip, with TzLocation named by code, by location id or by IANA name', async () => {
      const hours = {
        MonEnabled: true,
        MonStart: '09:30:00',
        MonStop: '17:45:00',
        SatEnabled: true,
        SatStart: '10:00',
        SatStop: '14:00:00',
        SunEnabled: false,
        UseLunchHours: true,
        LunchStart: '0001-01-01T12:00:00',
        LunchStop: 'PT12H30M',
      };
      const byCode = await call(app, 'SaveChatTopicEntity', {
        auth: ADM0,
        body: { ChatTopicId: 0, Name: 'Hours', OpeningHoursEnabled: true, OpeningHours: { ...hours, TzLocation: { TZLocationCode: 'NO' } } },
      });
      assert.equal(byCode.status, 200, byCode.body);
      const id = byCode.json.ChatTopicId;
      const read = (await getTopic(app, ADM0, id)).json;
      assert.equal(read.OpeningHoursEnabled, true);
      assert.deepEqual(Object.keys(read.OpeningHours), OPENING_HOURS_KEYS);
      assert.deepEqual(read.OpeningHours.TzLocation, {
        TZLocationID: 261,
        Name: 'Europe/Oslo',
        TZLocationCode: 'NO',
        TZLocationCities: '',
        IsoNumber: 0,
        TimeZoneSTDRules: {},
        TimeZoneDSTRules: {},
      });
      assert.equal(read.OpeningHours.MonStart, '09:30:00');
      assert.equal(read.OpeningHours.MonStop, '17:45:00');
      assert.equal(read.OpeningHours.TueStart, '08:00:00', 'days not sent keep the default');
      assert.equal(read.OpeningHours.SatEnabled, true);
      assert.equal(read.OpeningHours.SatStart, '10:00:00');
      assert.equal(read.OpeningHours.SatStop, '14:00:00');
      assert.equal(read.OpeningHours.UseLunchHours, true);
      assert.equal(read.OpeningHours.LunchStart, '12:00:00');
      assert.equal(read.OpeningHours.LunchStop, '12:30:00');

      const save = (tz: unknown) =>
        call(app, 'SaveChatTopicEntity', { auth: ADM0, body: { ChatTopicId: id, Name: 'Hours', OpeningHours: { TzLocation: tz } } });
      const us = await save({ TZLocationCode: 'us-ny' });
      assert.equal(us.status, 200);
      assert.equal(us.json.OpeningHours.TzLocation.TZLocationCode, 'US-NY');
      assert.equal(us.json.OpeningHours.TzLocation.TZLocationID, 460);
      assert.equal(us.json.OpeningHours.MonStart, '09:30:00', 'hours not sent are kept');

      const byId = await save({ TZLocationID: 261 });
      assert.equal(byId.status, 200);
      assert.equal(byId.json.OpeningHours.TzLocation.TZLocationCode, 'NO');
      assert.equal(byId.json.OpeningHours.TzLocation.Name, 'Europe/Oslo');

      const byName = await save({ Name: 'America/Los_Angeles' });
      assert.equal(byName.status, 200);
      assert.equal(byName.json.OpeningHours.TzLocation.Name, 'America/Los_Angeles');
      assert.equal((await getTopic(app, ADM0, id)).json.OpeningHours.TzLocation.Name, 'America/Los_Angeles');

      const cleared = await save(null);
      assert.equal(cleared.status, 200);
      assert.equal(cleared.json.OpeningHours.TzLocation, null);
    });

    test('an unknown TzLocation, or a time outside one day, is a 400', async () => {
      for (const tz of [{ TZLocationCode: 'XX-NOWHERE' }, { TZLocationID: 99999 }, { Name: 'Mars/Olympus' }]) {
        const res = await call(app, 'SaveChatTopicEntity', { auth: ADM0, body: { ChatTopicId: 0, Name: 'Bad zone', OpeningHours: { TzLocation: tz } } });
        assert.equal(res.status, 400, JSON.stringify(tz));
        assert.match(res.json.ErrorMessage, /TzLocation/);
      }
      for (const time of ['25:00:00', 'noon', '08:61:00']) {
        const res = await call(app, 'SaveChatTopicEntity', { auth: ADM0, body: { ChatTopicId: 0, Name: 'Bad time', OpeningHours: { MonStart: time } } });
        assert.equal(res.status, 400, time);
        assert.match(res.json.ErrorMessage, /MonStart/);
      }
    });

    test('Name: required, at most 255 characters', async () => {
      const missing = await call(app, 'SaveChatTopicEntity', { auth: ADM0, body: { ChatTopicId: 0, Description: 'No name' } });
      assert.equal(missing.status, 400);
      assert.match(missing.json.ErrorMessage, /Name/);
      const blank = await call(app, 'SaveChatTopicEntity', { auth: ADM0, body: { ChatTopicId: 0, Name: '   ' } });
      assert.equal(blank.status, 400);
      const long = await call(app, 'SaveChatTopicEntity', { auth: ADM0, body: { ChatTopicId: 0, Name: 'n'.repeat(256) } });
      assert.equal(long.status, 400);
      assert.match(long.json.ErrorMessage, /Name.*255/);
      const exact = await call(app, 'SaveChatTopicEntity', { auth: ADM0, body: { ChatTopicId: 0, Name: 'n'.repeat(255) } });
      assert.equal(exact.status, 200);
      assert.equal(exact.json.Name.length, 255);
    });

    test('WelcomeMessage: at most 4000 characters, like every other text a column length (a manager cannot store 100 kB)', async () => {
      const long = await call(app, 'SaveChatTopicEntity', {
        auth: ADM0,
        body: { ChatTopicId: 0, Name: 'Long welcome', WelcomeMessage: `US:"a"${' '.repeat(100_000)}x` },
      });
      assert.equal(long.status, 400);
      assert.match(long.json.ErrorMessage, /WelcomeMessage.*4000/);
      const exact = await call(app, 'SaveChatTopicEntity', { auth: ADM0, body: { ChatTopicId: 0, Name: 'Exact welcome', WelcomeMessage: 'w'.repeat(4000) } });
      assert.equal(exact.status, 200, exact.body);
      const entity = await call(app, 'GetChatTopicEntity', { auth: ADM0, query: `chatTopicEntityId=${exact.json.ChatTopicId}` });
      assert.equal(entity.json.FieldProperties.WelcomeMessage.FieldLength, 4000);
    });

    test('known Language and TicketCategory ids are linked; unknown ids are a 400 and nothing is stored', async () => {
      const ok = await call(app, 'SaveChatTopicEntity', {
        auth: ADM0,
        body: { ChatTopicId: 0, Name: 'Linked', Language: { Id: 2 }, TicketCategory: { Id: 2 }, TicketPriority: { Id: 2 } },
      });
      assert.equal(ok.status, 200);
      assert.equal(ok.json.Language.Value, 'Norsk');
      assert.equal(ok.json.TicketCategory.Value, 'Sales leads');
      assert.equal(ok.json.TicketPriority.Value, 'High');
      const count = async () => (await app.store.db.selectFrom('chat_topics').select('id').execute()).length;
      const topicsBefore = await count();
      for (const [prop, value] of [
        ['Language', { Id: 999 }],
        ['TicketCategory', { Id: 999 }],
        ['TicketPriority', { Id: 999 }],
        ['AlertTemplate', { ReplyTemplateId: 999 }],
      ] as const) {
        const res = await call(app, 'SaveChatTopicEntity', { auth: ADM0, body: { ChatTopicId: 0, Name: `Dangling ${prop}`, [prop]: value } });
        assert.equal(res.status, 400, prop);
        assert.equal(res.json.ErrorType, 'SoValidationException');
        assert.match(res.json.ErrorMessage, new RegExp(`${prop} 999`));
      }
      const update = await call(app, 'SaveChatTopicEntity', { auth: ADM0, body: { ChatTopicId: SALES, Name: 'Salg', Language: { Id: 999 } } });
      assert.equal(update.status, 400);
      assert.equal(await count(), topicsBefore);
      assert.equal((await getTopic(app, ADM0, SALES)).json.Language.Value, 'Norsk');
    });

    test('unknown properties, wrong types and negative minutes are a 400', async () => {
      const bodies = [
        { ChatTopicId: 0, Name: 'x', NoSuchProperty: 1 },
        { ChatTopicId: 'one', Name: 'x' },
        { ChatTopicId: 0, Name: 42 },
        { ChatTopicId: 0, Name: 'x', CollectConsent: 'maybe' },
        { ChatTopicId: 0, Name: 'x', WarnNewChatMinutes: -1 },
        { ChatTopicId: 0, Name: 'x', Widget: { Theme: 'Baroque' } },
      ];
      for (const body of bodies) {
        const res = await call(app, 'SaveChatTopicEntity', { auth: ADM0, body });
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.json.Error, true);
      }
      const malformed = await call(app, 'SaveChatTopicEntity', { auth: ADM0, rawBody: '{"Name": ', contentType: 'application/json' });
      assert.equal(malformed.status, 400);
    });

    test('an XML body is accepted', async () => {
      const xml =
        '<?xml version="1.0" encoding="utf-8"?><ChatTopicEntity><ChatTopicId>0</ChatTopicId><Name>Xml topic</Name>' +
        '<CollectConsent>true</CollectConsent><WarnNewChatMinutes>7</WarnNewChatMinutes><OpeningHours><TzLocation><TZLocationCode>SE</TZLocationCode></TzLocation>' +
        '<MonStart>07:00:00</MonStart></OpeningHours><Widget><Theme>Classic</Theme></Widget></ChatTopicEntity>';
      const res = await call(app, 'SaveChatTopicEntity', { auth: ADM0, rawBody: xml, contentType: 'application/xml' });
      assert.equal(res.status, 200, res.body);
      assert.ok(res.json.ChatTopicId > BOT_LAB);
      assert.equal(res.json.Name, 'Xml topic');
      assert.equal(res.json.CollectConsent, true);
      assert.equal(res.json.WarnNewChatMinutes, 7);
      assert.equal(res.json.OpeningHours.TzLocation.TZLocationCode, 'SE');
      assert.equal(res.json.OpeningHours.MonStart, '07:00:00');
      assert.equal(res.json.Widget.Theme, 'Classic');
      const asXml = await call(app, 'SaveChatTopicEntity', {
        auth: ADM0,
        rawBody: xml.replace('Xml topic', 'Xml answer'),
        contentType: 'text/xml',
        headers: { accept: 'application/xml' },
      });
      assert.equal(asXml.status, 200);
      assert.match(asXml.body, /<ChatTopicEntity[^>]*><ChatTopicId>\d+<\/ChatTopicId><Name>Xml answer<\/Name>/);
    });
  });

  describe(`DeleteChatTopicEntity on ${kind}`, { skip }, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp({ kind });
    });
    after(async () => app?.close());

    test('an administrator deletes: 204 without a body, and the topic, its agents, sessions and messages are gone', async () => {
      const sessions = (await app.store.db.selectFrom('chat_sessions').select('id').where('topic_id', '=', GERMANY).execute()).map((r) => r.id);
      assert.ok(sessions.length > 0);
      assert.ok((await app.store.messages.forSession(sessions[0], 0)).length > 0);
      assert.ok((await app.store.topicAgents.forTopic(GERMANY)).length > 0);

      const res = await call(app, 'DeleteChatTopicEntity', { auth: ADM0, query: `ChatTopicEntityId=${GERMANY}` });
      assert.equal(res.status, 204);
      assert.equal(res.body, '');

      assert.equal((await getTopic(app, ADM0, GERMANY)).body, 'null');
      assert.equal(await app.store.topics.byId(GERMANY), undefined);
      assert.deepEqual(await app.store.topicAgents.forTopic(GERMANY), []);
      for (const id of sessions) {
        assert.equal(await app.store.sessions.byId(id), undefined);
        assert.deepEqual(await app.store.messages.forSession(id, 0), []);
      }
      assert.deepEqual(topicIds(await call(app, 'ChatTopicsForUser', { auth: DEU4 })), []);
      assert.deepEqual(await call(app, 'ChatSessionsForUser', { auth: DEU4 }).then((r) => r.json), []);
    });

    test('a freshly created topic with an agent and a session is deleted whole; the id matches in any casing', async () => {
      const id = await createTopic(app);
      await call(app, 'AddChatTopicUserAgent', { auth: ADM0, body: { ChatTopicId: id, Useragent: { User: { UserName: 'ann1' }, CanRespond: true } } });
      const session = await call(app, 'CreateChatSessionForTopic', { auth: ANN1, body: { ChatTopicId: id } });
      assert.equal(session.status, 200);
      const res = await call(app, 'DeleteChatTopicEntity', { auth: ADM0, query: `chattopicentityid=${id}` });
      assert.equal(res.status, 204);
      assert.equal(await app.store.sessions.byId(session.json.ChatSessionId), undefined);
      assert.deepEqual(topicIds(await call(app, 'ChatTopicsForUser', { auth: ANN1 })), [SUPPORT]);
    });

    test('managers and other users get 403 and the topic stays', async () => {
      for (const auth of [OLA2, TJE0, DEU4]) {
        const res = await call(app, 'DeleteChatTopicEntity', { auth, query: `ChatTopicEntityId=${SALES}` });
        assert.equal(res.status, 403);
        assert.equal(res.json.ErrorType, 'SoAccessDeniedException');
      }
      assert.equal((await getTopic(app, OLA2, SALES)).json.Name, 'Salg');
      assert.ok((await app.store.sessions.forMember((await app.store.associates.byUserName('ola2'))!.id, null)).length > 0);
    });

    test('deleting an unknown id answers 204; a missing or non-numeric id is a 400', async () => {
      assert.equal((await call(app, 'DeleteChatTopicEntity', { auth: ADM0, query: 'ChatTopicEntityId=9999' })).status, 204);
      assert.equal((await call(app, 'DeleteChatTopicEntity', { auth: ADM0 })).status, 400);
      assert.equal((await call(app, 'DeleteChatTopicEntity', { auth: ADM0, query: 'ChatTopicEntityId=abc' })).status, 400);
      assert.ok(await app.store.topics.byId(SUPPORT));
    });
  });
}
