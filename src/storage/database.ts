// Opens the database named by DATABASE_URL (SQLite file or PostgreSQL) and brings its schema up to date.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, type Migration } from 'kysely';
import { DomainError } from '../domain/errors.ts';
import { isConnectionLost, isDatabaseUnavailable } from './dialect.ts';
import type { Database } from './schema.ts';
import { OutageWatch } from './outage-watch.ts';
import { BUSY_SLICE_MS, WaitingSqliteDialect } from './sqlite-driver.ts';
import * as initial from './migrations/001-initial.ts';
import * as dataVersion from './migrations/002-data-version.ts';
import * as lifeCycle from './migrations/003-life-cycle.ts';
import * as visitor from './migrations/004-visitor.ts';
import * as push from './migrations/005-push.ts';
import * as versionSlots from './migrations/006-version-slots.ts';
import * as sweeperIndexes from './migrations/007-sweeper-indexes.ts';
import * as mail from './migrations/012-mail.ts';
import * as sessionKeyDigest from './migrations/013-session-key-digest.ts';
import * as audit from './migrations/014-audit.ts';
import * as singleSignOn from './migrations/015-single-sign-on.ts';
import * as agentWorkspace from './migrations/016-agent-workspace.ts';
import * as visitorContext from './migrations/017-visitor-context.ts';
import * as attachments from './migrations/018-attachments.ts';
import * as routing from './migrations/019-routing.ts';
import * as reportIndexes from './migrations/020-report-indexes.ts';
import * as scopeVersions from './migrations/021-scope-versions.ts';
import * as reportFacts from './migrations/022-report-facts.ts';
import * as sessionRowVersion from './migrations/023-session-row-version.ts';
import * as reportChanges from './migrations/024-report-changes.ts';

export type DatabaseKind = 'sqlite' | 'postgres';
export interface OpenDatabase {
  db: Kysely<Database>;
  kind: DatabaseKind;
  close(): Promise<void>;
  /** Notes when the database stops and starts answering (PostgreSQL); logs once per outage. */
  outages: OutageWatch;
}

const migrations: Record<string, Migration> = {
  '001-initial': initial,
  '002-data-version': dataVersion,
  '003-life-cycle': lifeCycle,
  '004-visitor': visitor,
  '005-push': push,
  '006-version-slots': versionSlots,
  '007-sweeper-indexes': sweeperIndexes,
  '012-mail': mail,
  '013-session-key-digest': sessionKeyDigest,
  '014-audit': audit,
  '015-single-sign-on': singleSignOn,
  '016-agent-workspace': agentWorkspace,
  '017-visitor-context': visitorContext,
  '018-attachments': attachments,
  '019-routing': routing,
  '020-report-indexes': reportIndexes,
  '021-scope-versions': scopeVersions,
  '022-report-facts': reportFacts,
  '023-session-row-version': sessionRowVersion,
  '024-report-changes': reportChanges,
};

