// The e-mail outbox: mail queued (already rendered) in the transaction of the change it reports, then claimed by
// one sender at a time with a lease, and marked sent, or failed for a later attempt, or failed for good.
import type { Kysely, Selectable } from 'kysely';
import { type Capabilities, fromDbInstant, lockingRows } from './dialect.ts';
import type { Database, MailTable } from './schema.ts';

export type MailState = 'pending' | 'sent' | 'failed';

export interface NewMail {
  kind: string;
  sessionId: number | null;
  topicId: number | null;
  recipientName: string;
  recipientAddress: string;
  subject: string;
  body: string;
  createdAt: Date;
}

export interface Mail extends NewMail {
  id: number;
  state: MailState;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  sentAt: Date | null;
}

const fromRow = (r: Selectable<MailTable>): Mail => ({
  id: Number(r.id),
  kind: r.kind,
  sessionId: r.session_id,
  topicId: r.topic_id,
  recipientName: r.recipient_name,
  recipientAddress: r.recipient_address,
  subject: r.subject,
  body: r.body,
  state: r.state as MailState,
  attempts: r.attempts,
  nextAttemptAt: fromDbInstant(r.next_attempt_at) as Date,
  lastError: r.last_error,
  createdAt: fromDbInstant(r.created_at) as Date,
  sentAt: fromDbInstant(r.sent_at),
});

export class KyselyMailRepository {
  /** `onQueue` announces the queued mail, like an appended event, so the sender wakes once it commits. */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly caps: Capabilities,
    private readonly onQueue: () => void = () => {},
  ) {}

  async enqueue(m: NewMail): Promise<number> {
    const row = await this.db
      .insertInto('mail_outbox')
      .values({
        kind: m.kind,
        session_id: m.sessionId,
        topic_id: m.topicId,
        recipient_name: m.recipientName.slice(0, 255),
        recipient_address: m.recipientAddress,
        subject: m.subject.slice(0, 1024),
        body: m.body,
        next_attempt_at: m.createdAt.toISOString(),
        created_at: m.createdAt.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    this.onQueue();
    return Number(row.id);
  }

  /** Whether mail of this kind was queued for the session already (sent or not). */
  async queuedFor(sessionId: number, kind: string): Promise<boolean> {
    return !!(await this.db.selectFrom('mail_outbox').select('id').where('session_id', '=', sessionId).where('kind', '=', kind).executeTakeFirst());
  }

  /**
   * Takes up to `limit` pending mails that are due and not claimed by another sender (or whose claim lapsed: the
   * sender died), claiming them until `leaseUntil`. PostgreSQL skips rows another instance is claiming right now,
   * so each mail goes to one instance at a time; SQLite has one process.
   */
  async claimDue(now: Date, leaseUntil: Date, limit: number): Promise<Mail[]> {
    const at = now.toISOString();
    const due = this.db
      .selectFrom('mail_outbox')
      .select('id')
      .where('state', '=', 'pending')
      .where('next_attempt_at', '<=', at)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', at)]))
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(limit);
    const rows = await this.db
      .updateTable('mail_outbox')
      .set({ claimed_until: leaseUntil.toISOString() })
      .where('id', 'in', lockingRows(due, this.caps, true))
      .returningAll()
      .execute();
    return rows.map(fromRow).sort((a, b) => a.id - b.id);
  }

  /**
   * When a sender should look again: the earliest due time of pending mail nobody holds, or the earliest lapse of a
   * claim another sender holds (it may die with it). Undefined: nothing pending.
   */
  async nextDue(now: Date): Promise<Date | undefined> {
    const at = now.toISOString();
    const pending = this.db.selectFrom('mail_outbox').where('state', '=', 'pending');
    const [free, held] = await Promise.all([
      pending
        .select((eb) => eb.fn.min('next_attempt_at').as('t'))
        .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', at)]))
        .executeTakeFirst(),
      pending
        .select((eb) => eb.fn.min('claimed_until').as('t'))
        .where('claimed_until', '>', at)
        .executeTakeFirst(),
    ]);
    const times = [fromDbInstant(free?.t), fromDbInstant(held?.t)].filter((t): t is Date => t !== null);
    return times.length ? new Date(Math.min(...times.map((t) => t.getTime()))) : undefined;
  }

  async markSent(id: number, at: Date): Promise<void> {
    await this.db
      .updateTable('mail_outbox')
      .set((eb) => ({ state: 'sent', sent_at: at.toISOString(), claimed_until: null, last_error: null, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .execute();
  }

  /** Gives up a claim without an attempt (shutting down): the mail is due again at once, for any sender. */
  async release(id: number): Promise<void> {
    await this.db.updateTable('mail_outbox').set({ claimed_until: null }).where('id', '=', id).where('state', '=', 'pending').execute();
  }

  /** A failed attempt: tried again at `nextAttemptAt`, or (null) failed for good. */
  async recordFailure(id: number, attempts: number, nextAttemptAt: Date | null, error: string): Promise<void> {
    await this.db
      .updateTable('mail_outbox')
      .set({
        state: nextAttemptAt ? 'pending' : 'failed',
        attempts,
        claimed_until: null,
        last_error: error.slice(0, 1024),
        ...(nextAttemptAt ? { next_attempt_at: nextAttemptAt.toISOString() } : {}),
      })
      .where('id', '=', id)
      .execute();
  }

  /** Removes sent and failed mail queued before `cutoff` (pending mail stays whatever its age); the number removed. */
  async removeFinishedBefore(cutoff: Date): Promise<number> {
    const r = await this.db
      .deleteFrom('mail_outbox')
      .where('state', 'in', ['sent', 'failed'])
      .where('created_at', '<', cutoff.toISOString())
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  /** Newest first; optionally only one state. */
  async list(filter: { state?: MailState; limit?: number } = {}): Promise<Mail[]> {
    let q = this.db
      .selectFrom('mail_outbox')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(filter.limit ?? 100);
    if (filter.state) q = q.where('state', '=', filter.state);
    return (await q.execute()).map(fromRow);
  }

  /** Mails per state (states with none are absent). */
  async countByState(): Promise<Array<{ state: MailState; count: number }>> {
    const rows = await this.db
      .selectFrom('mail_outbox')
      .select((eb) => ['state', eb.fn.countAll<number>().as('n')])
      .groupBy('state')
      .execute();
    return rows.map((r) => ({ state: r.state as MailState, count: Number(r.n) }));
  }
}
