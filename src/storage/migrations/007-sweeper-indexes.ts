// The sweeper asks, every few seconds, for the oldest sessions in some statuses by WhenFetched, WhenIdle or
// WhenEnded. With only (status, topic_id, id) to go on, each question read and sorted every session in those
// statuses: most of a large database for the ended ones, blocking SQLite's one thread for seconds at a time.
import type { Kysely } from 'kysely';

const INDEXES = { chat_sessions_fetched: 'when_fetched', chat_sessions_idle: 'when_idle', chat_sessions_ended: 'when_ended' };

export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, column] of Object.entries(INDEXES)) {
    await db.schema.createIndex(name).on('chat_sessions').columns(['status', column, 'id']).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of Object.keys(INDEXES)) await db.schema.dropIndex(name).ifExists().execute();
}
