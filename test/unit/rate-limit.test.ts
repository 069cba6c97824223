// The token buckets behind the visitor limits and the log-in throttle.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateLimiter } from '../../src/lib/rate-limit.ts';

const T0 = Date.parse('2026-12-01T12:00:00Z');

test('so many per minute, then a wait that says when the next one is due; refilled over time', () => {
  const limiter = new RateLimiter(3);
  for (let i = 0; i < 3; i++) assert.deepEqual(limiter.take('a', T0), { ok: true });
  assert.deepEqual(limiter.take('a', T0), { ok: false, retryAfterSeconds: 20 });
  assert.deepEqual(limiter.take('b', T0), { ok: true }, 'keys are counted apart');
  assert.deepEqual(limiter.take('a', T0 + 20_000), { ok: true }, 'one token back after 20 s');
  assert.equal(limiter.take('a', T0 + 20_000).ok, false);
});

test('a token given back can be taken again', () => {
  const limiter = new RateLimiter(1);
  assert.equal(limiter.take('a', T0).ok, true);
  limiter.giveBack('a');
  assert.equal(limiter.take('a', T0).ok, true);
  assert.equal(limiter.take('a', T0).ok, false);
});

test('a clock stepped back neither refills nor drains a bucket', () => {
  const limiter = new RateLimiter(2);
  assert.equal(limiter.take('a', T0).ok, true);
  // Eleven months back (a test clock, or NTP correcting a wild clock): the one token left is still there.
  const back = T0 - 330 * 86_400_000;
  assert.deepEqual(limiter.take('a', back), { ok: true });
  const refused = limiter.take('a', back);
  assert.equal(refused.ok, false);
  assert.ok(!refused.ok && refused.retryAfterSeconds <= 30, 'the wait is measured from the new time, not months');
  assert.equal(limiter.take('a', back + 30_000).ok, true);
});

test('zero per minute means no limit', () => {
  const limiter = new RateLimiter(0);
  for (let i = 0; i < 1000; i++) assert.equal(limiter.take('a', T0).ok, true);
});
