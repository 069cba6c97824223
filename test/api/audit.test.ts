// The audit trail (Parley/Audit/List): every administrative change through the API is noted with who, when, from
// where and old → new, in the change's own transaction; failed and throttled log-ins too; read by administrators.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { databaseKinds } from '../helpers/databases.ts';
import { ADM0, basic, call, OLA2, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';
import { insertSession } from '../helpers/life-cycle-kit.ts';

const LIST = '/api/v1/Parley/Audit/List';
const SUPPORT = 1;
const SALES = 2;

interface Entry {
  Id: number;
  When: string;
  AssociateId: number;
  UserName: string;
  Address: string;
  Kind: string;
  Subject: string;
  OldValues: string;
  NewValues: string;
}

const values = (text: string) => (text ? JSON.parse(text) : null);

for (const { kind, skip } of await databaseKinds()) {
  describe(`audit trail on ${kind}`, { skip }, () => {
    let app: TestApp;
    let ids: Record<string, number>;
    before(async () => {
      app = await startTestApp({ kind });
      ids = Object.fromEntries((await app.store.associates.list()).map((a) => [a.userName, a.id]));
    });
    after(async () => app?.close());

    const trail = async (filter: Record<string, unknown> = {}): Promise<Entry[]> => {
      const res = await call(app, LIST, { auth: ADM0, body: filter });
      assert.equal(res.status, 200, res.body);
      return res.json;
    };
    const newest = async (kindName: string) => (await trail({ Kind: kindName, Limit: 1 }))[0];

    test('a topic created, changed and deleted: who, from where, only the changed fields old → new; a save that changes nothing adds nothing', async () => {
      const created = await call(app, 'SaveChatTopicEntity', { auth: ADM0, body: { ChatTopicId: 0, Name: 'Audited', Description: 'first' } });
      assert.equal(created.status, 200, created.body);
      const id = created.json.ChatTopicId as number;
      const c = await newest('topic.created');
      assert.deepEqual([c.UserName, c.AssociateId, c.Address, c.Subject], ['adm0', ids.adm0, '127.0.0.1', `topic ${id} Audited`]);
      assert.equal(values(c.OldValues), null);
      assert.equal(values(c.NewValues).description, 'first');
      assert.ok(Math.abs(Date.parse(c.When) - Date.now()) < 60_000, c.When);

      const changed = await call(app, 'SaveChatTopicEntity', { auth: ADM0, body: { ChatTopicId: id, Description: 'second', WarnNewChatMinutes: 7 } });
      assert.equal(changed.status, 200, changed.body);
      const ch = await newest('topic.changed');
      assert.deepEqual(values(ch.OldValues), { description: 'first', warnNewChatMinutes: 0 });
      assert.deepEqual(values(ch.NewValues), { description: 'second', warnNewChatMinutes: 7 });

      const count = (await trail({ Kind: 'topic.changed' })).length;
      assert.equal((await call(app, 'SaveChatTopicEntity', { auth: ADM0, body: { ChatTopicId: id, Description: 'second' } })).status, 200);
      assert.equal((await trail({ Kind: 'topic.changed' })).length, count, 'nothing changed, nothing noted');

      assert.equal((await call(app, 'DeleteChatTopicEntity', { auth: ADM0, query: `chatTopicEntityId=${id}` })).status, 204);
      const d = await newest('topic.deleted');
      assert.deepEqual([d.Subject, values(d.OldValues), values(d.NewValues)], [`topic ${id} Audited`, { name: 'Audited' }, null]);
    });

    test("roles given, changed and taken away, by the topic's manager", async () => {
      const user = { AssociateId: ids.deu4 };
      const roles = (r: Record<string, boolean>) => ({ CanListen: false, CanRespond: false, CanManage: false, CanNotify: false, ...r });
      const add = await call(app, 'AddChatTopicUserAgent', {
        auth: OLA2,
        body: { ChatTopicId: SALES, Useragent: { TopicId: SALES, User: user, ...roles({ CanListen: true }) } },
      });
      assert.equal(add.status, 200, add.body);
      const a = await newest('roles.changed');
      assert.deepEqual([a.UserName, a.Subject], ['ola2', `user deu4 in topic ${SALES}`]);
      assert.equal(values(a.OldValues), null);
      assert.deepEqual(values(a.NewValues), { canListen: true, canRespond: false, canManage: false, canNotify: false });

      const upd = await call(app, 'UpdateChatTopicUserAgent', {
        auth: OLA2,
        body: { ChatTopicId: SALES, Username: 'deu4', Useragent: { TopicId: SALES, User: user, ...roles({ CanRespond: true }) } },
      });
      assert.equal(upd.status, 200, upd.body);
      const u = await newest('roles.changed');
      assert.deepEqual(values(u.OldValues), { canListen: true, canRespond: false, canManage: false, canNotify: false });
      assert.deepEqual(values(u.NewValues), { canListen: false, canRespond: true, canManage: false, canNotify: false });

      const del = await call(app, 'DeleteChatTopicUserAgent', { auth: OLA2, body: { ChatTopicId: SALES, Username: 'deu4' } });
      assert.equal(del.status, 204, del.body);
      const r = await newest('roles.removed');
      assert.deepEqual([r.UserName, values(r.NewValues), values(r.OldValues).canRespond], ['ola2', null, true]);
    });

    test("presence set for someone else is noted; one's own is not", async () => {
      const before = (await trail({ Kind: 'presence.set' })).length;
      assert.equal((await call(app, 'SaveChatPresence', { auth: TJE0, body: { ChatPresence: [{ UserId: ids.tje0, Present: false }] } })).status, 204);
      assert.equal((await call(app, 'SaveChatPresence', { auth: TJE0, body: { ChatPresence: [{ UserId: ids.tje0, Present: true }] } })).status, 204);
      assert.equal((await trail({ Kind: 'presence.set' })).length, before);
      const wasPresent = (await app.store.associates.byId(ids.ann1))?.present;
      const res = await call(app, 'SaveChatPresence', { auth: ADM0, body: { ChatPresence: [{ UserId: ids.ann1, Present: !wasPresent }] } });
      assert.equal(res.status, 204, res.body);
      const p = await newest('presence.set');
      assert.deepEqual(
        [p.UserName, p.Subject, values(p.OldValues), values(p.NewValues)],
        ['adm0', 'user ann1', { present: wasPresent }, { present: !wasPresent }],
      );
    });

    test('a deleted session is noted without the customer in it', async () => {
      const id = await insertSession(app, SUPPORT, 9, { customerName: 'Erin Erasable', customerEmail: 'erin@example.org' });
      assert.equal((await call(app, 'DeleteChatSessionEntity', { auth: ADM0, query: `chatSessionEntityId=${id}` })).status, 204);
      const d = await newest('session.deleted');
      assert.equal(d.Subject, `session ${id}`);
      assert.deepEqual(values(d.OldValues), { topicId: SUPPORT, status: 9, userId: null });
      assert.ok(!JSON.stringify(d).includes('Erin') && !JSON.stringify(d).includes('erin@'), JSON.stringify(d));
    });

    test('a failed log-in names the user tried and the address, never the password', async () => {
      const res = await call(app, 'ChatTopicsForUser', { auth: basic('tje0', 'wrong-Secret-42') });
      assert.equal(res.status, 401);
      const f = await newest('login.failed');
      assert.deepEqual([f.UserName, f.AssociateId, f.Address, f.Subject], ['tje0', 0, '127.0.0.1', 'user tje0']);
      const all = JSON.stringify(await trail({ Limit: 1000 }));
      assert.ok(!all.includes('wrong-Secret-42'), 'no password in the trail');
    });

    test('filters: by user, kind and time, newest first, limited; bad filters are a 400; agents are refused', async () => {
      const mine = await trail({ UserName: 'OLA2' });
      assert.ok(mine.length >= 3 && mine.every((e) => e.UserName === 'ola2'), JSON.stringify(mine.map((e) => e.UserName)));
      const all = await trail({ Limit: 1000 });
      for (let i = 1; i < all.length; i++) assert.ok(Date.parse(all[i - 1].When) >= Date.parse(all[i].When), 'newest first');
      assert.equal((await trail({ Limit: 2 })).length, 2);
      assert.deepEqual(await trail({ Since: new Date(Date.now() + 60_000).toISOString() }), []);
      assert.deepEqual(await trail({ Until: '2000-01-01T00:00:00Z' }), []);
      assert.equal((await call(app, LIST, { auth: ADM0, body: { Kind: 'topic.exploded' } })).status, 400);
      assert.equal((await call(app, LIST, { auth: ADM0, body: { Limit: 0 } })).status, 400);
      assert.equal((await call(app, LIST, { auth: ADM0, body: { Limit: 5000 } })).status, 400);
      const refused = await call(app, LIST, { auth: TJE0, body: {} });
      assert.equal(refused.status, 403, refused.body);
      assert.equal(refused.json.Error, true);
    });

    test('XML and $select work as for every method', async () => {
      const res = await call(app, `${LIST}?$select=Kind,UserName`, { auth: ADM0, body: { Limit: 1 }, headers: { accept: 'application/xml' } });
      assert.equal(res.status, 200, res.body);
      assert.match(res.body, /<Kind>[a-z.-]+<\/Kind>/);
      assert.doesNotMatch(res.body, /<Subject>/);
    });

    test("the entry is written in the change's transaction: when the trail cannot be written, the change is not made", async () => {
      await sql`alter table audit_entries rename to audit_entries_away`.execute(app.store.db);
      try {
        const res = await call(app, 'SaveChatTopicEntity', { auth: ADM0, body: { ChatTopicId: SUPPORT, Description: 'never stored' } });
        assert.ok(res.status >= 500, res.body);
        assert.equal(res.json?.Error, true);
      } finally {
        await sql`alter table audit_entries_away rename to audit_entries`.execute(app.store.db);
      }
      assert.notEqual((await app.store.topics.byId(SUPPORT))?.description, 'never stored');
    });

    test('the sweeper drops entries older than PARLEY_AUDIT_RETENTION_DAYS and keeps the rest', async () => {
      const old = new Date(Date.now() - 400 * 86_400_000);
      await app.store.audit.record({
        at: old,
        actorId: null,
        actorName: 'ancient',
        address: '',
        kind: 'user.added',
        subject: 'user ancient',
        before: null,
        after: null,
      });
      assert.equal((await trail({ UserName: 'ancient' })).length, 1);
      const kept = (await trail({ Limit: 1000 })).length - 1;
      await app.sweeper.runOnce();
      assert.equal((await trail({ UserName: 'ancient' })).length, 0);
      assert.equal((await trail({ Limit: 1000 })).length, kept);
    });
  });

  describe(`audit trail of throttled log-ins on ${kind}`, { skip }, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp({ kind, env: { PARLEY_LOGIN_FAILURES_PER_MINUTE: '2' } });
    });
    after(async () => app?.close());

    test('a flood of refused log-ins is noted once per address and name per minute, not once per attempt', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await call(app, 'ChatTopicsForUser', { auth: basic('ola2', `guess-${i}`) })).status);
      assert.deepEqual(statuses, [401, 401, 429, 429, 429, 429, 429, 429]);
      const entries = await app.store.audit.list({ limit: 100 });
      assert.deepEqual(
        entries.map((e) => e.kind),
        ['login.throttled', 'login.failed', 'login.failed'],
      );
      assert.ok(entries.every((e) => e.actorName === 'ola2' && e.address === '127.0.0.1'));
    });
  });
}
