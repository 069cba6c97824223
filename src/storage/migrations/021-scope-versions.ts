// Change counters per scope, so a write in one topic does not make every caller's cached poll stale: one per topic
// (its row, its agents, its sessions and their messages), one per user (their memberships) and one "shared" for
// everything else the polled lists show (CRM records, users' names and rights). A caller's version is the shared
// one, their own and those of the topics where they hold a role (see ScopeVersionReader). data_version stays as the
// database-wide counter for answers that read everything (GetChatPresence).
// PostgreSQL: bumped at commit (deferred constraint triggers), once per scope and transaction, on one of SLOTS rows
// per scope, so writers of one topic on several instances do not queue behind one row. SQLite writes one
// transaction at a time: its triggers bump at once, on one row per scope.
import { type Kysely, PostgresAdapter, sql } from 'kysely';

const SLOTS = 4;
// Frozen here: the reader in storage/scope-versions.ts has the same numbers.
const SHARED = 0;
const TOPIC = 1;
const USER = 2;

/** Tables whose rows belong to no topic or user: any change there bumps the shared counter. */
const SHARED_TABLES = [
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
];
/**
 * The users' columns no polled list of another caller's scope shows: presence (GetChatPresence reads the
 * database-wide counter), credentials. Every other column bumps the shared counter; a test fails when a column is
 * in neither list.
 */
export const ASSOCIATE_COLUMNS_NOT_SHOWN = ['present', 'password_hash', 'credentials_changed', 'oidc_subject'];
export const ASSOCIATE_COLUMNS_SHOWN = ['id', 'user_name', 'full_name', 'is_admin', 'person_id', 'group_name', 'user_type', 'deleted'];

const ALL_TABLES = [...SHARED_TABLES, 'associates', 'chat_topics', 'chat_topic_agents', 'chat_sessions', 'chat_messages'];

// Kysely<any>: a migration runs against the schema of its own time, not today's Database type (which later
// migrations change), so it imports nothing from the app (design.md).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('scope_versions')
    .addColumn('kind', 'integer', (c) => c.notNull())
    .addColumn('scope_id', 'integer', (c) => c.notNull())
    .addColumn('slot', 'integer', (c) => c.notNull())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('scope_versions_pk', ['kind', 'scope_id', 'slot'])
    .execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) await postgresTriggers(db);
  else await sqliteTriggers(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    for (const table of ALL_TABLES) await sql.raw(`drop trigger if exists ${table}_scope_version on ${table}`).execute(db);
    for (const f of ['shared', 'associates', 'chat_topics', 'chat_topic_agents', 'chat_sessions', 'chat_messages']) {
      await sql.raw(`drop function if exists scope_version_${f}()`).execute(db);
    }
    await sql`drop function if exists bump_session_topic_version(integer)`.execute(db);
    await sql`drop function if exists bump_scope_version(integer, integer)`.execute(db);
  } else {
    for (const table of ALL_TABLES) {
      for (const op of ['insert', 'update', 'delete']) await sql.raw(`drop trigger if exists ${table}_${op}_scope_version`).execute(db);
    }
  }
  await db.schema.dropTable('scope_versions').ifExists().execute();
}

/** Any of the shown columns of a user differs between OLD and NEW. */
const associateShownChange = ASSOCIATE_COLUMNS_SHOWN.map((c) => `OLD.${c} IS DISTINCT FROM NEW.${c}`).join(' OR ');

