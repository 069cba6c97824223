// A visitor's session key is a credential: the database keeps its SHA-256 digest, never the key (a copy of the file
// or a backup must not let anyone into a conversation). The key is shown once, when the session is created.
import type { Kysely } from 'kysely';
import { sessionKeyDigest } from '../session-key.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('chat_sessions').renameColumn('session_key', 'session_key_digest').execute();
  const rows = await db.selectFrom('chat_sessions').select(['id', 'session_key_digest']).where('session_key_digest', '<>', '').execute();
  for (const row of rows) {
    await db
      .updateTable('chat_sessions')
      .set({ session_key_digest: sessionKeyDigest(row.session_key_digest) })
      .where('id', '=', row.id)
      .execute();
  }
}

export async function down(): Promise<void> {
  throw new Error('The session keys cannot be recovered from their digests');
}
