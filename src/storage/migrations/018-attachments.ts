// Files in chats: the bytes in the database by default (retained and purged with their session), and each
// topic's limits (which kinds, how large, whether visitors may send files).
import { type ColumnDataType, type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const instant: ColumnDataType = pg ? 'timestamptz' : 'text';
  await db.schema
    .createTable('attachments')
    .addColumn('id', pg ? 'serial' : 'integer', (c: ColumnDefinitionBuilder) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('session_id', 'integer', (c) => c.notNull().references('chat_sessions.id').onDelete('cascade'))
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('content_type', 'varchar(127)', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('content', pg ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('uploaded_by', 'integer')
    .addColumn('created_at', instant, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('attachments_session').on('attachments').column('session_id').execute();
  await db.schema
    .createTable('topic_attachment_settings')
    .addColumn('topic_id', 'integer', (c) => c.primaryKey().references('chat_topics.id').onDelete('cascade'))
    .addColumn('allowed_kinds', 'varchar(255)', (c) => c.notNull())
    .addColumn('max_bytes', 'integer', (c) => c.notNull())
    .addColumn('visitors_may_upload', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('topic_attachment_settings').ifExists().execute();
  await db.schema.dropTable('attachments').ifExists().execute();
}
