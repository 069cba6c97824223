// Aggregates report_facts (one narrow row per session, kept by ReportFactsRefresher) in SQL: sums and counts per
// group, duration percentiles exact from how many of each value (tenths of a second) a group has, and routing's
// missed offers joined to their sessions' facts.
import { type AliasableExpression, type Expression, type ExpressionBuilder, type Kysely, type RawBuilder, sql } from 'kysely';
import type { DurationFigures, FactsFilter, Figures, FiguresKey, ReportRepository } from '../domain/reports/facts.ts';
import { noFigures } from '../domain/reports/measures.ts';
import type { Capabilities } from './dialect.ts';
import { ReportFactsRefresher } from './report-facts.refresher.ts';
import type { Database, ReportFactTable } from './schema.ts';

/**
 * The filter over facts `f`: requested in the range, of its topics, and of its agents and visible to the caller by
 * `agent`, whose figures they are (the owner of a session, the agent who missed an offer). Deleted sessions have
 * no facts row.
 */
const inScope = (f: FactsFilter, agent: Expression<number | null>) => (eb: ExpressionBuilder<{ f: ReportFactTable }, 'f'>) => {
  const all = [eb('f.requested_ms', '>=', f.from.getTime()), eb('f.requested_ms', '<', f.to.getTime())];
  if (f.topicIds) all.push(eb('f.topic_id', 'in', [...f.topicIds]));
  if (f.agentIds) all.push(eb(agent, 'in', [...f.agentIds]));
  const visible = f.visible;
  if (visible) {
    const topics = visible.managedTopicIds.length ? [eb('f.topic_id', 'in', [...visible.managedTopicIds])] : [];
    all.push(eb.or([eb(agent, '=', visible.selfId), ...topics]));
  }
  return eb.and(all);
};

/** The index of the period holding `at`: a binary search written out as nested CASEs (log2 of the periods deep). */
function periodIndex(at: Expression<number>, starts: readonly number[], lo = 0, hi = starts.length - 1): RawBuilder<number> {
  if (lo >= hi) return sql<number>`${sql.lit(lo)}`;
  const mid = Math.ceil((lo + hi) / 2);
  return sql<number>`case when ${at} < ${sql.lit(starts[mid])} then ${periodIndex(at, starts, lo, mid - 1)} else ${periodIndex(at, starts, mid, hi)} end`;
}

/**
 * The group key of a facts row; `agent` is whose row it counts in (null, nobody's: agent 0). Null for one group:
 * no GROUP BY at all, so SQLite neither sorts nor builds a temporary index.
 */
function keyOf(key: FiguresKey, agent: AliasableExpression<number | null>): AliasableExpression<number | null> | null {
  if (key.by === 'topic') return sql.ref<number>('f.topic_id');
  if (key.by === 'agent') return agent;
  if (key.by === 'period') return periodIndex(sql.ref('f.requested_ms'), key.starts);
  return null;
}

const DURATIONS = { wait: 'wait', firstResponse: 'first_response', handling: 'handling' } as const;
const RATINGS = [1, 2, 3, 4, 5] as const;

export class KyselyReportRepository implements ReportRepository {
  private readonly refresher: ReportFactsRefresher;

  constructor(
    private readonly db: Kysely<Database>,
    caps: Capabilities,
  ) {
    this.refresher = new ReportFactsRefresher(db, caps);
  }

  refresh(): Promise<number> {
    return this.refresher.refresh();
  }

  async requested(filter: FactsFilter, key: FiguresKey): Promise<Map<number, number>> {
    const owner = sql.ref<number | null>('f.agent_id');
    const k = keyOf(key, owner);
    const q = this.db
      .selectFrom('report_facts as f')
      .where(inScope(filter, owner))
      .select([(k ?? sql.lit(0)).as('k'), (eb) => eb.fn.countAll().as('n')]);
    const rows = await (k ? q.groupBy(k) : q).execute();
    return new Map(rows.map((r) => [Number(r.k), Number(r.n)]));
  }

