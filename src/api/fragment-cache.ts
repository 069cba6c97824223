// The JSON of single items of a polled list, each as one caller's answer writes it, kept while what it was built
// from is unchanged: a poll after a change re-presents only the items that changed, and the rest of its answer
// is the kept bytes. The key says what the text depends on (the item's identity and versions, the right it was
// presented with, the negotiated form); an item whose versions moved is looked up under a new key, and the old
// text ages out. Kept as UTF-8, so an answer is put together by copying bytes. Bounded in bytes.
//
// Eviction gives a second chance (CLOCK): a hit only marks the entry used, as a poll looks up every one of its items
// and re-ordering the map on each would cost more than the lookup; the oldest unused entries go first.
interface Entry {
  bytes: Buffer;
  used: boolean;
}

export class FragmentCache {
  private readonly entries = new Map<string, Entry>();
  private held = 0;

  constructor(
    private readonly maxBytes: number,
    /** Told of every lookup (the metrics' hit rate). */
    private readonly onLookup: (hit: boolean) => void = () => {},
  ) {}

  get enabled() {
    return this.maxBytes > 0;
  }

  /** Bytes held now (texts, and keys as UTF-16). */
  get size() {
    return this.held;
  }

  get(key: string): Buffer | undefined {
    const e = this.entries.get(key);
    this.onLookup(e !== undefined);
    if (!e) return undefined;
    e.used = true;
    return e.bytes;
  }

  set(key: string, bytes: Buffer) {
    this.drop(key);
    const size = sizeOf(key, bytes);
    if (size > this.maxBytes) return;
    while (this.held + size > this.maxBytes) this.evictOne();
    this.entries.set(key, { bytes, used: false });
    this.held += size;
  }

  /** The oldest entry not used since it was last passed over goes; a used one is moved to the back, unmarked. */
  private evictOne() {
    for (const [key, e] of this.entries) {
      this.entries.delete(key);
      if (!e.used) {
        this.held -= sizeOf(key, e.bytes);
        return;
      }
      e.used = false;
      this.entries.set(key, e);
    }
  }

  private drop(key: string) {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.held -= sizeOf(key, e.bytes);
  }
}

const sizeOf = (key: string, bytes: Buffer) => key.length * 2 + bytes.length;
