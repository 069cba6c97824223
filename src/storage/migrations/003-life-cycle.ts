// The chat life cycle: one rank per agent among active sessions, the event outbox every change writes to in its
// own transaction, and webhook subscriptions with their delivery cursor.
import { type ColumnDataType, type Kysely, PostgresAdapter, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const id: ColumnDataType = pg ? 'bigserial' : 'integer';
  const idOpts = (c: any) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement());
  const instant: ColumnDataType = pg ? 'timestamptz' : 'text';

  // Two active sessions of one agent never share a colour (rank); concurrent pick-ups cannot break that.
  await sql`create unique index chat_sessions_user_rank on chat_sessions (user_id, rank) where rank > 0`.execute(db);
  // The queue, oldest first, without touching the rest of a topic's history.
  await db.schema.createIndex('chat_sessions_queue').on('chat_sessions').columns(['status', 'when_requested', 'id']).execute();

  await db.schema
    .createTable('outbox_events')
    .addColumn('id', id, idOpts)
    .addColumn('type', 'varchar(40)', (c) => c.notNull())
    .addColumn('topic_id', 'integer')
    .addColumn('session_id', 'integer')
    .addColumn('associate_id', 'integer')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', instant, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outbox_events_created').on('outbox_events').columns(['created_at']).execute();

  await db.schema
    .createTable('webhooks')
    .addColumn('id', 'integer', (c) => (pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement()))
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('target_url', 'varchar(2048)', (c) => c.notNull())
    .addColumn('secret', 'varchar(255)', (c) => c.notNull())
    .addColumn('events', 'varchar(1024)', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('delivered_up_to', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', instant)
    .addColumn('last_error', 'varchar(1024)')
    .addColumn('created_at', instant, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webhooks').ifExists().execute();
  await db.schema.dropTable('outbox_events').ifExists().execute();
  await db.schema.dropIndex('chat_sessions_queue').ifExists().execute();
  await db.schema.dropIndex('chat_sessions_user_rank').ifExists().execute();
}
