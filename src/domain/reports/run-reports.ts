// The reports: the measures over the whole range, per local period, per topic, per agent, and the weekday × hour
// grid of requests. Each reads the facts (and routing's missed offers) once, within the caller's scope, and groups
// them here.
import { localParts, zonedWallTimeToInstant } from '../../lib/date-format.ts';
import { invalid } from '../errors.ts';
import type { DomainDeps } from '../ports.ts';
import type { Actor } from '../rights.ts';
import type { MissedOffer, SessionFacts } from './facts.ts';
import { type Measures, measure } from './measures.ts';
import { bucketStart, type Grouping, groupBy, weekdayHour } from './periods.ts';
import { factsFilter, type ReportQuery } from './report-scope.ts';

const MAX_PERIODS = 10_000;

async function factsFor(deps: DomainDeps, actor: Actor, q: ReportQuery): Promise<SessionFacts[]> {
  return deps.store.reports.facts(await factsFilter(deps.store, actor, q));
}

async function factsAndOffers(deps: DomainDeps, actor: Actor, q: ReportQuery): Promise<{ facts: SessionFacts[]; missed: MissedOffer[] }> {
  const filter = await factsFilter(deps.store, actor, q);
  const [facts, missed] = await Promise.all([deps.store.reports.facts(filter), deps.store.reports.missedOffers(filter)]);
  return { facts, missed };
}

export async function summaryReport(deps: DomainDeps, actor: Actor, q: ReportQuery): Promise<Measures> {
  const { facts, missed } = await factsAndOffers(deps, actor, q);
  return measure(facts, missed);
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
  const { facts, missed } = await factsAndOffers(deps, actor, q);
  const bucket = (at: Date) => bucketStart(at, grouping, q.timeZone).getTime();
  const groups = groupBy(facts, (f) => bucket(f.requestedAt));
  const missedGroups = groupBy(missed, (m) => bucket(m.requestedAt));
  return starts.map((start) => ({ start, measures: measure(groups.get(start.getTime()) ?? [], missedGroups.get(start.getTime())) }));
}

export async function topicReport(deps: DomainDeps, actor: Actor, q: ReportQuery) {
  const { facts, missed } = await factsAndOffers(deps, actor, q);
  const groups = groupBy(facts, (f) => f.topicId);
  const missedGroups = groupBy(missed, (m) => m.topicId);
  const rows = [];
  for (const topicId of new Set([...groups.keys(), ...missedGroups.keys()])) {
    const name = (await deps.store.topics.byId(topicId))?.name ?? '';
    rows.push({ topicId, topicName: name, measures: measure(groups.get(topicId) ?? [], missedGroups.get(topicId)) });
  }
  return rows.sort((a, b) => a.topicName.localeCompare(b.topicName) || a.topicId - b.topicId);
}

/**
 * Per agent who owns the chats now (chats nobody answered form the row of agent 0), and per agent who missed an
 * offer: a missed offer counts for the agent who missed it, who may own no chat in the range.
 */
export async function agentReport(deps: DomainDeps, actor: Actor, q: ReportQuery) {
  const { facts, missed } = await factsAndOffers(deps, actor, q);
  const groups = groupBy(facts, (f) => f.agentId ?? 0);
  const missedGroups = groupBy(missed, (m) => m.agentId);
  const agentIds = [...new Set([...groups.keys(), ...missedGroups.keys()])];
  const names = new Map((await deps.store.associates.byIds(agentIds.filter((id) => id > 0))).map((a) => [a.id, a.fullName || a.userName]));
  return agentIds
    .map((agentId) => ({ agentId, agentName: names.get(agentId) ?? '', measures: measure(groups.get(agentId) ?? [], missedGroups.get(agentId)) }))
    .sort((a, b) => (a.agentId === 0 ? 1 : 0) - (b.agentId === 0 ? 1 : 0) || a.agentName.localeCompare(b.agentName) || a.agentId - b.agentId);
}

/** Chats requested per local weekday (1 = Monday) and hour: all 168 cells, Monday 00 first. */
export async function busiestHoursReport(deps: DomainDeps, actor: Actor, q: ReportQuery) {
  const grid = Array.from({ length: 7 * 24 }, (_, i) => ({ weekday: Math.floor(i / 24) + 1, hour: i % 24, requested: 0 }));
  for (const f of await factsFor(deps, actor, q)) {
    const { weekday, hour } = weekdayHour(f.requestedAt, q.timeZone);
    grid[(weekday - 1) * 24 + hour].requested++;
  }
  return grid;
}
