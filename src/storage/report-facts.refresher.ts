// Keeps report_facts true to the live tables: takes the sessions the triggers of migrations 022 and 024 queued in
// report_dirty, reads their facts from the sessions and messages (first customer message, first answer, transfers
// and bot lines by correlated subqueries on the messages' (session_id, id) index), and writes each session's row, or
// removes it when the session is gone or Deleted; then logs those sessions in report_changes, in the same
// transaction, for the in-memory copies to follow (report-snapshot.ts).
import { setImmediate as nextTurn } from 'node:timers/promises';
import { type Kysely, sql, type Transaction } from 'kysely';
import { ChatMessageSpecialType as Special, ChatMessageType, ChatSessionStatus } from '../domain/enums.ts';
import type { SessionFacts } from '../domain/reports/facts.ts';
import { type SessionFigures, sessionFigures } from '../domain/reports/measures.ts';
import { type Capabilities, fromDbInstant, toDbFlag } from './dialect.ts';
import type { Database } from './schema.ts';

/**
 * Queue entries per transaction: short transactions, and few enough ids per statement for both databases. On SQLite
 * a batch runs synchronously (about 0.3 ms a session): 200 keeps each pause of the event loop near 50 ms.
 */
const BATCH = 200;
/** Log entries kept: a copy further behind than this loads anew (a few seconds per million sessions). */
const CHANGES_KEPT = 100_000;
/** Log entries pruned per statement: after a backfill a million go, in short steps. */
const PRUNE_STEP = 20_000;
/** A session purged under a refresh fails its write (foreign key): the batch runs again and finds it gone. */
const ATTEMPTS = 3;

export class ReportFactsRefresher {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly caps: Capabilities,
  ) {}

  /** Empties the queue, batch by batch; resolves to how many queue entries it took. */
  async refresh(): Promise<number> {
    let taken = 0;
    for (;;) {
      // Cheap when nothing changed: a report asks on every call, and on SQLite a claim would take the write lock.
      // By the id index: PostgreSQL keeps taken entries as dead rows until vacuumed, which a plain scan would read.
      if (!(await this.db.selectFrom('report_dirty').select('id').orderBy('id').limit(1).executeTakeFirst())) break;
      taken += await this.batchWithRetry();
      // SQLite answers synchronously, so awaiting it never lets other work in: without a turn of the event loop
      // between batches, a backfill of a million sessions held every request for minutes.
      await nextTurn();
    }
    if (taken > 0) await this.pruneChanges();
    return taken;
  }

  /**
   * Drops the log's oldest entries beyond CHANGES_KEPT, PRUNE_STEP at a time, each step noting how far in the same
   * transaction (a copy compares the note with what it read).
   */
  private async pruneChanges(): Promise<void> {
    for (;;) {
      const more = await this.db.transaction().execute(async (trx) => {
        const newest = await trx
          .selectFrom('report_changes')
          .select((eb) => eb.fn.max('seq').as('seq'))
          .executeTakeFirst();
        const pruned = Number((await trx.selectFrom('report_changes_pruned').select('through').executeTakeFirstOrThrow()).through);
        const target = Number(newest?.seq ?? 0) - CHANGES_KEPT;
        if (target <= pruned) return false;
        const through = Math.min(target, pruned + PRUNE_STEP);
        await trx.deleteFrom('report_changes').where('seq', '<=', through).execute();
        // Only forwards: two instances may prune at once.
        await trx.updateTable('report_changes_pruned').set({ through }).where('through', '<', through).execute();
        return through < target;
      });
      if (!more) return;
      await nextTurn();
    }
  }

  private async batchWithRetry(): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction().execute((trx) => this.batch(trx));
      } catch (err) {
        if (attempt >= ATTEMPTS) throw err;
      }
    }
  }

  private async batch(trx: Transaction<Database>): Promise<number> {
    // One refresher at a time across instances (SQLite writes one transaction at a time anyway): two would claim
    // different entries of one session and could write its row in the wrong order.
    if (this.caps.advisoryLocks) await sql`select pg_advisory_xact_lock(hashtext('parley.report_facts'))`.execute(trx);
    const claimed = await trx
      .deleteFrom('report_dirty')
      .where('id', 'in', (eb) => eb.selectFrom('report_dirty').select('id').orderBy('id').limit(BATCH))
      .returning('session_id')
      .execute();
    const ids = [...new Set(claimed.map((c) => c.session_id))];
    if (ids.length === 0) return 0;
    const rows = (await liveFacts(trx, ids)).filter((f) => f.status !== ChatSessionStatus.Deleted).map(sessionFigures);
    const kept = new Set(rows.map((r) => r.sessionId));
    const gone = ids.filter((id) => !kept.has(id));
    if (gone.length) await trx.deleteFrom('report_facts').where('session_id', 'in', gone).execute();
    if (rows.length) {
      await trx
        .insertInto('report_facts')
        .values(rows.map(toRow))
        .onConflict((oc) =>
          oc.column('session_id').doUpdateSet((eb) => ({
            topic_id: eb.ref('excluded.topic_id'),
            agent_id: eb.ref('excluded.agent_id'),
            requested_ms: eb.ref('excluded.requested_ms'),
            answered: eb.ref('excluded.answered'),
            missed: eb.ref('excluded.missed'),
            offline_request: eb.ref('excluded.offline_request'),
            bot_only: eb.ref('excluded.bot_only'),
            transfers: eb.ref('excluded.transfers'),
            wait_ms: eb.ref('excluded.wait_ms'),
            first_response_ms: eb.ref('excluded.first_response_ms'),
            handling_ms: eb.ref('excluded.handling_ms'),
            rating: eb.ref('excluded.rating'),
          })),
        )
        .execute();
    }
    await trx
      .insertInto('report_changes')
      .values(ids.map((session_id) => ({ session_id })))
      .execute();
    return claimed.length;
  }
}

