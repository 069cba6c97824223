// Chat topics read: the caller's topics, one topic, the default for a new one, and texts in the caller's language.
// The demo data these tests rely on, and the helpers they share: test/helpers/topics-kit.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADM0, ANN1, call, DEU4, OLA2, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';
import { databaseKinds } from '../helpers/databases.ts';

import {
  SVE3,
  SUPPORT,
  SUPPORT_NAME,
  TOPIC_KEYS,
  OPENING_HOURS_KEYS,
  TIME_ZONE_KEYS,
  WIDGET_KEYS,
  BOT_KEYS,
  LIST_ITEM_KEYS,
  topicIds,
  createTopic,
  getTopic,
  SALES,
  SWEDEN,
  GERMANY,
  BOT_LAB,
} from '../helpers/topics-kit.ts';

for (const { kind, skip } of await databaseKinds()) {
  describe(`ChatTopicsForUser on ${kind}`, { skip }, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp({ kind });
    });
    after(async () => app?.close());

    test('membership by any single role: respond+notify, listen only and notify only all count', async () => {
      // tje0: respond+notify on Support, listen on Salg, notify on Support Sverige, nothing on Vertrieb or Bot lab
      const res = await call(app, 'ChatTopicsForUser', { auth: TJE0 });
      assert.equal(res.status, 200);
      assert.deepEqual(topicIds(res), [SUPPORT, SALES, SWEDEN]);
    });

    test('topics where the caller has no role are absent, for administrators too', async () => {
      assert.deepEqual(topicIds(await call(app, 'ChatTopicsForUser', { auth: ANN1 })), [SUPPORT]);
      assert.deepEqual(topicIds(await call(app, 'ChatTopicsForUser', { auth: OLA2 })), [SALES]);
      assert.deepEqual(topicIds(await call(app, 'ChatTopicsForUser', { auth: DEU4 })), [GERMANY]);
      assert.deepEqual(topicIds(await call(app, 'ChatTopicsForUser', { auth: SVE3 })), [SWEDEN]);
      assert.deepEqual(topicIds(await call(app, 'ChatTopicsForUser', { auth: ADM0 })), [SUPPORT, BOT_LAB]);
    });

    test('a role row with all four flags false is no membership; one flag makes the topic appear', async () => {
      const id = await createTopic(app);
      const add = (roles: Record<string, boolean>) =>
        call(app, 'AddChatTopicUserAgent', {
          auth: ADM0,
          body: { ChatTopicId: id, Useragent: { User: { UserName: 'ann1' }, ...roles } },
        });
      assert.equal((await add({ CanListen: false, CanRespond: false, CanManage: false, CanNotify: false })).status, 200);
      assert.deepEqual(topicIds(await call(app, 'ChatTopicsForUser', { auth: ANN1 })), [SUPPORT]);
      for (const flag of ['CanListen', 'CanRespond', 'CanManage', 'CanNotify']) {
        assert.equal((await add({ [flag]: true })).status, 200);
        assert.deepEqual(topicIds(await call(app, 'ChatTopicsForUser', { auth: ANN1 })), [SUPPORT, id], flag);
      }
      assert.equal((await call(app, 'DeleteChatTopicEntity', { auth: ADM0, query: `ChatTopicEntityId=${id}` })).status, 204);
    });

    test('each element is a full ChatTopicEntity in the order of the reference page', async () => {
      const res = await call(app, 'ChatTopicsForUser', { auth: TJE0 });
      for (const t of res.json) assert.deepEqual(Object.keys(t), TOPIC_KEYS);
      const support = res.json[0];
      assert.deepEqual(Object.keys(support.OpeningHours), OPENING_HOURS_KEYS);
      assert.deepEqual(Object.keys(support.Widget), WIDGET_KEYS);
      assert.deepEqual(Object.keys(support.BotSettings), BOT_KEYS);
      assert.deepEqual(Object.keys(support.Language), LIST_ITEM_KEYS);
    });

    test('TableRight follows the role: administrators FULL, managers UR, other members Select', async () => {
      const mask = async (auth: string, id: number) => (await call(app, 'ChatTopicsForUser', { auth })).json.find((t: any) => t.ChatTopicId === id).TableRight;
      assert.deepEqual(await mask(ADM0, SUPPORT), { Mask: 'FULL', Reason: '' });
      assert.deepEqual(await mask(OLA2, SALES), { Mask: 'UR', Reason: '' });
      assert.deepEqual(await mask(TJE0, SALES), { Mask: 'Select', Reason: '' });
    });

    test('$select works on the list', async () => {
      const res = await call(app, 'ChatTopicsForUser', { auth: TJE0, query: '$select=chatTopicId,openingHours/tzLocation' });
      assert.equal(res.status, 200);
      assert.deepEqual(topicIds(res), [SUPPORT, SALES, SWEDEN]);
      assert.equal(res.json[0].Name, null);
      assert.equal(res.json[0].OpeningHours.TzLocation.TZLocationCode, 'NO');
    });
  });

  describe(`GetChatTopicEntity on ${kind}`, { skip }, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp({ kind });
    });
    after(async () => app?.close());

    test('a member gets the whole topic with its nested records, texts untranslated without a language', async () => {
      const res = await getTopic(app, TJE0, SUPPORT);
      assert.equal(res.status, 200);
      assert.match(String(res.headers['content-type']), /^application\/json; charset=utf-8/);
      const t = res.json;
      assert.deepEqual(Object.keys(t), TOPIC_KEYS);
      assert.equal(t.ChatTopicId, SUPPORT);
      assert.equal(t.Name, SUPPORT_NAME);
      assert.equal(t.Description, '[SR_PARLEY_TOPIC_SUPPORT]');
      assert.equal(t.WelcomeMessage, '[SR_PARLEY_WELCOME]');
      assert.equal(t.LastAccept, null);
      assert.equal(t.SecondsPrAccept, 0);
      assert.equal(t.CollectConsent, true);
      assert.equal(t.WarnNewChatMinutes, 2);
      assert.equal(t.WarnManagerChatMessageMinutes, 10);
      assert.deepEqual(t.Language, { Id: t.Language.Id, Value: 'English', Tooltip: 'en', TableRight: { Mask: 'Select', Reason: '' }, FieldProperties: {} });
      assert.deepEqual(Object.keys(t.AlertTemplate), ['ReplyTemplateId', 'Name', 'Description', 'FolderId']);
      assert.equal(t.AlertTemplate.Name, 'Unanswered chat alert');
      assert.equal(t.TicketCategory.Value, 'Chat requests');
      assert.equal(t.TicketPriority.Value, 'Normal');
      assert.deepEqual(Object.keys(t.Widget.AutoFaqCategory), ['KbCategoryId', 'Name', 'Description', 'Fullname', 'ParentId', 'SortOrder']);
      assert.equal(t.Widget.AutoFaqCategory.Name, 'Public FAQ');
      assert.equal(t.Widget.Theme, 'Modern');
      assert.equal(t.Widget.Size, 'Normal');
      assert.equal(t.Widget.RequiredFields, 'None');
      assert.equal(t.OpeningHoursEnabled, false, 'the demo support topic is open around the clock');
      assert.deepEqual(Object.keys(t.OpeningHours.TzLocation), TIME_ZONE_KEYS);
      assert.equal(t.OpeningHours.TzLocation.TZLocationID, 261);
      assert.equal(t.OpeningHours.TzLocation.TZLocationCode, 'NO');
      assert.equal(t.OpeningHours.TzLocation.Name, 'Europe/Oslo');
      assert.equal(t.OpeningHours.MonEnabled, true);
      assert.equal(t.OpeningHours.MonStart, '08:00:00');
      assert.equal(t.OpeningHours.MonStop, '16:00:00');
      assert.equal(t.OpeningHours.SunEnabled, false);
      assert.equal(t.OpeningHours.UseLunchHours, true);
      assert.equal(t.OpeningHours.LunchStart, '11:30:00');
      assert.equal(t.OpeningHours.LunchStop, '12:00:00');
      assert.equal(t.TableRight.Mask, 'Select');
    });

    test('FieldProperties: managers may update all but the server-owned fields, other members only read', async () => {
      const manager = (await getTopic(app, OLA2, SALES)).json;
      assert.deepEqual(manager.TableRight, { Mask: 'UR', Reason: '' });
      assert.equal(manager.FieldProperties.Name.FieldRight.Mask, 'Update');
      assert.equal(manager.FieldProperties.Name.FieldType, 'System.String');
      assert.equal(manager.FieldProperties.Name.FieldLength, 255);
      assert.equal(manager.FieldProperties.WidgetRatingText.FieldLength, 1024);
      assert.equal(manager.FieldProperties.WarnNewChatMinutes.FieldType, 'System.Int32');
      assert.equal(manager.FieldProperties.LastAccept.FieldType, 'System.DateTime');
      for (const owned of ['ChatTopicId', 'LastAccept', 'SecondsPrAccept']) {
        assert.equal(manager.FieldProperties[owned].FieldRight.Mask, 'Read', owned);
      }
      const listener = (await getTopic(app, TJE0, SALES)).json;
      assert.deepEqual(listener.TableRight, { Mask: 'Select', Reason: '' });
      assert.equal(listener.FieldProperties.Name.FieldRight.Mask, 'Read');
    });

    test('the query parameter name matches in any casing', async () => {
      for (const name of ['chatTopicEntityId', 'ChatTopicEntityId', 'CHATTOPICENTITYID', 'chattopicentityid']) {
        const res = await call(app, 'GetChatTopicEntity', { auth: TJE0, query: `${name}=${SALES}` });
        assert.equal(res.status, 200, name);
        assert.equal(res.json.ChatTopicId, SALES, name);
        assert.equal(res.json.Name, 'Salg');
      }
    });

    test('an unknown id answers 200 with a JSON null', async () => {
      for (const id of [9999, 0, -1]) {
        const res = await getTopic(app, ADM0, id);
        assert.equal(res.status, 200);
        assert.equal(res.body, 'null');
      }
    });

    test('a non-member gets null, exactly as for an unknown id; administrators see every topic', async () => {
      const hidden = await getTopic(app, DEU4, SUPPORT);
      assert.equal(hidden.status, 200);
      assert.equal(hidden.body, 'null');
      assert.equal((await getTopic(app, ANN1, SALES)).body, 'null');
      const admin = await getTopic(app, ADM0, GERMANY);
      assert.equal(admin.status, 200);
      assert.equal(admin.json.Name, 'Vertrieb');
      assert.deepEqual(admin.json.TableRight, { Mask: 'FULL', Reason: '' });
    });

    test('a non-numeric, out of range or missing id is a 400', async () => {
      for (const query of ['chatTopicEntityId=glops', 'chatTopicEntityId=1.5', 'chatTopicEntityId=99999999999', 'chatTopicEntityId=', '', 'otherParam=1']) {
        const res = await call(app, 'GetChatTopicEntity', { auth: TJE0, query });
        assert.equal(res.status, 400, query);
        assert.equal(res.json.Error, true);
        assert.match(res.json.ErrorMessage, /chatTopicEntityId/, query);
      }
    });

    test('$select keeps the named properties only', async () => {
      const res = await call(app, 'GetChatTopicEntity', { auth: TJE0, query: `chatTopicEntityId=${SUPPORT}&$select=Name,Language/Value` });
      assert.equal(res.status, 200);
      assert.equal(res.json.Name, SUPPORT_NAME);
      assert.equal(res.json.Description, null);
      assert.equal(res.json.Language.Value, 'English');
      assert.equal(res.json.Language.Id, null);
    });

    test('XML answers a ChatTopicEntity root element', async () => {
      const res = await getTopic(app, TJE0, SALES, { accept: 'application/xml' });
      assert.equal(res.status, 200);
      assert.match(res.body, /^<\?xml version="1.0" encoding="utf-8"\?><ChatTopicEntity[^>]*><ChatTopicId>2<\/ChatTopicId><Name>Salg<\/Name>/);
    });
  });

  describe(`CreateDefaultChatTopicEntity on ${kind}`, { skip }, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp({ kind });
    });
    after(async () => app?.close());

    test('answers an unsaved topic: id 0, weekday hours as "08:00:00" TimeSpan strings, nothing linked', async () => {
      const res = await call(app, 'CreateDefaultChatTopicEntity', { auth: TJE0 });
      assert.equal(res.status, 200);
      const t = res.json;
      assert.deepEqual(Object.keys(t), TOPIC_KEYS);
      assert.deepEqual(Object.keys(t.OpeningHours), OPENING_HOURS_KEYS);
      assert.deepEqual(Object.keys(t.Widget), WIDGET_KEYS);
      assert.deepEqual(Object.keys(t.BotSettings), BOT_KEYS);
      assert.equal(t.ChatTopicId, 0);
      assert.equal(t.Name, '');
      assert.equal(t.TableRight.Mask, 'Select', 'only administrators create topics');
      assert.equal((await call(app, 'CreateDefaultChatTopicEntity', { auth: ADM0 })).json.TableRight.Mask, 'FULL');
      assert.equal(t.Language, null);
      assert.equal(t.AlertTemplate, null);
      assert.equal(t.TicketCategory, null);
      assert.equal(t.TicketPriority, null);
      assert.equal(t.LastAccept, null);
      assert.equal(t.SecondsPrAccept, 0);
      assert.equal(t.OpeningHoursEnabled, false);
      assert.equal(t.OpeningHours.TzLocation, null);
      for (const day of ['Mon', 'Tue', 'Wed', 'Thu', 'Fri']) {
        assert.equal(t.OpeningHours[`${day}Enabled`], true, day);
        assert.equal(t.OpeningHours[`${day}Start`], '08:00:00', day);
        assert.equal(t.OpeningHours[`${day}Stop`], '16:00:00', day);
      }
      assert.equal(t.OpeningHours.SatEnabled, false);
      assert.equal(t.OpeningHours.SunEnabled, false);
      assert.equal(t.OpeningHours.LunchStart, '11:30:00');
      assert.equal(t.OpeningHours.LunchStop, '12:00:00');
      assert.equal(t.Widget.Theme, 'Modern');
      assert.equal(t.Widget.Size, 'Normal');
      assert.equal(t.Widget.RequiredFields, 'None');
      assert.equal(t.Widget.OfflineFields, 'None');
      assert.equal(t.Widget.AutoFaqCategory, null);
      assert.equal(t.BotSettings.BotRegisterScriptId, 0);
    });

    test('administrators, who may create topics, get FULL rights on the default', async () => {
      const res = await call(app, 'CreateDefaultChatTopicEntity', { auth: ADM0 });
      assert.deepEqual(res.json.TableRight, { Mask: 'FULL', Reason: '' });
    });

    test('the default saved back by an administrator creates a topic', async () => {
      const def = (await call(app, 'CreateDefaultChatTopicEntity', { auth: ADM0 })).json;
      const saved = await call(app, 'SaveChatTopicEntity', { auth: ADM0, body: { ...def, Name: 'From the default' } });
      assert.equal(saved.status, 200, saved.body);
      assert.ok(saved.json.ChatTopicId > BOT_LAB);
      assert.deepEqual(saved.json.OpeningHours, { ...def.OpeningHours });
      assert.deepEqual(saved.json.Widget, def.Widget);
    });
  });

  describe(`Topic texts in the caller's language on ${kind}`, { skip }, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp({ kind });
    });
    after(async () => app?.close());

    test('without a language header the multi-language Name and [SR_...] texts come back raw', async () => {
      const res = await getTopic(app, TJE0, SUPPORT);
      assert.equal(res.json.Name, SUPPORT_NAME);
      assert.equal(res.json.Description, '[SR_PARLEY_TOPIC_SUPPORT]');
      assert.equal(res.json.Widget.OfflineHeader, '[SR_PARLEY_OFFLINE_HEADER]');
    });

    test('Accept-Language: nb translates into Norwegian', async () => {
      const res = await getTopic(app, TJE0, SUPPORT, { 'accept-language': 'nb' });
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-language'], 'nb');
      assert.equal(res.json.Name, 'Kundestøtte');
      assert.equal(res.json.Description, 'Kundestøtte');
      assert.equal(res.json.WelcomeMessage, 'Hei! Hva kan vi hjelpe deg med i dag?');
      assert.equal(res.json.Widget.OfflineHeader, 'Beklager, vi har stengt');
      assert.equal(res.json.Widget.OfflineMessage, 'Legg igjen spørsmålet ditt, så svarer vi på e-post.');
    });

    test('SO-Language overrides Accept-Language', async () => {
      const res = await getTopic(app, TJE0, SUPPORT, { 'accept-language': 'nb-NO, en;q=0.5', 'so-language': 'sv' });
      assert.equal(res.headers['content-language'], 'sv');
      assert.equal(res.json.Name, 'Kundtjänst');
      assert.equal(res.json.Description, 'Kundtjänst');
      assert.equal(res.json.WelcomeMessage, 'Hej! Hur kan vi hjälpa dig i dag?');
    });

    test('SO-Language: x (or *) switches translation off, whatever Accept-Language says', async () => {
      for (const off of ['x', '*']) {
        const res = await getTopic(app, TJE0, SUPPORT, { 'accept-language': 'nb', 'so-language': off });
        assert.equal(res.json.Name, SUPPORT_NAME, off);
        assert.equal(res.json.Description, '[SR_PARLEY_TOPIC_SUPPORT]', off);
      }
    });

    test('English, and a language with no texts of its own, read the English ones', async () => {
      const en = await getTopic(app, TJE0, SUPPORT, { 'accept-language': 'en-US' });
      assert.equal(en.json.Name, 'Customer support');
      assert.equal(en.json.Description, 'Customer support');
      const fr = await getTopic(app, TJE0, SUPPORT, { 'accept-language': 'fr' });
      assert.equal(fr.json.Name, 'Customer support');
      assert.equal(fr.json.WelcomeMessage, 'Hi! How can we help you today?');
    });

    test('ChatTopicsForUser translates too; plain names are left alone', async () => {
      const res = await call(app, 'ChatTopicsForUser', { auth: TJE0, headers: { 'accept-language': 'nb' } });
      assert.deepEqual(
        res.json.map((t: any) => t.Name),
        ['Kundestøtte', 'Salg', 'Support Sverige'],
      );
    });
  });
}
