// The in-memory report copy: nearest-rank percentiles by selection agree with sorting; the columns keep rows and
// missed offers through updates, removals and compactions; and the aggregation gives, for random rows, filters,
// scopes and groupings, what a plain per-row reference of the README's rules gives.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seeded } from '../../src/demo/demo-history.ts';
import type { FactsFilter, Figures, FiguresKey } from '../../src/domain/reports/facts.ts';
import { nearestRank, nearestRanks, noFigures } from '../../src/domain/reports/measures.ts';
import { figuresPerGroup, requestedPerGroup } from '../../src/storage/report-aggregate.ts';
import { ANSWERED, BOT_ONLY, type FactsRow, MISSED, type MissedOffer, OFFLINE_REQUEST, ReportColumns } from '../../src/storage/report-columns.ts';

test('nearest rank: the smallest value with at least p% at or below it', () => {
  assert.equal(nearestRank([], 50), null);
  assert.equal(nearestRank([7], 90), 7);
  assert.equal(nearestRank([1, 2, 3, 4], 50), 2);
  assert.equal(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90), 9);
  assert.equal(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90), 10);
});

test('percentiles selected in place agree with the sorted list, duplicates and all', () => {
  const rnd = seeded(7);
  const cases: number[][] = [[7], [1, 2, 3, 4], [5, 5, 5, 1], [3, 1, 2, 2, 9, 9, 9, 9, 9, 0, 4], [2, 1]];
  for (let i = 0; i < 300; i++) {
    const n = 1 + Math.floor(rnd() * 200);
    const spread = 1 + Math.floor(rnd() * (i % 3 === 0 ? 3 : 1000));
    cases.push(Array.from({ length: n }, () => Math.floor(rnd() * spread)));
  }
  for (const values of cases) {
    const sorted = [...values].sort((a, b) => a - b);
    const ps = [50, 90];
    assert.deepEqual(
      nearestRanks(Float64Array.from(values), ps),
      ps.map((p) => nearestRank(sorted, p)),
      `${values}`,
    );
  }
});

const row = (sessionId: number, over: Partial<FactsRow> = {}): FactsRow => ({
  sessionId,
  topicId: 1,
  agentId: 2,
  requestedMs: 1000 * sessionId,
  flags: ANSWERED,
  transfers: 0,
  waitMs: 1000,
  firstResponseMs: Number.NaN,
  handlingMs: Number.NaN,
  rating: 0,
  ...over,
});
const all: FactsFilter = { from: new Date(0), to: new Date(1e13), visible: null };

test("the columns update rows in place, replace a session's offers, and survive removals and compactions", () => {
  const c = new ReportColumns();
  c.put(row(5), [{ agentId: 3, timedOut: false }]);
  c.put(row(3, { topicId: 2 }), []);
  c.put(row(5, { agentId: 4, waitMs: 2500 }), [
    { agentId: 3, timedOut: true },
    { agentId: 6, timedOut: false },
  ]);
  let g = figuresPerGroup(c, all, { by: 'agent' });
  assert.deepEqual([...g.keys()].sort(), [2, 3, 4, 6]);
  assert.equal(g.get(4)?.wait.sumMs, 2500, 'the row was rewritten in place');
  assert.deepEqual([g.get(3)?.offersTimedOut, g.get(3)?.offersDeclined, g.get(6)?.offersDeclined], [1, 0, 1], 'the old offer is gone');
  c.remove(5);
  c.remove(5);
  c.remove(99);
  g = figuresPerGroup(c, all, { by: 'all' });
  assert.deepEqual([g.get(0)?.requested, g.get(0)?.offersDeclined, g.get(0)?.offersTimedOut], [1, 0, 0]);
  assert.equal(c.addOfferOf(5, { agentId: 3, timedOut: false }), false, 'no offer for a session not there');
  c.put(row(5), []);
  assert.equal(figuresPerGroup(c, all, { by: 'all' }).get(0)?.requested, 2, 'a removed session can come back');

  // Far more removals than rows left: compacted (twice), and what is left still adds up; ids below the first too.
  for (let id = 100; id < 40_100; id++) c.put(row(id), id % 2 ? [{ agentId: 7, timedOut: false }] : []);
  for (let id = 100; id < 40_000; id++) c.remove(id);
  c.put(row(1, { topicId: 9 }), [{ agentId: 8, timedOut: true }]);
  assert.ok(c.size <= 20_000, `compacted to ${c.size} rows (40,103 put)`);
  g = figuresPerGroup(c, all, { by: 'all' });
  assert.deepEqual([g.get(0)?.requested, g.get(0)?.offersDeclined, g.get(0)?.offersTimedOut], [103, 50, 1]);
});

