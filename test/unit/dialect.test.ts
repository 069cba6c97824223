// Unit tests for src/storage/dialect.ts's error predicates, and for how store.transaction maps the errors they
// recognise: a lost race (unique violation, deadlock, serialization failure) is a retryable 'conflict'.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DomainError } from '../../src/domain/errors.ts';
import { migrateToLatest, openDatabase, type OpenDatabase } from '../../src/storage/database.ts';
import { isRetryableConflict, isTransactionConflict, isUniqueViolation } from '../../src/storage/dialect.ts';
import { createStore, type ParleyStore } from '../../src/storage/store.ts';

const withCode = (code: unknown) => Object.assign(new Error(`failed with ${String(code)}`), { code });

test('isTransactionConflict: PostgreSQL deadlock (40P01) and serialization failure (40001)', () => {
  assert.equal(isTransactionConflict(withCode('40P01')), true);
  assert.equal(isTransactionConflict(withCode('40001')), true);
  for (const other of ['23505', '40000', '40002', '40P02', 'SQLITE_BUSY', 'SQLITE_CONSTRAINT_UNIQUE', '', 40001, undefined]) {
    assert.equal(isTransactionConflict(withCode(other)), false, String(other));
  }
  for (const notAnError of [null, undefined, 'deadlock', 40001, {}]) assert.equal(isTransactionConflict(notAnError), false);
});

test('isUniqueViolation: SQLite and PostgreSQL codes only', () => {
  assert.equal(isUniqueViolation(withCode('SQLITE_CONSTRAINT_UNIQUE')), true);
  assert.equal(isUniqueViolation(withCode('23505')), true);
  for (const other of ['40P01', '40001', '23503', 'SQLITE_CONSTRAINT_FOREIGNKEY', undefined]) assert.equal(isUniqueViolation(withCode(other)), false);
  assert.equal(isUniqueViolation(null), false);
});

test('isRetryableConflict: any lost race, nothing else', () => {
  for (const code of ['SQLITE_CONSTRAINT_UNIQUE', '23505', '40P01', '40001']) assert.equal(isRetryableConflict(withCode(code)), true, code);
  for (const code of ['23503', '42P01', 'SQLITE_ERROR', 'ECONNREFUSED', undefined]) assert.equal(isRetryableConflict(withCode(code)), false, String(code));
  assert.equal(isRetryableConflict(null), false);
});

describe('store.transaction maps lost races to a retryable conflict', () => {
  let database: OpenDatabase;
  let store: ParleyStore;
  before(async () => {
    database = openDatabase('sqlite::memory:');
    await migrateToLatest(database.db);
    store = createStore(database.db);
  });
  after(async () => database?.close());

  for (const code of ['40P01', '40001', '23505']) {
    test(`${code} → DomainError conflict, retryable`, async () => {
      await assert.rejects(
        store.transaction(async () => {
          throw withCode(code);
        }),
        (err: unknown) => {
          assert.ok(err instanceof DomainError);
          assert.equal(err.code, 'conflict');
          assert.equal(err.retryable, true);
          return true;
        },
      );
    });
  }

  test('other database errors pass through unchanged', async () => {
    const original = withCode('42P01');
    await assert.rejects(
      store.transaction(async () => {
        throw original;
      }),
      (err: unknown) => err === original,
    );
  });
});
