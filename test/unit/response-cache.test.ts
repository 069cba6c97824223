// The response cache of polled lists: bounded in entries and in bytes, expired answers dropped, least recently used
// evicted first.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ResponseCache } from '../../src/api/response-cache.ts';

const answer = (kb: number) => 'x'.repeat(kb * 1024);

test('what the answers hold together stays under the byte bound, however many callers ask', () => {
  const cache = new ResponseCache(30_000, 10_000, 100 * 1024);
  for (let i = 0; i < 50; i++) cache.set(`caller ${i}`, 'v1', answer(10), 'application/json', 0);
  assert.ok(cache.size <= 100 * 1024, `${cache.size} bytes held`);
  assert.ok(cache.size > 80 * 1024, 'the bound is used, not left empty');
  // The most recent answers are the ones kept.
  assert.ok(cache.get('caller 49', 'v1', 1));
  assert.equal(cache.get('caller 0', 'v1', 1), undefined);
});

test('an answer larger than the whole cache is given, not kept', () => {
  const cache = new ResponseCache(30_000, 10, 4 * 1024);
  const fresh = cache.set('big', 'v1', answer(8), 'application/json', 0);
  assert.equal(fresh.body.length, 8 * 1024);
  assert.equal(cache.get('big', 'v1', 1), undefined);
  assert.equal(cache.size, 0);
});

test('expired answers are dropped, and free their bytes', () => {
  const cache = new ResponseCache(1_000, 100, 1024 * 1024);
  for (let i = 0; i < 10; i++) cache.set(`old ${i}`, 'v1', answer(10), 'application/json', 0);
  assert.ok(cache.size >= 100 * 1024);
  cache.set('new', 'v1', answer(1), 'application/json', 5_000);
  assert.ok(cache.size < 2 * 1024, `${cache.size} bytes still held after expiry`);
  assert.equal(cache.get('old 3', 'v1', 5_000), undefined);
});

test('the least recently used goes first: a read keeps an answer', () => {
  const cache = new ResponseCache(30_000, 3, Infinity);
  cache.set('a', 'v1', 'A', 'application/json', 0);
  cache.set('b', 'v1', 'B', 'application/json', 0);
  cache.set('c', 'v1', 'C', 'application/json', 0);
  assert.ok(cache.get('a', 'v1', 1));
  cache.set('d', 'v1', 'D', 'application/json', 2);
  assert.ok(cache.get('a', 'v1', 3));
  assert.equal(cache.get('b', 'v1', 3), undefined);
});
