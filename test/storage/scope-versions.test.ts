// Change counters per scope (migration 021): which writes change which caller's version, on both databases; on
// PostgreSQL counted at commit and without a row that concurrent writers of one topic queue on.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { defaultSession, defaultTopic } from '../../src/domain/defaults.ts';
import { ChatSessionStatus } from '../../src/domain/enums.ts';
import { migrateToLatest, openDatabase, type OpenDatabase } from '../../src/storage/database.ts';
import { ASSOCIATE_COLUMNS_NOT_SHOWN, ASSOCIATE_COLUMNS_SHOWN } from '../../src/storage/migrations/021-scope-versions.ts';
import { createStore, type ParleyStore } from '../../src/storage/store.ts';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../helpers/databases.ts';

for (const { kind, skip } of await databaseKinds()) {
  describe(`scope versions on ${kind}`, { skip }, () => {
    let testDb: TestDatabase;
    let database: OpenDatabase;
    let store: ParleyStore;
    let member: number;
    let outsider: number;
    let topicA: number;
    let topicB: number;
    const now = new Date();

    const user = (userName: string) => store.associates.insert({ userName, fullName: userName, passwordHash: null, isAdmin: false }, now);
    const role = (topicId: number, associateId: number) =>
      store.topicAgents.upsert({ topicId, associateId, canListen: false, canRespond: true, canManage: false, canNotify: false });
    const session = (topicId: number) => store.sessions.insert({ ...defaultSession(now), topicId, status: ChatSessionStatus.InQueue });
    /** Whether `write` changed the member's and the outsider's versions. */
    async function changes(write: () => Promise<unknown>) {
      const [m, o] = [await store.callerVersion(member), await store.callerVersion(outsider)];
      await write();
      return { member: (await store.callerVersion(member)) !== m, outsider: (await store.callerVersion(outsider)) !== o };
    }

    before(async () => {
      testDb = await openTestDatabase(kind);
      database = openDatabase(testDb.url);
      await migrateToLatest(database.db);
      store = createStore(database.db, database.kind);
      topicA = await store.topics.insert({ ...defaultTopic(), name: 'A' });
      topicB = await store.topics.insert({ ...defaultTopic(), name: 'B' });
      member = await user('member');
      outsider = await user('outsider');
      await role(topicA, member);
      await role(topicB, outsider);
    });
    after(async () => {
      await database?.close();
      await testDb?.drop();
    });

    test("a write in a topic changes its members' version only", async () => {
      const id = await session(topicA);
      assert.deepEqual(await changes(() => session(topicA)), { member: true, outsider: false }, 'a new session');
      assert.deepEqual(
        await changes(() => database.db.updateTable('chat_sessions').set({ status: ChatSessionStatus.CustomerLast }).where('id', '=', id).execute()),
        { member: true, outsider: false },
        'a status change',
      );
      assert.deepEqual(
        await changes(() =>
          store.messages.insert({
            sessionId: id,
            type: 1,
            message: 'hello',
            author: 'x',
            readByCustomer: 0,
            specialType: 0,
            specialParam: '',
            whenPosted: now,
            createdBy: null,
          }),
        ),
        { member: true, outsider: false },
        'a message',
      );
      assert.deepEqual(
        await changes(() => database.db.updateTable('chat_topics').set({ name: 'A renamed' }).where('id', '=', topicA).execute()),
        { member: true, outsider: false },
        'a topic rename',
      );
      assert.deepEqual(
        await changes(() => database.db.updateTable('chat_sessions').set({ topic_id: topicB }).where('id', '=', id).execute()),
        { member: true, outsider: true },
        'a move to another topic: members of both',
      );
      assert.deepEqual(await changes(() => database.db.deleteFrom('chat_sessions').where('id', '=', id).execute()), { member: false, outsider: true });
    });

    test("roles change the user's own version and the topic's; shared records change everyone's; presence nobody's", async () => {
      const third = await user('third');
      assert.deepEqual(await changes(() => role(topicB, member)), { member: true, outsider: true }, 'a role added');
      assert.deepEqual(
        await changes(() => database.db.deleteFrom('chat_topic_agents').where('topic_id', '=', topicB).where('associate_id', '=', member).execute()),
        { member: true, outsider: true },
        'a role removed',
      );
      assert.deepEqual(await changes(() => role(topicA, third)), { member: true, outsider: false }, "another's role in the member's topic");
      assert.deepEqual(
        await changes(() => database.db.updateTable('associates').set({ full_name: 'Renamed' }).where('id', '=', third).execute()),
        { member: true, outsider: true },
        "a user's name (shown in sessions)",
      );
      assert.deepEqual(
        await changes(() => database.db.insertInto('persons').values({ firstname: 'P' }).execute()),
        { member: true, outsider: true },
        'a CRM record',
      );
      const data = await store.dataVersion();
      assert.deepEqual(await changes(() => store.associates.setPresent(third, false)), { member: false, outsider: false }, 'presence');
      assert.ok((await store.dataVersion()) > data, 'the database-wide counter (GetChatPresence) still counts it');
    });

    test('every column of a user is either shown (bumps the shared counter) or listed as not shown', async () => {
      const table = (await database.db.introspection.getTables()).find((t) => t.name === 'associates');
      const columns = table?.columns.map((c) => c.name).sort();
      assert.deepEqual(columns, [...ASSOCIATE_COLUMNS_SHOWN, ...ASSOCIATE_COLUMNS_NOT_SHOWN].sort());
    });

    if (kind === 'postgres') {
      test('a transaction counts at its commit, and holds no version row while open', async () => {
        const open = new pg.Client({ connectionString: testDb.url });
        await open.connect();
        try {
          const before = await store.callerVersion(member);
          await open.query('begin');
          await open.query('insert into chat_sessions (topic_id, status) values ($1, $2)', [topicA, ChatSessionStatus.InQueue]);
          assert.equal(await store.callerVersion(member), before, 'not counted before its commit');
          // Another writer in the same topic meanwhile: it must not wait for the open transaction.
          const other = session(topicA);
          const waited = await Promise.race([other.then(() => false), new Promise((r) => setTimeout(() => r(true), 3000))]);
          assert.equal(waited, false, 'a second writer of the topic finished while the first transaction stayed open');
          const afterOther = await store.callerVersion(member);
          assert.notEqual(afterOther, before);
          await open.query('commit');
          assert.notEqual(await store.callerVersion(member), afterOther, 'counted at commit');
        } finally {
          await open.query('rollback').catch(() => {});
          await open.end();
        }
      });
    }
  });
}
