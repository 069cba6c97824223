// The kept JSON of single list items: bounded in bytes, the oldest unused evicted first, lookups counted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FragmentCache } from '../../src/api/fragment-cache.ts';

const text = (kb: number) => Buffer.alloc(kb * 1024, 'x');

test('what the texts hold together stays under the byte bound; the most recent are kept', () => {
  const cache = new FragmentCache(100 * 1024);
  for (let i = 0; i < 50; i++) cache.set(`item ${i}`, text(10));
  assert.ok(cache.size <= 100 * 1024, `${cache.size} bytes held`);
  assert.ok(cache.size > 80 * 1024, 'the bound is used, not left empty');
  assert.deepEqual(cache.get('item 49'), text(10));
  assert.equal(cache.get('item 0'), undefined);
});

test('an item looked up since it was set outlives older ones nobody read', () => {
  const cache = new FragmentCache(31 * 1024);
  cache.set('a', text(10));
  cache.set('b', text(10));
  cache.set('c', text(10));
  assert.ok(cache.get('a'));
  cache.set('d', text(10)); // room for three: a was read, so b goes
  assert.ok(cache.get('a'));
  assert.equal(cache.get('b'), undefined);
  assert.ok(cache.get('c'));
  assert.ok(cache.get('d'));
});

test('a text set again replaces the old one and its bytes', () => {
  const cache = new FragmentCache(1024 * 1024);
  cache.set('a', text(10));
  cache.set('a', text(20));
  assert.deepEqual(cache.get('a'), text(20));
  assert.equal(cache.size, 2 + 20 * 1024);
});

test('a text larger than the whole cache is not kept; a zero bound turns the cache off', () => {
  const cache = new FragmentCache(4 * 1024);
  cache.set('big', text(8));
  assert.equal(cache.get('big'), undefined);
  assert.equal(cache.size, 0);
  assert.equal(new FragmentCache(0).enabled, false);
  assert.equal(cache.enabled, true);
});

test('every lookup is told, found or not', () => {
  const seen: boolean[] = [];
  const cache = new FragmentCache(1024, (hit) => seen.push(hit));
  cache.set('a', Buffer.from('A'));
  cache.get('a');
  cache.get('b');
  assert.deepEqual(seen, [true, false]);
});
