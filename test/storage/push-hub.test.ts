// The push hub against a real outbox, on both databases: when a stream begins (its answer goes out only once it is
// attached, with the id it starts from) and what happens when the outbox cannot be read while a stream is begun.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { StoredEvent } from '../../src/domain/events.ts';
import { PushHub, type PushConnection } from '../../src/push/push-hub.ts';
import { migrateToLatest, openDatabase, type OpenDatabase } from '../../src/storage/database.ts';
import { createStore, type ParleyStore } from '../../src/storage/store.ts';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { sleep } from '../helpers/sse.ts';

/** A connection that records what the hub did with it, in order. */
function recorder() {
  const log: string[] = [];
  const conn: PushConnection = {
    kind: 'agent',
    cursor: 0,
    concerns: () => true,
    render: async (e: StoredEvent) => ({ event: e.type, data: '{}' }),
    open: (startId) => {
      log.push(`open ${startId}`);
    },
    write: (text) => {
      log.push(text.startsWith('id: ') ? `frame ${text.split('\n')[0].slice(4)} ${text.split('\n')[1]}` : text);
      return true;
    },
    end: () => {
      log.push('end');
    },
  };
  return { conn, log };
}

const counters = { delivered() {}, opened() {}, closed() {} };
/** What the hub would log; these tests judge by what the connection was given. */
const ignoreErrors = () => {};

for (const { kind, skip } of await databaseKinds()) {
  describe(`the push hub on ${kind}`, { skip }, () => {
    let testDb: TestDatabase;
    let database: OpenDatabase;
    let store: ParleyStore;
    let hub: PushHub;
    const presence = (userId: number) =>
      store.events.append({
        type: 'presence.changed',
        topicId: null,
        sessionId: null,
        associateId: userId,
        createdAt: new Date(),
        payload: { userId, present: true },
      });
    /** Waits until the hub has handed out everything committed so far. */
    const drained = async (conn: PushConnection) => {
      const last = await store.events.lastId();
      hub.wake();
      for (let i = 0; i < 200 && conn.cursor < last; i++) await sleep(10);
    };

    // A file on SQLite: the failure test opens the same database a second time.
    const dir = mkdtempSync(path.join(tmpdir(), 'parley-push-hub-'));
    before(async () => {
      testDb = kind === 'sqlite' ? { kind, url: `sqlite:${path.join(dir, 'parley.db')}`, drop: async () => {} } : await openTestDatabase(kind);
      database = openDatabase(testDb.url);
      await migrateToLatest(database.db);
      store = createStore(database.db, database.kind);
      await presence(1);
      await presence(2);
      hub = new PushHub(store, counters, 3600, ignoreErrors);
      await hub.start();
    });
    after(async () => {
      await hub?.stop();
      await database?.close();
      await testDb?.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    test('a fresh stream begins at what the hub has handed out, before any frame; what commits later reaches it', async () => {
      const { conn, log } = recorder();
      const position = await store.events.lastId();
      await hub.attach(conn, undefined);
      assert.deepEqual(log, [`open ${position}`], 'begun (the answer may go out) before anything else, with its start id');
      const next = await presence(3);
      await drained(conn);
      assert.deepEqual(log, [`open ${position}`, `frame ${next} event: presence.changed`]);
      hub.detach(conn);
    });

    test('a stream resuming from an older id begins at that id, then gets what it missed, in order', async () => {
      const first = (await store.events.after(0, 1))[0].id;
      const { conn, log } = recorder();
      await hub.attach(conn, first);
      const missed = (await store.events.after(first, 100)).map((e) => `frame ${e.id} event: presence.changed`);
      assert.ok(missed.length >= 2);
      assert.deepEqual(log, [`open ${first}`, ...missed]);
      hub.detach(conn);
    });

    test('an outbox that cannot be read: attach rejects, the stream is neither begun nor added; the hub goes on', async () => {
      const broken = openDatabase(testDb.url);
      const brokenStore = createStore(broken.db, broken.kind);
      const brokenHub = new PushHub(brokenStore, counters, 3600, ignoreErrors);
      await brokenHub.start();
      await broken.close(); // every read from now on fails, as with a database that went away
      const { conn, log } = recorder();
      await assert.rejects(brokenHub.attach(conn, 1));
      assert.deepEqual(log, [], 'never begun: the caller still answers with an error envelope');
      assert.equal(brokenHub.size, 0, 'not added');
      // The hub's serial work goes on after the failure: a later attach of a fresh stream still begins.
      const fresh = recorder();
      await brokenHub.attach(fresh.conn, undefined);
      assert.deepEqual(fresh.log, [`open ${await store.events.lastId()}`]);
      assert.equal(brokenHub.size, 1);
      await brokenHub.stop();
    });
  });
}
