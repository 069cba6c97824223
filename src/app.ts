// Wires Parley together: database, store, authenticator, domain dependencies and the HTTP server.
import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import { SingleSignOn } from './auth/single-sign-on.ts';
import { Authenticator } from './auth/authenticator.ts';
import type { Config } from './config.ts';
import type { Clock, DomainDeps, KeyGenerator } from './domain/ports.ts';
import { domainDeps, randomKeys, systemClock } from './domain-deps.ts';
import { buildServer } from './http/server.ts';
import { countCommittedEvents, Metrics } from './metrics.ts';
import { migrateToLatest, openDatabase, type OpenDatabase } from './storage/database.ts';
import { isDatabaseUnavailable } from './storage/dialect.ts';
import { retryWhile } from './lib/retry-while.ts';
import { DomainError } from './domain/errors.ts';
import { KyselyOperationsRepository } from './storage/operations.repository.ts';
import { createStore, type ParleyStore } from './storage/store.ts';
import { ReportRefresher } from './jobs/report-refresher.ts';
import { Router } from './jobs/router.ts';
import { Sweeper } from './jobs/sweeper.ts';
import { PgEventListener } from './push/pg-listener.ts';
import { PushHub } from './push/push-hub.ts';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher.ts';
import { MailPlanner } from './mail/mail-planner.ts';
import { MailSender } from './mail/mail-sender.ts';

export interface App {
  config: Config;
  database: OpenDatabase;
  store: ParleyStore;
  auth: Authenticator;
  deps: DomainDeps;
  server: FastifyInstance;
  webhooks: WebhookDispatcher;
  /** Undefined when e-mail is off (no PARLEY_SMTP_URL). */
  mail: MailSender | undefined;
  sweeper: Sweeper;
  /** Hands queued chats of auto topics to agents (domain/routing). */
  router: Router;
  hub: PushHub;
  /** Prometheus counters and gauges of this app (push and webhook code report through it). */
  metrics: Metrics;
  /**
   * Runs `fn` when shutdown begins, before the server stops taking requests: long-lived responses (streams) end
   * there, so they do not hold the drain up. Hooks run at once, bounded by PARLEY_SHUTDOWN_TIMEOUT_SECONDS.
   */
  onShutdown(fn: () => void | Promise<void>): void;
  /** Graceful: shutdown hooks, no new requests, those in flight finish (bounded), then jobs and database stop. */
  close(): Promise<void>;
}

export { domainDeps, randomKeys, systemClock };

export interface AppOverrides {
  clock?: Clock;
  keys?: KeyGenerator;
  /** false: no log; a stream: the JSON log lines go there instead of stdout. */
  logger?: boolean | { write(line: string): void };
}

