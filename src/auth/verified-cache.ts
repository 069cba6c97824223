// Remembers credentials verified moments ago, so a polling agent is not re-hashed on every request.
// Keys are digests of the credential, never the credential itself.
import type { Actor } from '../domain/rights.ts';

interface Entry {
  actor: Actor;
  expires: number;
  secretDigest?: string;
}

export class VerifiedCredentialCache {
  private readonly entries = new Map<string, Entry>();
  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: string, now: number): Actor | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expires <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return e.actor;
  }

  /**
   * `validUntil`: when the credential itself expires (a ticket, a token, a JWT's exp): never remembered past it.
   * `secretDigest`: the stored digest of the secret, by which a revocation names it.
   */
  set(key: string, actor: Actor, now: number, proof: { validUntil?: number; secretDigest?: string } = {}) {
    if (this.ttlMs <= 0) return;
    const expires = Math.min(now + this.ttlMs, proof.validUntil ?? Infinity);
    if (expires <= now) return;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { actor, expires, secretDigest: proof.secretDigest });
  }

  /**
   * True when the entry is in the last quarter of its life: verify it again in the background now, so a
   * credential in steady use never makes a caller wait for a password hash at expiry.
   */
  dueForRefresh(key: string, now: number): boolean {
    const e = this.entries.get(key);
    return !!e && e.expires - now < this.ttlMs / 4;
  }

  delete(key: string) {
    this.entries.delete(key);
  }

  /** After a password change or removal: forget everything this user proved. */
  forgetUser(associateId: number) {
    for (const [k, e] of this.entries) if (e.actor.id === associateId) this.entries.delete(k);
  }

  /** A ticket or token revoked (here or by another instance): forget it. */
  forgetSecret(secretDigest: string) {
    for (const [k, e] of this.entries) if (e.secretDigest === secretDigest) this.entries.delete(k);
  }

  clear() {
    this.entries.clear();
  }
}
