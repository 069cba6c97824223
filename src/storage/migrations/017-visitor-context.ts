// Where a visitor was when they started a chat (the page embedding the widget, its title, the referrer, the
// browser's language and user agent), kept with the session and removed with it. Apart from chat_sessions, whose
// columns are SuperOffice's.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('visitor_context')
    .addColumn('session_id', 'integer', (c) => c.primaryKey().references('chat_sessions.id').onDelete('cascade'))
    .addColumn('page_url', 'varchar(2048)', (c) => c.notNull().defaultTo(''))
    .addColumn('page_title', 'varchar(512)', (c) => c.notNull().defaultTo(''))
    .addColumn('referrer', 'varchar(2048)', (c) => c.notNull().defaultTo(''))
    .addColumn('language', 'varchar(35)', (c) => c.notNull().defaultTo(''))
    .addColumn('user_agent', 'varchar(512)', (c) => c.notNull().defaultTo(''))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('visitor_context').ifExists().execute();
}
