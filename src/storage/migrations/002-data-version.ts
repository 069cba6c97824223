// A database-wide change counter, bumped by triggers on every table a chat answer is built from. Readers compare
// it to decide whether an answer they built earlier still holds; triggers make that true whichever process or
// instance wrote. Credentials are left out: logging in changes no chat data.
import { type Kysely, PostgresAdapter, sql } from 'kysely';

export const VERSIONED_TABLES = [
  'associates',
  'customer_languages',
  'ticket_categories',
  'ticket_priorities',
  'reply_templates',
  'kb_categories',
  'contacts',
  'persons',
  'projects',
  'sales',
  'tickets',
  'chat_topics',
  'chat_topic_agents',
  'chat_sessions',
  'chat_messages',
];

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('data_version')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.insertInto('data_version').values({ id: 1, version: 0 }).execute();
  if (pg) {
    await sql`create function bump_data_version() returns trigger language plpgsql as $$
      begin update data_version set version = version + 1 where id = 1; return null; end $$`.execute(db);
  }
  for (const table of VERSIONED_TABLES) {
    if (pg) {
      await sql
        .raw(`create trigger ${table}_data_version after insert or update or delete on ${table}
        for each statement execute function bump_data_version()`)
        .execute(db);
      continue;
    }
    for (const op of ['insert', 'update', 'delete']) {
      await sql
        .raw(`create trigger ${table}_${op}_data_version after ${op} on ${table}
        begin update data_version set version = version + 1 where id = 1; end`)
        .execute(db);
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  for (const table of VERSIONED_TABLES) {
    if (pg) await sql.raw(`drop trigger if exists ${table}_data_version on ${table}`).execute(db);
    else for (const op of ['insert', 'update', 'delete']) await sql.raw(`drop trigger if exists ${table}_${op}_data_version`).execute(db);
  }
  if (pg) await sql`drop function if exists bump_data_version()`.execute(db);
  await db.schema.dropTable('data_version').ifExists().execute();
}
