// Reads committed outbox events strictly in id order, each once, for the push hub. Woken after local commits, by
// PostgreSQL NOTIFY from other instances, and by a slow timer (push-hub.ts). Ids that may still commit are waited
// for by the outbox's one rule (storage/outbox-reader.ts), for at most GAP_WAIT_MS: live streams must not stall long.
import type { ParleyStore } from '../storage/store.ts';
import type { StoredEvent } from '../storage/event.repository.ts';
import { OutboxReader } from '../storage/outbox-reader.ts';

const BATCH = 500;
const GAP_WAIT_MS = 5_000;

export class EventFeed {
  /** The last event id handed out. */
  position = 0;
  private readonly reader: OutboxReader;

  constructor(private readonly store: ParleyStore) {
    this.reader = new OutboxReader(store.events, store.capabilities, GAP_WAIT_MS);
  }

  async start() {
    this.position = await this.store.events.lastId();
  }

  /** The next events after `position`, contiguous (or past settled gaps); advances `position`. */
  async next(): Promise<StoredEvent[]> {
    const { events } = await this.reader.read(this.position, BATCH);
    if (events.length) this.position = events[events.length - 1].id;
    return events;
  }

  /** True when events are waiting behind a gap that has not settled yet (the caller should look again soon). */
  get waitingOnGap() {
    return this.reader.waitingOnGap;
  }
}
