// Reports read the sessions requested in a date range, all of them or those of some topics or of one agent.
// Without these, each report read every session ever kept.
import type { Kysely } from 'kysely';

const INDEXES = {
  chat_sessions_requested: ['when_requested'],
  chat_sessions_topic_requested: ['topic_id', 'when_requested'],
  chat_sessions_user_requested: ['user_id', 'when_requested'],
};

// Kysely<any>: a migration runs against the schema of its own time, not today's Database type (which later
// migrations change), so it imports nothing from the app (design.md).
export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, columns] of Object.entries(INDEXES)) await db.schema.createIndex(name).on('chat_sessions').columns(columns).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of Object.keys(INDEXES)) await db.schema.dropIndex(name).ifExists().execute();
}
