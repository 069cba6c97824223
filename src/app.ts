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
  close(): Promise<void>;
}

export const systemClock: Clock = { now: () => new Date() };
/** 256 random bits: a visitor's only credential must not be guessable. */
export const randomKeys: KeyGenerator = { sessionKey: () => randomBytes(32).toString('base64url') };

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
  const server = buildServer({ config, deps, auth, logger: overrides.logger ?? true, dataVersion: store.dataVersion });
  await server.ready();
  // One delivery loop per process, after commit and never on a request's path.
  const webhooks = new WebhookDispatcher(store, config.webhooks, server.log);
  webhooks.start();
  const sweeper = new Sweeper(deps, config.sweep, config.sweepSeconds, server.log);
  sweeper.start();
  return {
    config, database, store, auth, deps, server, webhooks, sweeper,
    async close() {
      await server.close();
      await sweeper.stop();
      await webhooks.stop();
      await database.close();
    },
  };
}
