// The reports: the measures over the whole range, per local period, per topic, per agent, and the weekday × hour
// grid of requests. Each asks storage for the sums and counts of its groups, within the caller's scope.
import { localParts, zonedWallTimeToInstant } from '../../lib/date-format.ts';
import { invalid } from '../errors.ts';
import type { DomainDeps } from '../ports.ts';
import type { Actor } from '../rights.ts';
import type { FactsFilter } from './facts.ts';
import { type Measures, measure } from './measures.ts';
import { bucketStart, type Grouping, weekdayHour } from './periods.ts';
import { factsFilter, type ReportQuery } from './report-scope.ts';

const MAX_PERIODS = 10_000;

/** The caller's filter, once the facts are up to the moment (every change committed so far counts). */
async function filterFor(deps: DomainDeps, actor: Actor, q: ReportQuery): Promise<FactsFilter> {
  const filter = await factsFilter(deps.store, actor, q);
  await deps.store.reports.refresh();
  return filter;
}

export async function summaryReport(deps: DomainDeps, actor: Actor, q: ReportQuery): Promise<Measures> {
  return measure((await deps.store.reports.figures(await filterFor(deps, actor, q), { by: 'all' })).get(0));
}

/** Every local period the range touches, empty ones included (a line chart needs its zeros). */
export function periodStarts(from: Date, to: Date, grouping: Grouping, zone: string): Date[] {
  const starts: Date[] = [];
  let start = bucketStart(from, grouping, zone);
  while (start.getTime() < to.getTime()) {
    if (starts.length >= MAX_PERIODS) throw invalid(`More than ${MAX_PERIODS} periods: choose a coarser Grouping or a shorter range`);
    starts.push(start);
    const p = localParts(start.getTime(), zone);
    const hour = Math.floor(p.minutes / 60);
    const wall =
      grouping === 'Hour'
        ? Date.UTC(p.year, p.month - 1, p.day, hour + 1)
        : grouping === 'Day'
          ? Date.UTC(p.year, p.month - 1, p.day + 1)
          : grouping === 'Week'
            ? Date.UTC(p.year, p.month - 1, p.day + 7)
            : Date.UTC(p.year, p.month, 1);
    // A wall hour skipped in spring lands on the next one: step again until time moves on.
    let next = zonedWallTimeToInstant(wall, zone);
    for (let extra = 1; next <= start.getTime(); extra++) next = zonedWallTimeToInstant(wall + extra * 3_600_000, zone);
    start = new Date(next);
  }
  return starts;
}

export async function periodReport(deps: DomainDeps, actor: Actor, q: ReportQuery, grouping: Grouping) {
  const starts = periodStarts(q.from, q.to, grouping, q.timeZone);
  const groups = await deps.store.reports.figures(await filterFor(deps, actor, q), { by: 'period', starts: starts.map((s) => s.getTime()) });
  return starts.map((start, i) => ({ start, measures: measure(groups.get(i)) }));
}

export async function topicReport(deps: DomainDeps, actor: Actor, q: ReportQuery) {
  const groups = await deps.store.reports.figures(await filterFor(deps, actor, q), { by: 'topic' });
  const rows = [];
  for (const [topicId, figures] of groups) {
    rows.push({ topicId, topicName: (await deps.store.topics.byId(topicId))?.name ?? '', measures: measure(figures) });
  }
  return rows.sort((a, b) => a.topicName.localeCompare(b.topicName) || a.topicId - b.topicId);
}

/**
 * Per agent who owns the chats now (chats nobody answered form the row of agent 0), and per agent who missed an
 * offer: a missed offer counts for the agent who missed it, who may own no chat in the range.
 */
export async function agentReport(deps: DomainDeps, actor: Actor, q: ReportQuery) {
  const groups = await deps.store.reports.figures(await filterFor(deps, actor, q), { by: 'agent' });
  const names = new Map((await deps.store.associates.byIds([...groups.keys()].filter((id) => id > 0))).map((a) => [a.id, a.fullName || a.userName]));
  return [...groups]
    .map(([agentId, figures]) => ({ agentId, agentName: names.get(agentId) ?? '', measures: measure(figures) }))
    .sort((a, b) => (a.agentId === 0 ? 1 : 0) - (b.agentId === 0 ? 1 : 0) || a.agentName.localeCompare(b.agentName) || a.agentId - b.agentId);
}

/** Chats requested per local weekday (1 = Monday) and hour: all 168 cells, Monday 00 first. */
export async function busiestHoursReport(deps: DomainDeps, actor: Actor, q: ReportQuery) {
  const grid = Array.from({ length: 7 * 24 }, (_, i) => ({ weekday: Math.floor(i / 24) + 1, hour: i % 24, requested: 0 }));
  // Counted per local hour of the range, each hour then added to its weekday × hour cell.
  const hours = periodStarts(q.from, q.to, 'Hour', q.timeZone);
  const counts = await deps.store.reports.requested(await filterFor(deps, actor, q), { by: 'period', starts: hours.map((h) => h.getTime()) });
  for (const [i, n] of counts) {
    const { weekday, hour } = weekdayHour(hours[i], q.timeZone);
    grid[(weekday - 1) * 24 + hour].requested += n;
  }
  return grid;
}