export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  // The server's logger exists only once the server is built; until then (and with no logger) nothing is written.
  let log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void } = { warn() {}, info() {} };
  const database = openDatabase(config.databaseUrl, { poolSize: config.databasePoolSize, ...config.databaseTimeouts });
  // Started together with its database (a reboot, a compose file): wait for it rather than exit.
  await retryWhile(
    isUnreachable,
    {
      // Asked at least every second: service begins within a second of the database.
      waitMs: config.databaseStartupWaitSeconds * 1000,
      firstDelayMs: 250,
      maxDelayMs: 1_000,
      onRetry: (err, ms) =>
        process.stderr.write(
          `parley: the database is not reachable yet (${(((err as Error).cause as Error | undefined) ?? (err as Error)).message}); trying again in ${ms} ms\n`,
        ),
    },
    () => migrateToLatest(database.db),
  );
  database.outages.log = { warn: (obj, msg) => log.warn(obj, msg), info: (obj, msg) => log.info(obj, msg) };
  // With e-mail on, mail is planned from each event in the event's own transaction.
  const mailer = config.mail ? new MailPlanner(config.timeZone) : undefined;
  const store = createStore(database.db, database.kind, mailer?.onEvent);
  const clock = overrides.clock ?? systemClock;
  const auth = new Authenticator(store, config.auth, clock);
  const signOn = config.oidc ? new SingleSignOn(config.oidc, store, clock) : undefined;
  auth.singleSignOn = signOn;
  const deps = domainDeps(store, config, { clock, keys: overrides.keys ?? randomKeys, log: { info: (obj, msg) => log.info(obj, msg) }, mailer });
  // Metrics: database gauges read at scrape time; published events counted from the outbox after each commit.
  const operations = new KyselyOperationsRepository(database.db);
  const metrics = new Metrics(
    {
      queueLengths: () => operations.queueLengths(),
      outboxSize: () => operations.outboxSize(),
      lastEventId: () => store.events.lastId(),
      webhooks: () => store.webhooks.list(),
      mail: () => store.mail.countByState(),
      reportMemory: () => store.reports.held(),
    },
    { warn: (obj, msg) => log.warn(obj, msg) },
  );
  deps.routingObserver = metrics.routing;
  const stopCounting = countCommittedEvents(
    { onEventsCommitted: store.onEventsCommitted, eventsAfter: (id) => operations.eventsAfter(id) },
    await store.events.lastId(),
    metrics,
  );
  let shuttingDown = false;
  let refusedAtShutdown = 0;
  // Push: committed events fan out to open streams; other instances' commits arrive through PostgreSQL NOTIFY.
  let logError: (err: unknown) => void = () => {};
  const pushCounters = {
    delivered: (n: number) => metrics.eventsDelivered(n),
    opened: (k: string) => metrics.connectionOpened(k),
    closed: (k: string) => metrics.connectionClosed(k),
  };
  const hub = new PushHub(store, pushCounters, config.pushHeartbeatSeconds, (err) => logError(err));
  const server = buildServer({
    config,
    deps,
    auth,
    signOn,
    store,
    logger: overrides.logger ?? true,
    // Prefixed: a key whose scope changed (a user made administrator) never meets the other kind's number.
    changeVersion: async (scope, associateId) => (scope === 'caller' ? `c${await store.callerVersion(associateId)}` : `d${await store.dataVersion()}`),
    hub,
    metrics,
    notReadyReason: () => operations.notReadyReason(),
    isShuttingDown: () => shuttingDown,
    onRefused: () => {
      refusedAtShutdown++;
    },
  });
  log = server.log;
  logError = (err) => server.log.error({ err }, 'push');
  await server.ready();
  await hub.start();
  const router = new Router(deps, server.log, config.routingSafetySeconds);
  store.onEventsCommitted(() => {
    hub.wake();
    router.kick();
  });
  const listener = store.capabilities.notifications
    ? new PgEventListener(
        config.databaseUrl,
        () => {
          hub.wake();
          router.kick();
        },
        logError,
        auth,
      )
    : undefined;
  await listener?.start();
  // One delivery loop per process, after commit and never on a request's path.
  const webhooks = new WebhookDispatcher(store, config.webhooks, server.log);
  webhooks.start();
  const mail = config.mail ? new MailSender(store, config.mail, server.log) : undefined;
  mail?.start();
  const sweeper = new Sweeper(deps, config.sweep, config.sweepSeconds, server.log);
  sweeper.start();
  router.start();
  const reportRefresher = new ReportRefresher(store.reports, config.reportRefreshSeconds, config.reportMemoryIdleMinutes, server.log);
  reportRefresher.start();
  const shutdownHooks: Array<() => void | Promise<void>> = [];
  let closing: Promise<void> | undefined;
  return {
    config,
    database,
    store,
    auth,
    deps,
    server,
    webhooks,
    mail,
    sweeper,
    router,
    hub,
    metrics,
    onShutdown: (fn) => {
      shutdownHooks.push(fn);
    },
    close() {
      return (closing ??= (async () => {
        // /ready answers 503 from here on, so a load balancer still probing sends new work elsewhere, and answers
        // close their connections.
        shuttingDown = true;
        const deadline = Date.now() + config.shutdownTimeoutSeconds * 1000;
        const lingerUntil = Math.min(deadline, Date.now() + config.shutdownLingerMs);
        stopListening(server);
        await withDeadline(
          Promise.allSettled(shutdownHooks.map(async (fn) => fn())).then((results) => {
            for (const r of results) if (r.status === 'rejected') server.log.error({ err: r.reason }, 'shutdown hook failed');
          }),
          deadline,
        );
        // Streams end first: they would hold the server open; clients reconnect (elsewhere) without losing events.
        await listener?.stop();
        await hub.stop();
        await untilConnectionsClosed(server, lingerUntil);
        await drain(server, deadline);
        if (refusedAtShutdown > 0) server.log.info({ refused: refusedAtShutdown }, 'shutdown: requests arriving after the signal were answered 503');
        stopCounting();
        await sweeper.stop();
        await router.stop();
        await reportRefresher.stop();
        await webhooks.stop();
        await mail?.stop();
        await database.close();
      })());
    },
  };
}

const isUnreachable = (err: unknown) => (err instanceof DomainError && err.code === 'unavailable') || isDatabaseUnavailable(err);

/** Waits for `work`, or until `deadline` (epoch ms), whichever comes first. */
async function withDeadline(work: Promise<unknown>, deadline: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    work,
    new Promise((resolve) => {
      timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
    }),
  ]);
  clearTimeout(timer);
}

/**
 * No new connections (a proxy's connect fails and it tries another instance, whatever the method), but open
 * keep-alive ones stay: http.Server.close() would also close the idle ones at once, and a client sending its next
 * request just then finds the connection reset instead of answered. net.Server's close leaves them be.
 */
function stopListening(server: FastifyInstance) {
  if (server.server.listening) net.Server.prototype.close.call(server.server);
}

/**
 * Waits until the clients have closed their keep-alive connections, or until `until` (epoch ms): a request sent on
 * one meanwhile is answered 503 with `Connection: close`, which closes it cleanly.
 */
async function untilConnectionsClosed(server: FastifyInstance, until: number): Promise<void> {
  const open = () => new Promise<number>((resolve) => server.server.getConnections((err, n) => resolve(err ? 0 : n)));
  while (Date.now() < until && (await open()) > 0) await new Promise((resolve) => setTimeout(resolve, 50));
}

/**
 * Lets requests in flight finish (Fastify closes the idle keep-alive connections left; requests arriving meanwhile
 * get the operations hook's 503). A connection whose request finishes later is closed once
 * idle (its answer said `Connection: close`); at the deadline the connections still open are cut.
 */
async function drain(server: FastifyInstance, deadline: number): Promise<void> {
  const closed = server.close();
  const reaper = setInterval(() => server.server.closeIdleConnections(), 50);
  let timer: NodeJS.Timeout | undefined;
  const cut = new Promise<void>((resolve) => {
    timer = setTimeout(
      () => {
        server.log.warn('shutdown: requests still running at the deadline; closing their connections');
        server.server.closeAllConnections();
        resolve();
      },
      Math.max(0, deadline - Date.now()),
    );
  });
  await Promise.race([closed, cut]);
  clearTimeout(timer);
  await closed;
  clearInterval(reaper);
}
