// Webhook subscriptions and their delivery state: the cursor into the event outbox (delivered_up_to), the
// failure count and the time of the next attempt. Also the few PostgreSQL queries delivery needs to be safe
// across instances: the row lock that gives one instance a hook at a time, and the outbox's settled horizon.
import type { Kysely, Selectable } from 'kysely';
import { type Capabilities, fromDbFlag, fromDbInstant, toDbInstant } from './dialect.ts';
import type { Database, WebhookTable } from './schema.ts';

export interface Webhook {
  id: number;
  name: string;
  targetUrl: string;
  /** The shared secret that signs each delivery; kept as given because signing needs it. */
  secret: string;
  events: string[];
  active: boolean;
  /** The id of the last outbox event this hook is done with (delivered, or not one of its events). */
  deliveredUpTo: number;
  failures: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  createdAt: Date;
}

export interface NewWebhook {
  name: string;
  targetUrl: string;
  secret: string;
  events: readonly string[];
  deliveredUpTo: number;
  createdAt: Date;
}

const fromRow = (r: Selectable<WebhookTable>): Webhook => ({
  id: r.id,
  name: r.name,
  targetUrl: r.target_url,
  secret: r.secret,
  events: r.events
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean),
  active: fromDbFlag(r.active),
  deliveredUpTo: Number(r.delivered_up_to),
  failures: r.failures,
  nextAttemptAt: fromDbInstant(r.next_attempt_at),
  lastError: r.last_error,
  createdAt: fromDbInstant(r.created_at) as Date,
});

export class KyselyWebhookRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly caps: Capabilities,
  ) {}

  async insert(w: NewWebhook): Promise<number> {
    const row = await this.db
      .insertInto('webhooks')
      .values({
        name: w.name,
        target_url: w.targetUrl,
        secret: w.secret,
        events: w.events.join(','),
        delivered_up_to: w.deliveredUpTo,
        created_at: w.createdAt.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  async list(): Promise<Webhook[]> {
    return (await this.db.selectFrom('webhooks').selectAll().orderBy('id').execute()).map(fromRow);
  }

  async listActive(): Promise<Webhook[]> {
    return (await this.db.selectFrom('webhooks').selectAll().where('active', '=', 1).orderBy('id').execute()).map(fromRow);
  }

  async byId(id: number): Promise<Webhook | undefined> {
    const row = await this.db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
    return row && fromRow(row);
  }

  async remove(id: number): Promise<boolean> {
    const r = await this.db.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /**
   * Runs `work` while this process alone delivers the hook. On PostgreSQL the hook's row is locked
   * (`FOR UPDATE SKIP LOCKED`) in a transaction that lasts for `work`: another instance skips the hook instead
   * of waiting, and reads the cursor this one committed once the lock is gone. On SQLite one process serves a
   * database file and its dispatcher never runs a hook twice at once; no transaction is held there, because a
   * SQLite transaction would hold the only connection (and every API call) for the length of an HTTP request.
   * `work` gets the hook as stored now and a repository that writes under the lock. Undefined when another
   * instance holds the hook, or it is gone or inactive.
   */
  async withDeliveryLock<T>(id: number, work: (hook: Webhook, locked: KyselyWebhookRepository) => Promise<T>): Promise<T | undefined> {
    if (!this.caps.skipLocked) {
      const hook = await this.byId(id);
      return hook?.active ? work(hook, this) : undefined;
    }
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('webhooks').selectAll().where('id', '=', id).where('active', '=', 1).forUpdate().skipLocked().executeTakeFirst();
      return row ? work(fromRow(row), new KyselyWebhookRepository(trx, this.caps)) : undefined;
    });
  }

  /**
   * Moves the cursor from `from` to `to` and clears the failure state (a delivery succeeded, or only events the
   * hook does not take were passed). Compare-and-set on the cursor: false when someone else moved it.
   */
  async advance(id: number, from: number, to: number): Promise<boolean> {
    const r = await this.db
      .updateTable('webhooks')
      .set({ delivered_up_to: to, failures: 0, next_attempt_at: null, last_error: null })
      .where('id', '=', id)
      .where('delivered_up_to', '=', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Records a failed attempt; the cursor may move past events skipped before the one that failed. */
  async recordFailure(id: number, from: number, to: number, f: { failures: number; nextAttemptAt: Date; lastError: string }): Promise<boolean> {
    const r = await this.db
      .updateTable('webhooks')
      .set({ delivered_up_to: to, failures: f.failures, next_attempt_at: toDbInstant(f.nextAttemptAt), last_error: f.lastError.slice(0, 1024) })
      .where('id', '=', id)
      .where('delivered_up_to', '=', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