/** The README's rules, row by row, with nothing shared with the implementation but the row type. */
function reference(rows: FactsRow[], offers: Map<number, MissedOffer[]>, f: FactsFilter, key: FiguresKey) {
  const visible = (topic: number, agent: number) => !f.visible || (agent !== 0 && agent === f.visible.selfId) || f.visible.managedTopicIds.includes(topic);
  const inScope = (r: FactsRow, agent: number) =>
    r.requestedMs >= f.from.getTime() &&
    r.requestedMs < f.to.getTime() &&
    (!f.topicIds || f.topicIds.includes(r.topicId)) &&
    (!f.agentIds || (agent !== 0 && f.agentIds.includes(agent))) &&
    visible(r.topicId, agent);
  const groupOf = (r: FactsRow, agent: number) => {
    if (key.by === 'topic') return r.topicId;
    if (key.by === 'agent') return agent;
    if (key.by === 'period') return key.starts.filter((s) => s <= r.requestedMs).length - 1;
    return 0;
  };
  const groups = new Map<number, { figures: Figures; durations: Record<string, number[]> }>();
  const get = (k: number) => {
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { figures: noFigures(), durations: { wait: [], firstResponse: [], handling: [] } }));
    return g;
  };
  for (const r of rows) {
    if (inScope(r, r.agentId)) {
      const g = get(groupOf(r, r.agentId));
      g.figures.requested++;
      g.figures.answered += r.flags & ANSWERED ? 1 : 0;
      g.figures.missed += r.flags & MISSED ? 1 : 0;
      g.figures.offlineRequests += r.flags & OFFLINE_REQUEST ? 1 : 0;
      g.figures.botOnly += r.flags & BOT_ONLY ? 1 : 0;
      g.figures.transfers += r.transfers;
      if (r.rating) g.figures.ratingCounts[r.rating - 1]++;
      for (const [name, ms] of [
        ['wait', r.waitMs],
        ['firstResponse', r.firstResponseMs],
        ['handling', r.handlingMs],
      ] as const) {
        if (Number.isNaN(ms)) continue;
        g.figures[name].count++;
        g.figures[name].sumMs += ms;
        g.durations[name].push(Math.round(ms / 100));
      }
    }
    for (const o of offers.get(r.sessionId) ?? []) {
      if (!inScope(r, o.agentId)) continue;
      const g = get(groupOf(r, o.agentId));
      if (o.timedOut) g.figures.offersTimedOut++;
      else g.figures.offersDeclined++;
    }
  }
  return groups;
}

test('the aggregation agrees with the rules applied row by row, for random rows, filters, scopes and groupings', () => {
  const rnd = seeded(42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)];
  for (let round = 0; round < 40; round++) {
    const c = new ReportColumns();
    const rows = new Map<number, FactsRow>();
    const offers = new Map<number, MissedOffer[]>();
    for (let step = 0; step < 400; step++) {
      const id = 1 + Math.floor(rnd() * 300);
      if (rnd() < 0.15) {
        c.remove(id);
        rows.delete(id);
        offers.delete(id);
        continue;
      }
      const duration = () => (rnd() < 0.3 ? Number.NaN : Math.floor(rnd() * (rnd() < 0.5 ? 2_000 : 900_000)));
      const r: FactsRow = {
        sessionId: id,
        topicId: 1 + Math.floor(rnd() * 6),
        agentId: pick([0, 2, 3, 4, 5, 6]),
        requestedMs: Math.floor(rnd() * 1_000_000),
        flags: Math.floor(rnd() * 16),
        transfers: pick([0, 0, 1, 2]),
        waitMs: duration(),
        firstResponseMs: duration(),
        handlingMs: duration(),
        rating: pick([0, 0, 1, 2, 3, 4, 5]),
      };
      const o: MissedOffer[] = rnd() < 0.3 ? [{ agentId: pick([2, 3, 7]), timedOut: rnd() < 0.5 }] : [];
      c.put(r, o);
      rows.set(id, r);
      offers.set(id, o);
    }
    const from = Math.floor(rnd() * 300_000);
    const filter: FactsFilter = {
      from: new Date(from),
      to: new Date(from + 200_000 + Math.floor(rnd() * 800_000)),
      topicIds: rnd() < 0.3 ? [1, 3, 99] : undefined,
      agentIds: rnd() < 0.3 ? [0, 2, 7] : undefined,
      visible: rnd() < 0.4 ? { managedTopicIds: rnd() < 0.5 ? [2, 4] : [], selfId: pick([2, 3]) } : null,
    };
    const starts = [from, from + 50_000, from + 51_000, from + 400_000];
    for (const key of [{ by: 'all' }, { by: 'topic' }, { by: 'agent' }, { by: 'period', starts }] as FiguresKey[]) {
      const expected = reference([...rows.values()], offers, filter, key);
      const actual = figuresPerGroup(c, filter, key);
      const label = `round ${round}, ${key.by}`;
      assert.deepEqual(
        [...actual.keys()].sort((a, b) => a - b),
        [...expected.keys()].sort((a, b) => a - b),
        label,
      );
      for (const [k, { figures, durations }] of expected) {
        const got = actual.get(k) as Figures;
        for (const name of ['wait', 'firstResponse', 'handling'] as const) {
          assert.deepEqual(
            [...got[name].tenths].sort((a, b) => a - b),
            durations[name].sort((a, b) => a - b),
            `${label}, group ${k}, ${name}`,
          );
          got[name].tenths = figures[name].tenths;
        }
        assert.deepEqual(got, figures, `${label}, group ${k}`);
      }
      const requested = requestedPerGroup(c, filter, key);
      assert.deepEqual(
        [...requested].sort((a, b) => a[0] - b[0]),
        [...expected]
          .filter(([, g]) => g.figures.requested > 0)
          .map(([k, g]) => [k, g.figures.requested])
          .sort((a, b) => a[0] - b[0]),
        `${label}, requested`,
      );
    }
  }
});
