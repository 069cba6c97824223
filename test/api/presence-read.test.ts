// Presence and availability read: GetChatPresence, the user list, and whether a topic is within its opening hours.
// The demo data these tests rely on, and the helpers they share: test/helpers/presence-kit.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import { databaseKinds } from '../helpers/databases.ts';
import { ADM0, ANN1, call, DEU4, OLA2, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';

import {
  SUPPORT,
  PRESENCE_KEYS,
  ITEM_KEYS,
  SELECT,
  UR,
  SERVER_OWNED_FIELDS,
  assertError,
  userIds,
  presence,
  savePresence,
  userList,
  rowOf,
  startClockedApp,
  SALES,
  SWEDEN,
  GERMANY,
  BOT_LAB,
} from '../helpers/presence-kit.ts';

for (const { kind, skip } of await databaseKinds()) {
  describe(`GetChatPresence on ${kind}`, { skip }, () => {
    let app: TestApp;
    let ids: Record<string, number>;
    before(async () => {
      app = await startTestApp({ kind });
      ids = await userIds(app);
    });
    after(async () => app?.close());

    test('every user, ordered by UserId, each a ChatPresence in the order of the reference page', async () => {
      const res = await presence(app, TJE0);
      assert.equal(res.status, 200);
      assert.match(String(res.headers['content-type']), /^application\/json; charset=utf-8/);
      for (const p of res.json) assert.deepEqual(Object.keys(p), PRESENCE_KEYS);
      const { adm0, tje0, ann1, ola2, sve3, deu4 } = ids;
      assert.deepEqual(
        res.json.map((p: any) => [p.UserId, p.DisplayName, p.OngoingChats, p.Present, p.ChatTopics]),
        [
          [adm0, 'Ada Admin', 0, true, [SUPPORT, BOT_LAB]],
          // tje0 owns one CustomerLast and one UserLast session; the Finished one does not count.
          [tje0, 'Tor Jensen', 2, true, [SUPPORT, SALES, SWEDEN]],
          [ann1, 'Anne Berg', 1, true, [SUPPORT]],
          [ola2, 'Ola Nordmann', 1, false, [SALES]],
          [sve3, 'Sven Svensson', 0, true, [SWEDEN]],
          [deu4, 'Dieter Deutsch', 1, false, [GERMANY]],
        ],
      );
    });

    test('OngoingChats counts the sessions a user owns in status CustomerLast or UserLast only', async () => {
      const db = app.store.db;
      const ingrid = await db.selectFrom('chat_sessions').select('id').where('customer_name', '=', 'Ingrid').executeTakeFirstOrThrow();
      const count = async () => rowOf(await presence(app, ADM0), ids.tje0).OngoingChats;
      try {
        for (const [status, expected] of [
          [5, 3],
          [6, 3],
          [4, 2],
          [7, 2],
          [9, 2],
        ] as const) {
          await db.updateTable('chat_sessions').set({ status }).where('id', '=', ingrid.id).execute();
          assert.equal(await count(), expected, `status ${status}`);
        }
      } finally {
        await db.updateTable('chat_sessions').set({ status: 7 }).where('id', '=', ingrid.id).execute();
      }
    });

    test("TableRight: UR on the caller's own row, Select on others; field exceptions only where updatable", async () => {
      const res = await presence(app, ANN1);
      for (const p of res.json) {
        if (p.UserId === ids.ann1) {
          assert.deepEqual(p.TableRight, UR);
          assert.deepEqual(p.FieldProperties, SERVER_OWNED_FIELDS);
        } else {
          assert.deepEqual(p.TableRight, SELECT, `row ${p.UserId}`);
          assert.deepEqual(p.FieldProperties, {});
        }
      }
    });

    test('administrators may update every row; managers the rows of those who can respond in their topics', async () => {
      for (const p of (await presence(app, ADM0)).json) assert.deepEqual(p.TableRight, UR);
      // ola2 manages Salg, where tje0 only listens; ann1 and deu4 are not in Salg.
      const ola = await presence(app, OLA2);
      assert.deepEqual(rowOf(ola, ids.ola2).TableRight, UR);
      assert.deepEqual(rowOf(ola, ids.tje0).TableRight, SELECT, "a listener in ola2's topic is not ola2's agent");
      assert.deepEqual(rowOf(ola, ids.ann1).TableRight, SELECT);
      assert.deepEqual(rowOf(ola, ids.deu4).TableRight, SELECT);
      await app.store.topicAgents.upsert({ topicId: SALES, associateId: ids.ann1, canListen: false, canRespond: true, canManage: false, canNotify: false });
      assert.deepEqual(rowOf(await presence(app, OLA2), ids.ann1).TableRight, UR, 'ann1 responds in Salg now');
      await app.store.topicAgents.remove(SALES, ids.ann1);
      // tje0 only listens in Salg: no manager there.
      assert.deepEqual(rowOf(await presence(app, TJE0), ids.ola2).TableRight, SELECT);
    });

    test('a role row with all four roles off is no topic; retired users are left out', async () => {
      const id = (await app.store.associates.byUserName('ann1'))!.id;
      await app.store.topicAgents.upsert({ topicId: GERMANY, associateId: id, canListen: false, canRespond: false, canManage: false, canNotify: false });
      assert.deepEqual(rowOf(await presence(app, TJE0), id).ChatTopics, [SUPPORT]);
      await app.store.topicAgents.remove(GERMANY, id);

      const retired = await app.store.associates.insert(
        { userName: 'old9', fullName: 'Old Timer', passwordHash: null, isAdmin: false, present: true },
        new Date(),
      );
      await app.store.db.updateTable('associates').set({ deleted: 1 }).where('id', '=', retired).execute();
      const res = await presence(app, TJE0);
      assert.equal(rowOf(res, retired), undefined);
      assert.equal(res.json.length, 6);
    });

    test('$select nulls what is not selected, per element', async () => {
      const res = await presence(app, TJE0, '$select=userId,present');
      assert.equal(res.status, 200);
      assert.equal(res.json.length, 6);
      for (const p of res.json) {
        assert.equal(typeof p.UserId, 'number');
        assert.equal(typeof p.Present, 'boolean');
        assert.equal(p.DisplayName, null);
        assert.equal(p.ChatTopics, null);
      }
    });

    test('XML: ArrayOfChatPresence with int elements for ChatTopics', async () => {
      const res = await presence(app, TJE0, undefined, { accept: 'application/xml' });
      assert.equal(res.status, 200);
      assert.equal(XMLValidator.validate(res.body), true);
      assert.match(res.body, /^<\?xml version="1.0" encoding="utf-8"\?><ArrayOfChatPresence[ >]/);
      assert.match(
        res.body,
        new RegExp(
          `<ChatPresence><UserId>${ids.tje0}</UserId><DisplayName>Tor Jensen</DisplayName><OngoingChats>2</OngoingChats><Present>true</Present><ChatTopics><int>1</int><int>2</int><int>3</int></ChatTopics><TableRight><Mask>UR</Mask>`,
        ),
      );
      assert.match(
        res.body,
        new RegExp(
          `<ChatPresence><UserId>${ids.adm0}</UserId><DisplayName>Ada Admin</DisplayName>.*?<TableRight><Mask>Select</Mask><Reason></Reason></TableRight><FieldProperties></FieldProperties></ChatPresence>`,
        ),
      );
    });

    test('a polled list: ETag and 304 while nothing changed, a fresh answer after a presence change', async () => {
      const first = await presence(app, TJE0);
      const etag = String(first.headers.etag);
      assert.ok(etag);
      const again = await app.server.inject({
        method: 'POST',
        url: '/api/v1/Agents/Chat/GetChatPresence',
        headers: { authorization: TJE0, 'if-none-match': etag },
      });
      assert.equal(again.statusCode, 304);
      // Saving the presence a user already has writes nothing, so the cached answers stay valid.
      assert.equal((await savePresence(app, TJE0, [{ UserId: ids.tje0, Present: true }])).status, 204);
      assert.equal(String((await presence(app, TJE0)).headers.etag), etag);
      assert.equal((await savePresence(app, TJE0, [{ UserId: ids.tje0, Present: false }])).status, 204);
      const after = await presence(app, TJE0);
      assert.notEqual(after.headers.etag, etag);
      assert.equal(rowOf(after, ids.tje0).Present, false);
      assert.equal((await savePresence(app, TJE0, [{ UserId: ids.tje0, Present: true }])).status, 204);
    });
  });
}

for (const { kind, skip } of await databaseKinds()) {
  describe(`GetUserAgentList on ${kind}`, { skip }, () => {
    let app: TestApp;
    let ids: Record<string, number>;
    before(async () => {
      app = await startTestApp({ kind });
      ids = await userIds(app);
    });
    after(async () => app?.close());

    const user = (name: string, fullName: string, rank: number) => ({
      Id: ids[name],
      Name: fullName,
      ToolTip: name,
      Deleted: false,
      Rank: rank,
      Type: 'associate',
      ChildItems: [],
      IconHint: '',
      ColorBlock: 0,
      ExtraInfo: '',
      StyleHint: '',
      FullName: fullName,
      TableRight: SELECT,
      FieldProperties: {},
    });
    const group = (id: number, name: string, rank: number, children: unknown[]) => ({
      Id: id,
      Name: name,
      ToolTip: name,
      Deleted: false,
      Rank: rank,
      Type: 'group',
      ChildItems: children,
      IconHint: '',
      ColorBlock: 0,
      ExtraInfo: '',
      StyleHint: '',
      FullName: name,
      TableRight: SELECT,
      FieldProperties: {},
    });
    const names = (items: any[]) => items.map((i) => i.Name);

    test('Flat and OnlyPresent are required booleans', async () => {
      assertError(await call(app, 'GetUserAgentList', { auth: TJE0, body: { Flat: true } }), 400, 'SoBadRequestException', /OnlyPresent is required/);
      assertError(await call(app, 'GetUserAgentList', { auth: TJE0 }), 400, 'SoBadRequestException', /Flat, OnlyPresent are required/);
      assertError(await call(app, 'GetUserAgentList', { auth: TJE0, body: { Flat: 'yes', OnlyPresent: false } }), 400, 'SoBadRequestException', /Flat/);
    });

    test('flat: one MDOListItem per user, sorted by name, in the order of the reference page', async () => {
      const res = await userList(app, TJE0, true, false);
      assert.equal(res.status, 200);
      for (const item of res.json) assert.deepEqual(Object.keys(item), ITEM_KEYS);
      assert.deepEqual(res.json, [
        user('adm0', 'Ada Admin', 1),
        user('ann1', 'Anne Berg', 2),
        user('deu4', 'Dieter Deutsch', 3),
        user('ola2', 'Ola Nordmann', 4),
        user('sve3', 'Sven Svensson', 5),
        user('tje0', 'Tor Jensen', 6),
      ]);
      // Any user gets the same list; administrators too.
      assert.deepEqual((await userList(app, ADM0, true, false)).json, res.json);
    });

    test('flat, OnlyPresent: only the users whose presence is on', async () => {
      const res = await userList(app, TJE0, true, true);
      assert.deepEqual(names(res.json), ['Ada Admin', 'Anne Berg', 'Sven Svensson', 'Tor Jensen']);
      assert.deepEqual(
        res.json.map((i: any) => i.Rank),
        [1, 2, 3, 4],
      );
    });

    test('tree: one group per user group, ids -1, -2, ... in name order, users as ChildItems', async () => {
      const res = await userList(app, TJE0, false, false);
      assert.equal(res.status, 200);
      assert.deepEqual(res.json, [
        group(-1, 'Administration', 1, [user('adm0', 'Ada Admin', 1)]),
        group(-2, 'Sales', 2, [user('deu4', 'Dieter Deutsch', 1), user('ola2', 'Ola Nordmann', 2)]),
        group(-3, 'Support', 3, [user('ann1', 'Anne Berg', 1), user('sve3', 'Sven Svensson', 2), user('tje0', 'Tor Jensen', 3)]),
      ]);
    });

    test('tree, OnlyPresent: absent users are left out, a group left empty is dropped, the others keep their ids', async () => {
      const res = await userList(app, TJE0, false, true);
      assert.deepEqual(
        res.json.map((g: any) => [g.Id, g.Name, names(g.ChildItems)]),
        [
          [-1, 'Administration', ['Ada Admin']],
          [-3, 'Support', ['Anne Berg', 'Sven Svensson', 'Tor Jensen']],
        ],
      );
    });

    test('$select works on the list and into ChildItems', async () => {
      const res = await userList(app, TJE0, false, false, undefined, '$select=Id,childItems/Name');
      assert.equal(res.status, 200);
      assert.equal(res.json[0].Id, -1);
      assert.equal(res.json[0].Name, null);
      assert.deepEqual(
        res.json[0].ChildItems.map((c: any) => [c.Id, c.Name]),
        [[null, 'Ada Admin']],
      );
    });

    test('XML: ArrayOfMDOListItem, with the children as MDOListItem elements', async () => {
      const res = await userList(app, TJE0, false, false, { accept: 'application/xml' });
      assert.equal(res.status, 200);
      assert.equal(XMLValidator.validate(res.body), true);
      assert.match(res.body, /^<\?xml version="1.0" encoding="utf-8"\?><ArrayOfMDOListItem[^>]*><MDOListItem><Id>-1<\/Id><Name>Administration<\/Name>/);
      assert.match(
        res.body,
        new RegExp(`<ChildItems><MDOListItem><Id>${ids.adm0}</Id><Name>Ada Admin</Name><ToolTip>adm0</ToolTip>.*?<ChildItems></ChildItems>`),
      );
    });

    test('users without a group gather last under [SR_PARLEY_GROUP_NONE], translated with a language; retired users are left out', async () => {
      const zed = await app.store.associates.insert(
        { userName: 'zed5', fullName: 'Zed Zulu', passwordHash: null, isAdmin: false, groupName: '', present: false },
        new Date(),
      );
      const old = await app.store.associates.insert(
        { userName: 'old9', fullName: 'Aaron Old', passwordHash: null, isAdmin: false, groupName: 'Alumni', present: true },
        new Date(),
      );
      await app.store.db.updateTable('associates').set({ deleted: 1 }).where('id', '=', old).execute();

      const raw = await userList(app, TJE0, false, false);
      assert.deepEqual(
        raw.json.map((g: any) => [g.Id, g.Name, g.FullName, names(g.ChildItems)]),
        [
          [-1, 'Administration', 'Administration', ['Ada Admin']],
          [-2, 'Sales', 'Sales', ['Dieter Deutsch', 'Ola Nordmann']],
          [-3, 'Support', 'Support', ['Anne Berg', 'Sven Svensson', 'Tor Jensen']],
          [-4, '[SR_PARLEY_GROUP_NONE]', '[SR_PARLEY_GROUP_NONE]', ['Zed Zulu']],
        ],
      );
      assert.equal(raw.json[3].ChildItems[0].Id, zed);
      const nb = await userList(app, TJE0, false, false, { 'accept-language': 'nb' });
      assert.equal(nb.headers['content-language'], 'nb');
      assert.deepEqual([nb.json[3].Name, nb.json[3].ToolTip, nb.json[3].FullName], ['Ingen gruppe', 'Ingen gruppe', 'Ingen gruppe']);
      assert.equal((await userList(app, TJE0, false, false, { 'accept-language': 'en' })).json[3].Name, 'No group');
      assert.equal((await userList(app, TJE0, false, false, { 'so-language': 'de' })).json[3].Name, 'Keine Gruppe');
      // zed5 is away: OnlyPresent drops the group-less node.
      assert.deepEqual(names((await userList(app, TJE0, false, true)).json), ['Administration', 'Support']);
      const flat = await userList(app, TJE0, true, false);
      assert.deepEqual(names(flat.json), ['Ada Admin', 'Anne Berg', 'Dieter Deutsch', 'Ola Nordmann', 'Sven Svensson', 'Tor Jensen', 'Zed Zulu']);
    });
  });
}

for (const { kind, skip } of await databaseKinds()) {
  describe(`IsWithinOpeningHours on ${kind}`, { skip }, () => {
    let app: Awaited<ReturnType<typeof startClockedApp>>;
    before(async () => {
      app = await startClockedApp(kind);
    });
    after(async () => app?.close());

    const isOpen = (auth: string, topicId: unknown, headers?: Record<string, string>, query?: string) =>
      call(app, 'IsWithinOpeningHours', { auth, body: { ChatTopicId: topicId }, headers, query });
    /** A topic the administrator creates with these opening hours; answers its id. */
    async function createTopic(openingHours: Record<string, unknown>, enabled = true) {
      const res = await call(app, 'SaveChatTopicEntity', {
        auth: ADM0,
        body: { ChatTopicId: 0, Name: `Hours ${Math.random()}`, OpeningHoursEnabled: enabled, OpeningHours: openingHours },
      });
      assert.equal(res.status, 200, res.body);
      return res.json.ChatTopicId as number;
    }

    test('bad input is a 400; an unknown topic a 404', async () => {
      assertError(await call(app, 'IsWithinOpeningHours', { auth: TJE0, body: {} }), 400, 'SoBadRequestException', /ChatTopicId is required/);
      assertError(await isOpen(TJE0, 'one'), 400, 'SoBadRequestException', /ChatTopicId/);
      assertError(await isOpen(TJE0, 987654), 404, 'SoNotFoundException', /987654/);
    });

    test("a bare JSON boolean, in the topic's zone: weekdays 08:00-16:00 Oslo time with lunch 11:30-12:00", async () => {
      const weekdays = Object.fromEntries(
        ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'].flatMap((d) => [
          [`${d}Enabled`, true],
          [`${d}Start`, '08:00:00'],
          [`${d}Stop`, '16:00:00'],
        ]),
      );
      const id = await createTopic({
        TzLocation: { TZLocationCode: 'NO' },
        ...weekdays,
        SatEnabled: false,
        SunEnabled: false,
        UseLunchHours: true,
        LunchStart: '11:30:00',
        LunchStop: '12:00:00',
      });
      const at = async (iso: string) => {
        app.setTime(iso);
        const res = await isOpen(TJE0, id);
        assert.equal(res.status, 200, res.body);
        assert.match(String(res.headers['content-type']), /^application\/json; charset=utf-8/);
        assert.ok(res.body === 'true' || res.body === 'false', res.body);
        return res.json as boolean;
      };
      // 2026-01-05 is a Monday; Oslo is UTC+1.
      assert.equal(await at('2026-01-05T06:59:00Z'), false, '07:59');
      assert.equal(await at('2026-01-05T07:00:00Z'), true, '08:00');
      assert.equal(await at('2026-01-05T10:30:00Z'), false, '11:30, lunch');
      assert.equal(await at('2026-01-05T11:00:00Z'), true, '12:00');
      assert.equal(await at('2026-01-05T15:00:00Z'), false, '16:00');
      assert.equal(await at('2026-01-10T10:00:00Z'), false, 'Saturday');
      // Summer time: 08:00 in Oslo is 06:00 UTC.
      assert.equal(await at('2026-07-06T05:59:00Z'), false, 'Monday 07:59 CEST');
      assert.equal(await at('2026-07-06T06:00:00Z'), true, 'Monday 08:00 CEST');
    });

    test('a topic without opening hours in use is always open; any user may ask about any topic', async () => {
      const closedDays = Object.fromEntries(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].map((d) => [`${d}Enabled`, false]));
      const off = await createTopic(closedDays, false);
      const on = await createTopic(closedDays, true);
      app.setTime('2026-01-07T12:00:00Z'); // Wednesday noon
      assert.equal((await isOpen(TJE0, off)).body, 'true');
      assert.equal((await isOpen(TJE0, on)).body, 'false');
      // Nobody holds a role in these new topics; deu4 asks all the same.
      assert.equal((await isOpen(DEU4, off)).body, 'true');
      assert.equal((await isOpen(DEU4, on)).body, 'false');
    });

    test('no topic zone reads the hours in the server zone; the topic zone wins when set', async () => {
      const hours = { MonEnabled: true, MonStart: '08:00:00', MonStop: '16:00:00' };
      const serverZone = await createTopic({ ...hours, TzLocation: null });
      const newYork = await createTopic({ ...hours, TzLocation: { TZLocationCode: 'US-NY' } });
      app.setTime('2026-01-05T07:30:00Z'); // 08:30 in Oslo (the test server's zone), 02:30 in New York
      assert.equal((await isOpen(TJE0, serverZone)).body, 'true');
      assert.equal((await isOpen(TJE0, newYork)).body, 'false');
      app.setTime('2026-01-05T15:30:00Z'); // 16:30 in Oslo, 10:30 in New York
      assert.equal((await isOpen(TJE0, serverZone)).body, 'false');
      assert.equal((await isOpen(TJE0, newYork)).body, 'true');
      // Turning the hours off opens the topic.
      const off = await createTopic({ ...hours, TzLocation: { TZLocationCode: 'US-NY' } }, false);
      app.setTime('2026-01-05T07:30:00Z');
      assert.equal((await isOpen(TJE0, off)).body, 'true');
    });

    test('DST in New York through the API: Sunday 2026-03-08 opens at 08:00 EDT (12:00 UTC)', async () => {
      const id = await createTopic({ TzLocation: { TZLocationCode: 'US-NY' }, SunEnabled: true, SunStart: '08:00:00', SunStop: '16:00:00' });
      app.setTime('2026-03-08T11:59:00Z');
      assert.equal((await isOpen(TJE0, id)).body, 'false');
      app.setTime('2026-03-08T12:00:00Z');
      assert.equal((await isOpen(TJE0, id)).body, 'true');
    });

    test('hours past midnight: Friday 22:00-02:00 is still open early Saturday', async () => {
      const id = await createTopic({ TzLocation: { TZLocationCode: 'NO' }, FriEnabled: true, FriStart: '22:00:00', FriStop: '02:00:00', SatEnabled: false });
      app.setTime('2026-01-10T00:30:00Z'); // Saturday 01:30 in Oslo
      assert.equal((await isOpen(TJE0, id)).body, 'true');
      app.setTime('2026-01-10T01:00:00Z'); // Saturday 02:00
      assert.equal((await isOpen(TJE0, id)).body, 'false');
    });

    test('XML answers <boolean>; $select is accepted and ignored', async () => {
      const id = await createTopic({ TzLocation: { TZLocationCode: 'NO' }, MonEnabled: true, MonStart: '08:00:00', MonStop: '16:00:00' });
      app.setTime('2026-01-05T09:00:00Z');
      const xml = await isOpen(TJE0, id, { accept: 'application/xml' });
      assert.equal(xml.status, 200);
      assert.match(String(xml.headers['content-type']), /^application\/xml; charset=utf-8/);
      assert.equal(xml.body, '<?xml version="1.0" encoding="utf-8"?><boolean>true</boolean>');
      app.setTime('2026-01-05T16:00:00Z');
      assert.equal((await isOpen(TJE0, id, { accept: 'text/xml' })).body, '<?xml version="1.0" encoding="utf-8"?><boolean>false</boolean>');
      const selected = await isOpen(TJE0, id, undefined, '$select=NoSuchProperty');
      assert.equal(selected.status, 200, selected.body);
      assert.equal(selected.body, 'false');
    });
  });
}
