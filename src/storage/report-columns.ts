// An in-memory copy of report_facts and of routing's missed offers, a typed array per column (about 65 bytes a
// session): a report over a year of a million sessions adds them up in about 150 ms, where SQL grouping took
// seconds. Rows are updated in place; a removed one is marked (topic 0) and dropped by a compaction.

/** Flags of a facts row. */
export const ANSWERED = 1;
export const MISSED = 2;
export const OFFLINE_REQUEST = 4;
export const BOT_ONLY = 8;

/** One session's facts as the columns hold them: agent 0 for nobody, durations in ms (NaN: none). */
export interface FactsRow {
  sessionId: number;
  topicId: number;
  agentId: number;
  requestedMs: number;
  flags: number;
  transfers: number;
  waitMs: number;
  firstResponseMs: number;
  handlingMs: number;
  rating: number;
}

/** A missed routing offer of a session: who missed it, and whether it ran out (else they declined it). */
export interface MissedOffer {
  agentId: number;
  timedOut: boolean;
}

const grow = <T extends Int32Array | Float64Array | Uint8Array>(a: T, length: number): T => {
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a);
  return b;
};

export class ReportColumns {
  /** Row positions in use, live or removed. */
  size = 0;
  /** Rows removed since the last compaction. */
  private removed = 0;
  sessionId = new Int32Array(1024);
  /** 0 marks a removed row (topic ids start at 1). */
  topic = new Int32Array(1024);
  agent = new Int32Array(1024);
  requested = new Float64Array(1024);
  flags = new Uint8Array(1024);
  transfers = new Int32Array(1024);
  wait = new Float64Array(1024);
  firstResponse = new Float64Array(1024);
  handling = new Float64Array(1024);
  rating = new Uint8Array(1024);
  /** The highest topic and agent id a row holds: the aggregation sizes its tables by them. */
  maxTopic = 0;
  maxAgent = 0;

  /** Missed offers: the row of their session, who missed them, how; `offerRow` -1 once its session's offers changed. */
  offers = 0;
  private deadOffers = 0;
  offerRow = new Int32Array(256);
  offerAgent = new Int32Array(256);
  offerTimedOut = new Uint8Array(256);
  /** Per row, its first offer (-1: none), and per offer the next of the same row. */
  private firstOffer = new Int32Array(1024).fill(-1);
  private nextOffer = new Int32Array(256);

  /** Row of each session id, addressed directly from `base` (-1: none). */
  private base = 0;
  private rowOf = new Int32Array(0);

  get live(): number {
    return this.size - this.removed;
  }

  /** Writes a session's row (new or in place) and replaces its missed offers. */
  put(row: FactsRow, offers: readonly MissedOffer[]): void {
    let at = this.find(row.sessionId);
    if (at < 0) {
      if (this.size === this.topic.length) this.growRows(this.size * 2);
      at = this.size++;
      this.index(row.sessionId, at);
    } else if (this.topic[at] === 0) {
      this.removed--;
    }
    this.sessionId[at] = row.sessionId;
    this.topic[at] = row.topicId;
    this.agent[at] = row.agentId;
    this.requested[at] = row.requestedMs;
    this.flags[at] = row.flags;
    this.transfers[at] = row.transfers;
    this.wait[at] = row.waitMs;
    this.firstResponse[at] = row.firstResponseMs;
    this.handling[at] = row.handlingMs;
    this.rating[at] = row.rating;
    if (row.topicId > this.maxTopic) this.maxTopic = row.topicId;
    if (row.agentId > this.maxAgent) this.maxAgent = row.agentId;
    this.dropOffers(at);
    for (const o of offers) this.addOffer(at, o);
    this.compactWhenSparse();
  }

  /** Takes a session out (its facts row is gone: deleted, purged, marked Deleted). */
  remove(sessionId: number): void {
    const at = this.find(sessionId);
    if (at < 0 || this.topic[at] === 0) return;
    this.topic[at] = 0;
    this.removed++;
    this.dropOffers(at);
    this.compactWhenSparse();
  }

  /** Adds a missed offer to a session already put (the load reads offers after the rows); false when it is not. */
  addOfferOf(sessionId: number, offer: MissedOffer): boolean {
    const at = this.find(sessionId);
    if (at < 0 || this.topic[at] === 0) return false;
    this.addOffer(at, offer);
    return true;
  }

  private find(sessionId: number): number {
    const i = sessionId - this.base;
    return i >= 0 && i < this.rowOf.length ? this.rowOf[i] : -1;
  }

