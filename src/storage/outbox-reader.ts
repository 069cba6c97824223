// Reads the event outbox forward from a cursor: in id order, each event once, never past an id that may still
// commit. One rule for every reader (push streams, webhook delivery). Where ids become visible out of order
// (PostgreSQL takes them from a sequence outside transactions), a missing id is waited for while a transaction may
// still write it; it is passed once the settled horizon shows none can (it was rolled back), or after `giveUpMs`.
import type { Capabilities } from './dialect.ts';
import type { KyselyEventRepository, StoredEvent } from './event.repository.ts';

export interface OutboxRead {
  /** Contiguous events after the cursor (or past settled gaps). */
  events: StoredEvent[];
  /** More events wait behind a gap that has not settled yet: read again soon. */
  heldBack: boolean;
}

export class OutboxReader {
  /** The missing id being waited for, and since when. */
  private gap: { id: number; since: number } | undefined;

  constructor(
    private readonly events: KyselyEventRepository,
    private readonly caps: Capabilities,
    private readonly giveUpMs: number,
    private readonly onGiveUp: (after: number) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  async read(cursor: number, limit: number): Promise<OutboxRead> {
    let events = await this.events.after(cursor, limit);
    let horizon = -1;
    if (!this.caps.orderedIds && hasGap(events, cursor)) {
      // Which ids are settled must be known before the read that is judged by it: an id committing between a read
      // and the check would look rolled back, and be passed over for good. So: ask, then read again.
      horizon = await this.events.settledEventHorizon();
      events = await this.events.after(cursor, limit);
    }
    const ready: StoredEvent[] = [];
    let last = cursor;
    let heldBack = false;
    for (const e of events) {
      if (e.id !== last + 1 && !this.passable(last, e.id, horizon)) {
        heldBack = true;
        break;
      }
      ready.push(e);
      last = e.id;
    }
    // The id waited for arrived after all (its transaction committed late), or was passed: nothing to wait for.
    if (this.gap && last >= this.gap.id) this.gap = undefined;
    return { events: ready, heldBack };
  }

  /** True while events wait behind a gap that has not settled yet. */
  get waitingOnGap(): boolean {
    return this.gap !== undefined;
  }

  /** May the ids between `last` and `next` be passed? `horizon`: ids up to it were settled before the read. */
  private passable(last: number, next: number, horizon: number): boolean {
    if (this.caps.orderedIds || horizon >= next - 1) return true; // no insert in flight: the ids were rolled back
    const now = this.now();
    if (!this.gap || this.gap.id !== last + 1) this.gap = { id: last + 1, since: now };
    if (now - this.gap.since < this.giveUpMs) return false;
    this.gap = undefined;
    this.onGiveUp(last);
    return true;
  }
}

/** True when `events` (ids ascending) do not follow on from `after` without a hole. */
function hasGap(events: StoredEvent[], after: number): boolean {
  let expected = after + 1;
  for (const e of events) {
    if (e.id !== expected) return true;
    expected = e.id + 1;
  }
  return false;
}
