// Reads committed outbox events strictly in id order, each once. Woken after local commits, by PostgreSQL
// NOTIFY from other instances, and by a slow timer (push-hub.ts). On PostgreSQL ids can commit out of order: a missing id is
// waited for while some transaction may still insert it, and passed once none can (or after GAP_WAIT_MS).
import type { ParleyStore } from '../storage/store.ts';
import type { StoredEvent } from '../storage/event.repository.ts';

const BATCH = 500;
const GAP_WAIT_MS = 5_000;

export class EventFeed {
  /** The last event id handed out. */
  position = 0;
  private gapSince?: { id: number; at: number };

  constructor(private readonly store: ParleyStore) {}

  async start() {
    this.position = await this.store.events.lastId();
  }

  /** The next events after `position`, contiguous (or past settled gaps); advances `position`. */
  async next(): Promise<StoredEvent[]> {
    let events = await this.store.events.after(this.position, BATCH);
    let horizon = -1;
    if (this.store.kind !== 'sqlite' && hasGap(events, this.position)) {
      // Which ids are settled must be known before the read that is judged by it: an id committing between a read
      // and the check would look rolled back, and be passed over for good. So: ask, then read again.
      horizon = await this.store.webhooks.settledEventHorizon();
      events = await this.store.events.after(this.position, BATCH);
    }
    const ready: StoredEvent[] = [];
    let expected = this.position + 1;
    for (const e of events) {
      if (e.id !== expected && !this.gapSettled(expected, horizon)) break;
      ready.push(e);
      expected = e.id + 1;
    }
    if (ready.length) this.position = ready[ready.length - 1].id;
    // The missing id arrived after all (its transaction committed late): nothing is waited for any more.
    if (this.gapSince && this.position >= this.gapSince.id) this.gapSince = undefined;
    return ready;
  }

  /** True when events are waiting behind a gap that has not settled yet (the caller should look again soon). */
  get waitingOnGap() { return this.gapSince !== undefined; }

  /** `horizon`: ids up to it were settled before the events were read (see settledEventHorizon). */
  private gapSettled(missing: number, horizon: number): boolean {
    if (this.store.kind === 'sqlite') return true; // one writer at a time: ids commit in order
    if (horizon >= missing) {
      this.gapSince = undefined;
      return true; // no insert was in flight: the id was rolled back
    }
    const now = Date.now();
    if (!this.gapSince || this.gapSince.id !== missing) this.gapSince = { id: missing, at: now };
    if (now - this.gapSince.at >= GAP_WAIT_MS) {
      this.gapSince = undefined;
      return true;
    }
    return false;
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
