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
  /**
   * Cheap and synchronous: false when the event cannot concern this viewer (render would answer undefined). Most
   * events concern few of the open streams; skipping the rest without an await keeps the fan-out loop short.
   */
  concerns(event: StoredEvent): boolean;
  /** The frame's data for this viewer, or undefined when the event does not concern it. */
  render(event: StoredEvent): Promise<{ event: string; data: string } | undefined>;
  /**
   * The stream begins: called once, in the hub's order, before anything else is written to it. From here on the
   * viewer gets every event after `startId`, so the answer's head goes out only now (a client that has its 200 misses
   * nothing committed after it), and `startId` is what it resumes from if it is cut before its first event.
   */
  open(startId: number): void;
  /** Writes raw SSE text; false when the client's buffer is over the limit. */
  write(text: string): boolean;
  end(): void;
}

export interface PushCounters {
  delivered(n: number): void;
  opened(kind: string): void;
  closed(kind: string): void;
}

const SAFETY_POLL_MS = 3_000;

const frame = (id: number, event: string, data: string) => `id: ${id}\nevent: ${event}\ndata: ${data}\n\n`;

export class PushHub {
  private readonly connections = new Set<PushConnection>();
  /** Connections detached (closed by the client, cut off, or ended): never written to or added again. */
  private readonly gone = new WeakSet<PushConnection>();
  private readonly feed: EventFeed;
  private chain: Promise<void> = Promise.resolve();
  private pumpQueued = false;
  private heartbeat?: NodeJS.Timeout;
  private gapRetry?: NodeJS.Timeout;
  private poll?: NodeJS.Timeout;
  private prepare: (events: readonly StoredEvent[]) => Promise<void> = async () => {};

  constructor(
    private readonly store: ParleyStore,
    private readonly counters: PushCounters,
    private readonly heartbeatSeconds: number,
    private readonly onError: (err: unknown) => void,
  ) {
    this.feed = new EventFeed(store);
  }

  async start() {
    await this.feed.start();
    this.heartbeat = setInterval(() => this.beat(), this.heartbeatSeconds * 1000);
    this.heartbeat.unref();
    // A safety net, one indexed read: events committed by another process on SQLite (the CLI), or a NOTIFY lost
    // while the LISTEN connection was down, are still pushed within a few seconds.
    this.poll = setInterval(() => this.wake(), SAFETY_POLL_MS);
    this.poll.unref();
  }

  /** Work to do once per batch of events before they are fanned out (loading what every viewer's frame shares). */
  prepareWith(prepare: (events: readonly StoredEvent[]) => Promise<void>) {
    this.prepare = prepare;
  }

  get size() {
    return this.connections.size;
  }

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
   * when the outbox no longer reaches back that far it is told to resync. Rejects when the outbox could not be read
   * (the database is unreachable): the connection is then not added, and the caller answers or ends it.
   */
  async attach(conn: PushConnection, lastEventId: number | undefined): Promise<void> {
    let failure: { err: unknown } | undefined;
    await this.serially(async () => {
      try {
        await this.begin(conn, lastEventId);
      } catch (err) {
        failure = { err };
        return;
      }
      // Gone meanwhile (the client hung up, or was cut off while catching up): never add it.
      if (this.gone.has(conn)) return;
      this.connections.add(conn);
      this.counters.opened(conn.kind);
    });
    if (failure) {
      this.detach(conn);
      throw failure.err;
    }
  }

  /** Opens the stream where the viewer continues, and replays what it missed. */
  private async begin(conn: PushConnection, lastEventId: number | undefined) {
    const position = this.feed.position;
    const resync = (reason: string) => {
      this.openAt(conn, position);
      conn.write(frame(position, 'resync', JSON.stringify({ Reason: reason })));
    };
    if (lastEventId === undefined || lastEventId === position) return this.openAt(conn, position);
    if (lastEventId > position) {
      // Served by another instance that has read further than this one: what it had must not come again.
      if (lastEventId <= (await this.store.events.lastId())) return this.openAt(conn, lastEventId);
      // An id no instance has handed out (the database was replaced, or a confused client): start afresh.
      return resync('Your last event id is unknown here; reload, then listen again');
    }
    const oldest = await this.store.events.oldestId();
    // No event kept at all, or not the one right after the client's: some it missed are gone.
    if (oldest === undefined || lastEventId + 1 < oldest) return resync('The events after your last one are no longer kept; reload, then listen again');
    this.openAt(conn, lastEventId);
    while (conn.cursor < position && !this.gone.has(conn)) {
      const batch = (await this.store.events.after(conn.cursor, 500)).filter((e) => e.id <= position);
      if (!batch.length) break;
      for (const e of batch) await this.offer(conn, e);
    }
    conn.cursor = position;
  }

  private openAt(conn: PushConnection, startId: number) {
    conn.cursor = startId;
    if (!this.gone.has(conn)) conn.open(startId);
  }

  detach(conn: PushConnection) {
    this.gone.add(conn);
    if (this.connections.delete(conn)) this.counters.closed(conn.kind);
  }

  /** Ends every stream (shutdown): clients reconnect elsewhere with Last-Event-ID and miss nothing. */
  async stop() {
    clearInterval(this.heartbeat);
    clearInterval(this.poll);
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
      await this.prepare(events);
      const open = [...this.connections];
      for (const e of events) {
        for (const c of open) {
          const sending = this.offer(c, e);
          if (sending) await sending;
        }
      }
    }
    if (this.feed.waitingOnGap) {
      clearTimeout(this.gapRetry);
      this.gapRetry = setTimeout(() => this.wake(), 50);
      this.gapRetry.unref();
    }
  }

  /**
   * Moves `conn` past `e`, sending it when it concerns the viewer. Most events concern few of the open streams:
   * for the rest this settles at once, with nothing to await, which keeps the fan-out loop short.
   */
  private offer(conn: PushConnection, e: StoredEvent): Promise<void> | undefined {
    if (e.id <= conn.cursor || this.gone.has(conn)) return undefined;
    conn.cursor = e.id;
    return conn.concerns(e) ? this.send(conn, e) : undefined;
  }

  private async send(conn: PushConnection, e: StoredEvent) {
    let rendered: Awaited<ReturnType<PushConnection['render']>>;
    try {
      rendered = await conn.render(e);
    } catch (err) {
      // Skipping the event would leave a silent gap in this stream: tell the client to resync instead.
      this.onError(err);
      this.cut(conn, e.id, 'An event could not be prepared for you; reload, then listen again');
      return;
    }
    if (!rendered) return;
    if (!conn.write(frame(e.id, rendered.event, rendered.data))) {
      this.cut(conn, e.id, 'Too far behind; reload, then listen again');
      return;
    }
    this.counters.delivered(1);
  }

  private cut(conn: PushConnection, id: number, reason: string) {
    conn.write(frame(id, 'resync', JSON.stringify({ Reason: reason })));
    conn.end();
    this.detach(conn);
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
