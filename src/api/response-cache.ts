// Answers for polled lists, kept per caller and per negotiated form, valid while the database's change counter
// is unchanged (and for a short time at most, since "ended in the last hours" moves with the clock). Gives the
// ETag for If-None-Match too. Correct across instances: the counter lives in the shared database.
import { createHash } from 'node:crypto';

/** `body` is kept encoded: a hit is written to the socket as it is, with no per-request copy to UTF-8. */
export interface CachedAnswer { etag: string; body: Buffer; contentType: string }
interface Entry extends CachedAnswer { expires: number }

export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  constructor(private readonly ttlMs: number, private readonly maxEntries: number) {}

  get enabled() { return this.ttlMs > 0 && this.maxEntries > 0; }

  /** The validator a fresh answer for this key would carry now. */
  etag(key: string, version: number, now: number): string {
    const bucket = Math.floor(now / Math.max(this.ttlMs, 1000));
    return `W/"${version}.${bucket}.${createHash('sha1').update(key).digest('base64url').slice(0, 16)}"`;
  }

  get(key: string, etag: string, now: number): CachedAnswer | undefined {
    const e = this.entries.get(key);
    if (!e || e.etag !== etag || e.expires <= now) return undefined;
    // Re-insert so the map's order is least recently used first.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e;
  }

  set(key: string, answer: CachedAnswer, now: number) {
    if (!this.enabled) return;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { ...answer, expires: now + this.ttlMs });
  }
}
