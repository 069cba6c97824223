// Hashed secrets: SoTickets, Parley API tokens, web (cookie) sessions and registered application tokens.
import type { Kysely } from 'kysely';
import { fromDbInstant } from './dialect.ts';
import type { AnnounceRevocation } from './revocation-channel.ts';
import type { Database } from './schema.ts';

export type CredentialKind = 'ticket' | 'api-token' | 'web-session' | 'app-token';

export interface StoredCredential {
  id: number;
  kind: CredentialKind;
  associateId: number | null;
  name: string;
  xsrfToken: string | null;
  createdAt: Date;
  expiresAt: Date | null;
}

export class KyselyCredentialRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly announce: AnnounceRevocation,
  ) {}

  async insert(c: {
    kind: CredentialKind;
    tokenHash: string;
    associateId: number | null;
    name?: string;
    xsrfToken?: string;
    createdAt: Date;
    expiresAt: Date | null;
  }) {
    const row = await this.db
      .insertInto('credentials')
      .values({
        kind: c.kind,
        token_hash: c.tokenHash,
        associate_id: c.associateId,
        name: c.name ?? '',
        xsrf_token: c.xsrfToken ?? null,
        created_at: c.createdAt.toISOString(),
        expires_at: c.expiresAt ? c.expiresAt.toISOString() : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** A live (not revoked, not expired) credential of that kind with that hash. */
  async findLive(kind: CredentialKind, tokenHash: string, now: Date): Promise<StoredCredential | undefined> {
    const r = await this.db
      .selectFrom('credentials')
      .selectAll()
      .where('kind', '=', kind)
      .where('token_hash', '=', tokenHash)
      .where('revoked', '=', 0)
      .where((w) => w.or([w('expires_at', 'is', null), w('expires_at', '>', now.toISOString())]))
      .executeTakeFirst();
    if (!r) return undefined;
    return {
      id: r.id,
      kind: r.kind as CredentialKind,
      associateId: r.associate_id,
      name: r.name,
      xsrfToken: r.xsrf_token,
      createdAt: fromDbInstant(r.created_at) as Date,
      expiresAt: fromDbInstant(r.expires_at),
    };
  }

  async list(kind: CredentialKind) {
    return this.db
      .selectFrom('credentials')
      .select(['id', 'name', 'associate_id', 'created_at', 'expires_at', 'revoked'])
      .where('kind', '=', kind)
      .orderBy('id')
      .execute();
  }

  /** Revokes, and tells every process sharing the database to forget it (see revocation-channel.ts). */
  async revokeByHash(tokenHash: string): Promise<boolean> {
    const r = await this.db.updateTable('credentials').set({ revoked: 1 }).where('token_hash', '=', tokenHash).executeTakeFirst();
    await this.announce(this.db, { secretDigest: tokenHash });
    return Number(r.numUpdatedRows) > 0;
  }

  async revokeById(kind: CredentialKind, id: number): Promise<boolean> {
    const rows = await this.db.updateTable('credentials').set({ revoked: 1 }).where('kind', '=', kind).where('id', '=', id).returning('token_hash').execute();
    for (const r of rows) await this.announce(this.db, { secretDigest: r.token_hash });
    return rows.length > 0;
  }
}
