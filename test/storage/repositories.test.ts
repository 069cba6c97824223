// Storage on SQLite and PostgreSQL: migrations, every repository's round trip, and the indexed member query.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { defaultSession, defaultTopic } from '../../src/domain/defaults.ts';
import { ChatSessionStatus } from '../../src/domain/enums.ts';
import type { Session } from '../../src/domain/types.ts';
import { isMigrated, migrateTo, migrateToLatest, openDatabase, type OpenDatabase } from '../../src/storage/database.ts';
import { createStore, type ParleyStore } from '../../src/storage/store.ts';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../helpers/databases.ts';

for (const { kind, skip } of await databaseKinds()) {
  describe(`storage on ${kind}`, { skip }, () => {
    let testDb: TestDatabase;
    let database: OpenDatabase;
    let store: ParleyStore;
    const now = new Date('2026-03-29T10:15:30.123Z');

    before(async () => {
      testDb = await openTestDatabase(kind);
      database = openDatabase(testDb.url);
      assert.equal(await isMigrated(database.db), false);
      assert.deepEqual(await migrateToLatest(database.db), [
        '001-initial',
        '002-data-version',
        '003-life-cycle',
        '004-visitor',
        '005-push',
        '006-version-slots',
        '007-sweeper-indexes',
        '012-mail',
        '013-session-key-digest',
        '014-audit',
        '015-single-sign-on',
        '016-agent-workspace',
        '017-visitor-context',
        '018-attachments',
        '019-routing',
        '020-report-indexes',
        '021-scope-versions',
        '022-report-facts',
        '023-session-row-version',
        '024-report-changes',
      ]);
      store = createStore(database.db);
    });
    after(async () => {
      await database?.close();
      await testDb?.drop();
    });

    test('migrations are recorded and not applied twice', async () => {
      assert.equal(await isMigrated(database.db), true);
      assert.deepEqual(await migrateToLatest(database.db), []);
    });

    test('user names are unique regardless of case, and found regardless of case', async () => {
      const id = await store.associates.insert({ userName: 'Mixed', fullName: 'Mixed Case', passwordHash: 'x', isAdmin: true }, now);
      assert.equal((await store.associates.byUserName('mIXED'))?.id, id);
      await assert.rejects(store.associates.insert({ userName: 'MIXED', fullName: '', passwordHash: null, isAdmin: false }, now));
      assert.equal((await store.associates.byId(id))?.isAdmin, true);
      assert.ok(await store.associates.setPassword(id, 'y', now));
      assert.equal((await store.associates.byUserNameRow('mixed'))?.password_hash, 'y');
    });

    test('a topic round-trips every nested setting', async () => {
      const topic = {
        ...defaultTopic(),
        name: 'Round trip',
        lastAccept: now,
        openingHoursEnabled: true,
        warnNewChatMinutes: 3,
        openingHours: { ...defaultTopic().openingHours, timeZone: 'NO', useLunchHours: true, lunchStart: 690, lunchStop: 720 },
        widget: { ...defaultTopic().widget, requiredFields: 3, theme: 0, color: '#123456', offlineFields: 16 },
        bot: { ...defaultTopic().bot, botName: 'Robo', botMessageReceivedScriptId: 7 },
        botEnabled: true,
      };
      topic.openingHours.days = topic.openingHours.days.map((d, i) => ({ ...d, start: 400 + i, stop: 1000 + i }));
      const id = await store.topics.insert(topic);
      assert.deepEqual(await store.topics.byId(id), { ...topic, id });
      await store.topics.update({ ...topic, id, name: 'Renamed', lastAccept: null });
      assert.equal((await store.topics.byId(id))?.name, 'Renamed');
      assert.equal((await store.topics.byId(id))?.lastAccept, null);
    });

    test('topic agents: upsert, membership, and removal with the topic', async () => {
      const topicId = await store.topics.insert({ ...defaultTopic(), name: 'Agents' });
      const user = await store.associates.insert({ userName: 'agent1', fullName: 'A', passwordHash: null, isAdmin: false }, now);
      await store.topicAgents.upsert({ topicId, associateId: user, canListen: true, canRespond: false, canManage: false, canNotify: false });
      await store.topicAgents.upsert({ topicId, associateId: user, canListen: false, canRespond: true, canManage: false, canNotify: true });
      assert.deepEqual(await store.topicAgents.get(topicId, user), {
        topicId,
        associateId: user,
        canListen: false,
        canRespond: true,
        canManage: false,
        canNotify: true,
      });
      assert.deepEqual(
        (await store.topics.forMember(user)).map((t) => t.id),
        [topicId],
      );
      await store.topics.remove(topicId);
      assert.deepEqual(await store.topicAgents.forAssociate(user), []);
    });

    let keys = 0;
    const newSession = (topicId: number, extra: Partial<Session> = {}): Omit<Session, 'id'> => {
      const { id: _id, ...rest } = { ...defaultSession(now), topicId, sessionKey: `key-${++keys}`, ...extra };
      return rest;
    };

    test('a session round-trips every field; messages come back after an id', async () => {
      const topicId = await store.topics.insert({ ...defaultTopic(), name: 'Sessions' });
      const user = await store.associates.insert({ userName: 'owner', fullName: 'O', passwordHash: null, isAdmin: false }, now);
      const full = newSession(topicId, {
        userId: user,
        transferToId: user,
        customerName: 'Åse Ølstad',
        customerConsented: true,
        status: ChatSessionStatus.UserLast,
        whenStarted: new Date('2026-03-29T10:16:00.5Z'),
        whenEnded: null,
        whenIdle: now,
        whenFetched: now,
        rank: 2,
        flags: 1,
        chatbotIsActive: true,
        rating: 4,
        alertLevel: 2,
        initialQueuePos: 3,
      });
      const id = await store.sessions.insert(full);
      assert.deepEqual(await store.sessions.byId(id), { ...full, id, sessionKey: '' }, 'everything but the key, kept only as a digest');
      const m1 = await store.messages.insert({
        sessionId: id,
        type: 2,
        message: 'hi',
        author: 'Åse',
        readByCustomer: 0,
        specialType: 0,
        specialParam: '',
        whenPosted: now,
        createdBy: null,
      });
      const m2 = await store.messages.insert({
        sessionId: id,
        type: 1,
        message: 'hello',
        author: 'O',
        readByCustomer: 1,
        specialType: 1,
        specialParam: 'p',
        whenPosted: now,
        createdBy: user,
      });
      assert.deepEqual(
        (await store.messages.forSession(id, 0)).map((m) => m.id),
        [m1, m2],
      );
      assert.deepEqual(
        (await store.messages.forSession(id, m1)).map((m) => m.message),
        ['hello'],
      );
      assert.equal((await store.messages.forSession(id, 0))[1].whenPosted.getTime(), now.getTime());
    });

    test('forMember: member topics only, no Deleted, no sessions that ended before the cutoff', async () => {
      const mine = await store.topics.insert({ ...defaultTopic(), name: 'Mine' });
      const other = await store.topics.insert({ ...defaultTopic(), name: 'Other' });
      const me = await store.associates.insert({ userName: 'member', fullName: 'M', passwordHash: null, isAdmin: false }, now);
      await store.topicAgents.upsert({ topicId: mine, associateId: me, canListen: false, canRespond: false, canManage: false, canNotify: true });
      const open = await store.sessions.insert(newSession(mine));
      const recent = await store.sessions.insert(newSession(mine, { status: ChatSessionStatus.Finished, whenEnded: new Date(now.getTime() - 3_600_000) }));
      const old = await store.sessions.insert(newSession(mine, { status: ChatSessionStatus.Finished, whenEnded: new Date(now.getTime() - 10 * 3_600_000) }));
      await store.sessions.insert(newSession(mine, { status: ChatSessionStatus.Deleted }));
      await store.sessions.insert(newSession(other));
      const cutoff = new Date(now.getTime() - 8 * 3_600_000);
      assert.deepEqual(
        (await store.sessions.forMember(me, cutoff)).map((s) => s.id),
        [open, recent],
      );
      assert.deepEqual(
        (await store.sessions.forMember(me, null)).map((s) => s.id),
        [open, recent, old],
      );
      assert.equal(await store.sessions.countInQueue(mine), 1);
      assert.ok(await store.sessions.remove(open));
      assert.equal(await store.sessions.countInQueue(mine), 0);
    });

    test('credentials: live ones are found by hash; expired and revoked ones are not', async () => {
      const user = await store.associates.insert({ userName: 'cred', fullName: 'C', passwordHash: null, isAdmin: false }, now);
      await store.credentials.insert({
        kind: 'ticket',
        tokenHash: 'a'.repeat(64),
        associateId: user,
        createdAt: now,
        expiresAt: new Date(now.getTime() + 1000),
      });
      await store.credentials.insert({
        kind: 'ticket',
        tokenHash: 'b'.repeat(64),
        associateId: user,
        createdAt: now,
        expiresAt: new Date(now.getTime() - 1000),
      });
      assert.equal((await store.credentials.findLive('ticket', 'a'.repeat(64), now))?.associateId, user);
      assert.equal(await store.credentials.findLive('ticket', 'b'.repeat(64), now), undefined);
      assert.equal(await store.credentials.findLive('api-token', 'a'.repeat(64), now), undefined, 'kinds do not mix');
      assert.ok(await store.credentials.revokeByHash('a'.repeat(64)));
      assert.equal(await store.credentials.findLive('ticket', 'a'.repeat(64), now), undefined);
    });

    if (kind === 'sqlite') {
      test("the sweeper's questions use an index on the status and the time they ask about", async () => {
        const plans: string[] = [];
        const explain = async (compiled: { sql: string; parameters: readonly unknown[] }) =>
          (await sql.raw(`explain query plan ${compiled.sql.replace(/\?/g, () => 'null')}`).execute(database.db)).rows.map((r: any) => r.detail).join(' | ');
        for (const column of ['when_fetched', 'when_idle', 'when_ended'] as const) {
          const q = database.db
            .selectFrom('chat_sessions')
            .selectAll()
            .where('status', 'in', [9, 10, 11, 12])
            .where(column, 'is not', null)
            .where(column, '<', '2026-01-01')
            .orderBy(column)
            .limit(200)
            .compile();
          plans.push(await explain(q));
        }
        for (const plan of plans) {
          assert.match(plan, /USING INDEX chat_sessions_(fetched|idle|ended)/, plan);
        }
      });
    }

    test('every write to chat data bumps the data version; credentials do not', async () => {
      const v0 = await store.dataVersion();
      const topicId = await store.topics.insert({ ...defaultTopic(), name: 'Versioned' });
      const v1 = await store.dataVersion();
      assert.ok(v1 > v0);
      await store.sessions.insert(newSession(topicId));
      const v2 = await store.dataVersion();
      assert.ok(v2 > v1);
      await database.db.updateTable('persons').set({ title: 'x' }).where('id', '=', -1).execute();
      await store.credentials.insert({ kind: 'ticket', tokenHash: 'c'.repeat(64), associateId: null, createdAt: now, expiresAt: null });
      const v3 = await store.dataVersion();
      await store.associates.setPresent(1, true);
      assert.ok((await store.dataVersion()) > v3);
      assert.ok(v3 >= v2);
      const before = await store.dataVersion();
      await store.credentials.insert({ kind: 'ticket', tokenHash: 'd'.repeat(64), associateId: null, createdAt: now, expiresAt: null });
      assert.equal(await store.dataVersion(), before, 'logging in changes no chat data');
    });

    if (kind === 'postgres') {
      test('concurrent writers do not queue on the data version; a transaction counts once it commits', async () => {
        const open = new pg.Client({ connectionString: testDb.url });
        await open.connect();
        try {
          const before = await store.dataVersion();
          await open.query('begin');
          await open.query(`insert into chat_topics (name) values ('Held open')`);
          await open.query(`update chat_topics set description = 'twice' where name = 'Held open'`);
          assert.equal(await store.dataVersion(), before, 'not counted before its commit');
          // Another writer meanwhile: with one hot row it would wait for the open transaction's commit.
          const other = store.topics.insert({ ...defaultTopic(), name: 'Not held up' });
          const waited = await Promise.race([other.then(() => false), new Promise((r) => setTimeout(() => r(true), 3000))]);
          assert.equal(waited, false, 'a second writer finished while the first transaction stayed open');
          const afterOther = await store.dataVersion();
          assert.ok(afterOther > before);
          await open.query('commit');
          assert.equal(await store.dataVersion(), afterOther + 1, 'a committed transaction counts once, however many rows it wrote');
        } finally {
          await open.query('rollback').catch(() => {});
          await open.end();
        }
      });
    }

    test("session keys are unique: a visitor's key opens exactly one session", async () => {
      const topicId = await store.topics.insert({ ...defaultTopic(), name: 'Keys' });
      const id = await store.sessions.insert(newSession(topicId, { sessionKey: 'same-key' }));
      await assert.rejects(store.sessions.insert(newSession(topicId, { sessionKey: 'same-key' })));
      assert.equal((await store.sessions.byKey('same-key'))?.id, id);
      assert.equal(await store.sessions.byKey(''), undefined);
      for (const near of [' same-key', 'same-key ', 'SAME-KEY', 'same-ke']) assert.equal(await store.sessions.byKey(near), undefined, JSON.stringify(near));
      // The database holds the key's SHA-256 digest, never the key.
      const row = await database.db.selectFrom('chat_sessions').select('session_key_digest').where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(row.session_key_digest, createHash('sha256').update('same-key').digest('hex'));
      assert.equal((await store.sessions.byId(id))?.sessionKey, '');
      // Sessions saved without a key (imports) do not collide with each other.
      await store.sessions.insert(newSession(topicId, { sessionKey: '' }));
      await store.sessions.insert(newSession(topicId, { sessionKey: '' }));
    });

    test('migration 013 replaces the keys of existing sessions with their digests; the keys still open them', async () => {
      const older = await openTestDatabase(kind);
      const before013 = openDatabase(older.url);
      try {
        await migrateTo(before013.db, '012-mail');
        const topic = await before013.db
          .insertInto('chat_topics')
          .values({ name: 'Old' } as never)
          .returning('id')
          .executeTakeFirstOrThrow();
        const old = await sql<{ id: number }>`insert into chat_sessions (topic_id, session_key) values (${topic.id}, ${'old-key'}) returning id`.execute(
          before013.db,
        );
        await sql`insert into chat_sessions (topic_id, session_key) values (${topic.id}, '')`.execute(before013.db);
        assert.equal((await migrateToLatest(before013.db))[0], '013-session-key-digest');
        const rows = await before013.db.selectFrom('chat_sessions').select(['id', 'session_key_digest']).orderBy('id').execute();
        assert.deepEqual(
          rows.map((r) => r.session_key_digest),
          [createHash('sha256').update('old-key').digest('hex'), ''],
        );
        assert.equal((await createStore(before013.db).sessions.byKey('old-key'))?.id, old.rows[0].id);
      } finally {
        await before013.close();
        await older.drop();
      }
    });

    test('a transaction that fails leaves nothing behind', async () => {
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.topics.insert({ ...defaultTopic(), name: 'Rolled back' });
          throw new Error('boom');
        }),
      );
      const rows = await database.db.selectFrom('chat_topics').select('id').where('name', '=', 'Rolled back').execute();
      assert.deepEqual(rows, []);
    });

    if (kind === 'sqlite') {
      test('the member query walks indexes, never the whole sessions table', async () => {
        const compiled = store.db
          .selectFrom('chat_sessions')
          .selectAll()
          .where('topic_id', 'in', (eb) => eb.selectFrom('chat_topic_agents').select('topic_id').where('associate_id', '=', 1))
          .where('status', '<>', 8)
          .orderBy('id')
          .compile();
        const plan = await sql.raw(`EXPLAIN QUERY PLAN ${compiled.sql.replace(/\?/g, '1')}`).execute(store.db);
        const details = (plan.rows as Array<{ detail: string }>).map((r) => r.detail).join('\n');
        assert.match(details, /chat_sessions USING INDEX chat_sessions_topic/);
        assert.doesNotMatch(details, /SCAN chat_sessions\b(?! USING)/);
      });
    }
  });
}
