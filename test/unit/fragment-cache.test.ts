// The kept JSON of single list items: bounded in bytes, least recently used evicted first, lookups counted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FragmentCache } from '../../src/api/fragment-cache.ts';

const text = (kb: number) => 'x'.repeat(kb * 512); // UTF-16: kb KiB held

test('what the texts hold together stays under the byte bound; the most recently used are kept', () => {
  const cache = new FragmentCache(100 * 1024);
  for (let i = 0; i < 50; i++) cache.set(`item ${i}`, text(10));
  assert.ok(cache.size <= 100 * 1024, `${cache.size} bytes held`);
  assert.ok(cache.size > 80 * 1024, 'the bound is used, not left empty');
  assert.equal(cache.get('item 49'), text(10));
  assert.equal(cache.get('item 0'), undefined);
});

test('a lookup makes an item recent: it outlives those set after it but not read', () => {
  const cache = new FragmentCache(30 * 1024);
  cache.set('a', text(10));
  cache.set('b', text(10));
  assert.ok(cache.get('a'));
  cache.set('c', text(10)); // room for two and a bit: b goes, a stays
  assert.ok(cache.get('a'));
  assert.equal(cache.get('b'), undefined);
});

test('a text set again replaces the old one and its bytes', () => {
  const cache = new FragmentCache(1024 * 1024);
  cache.set('a', text(10));
  cache.set('a', text(20));
  assert.equal(cache.get('a'), text(20));
  assert.equal(cache.size, (1 + text(20).length) * 2);
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
  cache.set('a', 'A');
  cache.get('a');
  cache.get('b');
  assert.deepEqual(seen, [true, false]);
});
