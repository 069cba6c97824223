// Log-ins through the OpenID provider that are under way: what the callback must check (state, nonce, PKCE
// verifier), kept by the digest of the flow cookie, used once, and only for a few minutes.
import type { Kysely } from 'kysely';
import { fromDbInstant, toDbInstant } from './dialect.ts';
import type { Database } from './schema.ts';

export interface OidcFlow {
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
  expiresAt: Date;
}

export class KyselyOidcFlowRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(idDigest: string, f: OidcFlow): Promise<void> {
    await this.db
      .insertInto('oidc_flows')
      .values({
        id_digest: idDigest,
        state: f.state,
        nonce: f.nonce,
        code_verifier: f.codeVerifier,
        redirect_uri: f.redirectUri,
        expires_at: toDbInstant(f.expiresAt) as string,
      })
      .execute();
  }

  /** Removes the flow and answers it when it was there and has not expired: a flow is used at most once. */
  async take(idDigest: string, now: Date): Promise<OidcFlow | undefined> {
    const row = await this.db.deleteFrom('oidc_flows').where('id_digest', '=', idDigest).returningAll().executeTakeFirst();
    if (!row) return undefined;
    const flow = {
      state: row.state,
      nonce: row.nonce,
      codeVerifier: row.code_verifier,
      redirectUri: row.redirect_uri,
      expiresAt: fromDbInstant(row.expires_at) as Date,
    };
    return flow.expiresAt.getTime() > now.getTime() ? flow : undefined;
  }

  async removeExpired(now: Date): Promise<number> {
    const r = await this.db
      .deleteFrom('oidc_flows')
      .where('expires_at', '<', toDbInstant(now) as string)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
