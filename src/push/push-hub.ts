// Fans committed events out to open push connections, in id order, each event once per connection. One serial
// loop does everything (live delivery, a reconnecting client's catch-up), so a client's stream never has a gap
// or a duplicate. Heartbeats keep idle streams open through proxies; a client that cannot keep up is told to
// resync and disconnected rather than buffered without bound.
import type { StoredEvent } from '../storage/event.repository.ts';
import type { ParleyStore } from '../storage/store.ts';
import { EventFeed } from './event-feed.ts';

export interface PushConnection {
  kind: 'agent' | 'visitor';
  /** The last event id this connection has been given (or judged not to concern it). */
  cursor: number;
  /** The frame's data for this viewer, or undefined when the event does not concern it. */
  render(event: StoredEvent): Promise<{ event: string; data: string } | undefined>;
  /** Writes raw SSE text; false when the client's buffer is over the limit. */
  write(text: string): boolean;
  end(): void;
}

export interface PushCounters { delivered(n: number): void; opened(kind: string): void; closed(kind: string): void }

const frame = (id: number, event: string, data: string) => `id: ${id}\nevent: ${event}\ndata: ${data}\n\n`;

export class PushHub {
  private readonly connections = new Set<PushConnection>();
  private readonly feed: EventFeed;
  private chain: Promise<void> = Promise.resolve();
  private pumpQueued = false;
  private heartbeat?: NodeJS.Timeout;
  private gapRetry?: NodeJS.Timeout;

  constructor(private readonly store: ParleyStore, private readonly counters: PushCounters, private readonly heartbeatSeconds: number,
    private readonly onError: (err: unknown) => void) {
    this.feed = new EventFeed(store);
  }

  async start() {
    await this.feed.start();
    this.heartbeat = setInterval(() => this.beat(), this.heartbeatSeconds * 1000);
    this.heartbeat.unref();
  }

  get size() { return this.connections.size; }

  /** New events were committed (here, or by another instance). */
  wake() {
    if (this.pumpQueued) return;
    this.pumpQueued = true;
    this.serially(async () => {
      this.pumpQueued = false;
      await this.pump();
    });
  }

  /**
   * Adds a connection. With `lastEventId` (a reconnect) it first gets every event after that id, from the outbox;
   * when the outbox no longer reaches back that far it is told to resync.
   */
  attach(conn: PushConnection, lastEventId: number | undefined): Promise<void> {
    return this.serially(async () => {
      this.counters.opened(conn.kind);
      if (lastEventId === undefined || lastEventId >= this.feed.position) {
        conn.cursor = this.feed.position;
      } else {
        const oldest = await this.store.events.oldestId();
        if (oldest !== undefined && lastEventId + 1 < oldest) {
          conn.write(frame(this.feed.position, 'resync', JSON.stringify({ Reason: 'The events after your last one are no longer kept; reload, then listen again' })));
          conn.cursor = this.feed.position;
        } else {
          conn.cursor = lastEventId;
          while (conn.cursor < this.feed.position) {
            const batch = (await this.store.events.after(conn.cursor, 500)).filter((e) => e.id <= this.feed.position);
            if (!batch.length) break;
            for (const e of batch) await this.send(conn, e);
          }
          conn.cursor = this.feed.position;
        }
      }
      this.connections.add(conn);
    });
  }

  detach(conn: PushConnection) {
    if (this.connections.delete(conn)) this.counters.closed(conn.kind);
  }

  /** Ends every stream (shutdown): clients reconnect elsewhere with Last-Event-ID and miss nothing. */
  async stop() {
    clearInterval(this.heartbeat);
    clearTimeout(this.gapRetry);
    await this.chain;
    for (const c of [...this.connections]) {
      c.end();
      this.detach(c);
    }
  }

  private async pump() {
    for (;;) {
      const events = await this.feed.next();
      if (!events.length) break;
      for (const e of events) for (const c of [...this.connections]) await this.send(c, e);
    }
    if (this.feed.waitingOnGap) {
      clearTimeout(this.gapRetry);
      this.gapRetry = setTimeout(() => this.wake(), 50);
      this.gapRetry.unref();
    }
  }

  private async send(conn: PushConnection, e: StoredEvent) {
    if (e.id <= conn.cursor) return;
    conn.cursor = e.id;
    const rendered = await conn.render(e);
    if (!rendered) return;
    if (!conn.write(frame(e.id, rendered.event, rendered.data))) {
      conn.write(frame(e.id, 'resync', JSON.stringify({ Reason: 'Too far behind; reload, then listen again' })));
      conn.end();
      this.detach(conn);
      return;
    }
    this.counters.delivered(1);
  }

  private beat() {
    for (const c of this.connections) c.write(': heartbeat\n\n');
  }

  private serially(work: () => Promise<void>): Promise<void> {
    const run = this.chain.then(work).catch((err) => this.onError(err));
    this.chain = run;
    return run;
  }
}
