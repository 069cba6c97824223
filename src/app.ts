// Wires Parley together: database, store, authenticator, domain dependencies and the HTTP server.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Authenticator } from './auth/authenticator.ts';
import type { Config } from './config.ts';
import type { Clock, DomainDeps, KeyGenerator } from './domain/ports.ts';
import { buildServer } from './http/server.ts';
import { migrateToLatest, openDatabase, type OpenDatabase } from './storage/database.ts';
import { createStore, type ParleyStore } from './storage/store.ts';
import { Sweeper } from './jobs/sweeper.ts';
import { PgEventListener } from './push/pg-listener.ts';
import { PushHub } from './push/push-hub.ts';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher.ts';

export interface App {
  config: Config;
  database: OpenDatabase;
  store: ParleyStore;
  auth: Authenticator;
  deps: DomainDeps;
  server: FastifyInstance;
  webhooks: WebhookDispatcher;
  sweeper: Sweeper;
  hub: PushHub;
  close(): Promise<void>;
}

export const systemClock: Clock = { now: () => new Date() };
/** 256 random bits: a visitor's only credential must not be guessable. */
export const randomKeys: KeyGenerator = { sessionKey: () => randomBytes(32).toString('base64url') };

/** Push counters; the metrics module replaces these no-ops when it is wired in. */
const pushCounters = { delivered: (_n: number) => {}, opened: (_k: string) => {}, closed: (_k: string) => {} };

export interface AppOverrides { clock?: Clock; keys?: KeyGenerator; logger?: boolean }

export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const database = openDatabase(config.databaseUrl);
  await migrateToLatest(database.db);
  const store = createStore(database.db, database.kind);
  const clock = overrides.clock ?? systemClock;
  const auth = new Authenticator(store, config.auth, clock);
  const deps: DomainDeps = {
    store, clock, keys: overrides.keys ?? randomKeys, recentSessionHours: config.recentSessionHours, defaultTimeZone: config.timeZone,
  };
  // Push: committed events fan out to open streams; other instances' commits arrive through PostgreSQL NOTIFY.
  let logError: (err: unknown) => void = () => {};
  const hub = new PushHub(store, pushCounters, config.pushHeartbeatSeconds, (err) => logError(err));
  const server = buildServer({ config, deps, auth, logger: overrides.logger ?? true, dataVersion: store.dataVersion, hub });
  logError = (err) => server.log.error({ err }, 'push');
  await server.ready();
  await hub.start();
  store.onEventsCommitted(() => hub.wake());
  const listener = database.kind === 'postgres' ? new PgEventListener(config.databaseUrl, () => hub.wake(), logError) : undefined;
  await listener?.start();
  // One delivery loop per process, after commit and never on a request's path.
  const webhooks = new WebhookDispatcher(store, config.webhooks, server.log);
  webhooks.start();
  const sweeper = new Sweeper(deps, config.sweep, config.sweepSeconds, server.log);
  sweeper.start();
  return {
    config, database, store, auth, deps, server, webhooks, sweeper, hub,
    async close() {
      // Streams end first: they would hold the server open; clients reconnect (elsewhere) without losing events.
      await listener?.stop();
      await hub.stop();
      await server.close();
      await sweeper.stop();
      await webhooks.stop();
      await database.close();
    },
  };
}
