// Answers for polled lists, kept per caller and per negotiated form, valid while the version of what they are built
// from is unchanged (the caller's scope or the whole database, see ChangeScope; and for a short time at most, since
// "ended in the last hours" moves with the clock). The ETag is a digest of the answer itself: a change in scope
// that leaves this caller's answer as it was still gets a 304. Correct across instances: the counters live in the
// shared database.
import { createHash } from 'node:crypto';

/** `body` is kept encoded: a hit is written to the socket as it is, with no per-request copy to UTF-8. */
export interface CachedAnswer {
  etag: string;
  body: Buffer;
  contentType: string;
}
interface Entry extends CachedAnswer {
  version: string;
  expires: number;
  size: number;
}

export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  /** `maxBytes` bounds what the answers (and their keys) hold together, whatever their number. */
  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly maxBytes = Infinity,
    /** Told of every lookup, found fresh or not (the metrics' hit rate). */
    private readonly onLookup: (hit: boolean) => void = () => {},
  ) {}

  /** Bytes held now (answers and keys). */
  get size() {
    return this.bytes;
  }

  get enabled() {
    return this.ttlMs > 0 && this.maxEntries > 0 && this.maxBytes > 0;
  }

  /** The answer built for `key` while the version was `version`, if still fresh. */
  get(key: string, version: string, now: number): CachedAnswer | undefined {
    const e = this.entries.get(key);
    if (e && e.expires <= now) this.drop(key);
    if (!e || e.version !== version || e.expires <= now) {
      this.onLookup(false);
      return undefined;
    }
    this.onLookup(true);
    // Re-insert so the map's order is least recently used first.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e;
  }

  /** Keeps a fresh answer, built after reading `version`; gives it with its ETag. */
  set(key: string, version: string, body: string | Buffer, contentType: string, now: number): CachedAnswer {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    // The key is hashed in too: two callers with the same bytes (rights, language) still get their own validator.
    const etag = `W/"${createHash('sha1').update(key).update('\0').update(bytes).digest('base64url').slice(0, 22)}"`;
    const entry = { etag, body: bytes, contentType, version, expires: now + this.ttlMs, size: bytes.length + key.length * 2 };
    this.drop(key);
    // Least recently used first: expired ones, then as many as the limits need.
    for (const [oldest, e] of this.entries) {
      if (e.expires > now && this.entries.size < this.maxEntries && this.bytes + entry.size <= this.maxBytes) break;
      this.drop(oldest);
    }
    if (entry.size > this.maxBytes) return entry; // larger than the whole cache: answered, not kept
    this.entries.set(key, entry);
    this.bytes += entry.size;
    return entry;
  }

  private drop(key: string) {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.bytes -= e.size;
  }
}