  async figures(filter: FactsFilter, key: FiguresKey): Promise<Map<number, Figures>> {
    const groups = new Map<number, Figures>();
    const group = (k: unknown) => {
      const id = Number(k);
      let g = groups.get(id);
      if (!g) groups.set(id, (g = noFigures()));
      return g;
    };
    const [totals, durations, missed] = await Promise.all([this.totals(filter, key), this.durations(filter, key), this.missedOffers(filter, key)]);
    for (const r of totals) {
      const g = group(r.k);
      g.requested = Number(r.requested);
      g.answered = Number(r.answered);
      g.missed = Number(r.missed);
      g.offlineRequests = Number(r.offline_requests);
      g.transfers = Number(r.transfers);
      g.botOnly = Number(r.bot_only);
      for (const [name, column] of Object.entries(DURATIONS)) {
        const d: DurationFigures = g[name as keyof typeof DURATIONS];
        d.count = Number(r[`${column}_count`]);
        d.sumMs = Number(r[`${column}_sum`] ?? 0);
        if (d.count === 0) d.sumMs = 0;
      }
      g.ratingCounts = RATINGS.map((n) => Number(r[`rating_${n}`])) as Figures['ratingCounts'];
    }
    for (const [name, rows] of durations) {
      for (const r of rows) group(r.k)[name].tenths.push([Number(r.v), Number(r.n)]);
    }
    for (const g of groups.values()) for (const name of Object.keys(DURATIONS) as Array<keyof typeof DURATIONS>) g[name].tenths.sort((a, b) => a[0] - b[0]);
    for (const r of missed) {
      const g = group(r.k);
      if (r.outcome === 'timedOut') g.offersTimedOut += Number(r.n);
      else g.offersDeclined += Number(r.n);
    }
    return groups;
  }

  private totals(filter: FactsFilter, key: FiguresKey) {
    const owner = sql.ref<number | null>('f.agent_id');
    const k = keyOf(key, owner);
    const q = this.db
      .selectFrom('report_facts as f')
      .where(inScope(filter, owner))
      .select((eb) => [
        (k ?? sql.lit(0)).as('k'),
        eb.fn.countAll().as('requested'),
        eb.fn.sum('f.answered').as('answered'),
        eb.fn.sum('f.missed').as('missed'),
        eb.fn.sum('f.offline_request').as('offline_requests'),
        eb.fn.sum('f.transfers').as('transfers'),
        eb.fn.sum('f.bot_only').as('bot_only'),
        ...Object.values(DURATIONS).flatMap((c) => [eb.fn.count(`f.${c}_ms`).as(`${c}_count`), eb.fn.sum(`f.${c}_ms`).as(`${c}_sum`)]),
        ...RATINGS.map((n) => sql<number>`sum(case when f.rating = ${sql.lit(n)} then 1 else 0 end)`.as(`rating_${n}`)),
      ]);
    // One group: no GROUP BY, but then an empty range still gives a row (of zeros), which is no group.
    return (k ? q.groupBy(k) : q).having((eb) => eb.fn.countAll(), '>', 0).execute() as Promise<Array<Record<string, unknown>>>;
  }

  /**
   * Per duration measure, how many of each value in tenths of a second each group has: grouped by the value first,
   * so that SQLite reads them in order from the (value, topic or agent, requested) indexes without sorting.
   */
  private async durations(filter: FactsFilter, key: FiguresKey) {
    const owner = sql.ref<number | null>('f.agent_id');
    const k = keyOf(key, owner);
    return Promise.all(
      Object.entries(DURATIONS).map(async ([name, column]) => {
        const value = sql.ref<number>(`f.${column}_t`);
        const rows = await this.db
          .selectFrom('report_facts as f')
          .where(inScope(filter, owner))
          .where(value, 'is not', null)
          .select((eb) => [value.as('v'), (k ?? sql.lit(0)).as('k'), eb.fn.countAll().as('n')])
          .groupBy(k ? [value, k] : [value])
          .execute();
        return [name as keyof typeof DURATIONS, rows] as const;
      }),
    );
  }

  /**
   * Missed offers per group and outcome. CROSS JOIN: SQLite then reads the (few) missed offers and looks their
   * sessions up, rather than probing every session of the range; PostgreSQL plans it as any join.
   */
  private missedOffers(filter: FactsFilter, key: FiguresKey) {
    const missedBy = sql.ref<number>('d.associate_id');
    const k = keyOf(key, missedBy);
    return this.db
      .selectFrom('routing_declines as d')
      .crossJoin('report_facts as f')
      .whereRef('f.session_id', '=', 'd.session_id')
      .where(inScope(filter, missedBy))
      .select((eb) => [(k ?? sql.lit(0)).as('k'), 'd.outcome', eb.fn.countAll().as('n')])
      .groupBy(k ? [k, 'd.outcome'] : ['d.outcome'])
      .execute();
  }
}
