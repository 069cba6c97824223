// The e-mail outbox: each mail is queued, rendered, in the transaction of the change it reports, and sent after
// commit by the mail loop; its state, attempts, next attempt and last error survive restarts.
import { type ColumnDataType, type Kysely, PostgresAdapter, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const instant: ColumnDataType = pg ? 'timestamptz' : 'text';
  await db.schema
    .createTable('mail_outbox')
    .addColumn('id', pg ? 'bigserial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('kind', 'varchar(40)', (c) => c.notNull())
    .addColumn('session_id', 'integer')
    .addColumn('topic_id', 'integer')
    .addColumn('recipient_name', 'varchar(255)', (c) => c.notNull())
    .addColumn('recipient_address', 'varchar(320)', (c) => c.notNull())
    .addColumn('subject', 'varchar(1024)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('state', 'varchar(10)', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', instant, (c) => c.notNull())
    .addColumn('claimed_until', instant)
    .addColumn('last_error', 'varchar(1024)')
    .addColumn('created_at', instant, (c) => c.notNull())
    .addColumn('sent_at', instant)
    .execute();
  // The loop's question: pending mail due now, oldest first.
  await db.schema.createIndex('mail_outbox_due').on('mail_outbox').columns(['state', 'next_attempt_at', 'id']).execute();
  await db.schema.createIndex('mail_outbox_session').on('mail_outbox').columns(['session_id', 'kind']).execute();
  // One transcript per chat, even when the widget asks twice at once.
  await sql`create unique index mail_outbox_one_transcript on mail_outbox (session_id) where kind = 'transcript'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mail_outbox').ifExists().execute();
}
