// ChatSessionsForUser keeps each session's JSON (PARLEY_ITEM_CACHE_MB) and writes again only the sessions whose row,
// shared records or the caller's right on them changed. Checked against a second instance on the same database with
// the item cache off: after every kind of change, in every negotiated form, the two answers are the same bytes.
// Both instances answer every poll anew (the response cache is off), so each poll shows what the item cache did.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type App, createApp, randomKeys } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { fillDemoData } from '../../src/demo/demo-data.ts';
import { ChatSessionStatus } from '../../src/domain/enums.ts';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { GERMANY, SALES, SUPPORT } from '../helpers/sessions-kit.ts';
import { call, TJE0 } from '../helpers/test-app.ts';

async function itemLookups(app: App) {
  const text = (await app.server.inject({ method: 'GET', url: '/metrics' })).body;
  const count = (result: string) => Number(new RegExp(`^parley_item_cache_lookups_total\\{result="${result}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return { hit: count('hit'), miss: count('miss') };
}

const FORMS: Array<{ name: string; query?: string; headers?: Record<string, string> }> = [
  { name: 'the default form' },
  { name: 'a $select', query: '$select=ChatSessionId,Status,User/FullName,Person/Firstname,WhenRequested,TableRight' },
  { name: 'another zone with its offset', headers: { 'so-timezone': 'US-NY,includeTZOffset' } },
  { name: 'another language', headers: { 'so-language': 'de', 'accept-language': 'de' } },
];

for (const { kind, skip } of await databaseKinds()) {
  describe(`ChatSessionsForUser's kept sessions on ${kind}`, { skip }, () => {
    let testDb: TestDatabase;
    let dir = '';
    /** Item cache on. */
    let kept: App;
    /** Item cache off: every session written from its rows. */
    let fresh: App;
    let tje0: number;
    let supportSession: number;

    const start = (url: string, itemCacheMb: string) =>
      createApp(
        loadConfig({
          DATABASE_URL: url,
          PARLEY_TIMEZONE: 'Europe/Oslo',
          PARLEY_SWEEP_SECONDS: '0',
          PARLEY_RESPONSE_CACHE_SECONDS: '0',
          PARLEY_ITEM_CACHE_MB: itemCacheMb,
          PARLEY_SHUTDOWN_LINGER_MS: '0',
        }),
        { logger: false },
      );

    before(async () => {
      if (kind === 'sqlite') {
        dir = mkdtempSync(path.join(tmpdir(), 'parley-items-'));
        testDb = { kind, url: `sqlite:${path.join(dir, 'parley.db')}`, drop: async () => {} };
      } else {
        testDb = await openTestDatabase(kind);
      }
      kept = await start(testDb.url, '64');
      fresh = await start(testDb.url, '0');
      await fillDemoData(kept.store, new Date(), randomKeys.sessionKey);
      tje0 = (await kept.store.associates.byUserName('tje0'))!.id;
      // tje0's own active chat in Support, where tje0 can respond.
      const own = await kept.store.db
        .selectFrom('chat_sessions')
        .select('id')
        .where('topic_id', '=', SUPPORT)
        .where('user_id', '=', tje0)
        .where('status', '=', ChatSessionStatus.CustomerLast)
        .executeTakeFirstOrThrow();
      supportSession = own.id;
    });
    after(async () => {
      await kept?.close();
      await fresh?.close();
      await testDb?.drop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    /** Polls both instances in every form; asserts equal bytes; gives the item cache's hits and misses of the polls. */
    async function pollBoth() {
      const before = await itemLookups(kept);
      let first: any[] = [];
      for (const form of FORMS) {
        const [a, b] = await Promise.all([
          call(kept, 'ChatSessionsForUser', { auth: TJE0, ...form }),
          call(fresh, 'ChatSessionsForUser', { auth: TJE0, ...form }),
        ]);
        assert.equal(a.status, 200, a.body);
        assert.equal(a.body, b.body, `kept and fresh answers differ in ${form.name}`);
        if (form === FORMS[0]) first = a.json;
      }
      const after = await itemLookups(kept);
      return { hits: after.hit - before.hit, misses: after.miss - before.miss, list: first };
    }

    test('an unchanged session is written once per form, then kept', async () => {
      const built = await pollBoth();
      assert.ok(built.list.length >= 3, 'tje0 sees sessions of several topics');
      const again = await pollBoth();
      assert.equal(again.misses, 0, 'nothing changed: every session kept');
      assert.equal(again.hits, built.list.length * FORMS.length);
      assert.equal((await itemLookups(fresh)).hit + (await itemLookups(fresh)).miss, 0, 'the fresh instance keeps nothing');
    });

    test('a change to one session writes only that session again', async () => {
      await pollBoth();
      const writes: Record<string, () => Promise<unknown>> = {
        'a message': async () => {
          const res = await call(kept, 'AddChatMessage', { auth: TJE0, body: { ChatSessionId: supportSession, Message: { Message: 'Kept?' } } });
          assert.equal(res.status, 200, res.body);
        },
        'a status written straight to the table': () =>
          kept.store.db.updateTable('chat_sessions').set({ status: ChatSessionStatus.UserLast }).where('id', '=', supportSession).execute(),
        'a customer name': () => kept.store.db.updateTable('chat_sessions').set({ customer_name: 'Renamed' }).where('id', '=', supportSession).execute(),
      };
      for (const [what, write] of Object.entries(writes)) {
        await write();
        const { misses, list } = await pollBoth();
        assert.equal(misses, FORMS.length, `after ${what}: one session written again per form`);
        if (what === 'a customer name') assert.equal(list.find((s) => s.ChatSessionId === supportSession).CustomerName, 'Renamed');
      }
    });

    test('a change to the shared records writes every session again', async () => {
      const { list } = await pollBoth();
      const owner = list.find((s) => s.User?.AssociateId > 0).User.AssociateId;
      await kept.store.db.updateTable('associates').set({ full_name: 'Renamed Owner' }).where('id', '=', owner).execute();
      const renamed = await pollBoth();
      assert.equal(renamed.misses, list.length * FORMS.length);
      assert.ok(renamed.list.some((s) => s.User?.FullName === 'Renamed Owner'));
      const person = list.find((s) => s.Person?.PersonId > 0)?.Person.PersonId;
      assert.ok(person, 'a session links a CRM person');
      await kept.store.db.updateTable('persons').set({ firstname: 'Renamed' }).where('id', '=', person).execute();
      const crm = await pollBoth();
      assert.equal(crm.misses, list.length * FORMS.length);
      assert.ok(crm.list.some((s) => s.Person?.Firstname === 'Renamed'));
    });

    test("the caller's right on a session decides its text", async () => {
      const right = (list: any[]) => list.find((s) => s.ChatSessionId === supportSession)?.TableRight.Mask;
      assert.equal(right((await pollBoth()).list), 'URI', 'who can respond may update');
      // Moved to Salg, where tje0 only listens.
      await kept.store.db.updateTable('chat_sessions').set({ topic_id: SALES }).where('id', '=', supportSession).execute();
      const listened = (await pollBoth()).list;
      assert.equal(right(listened), 'Select');
      assert.equal(listened.find((s) => s.ChatSessionId === supportSession).TopicId, SALES);
      // Back, then tje0's role on Support cut to listening: the same row version, another right.
      await kept.store.db.updateTable('chat_sessions').set({ topic_id: SUPPORT }).where('id', '=', supportSession).execute();
      assert.equal(right((await pollBoth()).list), 'URI');
      await kept.store.topicAgents.upsert({ topicId: SUPPORT, associateId: tje0, canListen: true, canRespond: false, canManage: false, canNotify: false });
      const cut = await pollBoth();
      assert.equal(right(cut.list), 'Select');
      assert.ok(cut.misses > 0, 'written again for the new right');
      // Moved where tje0 holds no role: gone from the list.
      await kept.store.db.updateTable('chat_sessions').set({ topic_id: GERMANY }).where('id', '=', supportSession).execute();
      assert.equal(
        (await pollBoth()).list.find((s) => s.ChatSessionId === supportSession),
        undefined,
      );
    });
  });
}
