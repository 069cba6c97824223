// A real PostgreSQL deadlock inside store.transaction: the loser gets the retryable 'conflict' (not a raw
// driver error, which the API would answer as a 500), and retryOnConflict then gets both writers through.
// SQLite runs one write transaction at a time and cannot deadlock, so this runs on PostgreSQL only.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { DomainError } from '../../src/domain/errors.ts';
import type { ChatStore } from '../../src/domain/ports.ts';
import { retryOnConflict } from '../../src/domain/sessions/retry.ts';
import { migrateToLatest, openDatabase, type OpenDatabase } from '../../src/storage/database.ts';
import { createStore, type ParleyStore } from '../../src/storage/store.ts';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../helpers/databases.ts';

const postgres = (await databaseKinds()).find((k) => k.kind === 'postgres');

describe('store.transaction on postgres: deadlocks', { skip: postgres ? postgres.skip : 'PostgreSQL only' }, () => {
  let testDb: TestDatabase;
  let database: OpenDatabase;
  let store: ParleyStore;
  let a: number, b: number;

  before(async () => {
    testDb = await openTestDatabase('postgres');
    database = openDatabase(testDb.url);
    await migrateToLatest(database.db);
    store = createStore(database.db, 'postgres');
    const now = new Date();
    a = await store.associates.insert({ userName: 'a', fullName: 'A', passwordHash: null, isAdmin: false }, now);
    b = await store.associates.insert({ userName: 'b', fullName: 'B', passwordHash: null, isAdmin: false }, now);
  });
  after(async () => {
    await database?.close();
    await testDb?.drop();
  });

  /** Two transactions that each lock one row, wait for the other to do the same, then want the other's row. */
  function crossedWriters(wrap: <T>(work: () => Promise<T>) => Promise<T>) {
    let arrived = 0;
    let release!: () => void;
    const bothLocked = new Promise<void>((resolve) => {
      release = resolve;
    });
    const lock = (s: ChatStore, id: number) => sql`update associates set full_name = full_name where id = ${id}`.execute((s as ParleyStore).db);
    const writer = (first: number, second: number) =>
      wrap(() =>
        store.transaction(async (s) => {
          await lock(s, first);
          if (++arrived === 2) release();
          await bothLocked;
          await lock(s, second);
          return first;
        }),
      );
    return Promise.allSettled([writer(a, b), writer(b, a)]);
  }

  test('the deadlock victim gets DomainError conflict, retryable; the other writer commits', async () => {
    const [one, two] = await crossedWriters((work) => work());
    const failed = [one, two].filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    assert.equal(failed.length, 1, 'PostgreSQL breaks the deadlock by aborting one transaction');
    assert.ok(failed[0].reason instanceof DomainError, String(failed[0].reason));
    assert.equal(failed[0].reason.code, 'conflict');
    assert.equal(failed[0].reason.retryable, true);
  });

  test('retried, both writers get through', async () => {
    const results = await crossedWriters((work) => retryOnConflict(work));
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'fulfilled'],
    );
  });
});
