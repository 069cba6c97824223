// Routing (Parley's own, beside SuperOffice's columns): per topic how queued chats reach agents, per agent in a
// topic a capacity and a priority, the offers waiting for an answer, who missed (declined, let time out) which, and each agent's last
// assignment and missed offers in a row.
import { type ColumnDataType, type Kysely, PostgresAdapter, sql } from 'kysely';

// Kysely<any>: a migration runs against the schema of its own time, not today's Database type (which later
// migrations change), so it imports nothing from the app (design.md).
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const instant: ColumnDataType = pg ? 'timestamptz' : 'text';
  await db.schema
    .createTable('routing_settings')
    .addColumn('topic_id', 'integer', (c) => c.primaryKey().references('chat_topics.id').onDelete('cascade'))
    .addColumn('mode', 'varchar(10)', (c) => c.notNull().defaultTo('manual'))
    .addColumn('delivery', 'varchar(10)', (c) => c.notNull().defaultTo('assign'))
    .addColumn('offer_seconds', 'integer', (c) => c.notNull().defaultTo(30))
    .addColumn('away_after_missed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('default_capacity', 'integer', (c) => c.notNull().defaultTo(3))
    .addColumn('pick_up_over_capacity', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('return_chats_when_away', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('routing_agents')
    .addColumn('topic_id', 'integer', (c) => c.notNull().references('chat_topics.id').onDelete('cascade'))
    .addColumn('associate_id', 'integer', (c) => c.notNull().references('associates.id').onDelete('cascade'))
    .addColumn('capacity', 'integer')
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('routing_agents_pk', ['topic_id', 'associate_id'])
    .execute();
  // One row per session: a session is never offered to two agents at once.
  await db.schema
    .createTable('routing_offers')
    .addColumn('session_id', 'integer', (c) => c.primaryKey().references('chat_sessions.id').onDelete('cascade'))
    .addColumn('associate_id', 'integer', (c) => c.notNull().references('associates.id').onDelete('cascade'))
    .addColumn('topic_id', 'integer', (c) => c.notNull())
    .addColumn('offered_at', instant, (c) => c.notNull())
    .addColumn('expires_at', instant, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('routing_offers_associate').on('routing_offers').column('associate_id').execute();
  await db.schema.createIndex('routing_offers_expires').on('routing_offers').column('expires_at').execute();
  await db.schema
    .createTable('routing_declines')
    .addColumn('session_id', 'integer', (c) => c.notNull().references('chat_sessions.id').onDelete('cascade'))
    .addColumn('associate_id', 'integer', (c) => c.notNull().references('associates.id').onDelete('cascade'))
    // How the agent missed it (declined, timedOut) and when: the reports count missed offers per agent.
    .addColumn('outcome', 'varchar(10)', (c) => c.notNull().defaultTo('declined'))
    .addColumn('at', instant, (c) => c.notNull())
    .addPrimaryKeyConstraint('routing_declines_pk', ['session_id', 'associate_id'])
    .execute();
  await db.schema
    .createTable('routing_agent_state')
    .addColumn('associate_id', 'integer', (c) => c.primaryKey().references('associates.id').onDelete('cascade'))
    .addColumn('last_assigned_at', instant)
    .addColumn('missed_in_row', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // An agent's load (owned sessions by status) without reading every chat they ever had. Earlier migrations of the
  // same run may have left deferred trigger events on chat_sessions (013 rewrites keys): PostgreSQL indexes a table
  // only once those have fired.
  if (pg) await sql`set constraints all immediate`.execute(db);
  await db.schema.createIndex('chat_sessions_owner_status').on('chat_sessions').columns(['user_id', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('chat_sessions_owner_status').ifExists().execute();
  for (const t of ['routing_agent_state', 'routing_declines', 'routing_offers', 'routing_agents', 'routing_settings']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
