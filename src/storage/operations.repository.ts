// The few read-only queries operations need: readiness (reachable, migrated) and the numbers /metrics reads at
// scrape time (queue lengths, outbox size, newly committed events). Cheap, index-backed, never on a request's path.
import { type Kysely, sql } from 'kysely';
import { ChatSessionStatus } from '../domain/enums.ts';
import { isMigrated } from './database.ts';
import type { Database } from './schema.ts';

export interface QueueLength {
  topicId: number;
  queued: number;
}

export class KyselyOperationsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Why this instance should not take traffic, or undefined when the database answers and is fully migrated. */
  async notReadyReason(): Promise<string | undefined> {
    try {
      await sql`select 1`.execute(this.db);
    } catch {
      return 'database unreachable';
    }
    return (await isMigrated(this.db)) ? undefined : 'database migrations pending';
  }

  /** Queued sessions per topic, in one grouped query over the (status, topic_id, id) index; empty queues are absent. */
  async queueLengths(): Promise<QueueLength[]> {
    const rows = await this.db
      .selectFrom('chat_sessions')
      .select((eb) => ['topic_id', eb.fn.countAll<number | string>().as('queued')])
      .where('status', '=', ChatSessionStatus.InQueue)
      .groupBy('topic_id')
      .execute();
    return rows.map((r) => ({ topicId: r.topic_id, queued: Number(r.queued) }));
  }

  /** Rows in the event outbox (bounded by PARLEY_EVENT_RETENTION_HOURS and by what webhooks still owe). */
  async outboxSize(): Promise<number> {
    const row = await this.db
      .selectFrom('outbox_events')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** How many outbox events have an id above `afterId`, and the highest id among them (`afterId` when none). */
  async eventsAfter(afterId: number): Promise<{ count: number; lastId: number }> {
    const row = await this.db
      .selectFrom('outbox_events')
      .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.max('id').as('last')])
      .where('id', '>', afterId)
      .executeTakeFirst();
    return { count: Number(row?.n ?? 0), lastId: row?.last === null || row?.last === undefined ? afterId : Number(row.last) };
  }
}
