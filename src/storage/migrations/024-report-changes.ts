// Reports add up an in-memory copy of report_facts (storage/report-snapshot.ts) instead of querying it: a log of
// which sessions' facts changed (report_changes, appended by the refresher in the same transaction as the rows) lets
// each instance bring its copy up to date by reading only those. Two more triggers queue a session for the refresher:
// its deletion (a facts row removed by ON DELETE CASCADE would otherwise go unnoticed) and any change to its missed
// routing offers. The indexes and tenths columns the SQL aggregation read go: the copy needs none of them, and every
// write of a facts row paid for nine indexes.
import { type Kysely, PostgresAdapter, sql } from 'kysely';

const FACT_INDEXES = [
  'report_facts_requested',
  'report_facts_topic_requested',
  'report_facts_agent_requested',
  ...['wait_t', 'first_response_t', 'handling_t'].flatMap((d) => [`report_facts_${d}_topic_id`, `report_facts_${d}_agent_id`]),
];
const TENTHS = ['wait_t', 'first_response_t', 'handling_t'];

const SQLITE_TRIGGERS = [
  'create trigger report_dirty_session_delete after delete on chat_sessions begin insert into report_dirty (session_id) values (old.id); end',
  'create trigger report_dirty_decline_insert after insert on routing_declines begin insert into report_dirty (session_id) values (new.session_id); end',
  `create trigger report_dirty_decline_update after update on routing_declines begin
     insert into report_dirty (session_id) values (old.session_id); insert into report_dirty (session_id) values (new.session_id); end`,
  'create trigger report_dirty_decline_delete after delete on routing_declines begin insert into report_dirty (session_id) values (old.session_id); end',
];

const POSTGRES_TRIGGERS = [
  `create function report_dirty_session_gone() returns trigger language plpgsql as $$
   begin insert into report_dirty (session_id) values (old.id); return null; end $$`,
  `create trigger report_dirty_session_delete after delete on chat_sessions
   for each row execute function report_dirty_session_gone()`,
  // The same function as the messages' (it queues old and new session_id by tg_op).
  `create trigger report_dirty_decline after insert or delete or update on routing_declines
   for each row execute function report_dirty_message()`,
];

// Kysely<any>: a migration runs against the schema of its own time, not today's Database type (which later
// migrations change), so it imports nothing from the app (design.md).
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  for (const index of FACT_INDEXES) await db.schema.dropIndex(index).ifExists().execute();
  for (const column of TENTHS) await db.schema.alterTable('report_facts').dropColumn(column).execute();
  // AUTOINCREMENT on SQLite: a sequence number is never handed out twice, even after the newest entries were pruned.
  await db.schema
    .createTable('report_changes')
    .addColumn('seq', pg ? 'bigserial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('session_id', 'integer', (c) => c.notNull())
    .execute();
  // The log is pruned from its oldest end; a copy that last read an entry at or below this must load anew.
  await db.schema
    .createTable('report_changes_pruned')
    .addColumn('through', pg ? 'bigint' : 'integer', (c) => c.notNull())
    .execute();
  await db.insertInto('report_changes_pruned').values({ through: 0 }).execute();
  for (const statement of pg ? POSTGRES_TRIGGERS : SQLITE_TRIGGERS) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  if (pg) {
    await sql`drop trigger if exists report_dirty_session_delete on chat_sessions`.execute(db);
    await sql`drop trigger if exists report_dirty_decline on routing_declines`.execute(db);
    await sql`drop function if exists report_dirty_session_gone()`.execute(db);
  } else {
    for (const t of ['session_delete', 'decline_insert', 'decline_update', 'decline_delete']) {
      await sql.raw(`drop trigger if exists report_dirty_${t}`).execute(db);
    }
  }
  await db.schema.dropTable('report_changes_pruned').ifExists().execute();
  await db.schema.dropTable('report_changes').ifExists().execute();
  for (const column of TENTHS) await db.schema.alterTable('report_facts').addColumn(column, 'integer').execute();
  await sql`update report_facts set wait_t = round(wait_ms / 100.0), first_response_t = round(first_response_ms / 100.0), handling_t = round(handling_ms / 100.0)`.execute(
    db,
  );
  await db.schema.createIndex('report_facts_requested').on('report_facts').column('requested_ms').execute();
  await db.schema.createIndex('report_facts_topic_requested').on('report_facts').columns(['topic_id', 'requested_ms']).execute();
  await db.schema.createIndex('report_facts_agent_requested').on('report_facts').columns(['agent_id', 'requested_ms']).execute();
  for (const duration of TENTHS) {
    for (const by of ['topic_id', 'agent_id']) {
      await db.schema.createIndex(`report_facts_${duration}_${by}`).on('report_facts').columns([duration, by, 'requested_ms']).execute();
    }
  }
}
