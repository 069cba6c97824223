// The audit trail (see domain/audit.ts): one row per administrative change or refused log-in, kept for its own
// retention period.
import { type ColumnDataType, type Kysely, PostgresAdapter } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const instant: ColumnDataType = pg ? 'timestamptz' : 'text';
  await db.schema
    .createTable('audit_entries')
    .addColumn('id', pg ? 'bigserial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('at', instant, (c) => c.notNull())
    .addColumn('actor_id', 'integer')
    .addColumn('actor_name', 'varchar(255)', (c) => c.notNull())
    .addColumn('address', 'varchar(64)', (c) => c.notNull())
    .addColumn('kind', 'varchar(40)', (c) => c.notNull())
    .addColumn('subject', 'varchar(512)', (c) => c.notNull())
    .addColumn('before_values', 'text')
    .addColumn('after_values', 'text')
    .execute();
  await db.schema.createIndex('audit_entries_at').on('audit_entries').columns(['at', 'id']).execute();
  await db.schema.createIndex('audit_entries_kind').on('audit_entries').columns(['kind', 'at']).execute();
  await db.schema.createIndex('audit_entries_actor').on('audit_entries').columns(['actor_name', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_entries').ifExists().execute();
}
