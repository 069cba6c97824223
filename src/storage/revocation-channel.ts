// Tells every Parley process sharing the database that credentials stopped being valid, so none keeps accepting
// them from its cache of verified credentials. PostgreSQL: NOTIFY on `parley_auth`, sent when the revoking
// transaction commits (also from the CLI); SQLite serves one process, whose own revocations forget at once.
import { type Kysely, sql } from 'kysely';
import type { Capabilities } from './dialect.ts';
import type { Database } from './schema.ts';

export const REVOCATION_CHANNEL = 'parley_auth';

/** What a revocation names: one secret (by its stored SHA-256 digest), or everything a user proved. */
export type Revocation = { secretDigest: string } | { associateId: number };

export const encodeRevocation = (r: Revocation) => ('secretDigest' in r ? `secret:${r.secretDigest}` : `user:${r.associateId}`);

export function decodeRevocation(payload: string): Revocation | undefined {
  const [kind, value] = [payload.slice(0, payload.indexOf(':')), payload.slice(payload.indexOf(':') + 1)];
  if (kind === 'secret' && /^[0-9a-f]{64}$/.test(value)) return { secretDigest: value };
  if (kind === 'user' && /^\d+$/.test(value)) return { associateId: Number(value) };
  return undefined;
}

export type AnnounceRevocation = (db: Kysely<Database>, r: Revocation) => Promise<void>;

export const announceRevocation = (caps: Capabilities): AnnounceRevocation =>
  caps.notifications
    ? async (db, r) => {
        await sql`select pg_notify(${REVOCATION_CHANNEL}, ${encodeRevocation(r)})`.execute(db);
      }
    : async () => {};
