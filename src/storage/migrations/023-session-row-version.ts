// Each session row carries a version that every update raises, whatever wrote it (commands, the sweeper, an erase,
// a script): a poll can tell which of its sessions changed from (id, row_version) alone and rebuild only those
// (see api/fragment-cache.ts). PostgreSQL raises it in a BEFORE trigger; SQLite cannot change NEW, so its AFTER
// trigger writes the row once more (only that column, which no other trigger of the table reads).
import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Kysely<any>: a migration runs against the schema of its own time, not today's Database type (which later
// migrations change), so it imports nothing from the app (design.md).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('chat_sessions')
    .addColumn('row_version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`create function chat_sessions_row_version() returns trigger language plpgsql as $$
      begin new.row_version := old.row_version + 1; return new; end $$`.execute(db);
    await sql`create trigger chat_sessions_row_version before update on chat_sessions
      for each row execute function chat_sessions_row_version()`.execute(db);
  } else {
    // The WHEN keeps the trigger's own write from firing it again (were recursive triggers ever turned on).
    await sql`create trigger chat_sessions_row_version after update on chat_sessions
      for each row when new.row_version = old.row_version
      begin update chat_sessions set row_version = old.row_version + 1 where id = new.id; end`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`drop trigger if exists chat_sessions_row_version on chat_sessions`.execute(db);
    await sql`drop function if exists chat_sessions_row_version()`.execute(db);
  } else {
    await sql`drop trigger if exists chat_sessions_row_version`.execute(db);
  }
  await db.schema.alterTable('chat_sessions').dropColumn('row_version').execute();
}