export function openDatabase(
  url: string,
  options: { poolSize?: number; connectMs?: number; statementMs?: number; sqliteBusyWaitMs?: number } = {},
): OpenDatabase {
  if (/^postgres(ql)?:\/\//.test(url)) {
    // int8 counts come back as strings by default; ours fit in a JS number.
    pg.types.setTypeParser(20, (v) => Number(v));
    // A silent database must not hold callers without end: connecting (or waiting for a free pooled connection) and
    // each statement are bounded; the client side (query_timeout) also ends a statement whose answer never arrives.
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectMs,
      statement_timeout: options.statementMs,
      // No JIT: Parley's statements are short, and the JIT can take far longer to compile them than to run them
      // (it once took 25 s over a report's period CASEs that ran in 0.2 s).
      options: '-c jit=off',
      query_timeout: options.statementMs && options.statementMs + 1000,
    });
    // An idle connection the server ends (restart, failover, pg_terminate_backend) is reported here; without a
    // listener the 'error' event would crash the process. The pool drops that connection and opens a new one.
    pool.on('error', () => {});
    // A connection checked out when it ends (a long webhook delivery, a poll, an advisory lock) reports on the client
    // itself: unheard, that 'error' would exit the process (every instance at once on a PostgreSQL restart). The
    // query in flight fails on its own; the pool does not reuse the broken client once it is released.
    pool.on('connect', (client) => {
      client.on('error', () => {});
    });
    const outages = new OutageWatch();
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: reportingUnavailable(pool, outages) }) });
    return { db, kind: 'postgres', close: () => db.destroy(), outages };
  }
  const file = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  if (file !== ':memory:') createPrivately(file);
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${BUSY_SLICE_MS}`);
  const db = new Kysely<Database>({ dialect: new WaitingSqliteDialect({ database: withStatementCache(sqlite) }, options.sqliteBusyWaitMs ?? 10_000) });
  return { db, kind: 'sqlite', close: () => db.destroy(), outages: new OutageWatch() };
}

/**
 * The pool as Kysely sees it, with the failures of an unreachable or silent database turned into one domain error
 * (the API answers 503 with Retry-After), whichever query met them, and told to `outages`.
 */
function reportingUnavailable(pool: pg.Pool, outages: OutageWatch): pg.Pool {
  const unavailable = (err: unknown) => {
    if (!isDatabaseUnavailable(err)) return err;
    outages.failed(err);
    return new DomainError('unavailable', 'The database is not reachable just now; try again shortly', { cause: err });
  };
  type Query = (text: string, values?: unknown[]) => Promise<pg.QueryResult>;
  const connect = pool.connect.bind(pool);
  /** A read outside a transaction whose connection was lost runs once more on a fresh one: it changes nothing. */
  const readAgain = async (text: string, values?: unknown[]) => {
    const fresh = await connect();
    try {
      return await fresh.query(text, values);
    } finally {
      fresh.release();
    }
  };
  const wrapped = new WeakSet<pg.PoolClient>(); // the pool hands the same clients out again: wrap each once
  return new Proxy(pool, {
    get(target, prop, receiver) {
      if (prop !== 'connect') return Reflect.get(target, prop, receiver);
      return async () => {
        const client = await connect().catch((err: unknown) => {
          throw unavailable(err);
        });
        if (!wrapped.has(client)) {
          wrapped.add(client);
          const query = client.query.bind(client) as Query;
          let inTransaction = false; // Kysely opens and ends its transactions with these plain statements
          (client as unknown as { query: Query }).query = async (text, values) => {
            const verb = /^\s*(\w+)/.exec(text)?.[1]?.toLowerCase();
            try {
              const result = await query(text, values).catch((err: unknown) => {
                if (verb === 'select' && !inTransaction && isConnectionLost(err)) return readAgain(text, values);
                throw err;
              });
              if (verb === 'begin' || verb === 'start') inTransaction = true;
              else if (verb === 'commit' || verb === 'rollback') inTransaction = false;
              if (outages.down) outages.answered();
              return result;
            } catch (err) {
              if (verb === 'commit' || verb === 'rollback') inTransaction = false;
              throw unavailable(err);
            }
          };
        }
        return client;
      };
    },
  });
}

/**
 * The file holds password hashes and every conversation: a new one is readable by Parley's user only (SQLite gives
 * its -wal and -shm files the database file's permissions).
 */
function createPrivately(file: string) {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  if (fs.existsSync(file)) return;
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  fs.chmodSync(file, 0o600); // whatever the umask took away or left
}

/**
 * Kysely prepares every statement anew; preparing costs more than running our small indexed queries, so
 * prepared statements are kept by SQL text (the texts are few: values are bound, never inlined).
 */
function withStatementCache(sqlite: SQLite.Database): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = sqlite.prepare.bind(sqlite);
  return new Proxy(sqlite, {
    get(target, prop, receiver) {
      if (prop !== 'prepare') return Reflect.get(target, prop, receiver);
      return (source: string) => {
        let stmt = cache.get(source);
        if (!stmt) {
          stmt = prepare(source);
          if (cache.size >= 1000) cache.clear();
          cache.set(source, stmt);
        }
        return stmt;
      };
    },
  });
}

// Migrations, and the functions that run them, take Kysely<any>: each migration runs against the schema of its own
// time, which today's Database type does not describe (Kysely's documented pattern).

/** Applies pending migrations; returns the names applied. */
// biome-ignore lint/suspicious/noExplicitAny: migrations run on the schema of their time (see above)
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Applies the migrations up to and including `name` (tests of a migration start from the schema before it). */
// biome-ignore lint/suspicious/noExplicitAny: migrations run on the schema of their time (see above)
export async function migrateTo(db: Kysely<any>, name: string): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error } = await migrator.migrateTo(name);
  if (error) throw error;
}

/** True when every known migration has been applied (used by readiness checks and `serve`). */
// biome-ignore lint/suspicious/noExplicitAny: migrations run on the schema of their time (see above)
export async function isMigrated(db: Kysely<any>): Promise<boolean> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const all = await migrator.getMigrations();
  return all.every((m) => m.executedAt !== undefined);
}