async function postgresTriggers(db: Kysely<any>) {
  // Once per scope and transaction (a transaction-local list of the scopes bumped), on this transaction's slot.
  await sql
    .raw(`create function bump_scope_version(k integer, id integer) returns void language plpgsql as $$
    declare
      tag text := ';' || k || ':' || id || ';';
      done text := coalesce(current_setting('parley.scopes_bumped', true), '');
    begin
      if id is null or strpos(done, tag) > 0 then return; end if;
      perform set_config('parley.scopes_bumped', done || tag, true);
      insert into scope_versions (kind, scope_id, slot, version) values (k, id, txid_current() % ${SLOTS}, 1)
        on conflict (kind, scope_id, slot) do update set version = scope_versions.version + 1;
    end $$`)
    .execute(db);
  // A message belongs to its session's topic as the session stands at commit. Every message write also updates
  // its session row in the same transaction (appendMessage), which holds a concurrent move off until then.
  await sql
    .raw(`create function bump_session_topic_version(session integer) returns void language plpgsql as $$
    begin perform bump_scope_version(${TOPIC}, topic_id) from chat_sessions where id = session; end $$`)
    .execute(db);
  const bodies: Record<string, string> = {
    shared: `perform bump_scope_version(${SHARED}, 0);`,
    associates: `if tg_op <> 'UPDATE' or ${associateShownChange} then perform bump_scope_version(${SHARED}, 0); end if;`,
    chat_topics: bothRows((r) => `perform bump_scope_version(${TOPIC}, ${r}.id);`),
    chat_topic_agents: bothRows((r) => `perform bump_scope_version(${TOPIC}, ${r}.topic_id); perform bump_scope_version(${USER}, ${r}.associate_id);`),
    chat_sessions: bothRows((r) => `perform bump_scope_version(${TOPIC}, ${r}.topic_id);`),
    chat_messages: bothRows((r) => `perform bump_session_topic_version(${r}.session_id);`),
  };
  for (const [name, body] of Object.entries(bodies)) {
    await sql.raw(`create function scope_version_${name}() returns trigger language plpgsql as $$ begin ${body} return null; end $$`).execute(db);
  }
  for (const table of ALL_TABLES) {
    const fn = SHARED_TABLES.includes(table) ? 'shared' : table;
    await sql
      .raw(`create constraint trigger ${table}_scope_version after insert or update or delete on ${table}
      deferrable initially deferred for each row execute function scope_version_${fn}()`)
      .execute(db);
  }
}

/** The old row's scope unless inserted, the new row's unless deleted: a row moved between scopes bumps both. */
const bothRows = (bump: (row: 'OLD' | 'NEW') => string) => `if tg_op <> 'INSERT' then ${bump('OLD')} end if; if tg_op <> 'DELETE' then ${bump('NEW')} end if;`;

async function sqliteTriggers(db: Kysely<any>) {
  const bump = (kind: number, id: string, from = '', where = 'true') =>
    `insert into scope_versions (kind, scope_id, slot, version) select ${kind}, ${id}, 0, 1 ${from} where ${where}
     on conflict (kind, scope_id, slot) do update set version = scope_versions.version + 1;`;
  // What each table's row bumps, for the row as it is (OLD or NEW).
  const scopes: Record<string, (r: 'OLD' | 'NEW') => string> = {
    associates: () => bump(SHARED, '0'),
    chat_topics: (r) => bump(TOPIC, `${r}.id`),
    chat_topic_agents: (r) => bump(TOPIC, `${r}.topic_id`) + bump(USER, `${r}.associate_id`),
    chat_sessions: (r) => bump(TOPIC, `${r}.topic_id`),
    // A message of a session already deleted bumps nothing: that deletion bumped the topic, and nobody reads it.
    chat_messages: (r) => bump(TOPIC, 'topic_id', 'from chat_sessions', `id = ${r}.session_id`),
  };
  for (const table of SHARED_TABLES) scopes[table] = () => bump(SHARED, '0');
  for (const [table, of] of Object.entries(scopes)) {
    const update = table === 'associates' ? of('NEW') : of('OLD') + of('NEW');
    const when = table === 'associates' ? ` when ${associateShownChange.replaceAll('IS DISTINCT FROM', 'IS NOT')}` : '';
    for (const [op, body] of [
      ['insert', of('NEW')],
      ['update', update],
      ['delete', of('OLD')],
    ]) {
      await sql.raw(`create trigger ${table}_${op}_scope_version after ${op} on ${table}${op === 'update' ? when : ''} begin ${body} end`).execute(db);
    }
  }
}
