// The figures of a report from the in-memory columns (report-columns.ts): one pass over the rows adds up each
// group's counts and sums, a second gathers each group's durations (tenths of a second) side by side for the
// percentiles, a third counts the missed offers. The same rules as the SQL it replaced (README, "The measures").
import type { FactsFilter, Figures, FiguresKey } from '../domain/reports/facts.ts';
import { noFigures, tenths } from '../domain/reports/measures.ts';
import { ANSWERED, BOT_ONLY, MISSED, OFFLINE_REQUEST, type ReportColumns } from './report-columns.ts';

/** A lookup by id (ids are small positive integers): 1 for those listed. */
function idSet(ids: readonly number[] | undefined, max: number): Uint8Array | null {
  if (!ids) return null;
  const set = new Uint8Array(max + 1);
  for (const id of ids) if (id >= 0 && id <= max) set[id] = 1;
  return set;
}

/** Whether a row is in the filter's scope, `agent` being whose figures it counts in (owner, or who missed an offer). */
function scopeOf(c: ReportColumns, f: FactsFilter) {
  const from = f.from.getTime();
  const to = f.to.getTime();
  const topics = idSet(f.topicIds, c.maxTopic);
  const agents = idSet(f.agentIds, c.maxAgent);
  const managed = f.visible ? idSet(f.visible.managedTopicIds, c.maxTopic) : null;
  const self = f.visible ? f.visible.selfId : 0;
  return (at: number, agent: number): boolean => {
    const topic = c.topic[at];
    if (topic === 0) return false;
    const requested = c.requested[at];
    if (requested < from || requested >= to) return false;
    if (topics && topics[topic] !== 1) return false;
    // Nobody's chats (agent 0) are never among AgentIds.
    if (agents && (agent === 0 || agents[agent] !== 1)) return false;
    if (f.visible && !(agent !== 0 && agent === self) && !(managed && managed[topic] === 1)) return false;
    return true;
  };
}

/** The group of a row: its topic, its agent, its period's index (binary search of `starts`), or 0. */
function groupOf(c: ReportColumns, key: FiguresKey): { size: number; of(at: number, agent: number): number } {
  if (key.by === 'topic') return { size: c.maxTopic + 1, of: (at) => c.topic[at] };
  if (key.by === 'agent') return { size: c.maxAgent + 1, of: (_at, agent) => agent };
  if (key.by === 'period') {
    const starts = key.starts;
    return {
      size: Math.max(1, starts.length),
      of: (at) => {
        const t = c.requested[at];
        let lo = 0;
        let hi = starts.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >>> 1;
          if (t < starts[mid]) hi = mid - 1;
          else lo = mid;
        }
        return lo;
      },
    };
  }
  return { size: 1, of: () => 0 };
}

/** Sessions requested per group. */
export function requestedPerGroup(c: ReportColumns, filter: FactsFilter, key: FiguresKey): Map<number, number> {
  const inScope = scopeOf(c, filter);
  const group = groupOf(c, key);
  const counts = new Float64Array(group.size);
  for (let at = 0; at < c.size; at++) {
    const agent = c.agent[at];
    if (inScope(at, agent)) counts[group.of(at, agent)]++;
  }
  const out = new Map<number, number>();
  counts.forEach((n, k) => {
    if (n > 0) out.set(k, n);
  });
  return out;
}

const DURATIONS = ['wait', 'firstResponse', 'handling'] as const;
/** The columns of DURATIONS, in the same order. */
const durationColumns = (c: ReportColumns) => [c.wait, c.firstResponse, c.handling];

/** The figures per group; groups with neither a session nor a missed offer are left out. */
export function figuresPerGroup(c: ReportColumns, filter: FactsFilter, key: FiguresKey): Map<number, Figures> {
  const inScope = scopeOf(c, filter);
  const group = groupOf(c, key);
  const table: Array<Figures | undefined> = new Array(group.size);
  const figuresOf = (k: number) => {
    let g = table[k];
    if (!g) table[k] = g = noFigures();
    return g;
  };
  // Each row's group, -1 when out of scope: the durations' pass reads it rather than deciding again.
  const rowGroup = new Int32Array(c.size).fill(-1);
  const columns = durationColumns(c);
  for (let at = 0; at < c.size; at++) {
    const agent = c.agent[at];
    if (!inScope(at, agent)) continue;
    const k = group.of(at, agent);
    rowGroup[at] = k;
    const g = figuresOf(k);
    const flags = c.flags[at];
    g.requested++;
    if (flags & ANSWERED) g.answered++;
    if (flags & MISSED) g.missed++;
    if (flags & OFFLINE_REQUEST) g.offlineRequests++;
    if (flags & BOT_ONLY) g.botOnly++;
    g.transfers += c.transfers[at];
    const rating = c.rating[at];
    if (rating >= 1 && rating <= 5) g.ratingCounts[rating - 1]++;
    for (let m = 0; m < 3; m++) {
      const ms = columns[m][at];
      if (Number.isNaN(ms)) continue;
      const d = g[DURATIONS[m]];
      d.count++;
      d.sumMs += ms;
    }
  }
  gatherDurations(c, rowGroup, table);
  for (let o = 0; o < c.offers; o++) {
    const at = c.offerRow[o];
    if (at < 0) continue;
    const agent = c.offerAgent[o];
    if (!inScope(at, agent)) continue;
    const g = figuresOf(group.of(at, agent));
    if (c.offerTimedOut[o]) g.offersTimedOut++;
    else g.offersDeclined++;
  }
  const groups = new Map<number, Figures>();
  table.forEach((g, k) => {
    if (g) groups.set(k, g);
  });
  return groups;
}

/** Per duration measure, one array with each group's tenths side by side (in row order), handed out as views. */
function gatherDurations(c: ReportColumns, rowGroup: Int32Array, table: Array<Figures | undefined>): void {
  const columns = durationColumns(c);
  const size = table.length;
  for (let m = 0; m < 3; m++) {
    const name = DURATIONS[m];
    const start = new Int32Array(size + 1);
    table.forEach((g, k) => {
      if (g) start[k + 1] = g[name].count;
    });
    for (let k = 0; k < size; k++) start[k + 1] += start[k];
    // Float64: a duration in tenths outgrows 32 bits after 6.8 years (a chat nobody ended).
    const values = new Float64Array(start[size]);
    const next = start.slice(0, size);
    const column = columns[m];
    for (let at = 0; at < c.size; at++) {
      const k = rowGroup[at];
      if (k < 0) continue;
      const ms = column[at];
      if (!Number.isNaN(ms)) values[next[k]++] = tenths(ms);
    }
    table.forEach((g, k) => {
      if (g) g[name].tenths = values.subarray(start[k], start[k + 1]);
    });
  }
}
