// Each instance's in-memory copy of report_facts and the missed offers (report-columns.ts), kept to the database by
// the refresher's log: the first sync (the background job's, or a report's) loads every row, later ones read only
// the sessions logged in report_changes since (the refresher writes the log in the rows' own transaction, and one refresher runs at a time,
// so the log's committed entries are always a prefix of its order: nothing committed is skipped).
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Kysely, Selectable } from 'kysely';
import { ANSWERED, BOT_ONLY, type FactsRow, MISSED, type MissedOffer, OFFLINE_REQUEST, ReportColumns } from './report-columns.ts';
import type { Database, ReportFactTable } from './schema.ts';

/** Rows per read while loading: a turn of the event loop between pages keeps the server answering. */
const PAGE = 20_000;
/** Sessions per statement when following the log. */
const CHUNK = 500;

export class ReportSnapshot {
  private columns = new ReportColumns();
  /** The log's entry the copy is up to date with; null before the first load. */
  private through: number | null = null;
  private running: Promise<void> | null = null;
  /** Calls of sync so far, and the last call a finished pass started after (so it counted every change before it). */
  private calls = 0;
  private servedThrough = 0;
  /** When a report last asked for the copy (Date.now()). */
  private lastAsked = 0;

  constructor(private readonly db: Kysely<Database>) {}

  /** Whether the copy is loaded (by a report, or by the background job). */
  get loaded(): boolean {
    return this.through !== null;
  }

  /** The copy, current, for a report (which counts as using it). */
  forReport(): Promise<ReportColumns> {
    this.lastAsked = Date.now();
    return this.sync();
  }

  /** What the copy holds: live sessions, and the bytes of its arrays. */
  get held(): { sessions: number; bytes: number } {
    return this.loaded ? { sessions: this.columns.live, bytes: this.columns.bytes } : { sessions: 0, bytes: 0 };
  }

  /** Drops the copy when no report asked for it in `idleMs` (never under a running sync, which would write it). */
  releaseIdle(idleMs: number): void {
    if (!this.loaded || this.running || Date.now() - this.lastAsked < idleMs) return;
    this.columns = new ReportColumns();
    this.through = null;
  }

  /**
   * The copy, with every change the refresher committed before the call. One pass runs at a time; a call during a
   * pass waits for the next one (the running pass may have read the log before the call's change was committed),
   * which serves every call made before it started: no call waits for more than two.
   */
  async sync(): Promise<ReportColumns> {
    const call = ++this.calls;
    while (this.servedThrough < call) {
      this.running ??= this.pass().finally(() => {
        this.running = null;
      });
      await this.running;
    }
    return this.columns;
  }

  private async pass(): Promise<void> {
    const serves = this.calls;
    await this.syncOnce();
    this.servedThrough = serves;
  }

  private async syncOnce(): Promise<void> {
    if (this.through === null) return this.load();
    for (;;) {
      const changes = await this.db
        .selectFrom('report_changes')
        .select(['seq', 'session_id'])
        .where('seq', '>', this.through)
        .orderBy('seq')
        .limit(PAGE)
        .execute();
      // Read after the entries: a prune committed before that read shows here, and then entries may be missing.
      const pruned = await this.db.selectFrom('report_changes_pruned').select('through').executeTakeFirstOrThrow();
      if (Number(pruned.through) > this.through) return this.load();
      if (changes.length === 0) return;
      const ids = [...new Set(changes.map((c) => c.session_id))];
      for (let i = 0; i < ids.length; i += CHUNK) await this.apply(this.columns, ids.slice(i, i + CHUNK));
      this.through = Number(changes[changes.length - 1].seq);
      if (changes.length < PAGE) return;
    }
  }

  /** Puts these sessions' current rows and offers in the copy, and takes out those whose row is gone. */
  private async apply(columns: ReportColumns, ids: number[]): Promise<void> {
    const [facts, offers] = await Promise.all([
      this.db.selectFrom('report_facts').selectAll().where('session_id', 'in', ids).execute(),
      this.db.selectFrom('routing_declines').select(['session_id', 'associate_id', 'outcome']).where('session_id', 'in', ids).execute(),
    ]);
    const offersOf = new Map<number, MissedOffer[]>();
    for (const o of offers) {
      const list = offersOf.get(o.session_id) ?? [];
      list.push(missedOffer(o));
      offersOf.set(o.session_id, list);
    }
    const kept = new Set<number>();
    for (const f of facts) {
      kept.add(f.session_id);
      columns.put(factsRow(f), offersOf.get(f.session_id) ?? []);
    }
    for (const id of ids) if (!kept.has(id)) columns.remove(id);
  }

  /** Reads every row anew into a fresh copy, which replaces the old one once complete. */
  private async load(): Promise<void> {
    // The log's position first: what commits while the pages are read is logged after it and read again next time.
    const newest = await this.db
      .selectFrom('report_changes')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst();
    const through = Number(newest?.seq ?? 0);
    const columns = new ReportColumns();
    let after = 0;
    for (;;) {
      const facts = await this.db.selectFrom('report_facts').selectAll().where('session_id', '>', after).orderBy('session_id').limit(PAGE).execute();
      if (facts.length === 0) break;
      for (const f of facts) columns.put(factsRow(f), []);
      const last = facts[facts.length - 1].session_id;
      const offers = await this.db
        .selectFrom('routing_declines')
        .select(['session_id', 'associate_id', 'outcome'])
        .where('session_id', '>', after)
        .where('session_id', '<=', last)
        .execute();
      for (const o of offers) columns.addOfferOf(o.session_id, missedOffer(o));
      after = last;
      await nextTurn();
    }
    this.columns = columns;
    this.through = through;
  }
}

const orNaN = (v: number | null) => (v === null ? Number.NaN : Number(v));

const factsRow = (f: Selectable<ReportFactTable>): FactsRow => ({
  sessionId: f.session_id,
  topicId: f.topic_id,
  agentId: f.agent_id ?? 0,
  requestedMs: Number(f.requested_ms),
  flags: (f.answered ? ANSWERED : 0) | (f.missed ? MISSED : 0) | (f.offline_request ? OFFLINE_REQUEST : 0) | (f.bot_only ? BOT_ONLY : 0),
  transfers: Number(f.transfers),
  waitMs: orNaN(f.wait_ms),
  firstResponseMs: orNaN(f.first_response_ms),
  handlingMs: orNaN(f.handling_ms),
  rating: Number(f.rating),
});

const missedOffer = (o: { associate_id: number; outcome: string }): MissedOffer => ({ agentId: o.associate_id, timedOut: o.outcome === 'timedOut' });
