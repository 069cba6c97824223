// The agent's workspace: quick replies (canned responses), personal or a topic's, and internal notes on sessions,
// which the customer never sees (apart from chat_messages, so GetChatMessages stays SuperOffice's).
import { type ColumnDataType, type ColumnDefinitionBuilder, type Kysely, PostgresAdapter, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const instant: ColumnDataType = pg ? 'timestamptz' : 'text';
  const id = (c: ColumnDefinitionBuilder) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement());
  await db.schema
    .createTable('canned_responses')
    .addColumn('id', pg ? 'serial' : 'integer', id)
    .addColumn('shortcut', 'varchar(64)', (c) => c.notNull())
    .addColumn('title', 'varchar(255)', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    // A topic's reply has topic_id; a personal one associate_id (its owner); never both.
    .addColumn('topic_id', 'integer', (c) => c.references('chat_topics.id').onDelete('cascade'))
    .addColumn('associate_id', 'integer', (c) => c.references('associates.id').onDelete('cascade'))
    .addColumn('when_updated', instant, (c) => c.notNull())
    .execute();
  // Shortcuts are unique per scope, without regard to case.
  await sql`create unique index canned_responses_topic_shortcut on canned_responses (topic_id, lower(shortcut)) where topic_id is not null`.execute(db);
  await sql`create unique index canned_responses_own_shortcut on canned_responses (associate_id, lower(shortcut)) where associate_id is not null`.execute(db);
  await db.schema
    .createTable('session_notes')
    .addColumn('id', pg ? 'serial' : 'integer', id)
    .addColumn('session_id', 'integer', (c) => c.notNull().references('chat_sessions.id').onDelete('cascade'))
    .addColumn('author_id', 'integer', (c) => c.references('associates.id').onDelete('set null'))
    .addColumn('author_name', 'varchar(255)', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    // The ids of the users the note mentions (@username), as JSON.
    .addColumn('mentions', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('when_posted', instant, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('session_notes_session').on('session_notes').columns(['session_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('session_notes').ifExists().execute();
  await db.schema.dropTable('canned_responses').ifExists().execute();
}
