// The founding page: ChatSessionsForUser lists the sessions of every topic where the caller holds any role.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADM0, call, DEU4, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { SESSION_KEYS } from '../helpers/sessions-kit.ts';

for (const { kind, skip } of await databaseKinds()) {
  describe(`ChatSessionsForUser on ${kind}`, { skip }, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp({ kind });
    });
    after(async () => app?.close());

    test('the sample request of the reference page answers the sessions of every topic tje0 is a member of', async () => {
      const res = await call(app, 'ChatSessionsForUser', {
        auth: 'Basic dGplMDpUamUw',
        headers: { accept: 'application/json; charset=utf-8', 'accept-language': 'en' },
      });
      assert.equal(res.status, 200);
      assert.match(String(res.headers['content-type']), /^application\/json; charset=utf-8/);
      const topics = new Set(res.json.map((s: any) => s.TopicId));
      // tje0: respond+notify on Support (1), listen on Salg (2), notify on Support Sverige (3); nothing on Vertrieb (4)
      assert.deepEqual([...topics].sort(), [1, 2, 3]);
      assert.ok(
        res.json.every((s: any) => s.Status !== 'Deleted'),
        'Deleted sessions are left out',
      );
      const ids = res.json.map((s: any) => s.ChatSessionId);
      assert.deepEqual(
        ids,
        [...ids].sort((a: number, b: number) => a - b),
        'ordered by id',
      );
    });

    test('each element has every property of the reference page, in its order', async () => {
      const res = await call(app, 'ChatSessionsForUser', { auth: TJE0 });
      assert.deepEqual(Object.keys(res.json[0]), SESSION_KEYS);
      const typing = res.json.find((s: any) => s.CustomerName === 'Mia');
      assert.equal(typing.Flags, 'UserIsTyping');
      assert.equal(res.json.find((s: any) => s.CustomerName === 'Lars Lund').Flags, 'CustomerIsTyping');
      assert.match(res.json[0].WhenRequested, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?[+-]\d\d:\d\d$/);
    });

    test('a user in no topic gets an empty list; membership by any single role counts', async () => {
      const deu = await call(app, 'ChatSessionsForUser', { auth: DEU4 });
      assert.deepEqual([...new Set(deu.json.map((s: any) => s.TopicId))], [4]);
      const uid = await app.store.associates.insert({ userName: 'nobody', fullName: 'No Body', passwordHash: null, isAdmin: false }, new Date());
      const res = await call(app, 'ChatSessionsForUser', { auth: ADM0 });
      assert.ok(res.json.length > 0);
      // A user with a role row whose four flags are all false is not a member.
      await app.store.topicAgents.upsert({ topicId: 4, associateId: uid, canListen: false, canRespond: false, canManage: false, canNotify: false });
      assert.deepEqual(await app.store.sessions.forMember(uid, null), []);
      await app.store.topicAgents.upsert({ topicId: 4, associateId: uid, canListen: true, canRespond: false, canManage: false, canNotify: false });
      assert.deepEqual(
        (await app.store.sessions.forMember(uid, null)).map((s) => s.topicId),
        [4],
      );
    });

    test('TableRight follows the role; list FieldProperties name only the fields that differ from it', async () => {
      const res = await call(app, 'ChatSessionsForUser', { auth: TJE0 });
      const support = res.json.find((s: any) => s.TopicId === 1);
      const sales = res.json.find((s: any) => s.TopicId === 2);
      assert.deepEqual(support.TableRight, { Mask: 'URI', Reason: '' });
      assert.deepEqual(sales.TableRight, { Mask: 'Select', Reason: '' });
      // A responder may update the row, except the fields the server owns and those only managers change.
      assert.deepEqual(Object.keys(support.FieldProperties).sort(), [
        'AlertLevel',
        'ChatSessionId',
        'ChatbotIsActive',
        'CustomerConsented',
        'InitialQueuePos',
        'Rank',
        'Rating',
        'SessionKey',
        'TopicId',
      ]);
      for (const field of ['TopicId', 'Rating', 'AlertLevel', 'CustomerConsented']) {
        assert.deepEqual(support.FieldProperties[field].FieldRight, { Mask: 'Read', Reason: '[SR_PARLEY_FIELD_MANAGERS_ONLY]' }, field);
      }
      assert.equal(support.FieldProperties.SessionKey.FieldRight.Mask, 'Read');
      assert.deepEqual(support.FieldProperties.ChatbotIsActive.FieldRight, { Mask: 'Read', Reason: '[SR_PARLEY_FIELD_MANAGERS_ONLY]' });
      assert.deepEqual(support.FieldProperties.Rank.FieldRight, { Mask: 'Read', Reason: '[SR_PARLEY_FIELD_SERVER_OWNED]' });
      // A manager changes who has the chat; only what the server owns is an exception.
      const managed = (await call(app, 'ChatSessionsForUser', { auth: ADM0 })).json.find((s: any) => s.TopicId === 1);
      assert.deepEqual(Object.keys(managed.FieldProperties).sort(), ['ChatSessionId', 'InitialQueuePos', 'Rank', 'SessionKey']);
      // A listener reads everything, as TableRight already says: no exceptions to list.
      assert.deepEqual(sales.FieldProperties, {});
      // The single entity carries every field with its type and length, for editing.
      const one = await call(app, 'GetChatSessionEntity', { auth: TJE0, query: `chatSessionEntityId=${support.ChatSessionId}` });
      assert.equal(one.json.FieldProperties.CustomerName.FieldRight.Mask, 'Update');
      assert.equal(one.json.FieldProperties.CustomerName.FieldLength, 255);
      assert.equal(one.json.FieldProperties.CustomerName.FieldType, 'System.String');
      assert.equal(one.json.FieldProperties.WhenRequested.FieldType, 'System.DateTime');
      assert.equal(one.json.FieldProperties.SessionKey.FieldRight.Mask, 'Read');
    });

    test("SessionKey, the visitor's credential, is kept as a digest: no list or read shows it, a responder or a manager neither", async () => {
      const res = await call(app, 'ChatSessionsForUser', { auth: TJE0 });
      const support = res.json.filter((s: any) => s.TopicId === 1);
      const sales = res.json.filter((s: any) => s.TopicId === 2);
      assert.ok(support.length && sales.length);
      for (const s of [...support, ...sales]) assert.equal(s.SessionKey, '');
      const managed = await call(app, 'GetChatSessionEntity', { auth: ADM0, query: `chatSessionEntityId=${sales[0].ChatSessionId}` });
      assert.equal(managed.status, 200);
      assert.equal(managed.json.SessionKey, '');
      const stored = await app.store.db
        .selectFrom('chat_sessions')
        .select('session_key_digest')
        .where('id', '=', sales[0].ChatSessionId)
        .executeTakeFirstOrThrow();
      assert.match(stored.session_key_digest, /^[0-9a-f]{64}$/);
    });

    test('$select nulls everything else, nested paths keep only the named child', async () => {
      const res = await call(app, 'ChatSessionsForUser', { auth: TJE0, query: '$select=status,TopicId,user/fullname' });
      assert.equal(res.status, 200);
      const owned = res.json.find((s: any) => s.User);
      assert.ok(owned.Status && owned.TopicId);
      assert.equal(owned.CustomerName, null);
      assert.equal(owned.TableRight, null);
      assert.equal(owned.User.FullName, 'Tor Jensen');
      assert.equal(owned.User.AssociateId, null);
      const bad = await call(app, 'ChatSessionsForUser', { auth: TJE0, query: '$select=Status,NoSuchField' });
      assert.equal(bad.status, 400);
      assert.match(bad.json.ErrorMessage, /NoSuchField/);
    });

    test('SO-TimeZone shifts dates and drops the offset; includeTZOffset adds +hhmm', async () => {
      const plain = await call(app, 'ChatSessionsForUser', { auth: TJE0, query: '$select=WhenRequested' });
      const ny = await call(app, 'ChatSessionsForUser', { auth: TJE0, query: '$select=WhenRequested', headers: { 'so-timezone': 'US-NY' } });
      const nyOffset = await call(app, 'ChatSessionsForUser', {
        auth: TJE0,
        query: '$select=WhenRequested',
        headers: { 'so-timezone': 'US-NY,includeTZOffset' },
      });
      const instant = Date.parse(plain.json[0].WhenRequested);
      assert.match(ny.json[0].WhenRequested, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?$/);
      assert.match(nyOffset.json[0].WhenRequested, /-0[45]00$/);
      const withColon = nyOffset.json[0].WhenRequested.replace(/([+-]\d\d)(\d\d)$/, '$1:$2');
      assert.equal(Date.parse(withColon), instant);
      const unknown = await call(app, 'ChatSessionsForUser', { auth: TJE0, headers: { 'so-timezone': 'Mars/Olympus' } });
      assert.equal(unknown.status, 400);
    });

    test('XML is answered as ArrayOfChatSessionEntity', async () => {
      const res = await call(app, 'ChatSessionsForUser', { auth: TJE0, headers: { accept: 'application/xml' } });
      assert.equal(res.status, 200);
      assert.match(String(res.headers['content-type']), /^application\/xml/);
      assert.match(res.body, /^<\?xml version="1.0" encoding="utf-8"\?><ArrayOfChatSessionEntity[^>]*><ChatSessionEntity><ChatSessionId>\d+<\/ChatSessionId>/);
    });

    test("polling: a write elsewhere that leaves the caller's list as it was still answers 304", async () => {
      const first = await call(app, 'ChatSessionsForUser', { auth: TJE0 });
      const etag = String(first.headers.etag);
      // A session of a topic where tje0 holds no role (Vertrieb, in the demo data).
      const tje0 = (await app.store.associates.byUserName('tje0'))!.id;
      const foreign = await app.store.db
        .selectFrom('chat_sessions')
        .select('id')
        .where('topic_id', 'not in', app.store.db.selectFrom('chat_topic_agents').select('topic_id').where('associate_id', '=', tje0))
        .executeTakeFirstOrThrow();
      assert.ok(!first.json.some((m: any) => m.ChatSessionId === Number(foreign.id)));
      const version = await app.store.dataVersion();
      await app.store.db.updateTable('chat_sessions').set({ customer_name: 'Not for tje0' }).where('id', '=', foreign.id).execute();
      assert.ok((await app.store.dataVersion()) > version, 'the database did change');
      const again = await call(app, 'ChatSessionsForUser', { auth: TJE0, headers: { 'if-none-match': etag } });
      assert.equal(again.status, 304);
      assert.equal(again.headers.etag, etag);
    });

    test('polling: an unchanged list answers 304 to If-None-Match; a write the caller sees changes it', async () => {
      const first = await call(app, 'ChatSessionsForUser', { auth: TJE0 });
      const etag = String(first.headers.etag);
      assert.match(etag, /^W\/".+"$/);
      const again = await call(app, 'ChatSessionsForUser', { auth: TJE0, headers: { 'if-none-match': etag } });
      assert.equal(again.status, 304);
      assert.equal(again.body, '');
      const other = await call(app, 'ChatSessionsForUser', { auth: ADM0 });
      assert.notEqual(other.headers.etag, etag, 'ETags are per caller');
      const norwegian = await call(app, 'ChatSessionsForUser', { auth: TJE0, headers: { 'accept-language': 'nb' } });
      assert.notEqual(norwegian.headers.etag, etag, 'and per language');
      // A write straight to the database (another process or instance) is seen too: triggers bump the version.
      const session = first.json.find((s: any) => s.TopicId === 1);
      await app.store.db.updateTable('chat_sessions').set({ customer_name: 'Renamed elsewhere' }).where('id', '=', session.ChatSessionId).execute();
      const changed = await call(app, 'ChatSessionsForUser', { auth: TJE0, headers: { 'if-none-match': etag } });
      assert.equal(changed.status, 200);
      assert.notEqual(changed.headers.etag, etag);
      assert.equal(changed.json.find((s: any) => s.ChatSessionId === session.ChatSessionId).CustomerName, 'Renamed elsewhere');
    });

    test('GetChatMessages polling: 304 while nothing changed, per session and After; a new message changes it', async () => {
      const list = await call(app, 'ChatSessionsForUser', { auth: TJE0 });
      const mine = list.json.find((s: any) => s.User?.UserName === 'tje0' && ['CustomerLast', 'UserLast'].includes(s.Status));
      const body = { ChatSessionId: mine.ChatSessionId, After: 0 };
      const first = await call(app, 'GetChatMessages', { auth: TJE0, body });
      const etag = String(first.headers.etag);
      assert.equal((await call(app, 'GetChatMessages', { auth: TJE0, body, headers: { 'if-none-match': etag } })).status, 304);
      // After below 0 means from the start, as 0 does: one answer (and one cache entry), not one per number.
      for (const after of [-1, -2, -1_000_000]) {
        assert.equal(
          (await call(app, 'GetChatMessages', { auth: TJE0, body: { ...body, After: after }, headers: { 'if-none-match': etag } })).status,
          304,
          `After ${after}`,
        );
      }
      const other = await call(app, 'GetChatMessages', { auth: TJE0, body: { ...body, After: first.json[0].ChatMessageId } });
      assert.notEqual(other.headers.etag, etag, 'another After is another answer');
      assert.equal(other.json.length, first.json.length - 1);
      await call(app, 'AddChatMessage', { auth: TJE0, body: { ChatSessionId: mine.ChatSessionId, Message: { Message: 'new one' } } });
      const after = await call(app, 'GetChatMessages', { auth: TJE0, body, headers: { 'if-none-match': etag } });
      assert.equal(after.status, 200);
      assert.equal(after.json.at(-1).Message, 'new one');
    });

    test('what customers wrote is never translated, even when it looks like a resource or multi-language value', async () => {
      const first = await call(app, 'ChatSessionsForUser', { auth: TJE0 });
      const id = first.json.find((s: any) => s.TopicId === 1).ChatSessionId;
      await app.store.db
        .updateTable('chat_sessions')
        .set({ customer_name: 'NO:"Ola";US:"Bob"', last_message: 'Re:"Invoice" [SR_PARLEY_WELCOME]' })
        .where('id', '=', id)
        .execute();
      const res = await call(app, 'ChatSessionsForUser', { auth: TJE0, headers: { 'accept-language': 'en' } });
      const s = res.json.find((x: any) => x.ChatSessionId === id);
      assert.equal(s.CustomerName, 'NO:"Ola";US:"Bob"');
      assert.equal(s.LastMessage, 'Re:"Invoice" [SR_PARLEY_WELCOME]');
      const topic = await call(app, 'GetChatTopicEntity', { auth: TJE0, query: 'chatTopicEntityId=1', headers: { 'accept-language': 'en' } });
      assert.equal(topic.json.Name, 'Customer support', 'topic texts are translated');
    });

    test('an Accept type Parley cannot produce gets 406', async () => {
      const res = await call(app, 'ChatSessionsForUser', { auth: TJE0, headers: { accept: 'image/png' } });
      assert.equal(res.status, 406);
      assert.equal(res.json.ErrorType, 'SoNotAcceptableException');
    });
  });
}
