// The JSON of single items of a polled list, each as one caller's answer writes it, kept while what it was built
// from is unchanged: a poll after a change re-presents only the items that changed, and the rest of its answer
// is the kept text. The key says what the text depends on (the item's identity and versions, the right it was
// presented with, the negotiated form); an item whose versions moved is looked up under a new key, and the old
// text ages out. Bounded in bytes, least recently used first.
export class FragmentCache {
  private readonly entries = new Map<string, string>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    /** Told of every lookup (the metrics' hit rate). */
    private readonly onLookup: (hit: boolean) => void = () => {},
  ) {}

  get enabled() {
    return this.maxBytes > 0;
  }

  /** Bytes held now (texts and keys, as UTF-16). */
  get size() {
    return this.bytes;
  }

  get(key: string): string | undefined {
    const text = this.entries.get(key);
    this.onLookup(text !== undefined);
    if (text === undefined) return undefined;
    // Re-insert so the map's order is least recently used first.
    this.entries.delete(key);
    this.entries.set(key, text);
    return text;
  }

  set(key: string, text: string) {
    const size = (key.length + text.length) * 2;
    this.drop(key);
    if (size > this.maxBytes) return;
    for (const oldest of this.entries.keys()) {
      if (this.bytes + size <= this.maxBytes) break;
      this.drop(oldest);
    }
    this.entries.set(key, text);
    this.bytes += size;
  }

  private drop(key: string) {
    const text = this.entries.get(key);
    if (text === undefined) return;
    this.entries.delete(key);
    this.bytes -= (key.length + text.length) * 2;
  }
}
