// The event outbox: every change appends its events in the change's own transaction, so an event exists exactly
// when its change committed. Readers (webhooks, push) read forward by id.
import { type Kysely, sql } from 'kysely';
import type { EventRepository, OutboxEvent } from '../domain/ports.ts';
import { type Capabilities, fromDbInstant } from './dialect.ts';
import type { Database } from './schema.ts';

export type { StoredEvent } from '../domain/events.ts';
import type { StoredEvent } from '../domain/events.ts';

const SESSION_DATES = ['whenRequested', 'whenStarted', 'whenEnded', 'whenIdle', 'whenFetched'] as const;

/**
 * A payload as its event's producer wrote it: JSON gives dates back as text, so the session's and the message's
 * instants are made dates again. Every writer of the outbox is typed by the catalogue (domain/events.ts).
 */
function revive(payload: string): OutboxEvent['payload'] {
  const p = JSON.parse(payload);
  if (p?.session) for (const k of SESSION_DATES) p.session[k] = p.session[k] ? new Date(p.session[k]) : null;
  if (p?.message) p.message.whenPosted = new Date(p.message.whenPosted);
  if (p?.note) p.note.whenPosted = new Date(p.note.whenPosted);
  if (typeof p?.expiresAt === 'string') p.expiresAt = new Date(p.expiresAt);
  return p;
}

export class KyselyEventRepository implements EventRepository {
  /** `observe` runs after each append, in the same transaction (e-mail is queued there from the event). */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly caps: Capabilities,
    private readonly onAppend: () => void,
    private readonly observe?: (e: OutboxEvent) => Promise<void>,
  ) {}

  async append(e: OutboxEvent) {
    const row = await this.db
      .insertInto('outbox_events')
      .values({
        type: e.type,
        topic_id: e.topicId,
        session_id: e.sessionId,
        associate_id: e.associateId,
        payload: JSON.stringify(e.payload),
        created_at: e.createdAt.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await this.observe?.(e);
    this.onAppend();
    return Number(row.id);
  }

  /** Events after `afterId`, oldest first. */
  async after(afterId: number, limit: number, types?: readonly string[]): Promise<StoredEvent[]> {
    let q = this.db.selectFrom('outbox_events').selectAll().where('id', '>', afterId).orderBy('id').limit(limit);
    if (types?.length) q = q.where('type', 'in', [...types]);
    const rows = await q.execute();
    return rows.map(
      (r) =>
        ({
          id: Number(r.id),
          type: r.type,
          topicId: r.topic_id,
          sessionId: r.session_id,
          associateId: r.associate_id,
          payload: revive(r.payload),
          createdAt: fromDbInstant(r.created_at) as Date,
        }) as StoredEvent,
    );
  }

  async oldestId(): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('outbox_events')
      .select((eb) => eb.fn.min('id').as('min'))
      .executeTakeFirst();
    return row?.min === null || row?.min === undefined ? undefined : Number(row.min);
  }

  async lastId(): Promise<number> {
    const row = await this.db
      .selectFrom('outbox_events')
      .select((eb) => eb.fn.max('id').as('max'))
      .executeTakeFirst();
    return Number(row?.max ?? 0);
  }

  /** Drops events older than `cutoff`, except those an active webhook has not delivered yet. */
  async removeOlderThan(cutoff: Date): Promise<number> {
    const pending = await this.db
      .selectFrom('webhooks')
      .select((eb) => eb.fn.min('delivered_up_to').as('low'))
      .where('active', '=', 1)
      .executeTakeFirst();
    let q = this.db.deleteFrom('outbox_events').where('created_at', '<', cutoff.toISOString());
    if (pending?.low !== null && pending?.low !== undefined) q = q.where('id', '<=', Number(pending.low));
    const r = await q.executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  /**
   * The highest outbox id below which no event can still appear: every id up to it belongs to a transaction that
   * has ended. A reader that meets a gap in the ids (cursor 10, next visible 12) may pass it only when the gap
   * lies below this horizon; otherwise id 11 may belong to a transaction that has not committed yet.
   *
   * SQLite: one writer at a time, and an id is taken inside the writing transaction, so a visible id never has
   * an invisible lower one still coming: no limit. PostgreSQL: ids come from a sequence outside transactions,
   * so concurrent writers commit out of id order. The horizon is the sequence's last value read before seeing
   * that no other session holds the RowExclusiveLock every INSERT takes on the table (held until its transaction
   * ends); with writers busy it is unknown (-1), and the caller looks again later. Reads of the outbox made after
   * this call see every committed id up to the horizon.
   */
  async settledEventHorizon(): Promise<number> {
    if (this.caps.orderedIds) return Number.MAX_SAFE_INTEGER;
    const seq = await sql<{ last: string | number | null }>`
      select pg_sequence_last_value(pg_get_serial_sequence('outbox_events', 'id')::regclass) as last`.execute(this.db);
    const busy = await sql<{ n: number }>`
      select count(*)::int as n from pg_locks
      where locktype = 'relation' and relation = 'outbox_events'::regclass and mode = 'RowExclusiveLock'
        and database = (select oid from pg_database where datname = current_database()) and pid <> pg_backend_pid()`.execute(this.db);
    if (Number(busy.rows[0]?.n ?? 0) > 0) return -1;
    return Number(seq.rows[0]?.last ?? 0);
  }
}
