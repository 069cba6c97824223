// The visitor side: a session is found by its key (the visitor's only credential), so the key is indexed and
// unique; persons are matched to customers by e-mail.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create unique index chat_sessions_session_key on chat_sessions (session_key) where session_key <> ''`.execute(db);
  await sql`create index persons_email on persons (lower(email))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('persons_email').ifExists().execute();
  await db.schema.dropIndex('chat_sessions_session_key').ifExists().execute();
}