  private index(sessionId: number, at: number): void {
    let i = sessionId - this.base;
    if (i < 0 || i >= this.rowOf.length) {
      // Grow to cover the id, with a quarter more room after it (ids mostly arrive ascending), or before it when it
      // lies below the others. The index costs 4 bytes per id between the lowest and the highest, live or not.
      const room = Math.max(1024, this.rowOf.length >> 2);
      const base = this.rowOf.length === 0 ? sessionId : sessionId < this.base ? sessionId - room : this.base;
      const end = Math.max(this.base + this.rowOf.length, sessionId + 1);
      const rowOf = new Int32Array(end - base + Math.max(1024, (end - base) >> 2)).fill(-1);
      if (this.rowOf.length) rowOf.set(this.rowOf, this.base - base);
      this.base = base;
      this.rowOf = rowOf;
      i = sessionId - base;
    }
    this.rowOf[i] = at;
  }

  private addOffer(at: number, o: MissedOffer): void {
    if (this.offers === this.offerRow.length) {
      const n = this.offers * 2;
      this.offerRow = grow(this.offerRow, n);
      this.offerAgent = grow(this.offerAgent, n);
      this.offerTimedOut = grow(this.offerTimedOut, n);
      this.nextOffer = grow(this.nextOffer, n);
    }
    const k = this.offers++;
    this.offerRow[k] = at;
    this.offerAgent[k] = o.agentId;
    this.offerTimedOut[k] = o.timedOut ? 1 : 0;
    this.nextOffer[k] = this.firstOffer[at];
    this.firstOffer[at] = k;
    if (o.agentId > this.maxAgent) this.maxAgent = o.agentId;
  }

  private dropOffers(at: number): void {
    for (let k = this.firstOffer[at]; k >= 0; k = this.nextOffer[k]) {
      this.offerRow[k] = -1;
      this.deadOffers++;
    }
    this.firstOffer[at] = -1;
  }

  private growRows(n: number): void {
    this.sessionId = grow(this.sessionId, n);
    this.topic = grow(this.topic, n);
    this.agent = grow(this.agent, n);
    this.requested = grow(this.requested, n);
    this.flags = grow(this.flags, n);
    this.transfers = grow(this.transfers, n);
    this.wait = grow(this.wait, n);
    this.firstResponse = grow(this.firstResponse, n);
    this.handling = grow(this.handling, n);
    this.rating = grow(this.rating, n);
    const first = new Int32Array(n).fill(-1);
    first.set(this.firstOffer);
    this.firstOffer = first;
  }

  /** A quarter of the rows removed, or half the offers dropped: rebuilt without them. */
  private compactWhenSparse(): void {
    if ((this.removed > 10_000 && this.removed * 4 > this.size) || (this.deadOffers > 10_000 && this.deadOffers * 2 > this.offers)) this.compact();
  }

  /** Rebuilds without the removed rows and dropped offers. */
  private compact(): void {
    const fresh = new ReportColumns();
    fresh.growRows(Math.max(1024, this.live));
    for (let at = 0; at < this.size; at++) {
      if (this.topic[at] === 0) continue;
      const offers: MissedOffer[] = [];
      for (let k = this.firstOffer[at]; k >= 0; k = this.nextOffer[k]) offers.push({ agentId: this.offerAgent[k], timedOut: this.offerTimedOut[k] === 1 });
      fresh.put(this.rowAt(at), offers.reverse());
    }
    Object.assign(this, fresh);
  }

  private rowAt(at: number): FactsRow {
    return {
      sessionId: this.sessionId[at],
      topicId: this.topic[at],
      agentId: this.agent[at],
      requestedMs: this.requested[at],
      flags: this.flags[at],
      transfers: this.transfers[at],
      waitMs: this.wait[at],
      firstResponseMs: this.firstResponse[at],
      handlingMs: this.handling[at],
      rating: this.rating[at],
    };
  }

  /** Bytes the arrays hold (what the copy costs in memory). */
  get bytes(): number {
    const arrays = [
      this.sessionId,
      this.topic,
      this.agent,
      this.requested,
      this.flags,
      this.transfers,
      this.wait,
      this.firstResponse,
      this.handling,
      this.rating,
      this.firstOffer,
      this.offerRow,
      this.offerAgent,
      this.offerTimedOut,
      this.nextOffer,
      this.rowOf,
    ];
    return arrays.reduce((sum, a) => sum + a.byteLength, 0);
  }
}
