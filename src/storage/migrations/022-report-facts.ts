// Reports read one narrow row of facts per session (report_facts) instead of the sessions and their messages.
// Triggers on the live tables put the id of every session whose facts may have changed in report_dirty, whatever
// wrote it (commands, the sweeper, an erase, a script); the refresher recomputes those rows. The row goes with its
// session (ON DELETE CASCADE). Every existing session is queued here: the refresher fills the table.
import { type Kysely, PostgresAdapter, sql } from 'kysely';

// The session columns a report reads: an update that sets none of them leaves the facts as they are.
const SESSION_COLUMNS = 'topic_id, user_id, status, when_requested, when_started, when_ended, rating';
const MESSAGE_COLUMNS = 'session_id, type, special_type, when_posted';

const SQLITE_TRIGGERS = [
  'create trigger report_dirty_session_insert after insert on chat_sessions begin insert into report_dirty (session_id) values (new.id); end',
  `create trigger report_dirty_session_update after update of ${SESSION_COLUMNS} on chat_sessions begin insert into report_dirty (session_id) values (new.id); end`,
  'create trigger report_dirty_message_insert after insert on chat_messages begin insert into report_dirty (session_id) values (new.session_id); end',
  `create trigger report_dirty_message_update after update of ${MESSAGE_COLUMNS} on chat_messages begin
     insert into report_dirty (session_id) values (old.session_id); insert into report_dirty (session_id) values (new.session_id); end`,
  'create trigger report_dirty_message_delete after delete on chat_messages begin insert into report_dirty (session_id) values (old.session_id); end',
];

const POSTGRES_TRIGGERS = [
  `create function report_dirty_session() returns trigger language plpgsql as $$
   begin insert into report_dirty (session_id) values (new.id); return null; end $$`,
  `create function report_dirty_message() returns trigger language plpgsql as $$
   begin
     if tg_op <> 'INSERT' then insert into report_dirty (session_id) values (old.session_id); end if;
     if tg_op <> 'DELETE' then insert into report_dirty (session_id) values (new.session_id); end if;
     return null;
   end $$`,
  `create trigger report_dirty_session after insert or update of ${SESSION_COLUMNS} on chat_sessions
   for each row execute function report_dirty_session()`,
  `create trigger report_dirty_message after insert or delete or update of ${MESSAGE_COLUMNS} on chat_messages
   for each row execute function report_dirty_message()`,
];

// Kysely<any>: a migration runs against the schema of its own time, not today's Database type (which later
// migrations change), so it imports nothing from the app (design.md).
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  // Instants as milliseconds since 1970 (UTC) and durations in milliseconds: compared and summed as integers alike
  // on both databases. A duration may outgrow 32 bits (a chat left open for a month).
  const long = pg ? 'bigint' : 'integer';
  await db.schema
    .createTable('report_facts')
    .addColumn('session_id', 'integer', (c) => c.primaryKey().references('chat_sessions.id').onDelete('cascade'))
    .addColumn('topic_id', 'integer', (c) => c.notNull())
    .addColumn('agent_id', 'integer')
    .addColumn('requested_ms', long, (c) => c.notNull())
    .addColumn('answered', 'integer', (c) => c.notNull())
    .addColumn('missed', 'integer', (c) => c.notNull())
    .addColumn('offline_request', 'integer', (c) => c.notNull())
    .addColumn('bot_only', 'integer', (c) => c.notNull())
    .addColumn('transfers', 'integer', (c) => c.notNull())
    .addColumn('wait_ms', long)
    .addColumn('first_response_ms', long)
    .addColumn('handling_ms', long)
    // The durations again in tenths of a second (rounded, halves up): what the percentiles rank.
    .addColumn('wait_t', 'integer')
    .addColumn('first_response_t', 'integer')
    .addColumn('handling_t', 'integer')
    .addColumn('rating', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('report_facts_requested').on('report_facts').column('requested_ms').execute();
  await db.schema.createIndex('report_facts_topic_requested').on('report_facts').columns(['topic_id', 'requested_ms']).execute();
  await db.schema.createIndex('report_facts_agent_requested').on('report_facts').columns(['agent_id', 'requested_ms']).execute();
  // How many durations of each value, per topic or agent, read in value order from an index alone: no sort.
  for (const duration of ['wait_t', 'first_response_t', 'handling_t']) {
    for (const by of ['topic_id', 'agent_id']) {
      await db.schema.createIndex(`report_facts_${duration}_${by}`).on('report_facts').columns([duration, by, 'requested_ms']).execute();
    }
  }
  // A queue, not a set: writers only append (no unique key to wait on); the refresher takes each id once per batch.
  await db.schema
    .createTable('report_dirty')
    .addColumn('id', pg ? 'bigserial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('session_id', 'integer', (c) => c.notNull())
    .execute();
  for (const statement of pg ? POSTGRES_TRIGGERS : SQLITE_TRIGGERS) await sql.raw(statement).execute(db);
  await sql`insert into report_dirty (session_id) select id from chat_sessions order by id`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  if (pg) {
    await sql`drop trigger if exists report_dirty_session on chat_sessions`.execute(db);
    await sql`drop trigger if exists report_dirty_message on chat_messages`.execute(db);
    await sql`drop function if exists report_dirty_session()`.execute(db);
    await sql`drop function if exists report_dirty_message()`.execute(db);
  } else {
    for (const t of ['session_insert', 'session_update', 'message_insert', 'message_update', 'message_delete']) {
      await sql.raw(`drop trigger if exists report_dirty_${t}`).execute(db);
    }
  }
  await db.schema.dropTable('report_dirty').ifExists().execute();
  await db.schema.dropTable('report_facts').ifExists().execute();
}
