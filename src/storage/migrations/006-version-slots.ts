// PostgreSQL: the change counter without a hot row. Migration 002 bumped one row from a statement trigger, so every
// writing transaction held that row's lock from its first write until its commit, and concurrent writers (all
// instances) queued behind each other's round trips. Now the bump is deferred to commit time and spread over
// SLOTS rows; the counter is their sum, which still grows with every commit that changed chat data.
// SQLite is left alone: it writes one transaction at a time anyway.
import { type Kysely, PostgresAdapter, sql } from 'kysely';

const SLOTS = 16;
// The tables 002 put triggers on, as they were then: a migration must not change with a later edit elsewhere.
const VERSIONED_TABLES = [
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
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await db
    .insertInto('data_version')
    .values(Array.from({ length: SLOTS - 1 }, (_, i) => ({ id: i + 2, version: 0 })))
    .execute();
  // Once per transaction (a transaction-local flag), at commit, on the slot of this transaction.
  await sql
    .raw(`create or replace function bump_data_version() returns trigger language plpgsql as $$
    begin
      if current_setting('parley.data_version_bumped', true) = 'on' then return null; end if;
      perform set_config('parley.data_version_bumped', 'on', true);
      update data_version set version = version + 1 where id = 1 + (txid_current() % ${SLOTS});
      return null;
    end $$`)
    .execute(db);
  for (const table of VERSIONED_TABLES) {
    await sql.raw(`drop trigger if exists ${table}_data_version on ${table}`).execute(db);
    await sql
      .raw(`create constraint trigger ${table}_data_version after insert or update or delete on ${table}
      deferrable initially deferred for each row execute function bump_data_version()`)
      .execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const table of VERSIONED_TABLES) {
    await sql.raw(`drop trigger if exists ${table}_data_version on ${table}`).execute(db);
    await sql
      .raw(`create trigger ${table}_data_version after insert or update or delete on ${table}
      for each statement execute function bump_data_version()`)
      .execute(db);
  }
  await sql`create or replace function bump_data_version() returns trigger language plpgsql as $$
    begin update data_version set version = version + 1 where id = 1; return null; end $$`.execute(db);
  await sql`update data_version set version = (select sum(version) from data_version) where id = 1`.execute(db);
  await db.deleteFrom('data_version').where('id', '>', 1).execute();
}
