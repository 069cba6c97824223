// The generated history behind `parley demo --history`: spans, determinism, and sessions the measures can read.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { historySessions, parseHistorySpan } from '../../src/demo/demo-history.ts';
import { ChatSessionStatus as S } from '../../src/domain/enums.ts';

const plan = {
  days: 28,
  perDay: 50,
  now: new Date('2026-03-01T12:00:00Z'),
  topics: [
    { id: 1, agents: [2, 3] },
    { id: 5, agents: [4], bot: true },
  ],
};

test('spans: days, weeks, 30-day months; nonsense refused', () => {
  assert.equal(parseHistorySpan('90d'), 90);
  assert.equal(parseHistorySpan('12w'), 84);
  assert.equal(parseHistorySpan('6m'), 180);
  assert.equal(parseHistorySpan('30'), 30);
  for (const bad of ['0d', '2x', '-5d', '', '99999d']) assert.equal(parseHistorySpan(bad), undefined, bad);
});

test('the history is the same every time, lies before now, and every chat has ended', () => {
  const a = [...historySessions(plan)];
  const b = [...historySessions(plan)];
  assert.deepEqual(a, b);
  assert.ok(a.length > 28 * 30 && a.length < 28 * 70, `${a.length} chats`);
  const start = Date.parse('2026-02-01T00:00:00Z');
  for (const s of a) {
    assert.ok(s.requestedAt.getTime() >= start && s.requestedAt.getTime() < Date.parse('2026-03-01T00:00:00Z'));
    assert.ok(s.endedAt && s.endedAt >= s.requestedAt);
    if (s.startedAt) assert.ok(s.agentId && s.startedAt >= s.requestedAt && s.endedAt >= s.startedAt);
  }
  const count = (f: (s: (typeof a)[number]) => boolean) => a.filter(f).length;
  assert.ok(count((s) => s.status === S.RequestPosted) > 0, 'offline requests');
  assert.ok(count((s) => s.status === S.ClosedFromQueue) > 0, 'missed chats');
  assert.ok(count((s) => s.topicId === 5 && s.startedAt === null && s.status === S.Finished) > 0, 'bot-only chats');
  assert.ok(count((s) => s.rating > 0) > 0, 'ratings');
  const weekday = count((s) => s.requestedAt.getUTCDay() === 2);
  const sunday = count((s) => s.requestedAt.getUTCDay() === 0);
  assert.ok(weekday > 2 * sunday, 'more chats on a Tuesday than on a Sunday');
});
