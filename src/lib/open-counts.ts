// How many of something (connections, push streams) are open per key, with a ceiling: a slot is taken when one
// opens and given back exactly once when it closes.
export class OpenCounts {
  private readonly open = new Map<string, number>();
  constructor(readonly max: number) {}

  /** A slot for `key`, and how to give it back (idempotent); undefined when `key` is at the ceiling. */
  take(key: string): (() => void) | undefined {
    const n = this.open.get(key) ?? 0;
    if (n >= this.max) return undefined;
    this.open.set(key, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(key) ?? 1) - 1;
      if (left > 0) this.open.set(key, left);
      else this.open.delete(key);
    };
  }
}