const toRow = (r: SessionFigures) => ({
  session_id: r.sessionId,
  topic_id: r.topicId,
  agent_id: r.agentId,
  requested_ms: r.requestedMs,
  answered: toDbFlag(r.answered),
  missed: toDbFlag(r.missed),
  offline_request: toDbFlag(r.offlineRequest),
  bot_only: toDbFlag(r.botOnly),
  transfers: r.transfers,
  wait_ms: r.waitMs,
  first_response_ms: r.firstResponseMs,
  handling_ms: r.handlingMs,
  rating: r.rating,
});

/** The facts of these sessions as the live tables hold them (sessions that no longer exist are not listed). */
async function liveFacts(db: Kysely<Database>, ids: number[]): Promise<SessionFacts[]> {
  const rows = await db
    .selectFrom('chat_sessions as s')
    .select((eb) => {
      const lines = () => eb.selectFrom('chat_messages as m').whereRef('m.session_id', '=', 's.id');
      const firstCustomer = lines()
        .where('m.type', '=', ChatMessageType.ToUser)
        .where('m.special_type', '=', Special.None)
        .select((e) => e.fn.min('m.when_posted').as('at'));
      return [
        's.id',
        's.topic_id',
        's.user_id',
        's.status',
        's.when_requested',
        's.when_started',
        's.when_ended',
        's.rating',
        firstCustomer.as('first_customer_at'),
        eb
          .selectFrom('chat_messages as a')
          .whereRef('a.session_id', '=', 's.id')
          .where('a.type', '=', ChatMessageType.ToCustomer)
          .where('a.special_type', '=', Special.None)
          .whereRef('a.when_posted', '>=', 's.when_started')
          .where('a.when_posted', '>=', firstCustomer)
          .select((e) => e.fn.min('a.when_posted').as('at'))
          .as('first_answer_at'),
        lines()
          .where('m.special_type', '=', Special.TransferedSession)
          .select((e) => e.fn.countAll().as('n'))
          .as('transfers'),
        lines()
          .where('m.special_type', 'in', [Special.BotMessage, Special.Options])
          .select((e) => e.fn.countAll().as('n'))
          .as('bot_lines'),
      ];
    })
    .where('s.id', 'in', ids)
    .execute();
  return rows.map((r) => ({
    sessionId: r.id,
    topicId: r.topic_id,
    agentId: r.user_id,
    status: r.status,
    requestedAt: fromDbInstant(r.when_requested) as Date,
    startedAt: fromDbInstant(r.when_started),
    endedAt: fromDbInstant(r.when_ended),
    firstCustomerAt: fromDbInstant(r.first_customer_at),
    firstAnswerAt: fromDbInstant(r.first_answer_at),
    transfers: Number(r.transfers ?? 0),
    botLines: Number(r.bot_lines ?? 0),
    rating: Number(r.rating),
  }));
}
