// Prometheus metrics of one Parley app. Each app has its own registry (not prom-client's global one), so several
// apps can live in one process, as tests build them. Counters are bumped by the code that sees the thing happen
// (HTTP hooks, push, event commits); the gauges read from the database are refreshed when /metrics is scraped.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What the push code reports; `kind` is the kind of connection (e.g. `agent`, `visitor`). */
export interface PushMetrics {
  connectionOpened(kind: string): void;
  connectionClosed(kind: string): void;
  eventsDelivered(n: number): void;
}

/** The database numbers read at scrape time. */
export interface MetricsSource {
  queueLengths(): Promise<Array<{ topicId: number; queued: number }>>;
  outboxSize(): Promise<number>;
  lastEventId(): Promise<number>;
  webhooks(): Promise<Array<{ id: number; name: string; active: boolean; failures: number; deliveredUpTo: number }>>;
  /** Mails in the e-mail outbox per state (pending, sent, failed). */
  mail(): Promise<Array<{ state: string; count: number }>>;
  /** What this instance holds in memory for reports. */
  reportMemory(): { sessions: number; bytes: number };
}

const MAIL_STATES = ['pending', 'sent', 'failed'];

/** Seconds; from a cached poll (about a millisecond) to a slow write. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class Metrics implements PushMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'parley_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'parley_http_request_duration_seconds',
    help: 'Time from receiving a request to its answer, by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly pushConnections = new Gauge({
    name: 'parley_push_connections',
    help: 'Open push connections on this instance, by kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  private readonly published = new Counter({
    name: 'parley_events_published_total',
    help: 'Chat events committed to the outbox, as seen by this instance',
    registers: [this.registry],
  });
  private readonly delivered = new Counter({
    name: 'parley_events_delivered_total',
    help: 'Chat events sent to push connections of this instance',
    registers: [this.registry],
  });
  private readonly routingAssignments = new Counter({
    name: 'parley_routing_assignments_total',
    help: 'Chats routing gave to an agent (directly or by an accepted offer), made by this instance',
    registers: [this.registry],
  });
  private readonly routingOffersEnded = new Counter({
    name: 'parley_routing_offers_ended_total',
    help: 'Routing offers that ended, by outcome (accepted, declined, timedOut, withdrawn), seen by this instance',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly routingWait = new Histogram({
    name: 'parley_routing_queue_to_assignment_seconds',
    help: 'Time a chat waited in the queue before routing gave it to an agent',
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    registers: [this.registry],
  });
  private readonly cacheLookups = new Counter({
    name: 'parley_response_cache_lookups_total',
    help: 'Polls of a cached list (ChatSessionsForUser and the like) answered from the response cache (hit) or built anew (miss)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  // Counted as plain numbers (a poll looks up each of its sessions; prom-client's inc allocates) and handed to the
  // counter when scraped.
  private itemHits = 0;
  private itemMisses = 0;
  private readonly itemLookups = new Counter({
    name: 'parley_item_cache_lookups_total',
    help: 'Sessions of a computed ChatSessionsForUser answer whose JSON was kept (hit) or written anew (miss)',
    labelNames: ['result'] as const,
    registers: [this.registry],
    collect: () => {
      if (this.itemHits) this.itemLookups.inc({ result: 'hit' }, this.itemHits);
      if (this.itemMisses) this.itemLookups.inc({ result: 'miss' }, this.itemMisses);
      this.itemHits = 0;
      this.itemMisses = 0;
    },
  });
  private readonly reportMemorySessions: Gauge = new Gauge({
    name: 'parley_report_memory_sessions',
    help: "Sessions in this instance's in-memory copy of the report facts (0 until it is loaded, and once let go)",
    registers: [this.registry],
    collect: () => this.reportMemorySessions.set(this.source.reportMemory().sessions),
  });
  private readonly reportMemoryBytes: Gauge = new Gauge({
    name: 'parley_report_memory_bytes',
    help: "Bytes of this instance's in-memory copy of the report facts",
    registers: [this.registry],
    collect: () => this.reportMemoryBytes.set(this.source.reportMemory().bytes),
  });
  private readonly queueLength = new Gauge({
    name: 'parley_queue_length',
    help: 'Sessions waiting in the queue, by topic id (read at scrape time)',
    labelNames: ['topic'] as const,
    registers: [this.registry],
  });
  private readonly outboxEvents = new Gauge({
    name: 'parley_outbox_events',
    help: 'Events kept in the outbox (read at scrape time)',
    registers: [this.registry],
  });
  private readonly webhookFailures = new Gauge({
    name: 'parley_webhook_failures',
    help: 'Failed delivery attempts in a row of an active webhook, by webhook id (0 when delivering)',
    labelNames: ['webhook', 'name'] as const,
    registers: [this.registry],
  });
  private readonly webhookLag = new Gauge({
    name: 'parley_webhook_lag_events',
    help: "Outbox events past an active webhook's cursor, not yet handled by it",
    labelNames: ['webhook', 'name'] as const,
    registers: [this.registry],
  });
  private readonly mailMessages = new Gauge({
    name: 'parley_mail_messages',
    help: 'Mails in the e-mail outbox by state: pending (queued or retrying), sent, failed (read at scrape time)',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });
  private readonly databaseUp = new Gauge({
    name: 'parley_database_up',
    help: "1 when the database answered the last scrape's queries, else 0",
    registers: [this.registry],
  });
  /** Topics ever reported: an emptied queue then reads 0 instead of vanishing from the series. */
  private readonly queueTopics = new Set<number>();

  constructor(
    private readonly source: MetricsSource,
    private readonly log?: { warn(obj: object, msg: string): void },
  ) {
    collectDefaultMetrics({ register: this.registry });
    // The push code's two kinds show as 0 from the start, so dashboards and alerts see a series before the first stream.
    for (const kind of ['agent', 'visitor']) this.pushConnections.set({ kind }, 0);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** `route` is the route's pattern, never the raw URL, so the label's values stay few. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.requests.inc({ method, route, status: String(status) });
    this.latency.observe({ method, route }, seconds);
  }

  connectionOpened(kind: string): void {
    this.pushConnections.inc({ kind });
  }
  connectionClosed(kind: string): void {
    this.pushConnections.dec({ kind });
  }
  eventsDelivered(n: number): void {
    if (n > 0) this.delivered.inc(n);
  }
  /** Routing's observer (domain/routing): told after each assignment and ended offer commits. */
  readonly routing = {
    assigned: (waitSeconds: number) => {
      this.routingAssignments.inc();
      this.routingWait.observe(waitSeconds);
    },
    offerEnded: (outcome: string) => this.routingOffersEnded.inc({ outcome }),
  };
  responseCacheLookup(hit: boolean): void {
    this.cacheLookups.inc({ result: hit ? 'hit' : 'miss' });
  }
  itemCacheLookup(hit: boolean): void {
    if (hit) this.itemHits++;
    else this.itemMisses++;
  }

  eventsPublished(n: number): void {
    if (n > 0) this.published.inc(n);
  }

  /** The exposition text, after reading the database gauges. A failing database leaves them out and says so. */
  async scrape(): Promise<string> {
    try {
      await this.readDatabase();
      this.databaseUp.set(1);
    } catch (err) {
      this.databaseUp.set(0);
      for (const g of [this.queueLength, this.outboxEvents, this.webhookFailures, this.webhookLag, this.mailMessages]) g.reset();
      this.log?.warn({ err }, 'metrics: database figures unavailable');
    }
    return this.registry.metrics();
  }

  private async readDatabase() {
    const [queues, outbox, lastId, hooks, mail] = await Promise.all([
      this.source.queueLengths(),
      this.source.outboxSize(),
      this.source.lastEventId(),
      this.source.webhooks(),
      this.source.mail(),
    ]);
    for (const state of MAIL_STATES) this.mailMessages.set({ state }, mail.find((m) => m.state === state)?.count ?? 0);
    for (const topic of this.queueTopics) this.queueLength.set({ topic: String(topic) }, 0);
    for (const q of queues) {
      this.queueTopics.add(q.topicId);
      this.queueLength.set({ topic: String(q.topicId) }, q.queued);
    }
    this.outboxEvents.set(outbox);
    this.webhookFailures.reset();
    this.webhookLag.reset();
    for (const hook of hooks.filter((h) => h.active)) {
      const labels = { webhook: String(hook.id), name: hook.name };
      this.webhookFailures.set(labels, hook.failures);
      this.webhookLag.set(labels, Math.max(0, lastId - hook.deliveredUpTo));
    }
  }
}

/**
 * Feeds `eventsPublished` from the outbox: after each commit that appended events, counts the ids above the highest
 * one seen (one query at a time; commits meanwhile are folded into the next). Within one process this is exact
 * (SQLite). With several instances on one PostgreSQL, each counts what any instance committed, seen at its own
 * commits: the counters are not additive across instances (take the max), and an id committed after a higher one
 * was seen is missed. Returns a stop function.
 */
export function countCommittedEvents(
  events: { onEventsCommitted(listener: () => void): void; eventsAfter(id: number): Promise<{ count: number; lastId: number }> },
  startId: number,
  metrics: Pick<Metrics, 'eventsPublished'>,
): () => void {
  let seen = startId;
  let running = false;
  let again = false;
  let stopped = false;
  const run = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        const { count, lastId } = await events.eventsAfter(seen);
        seen = lastId;
        metrics.eventsPublished(count);
      } while (again && !stopped);
    } catch {
      // The database is closing or away; the next commit counts what was missed.
    } finally {
      running = false;
    }
  };
  events.onEventsCommitted(() => {
    if (!stopped) void run();
  });
  return () => {
    stopped = true;
  };
}
