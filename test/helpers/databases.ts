// The databases every storage and API test runs on: SQLite always; PostgreSQL when reachable (required under CI).
// Each PostgreSQL test database is created fresh and dropped afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const PG_ADMIN_URL = process.env.DATABASE_URL_TEST ?? 'postgres://postgres@127.0.0.1:5432/test';

let pgAvailable: Promise<boolean> | undefined;
export function postgresAvailable(): Promise<boolean> {
  return (pgAvailable ??= (async () => {
    const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  })());
}

export interface TestDatabase {
  kind: 'sqlite' | 'postgres';
  url: string;
  drop(): Promise<void>;
}

export async function createPostgresDatabase(): Promise<TestDatabase> {
  const name = `parley_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    kind: 'postgres',
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export const sqliteMemory = (): TestDatabase => ({ kind: 'sqlite', url: 'sqlite::memory:', drop: async () => {} });

/**
 * The kinds to run a suite on. PostgreSQL missing: a failure under CI=true, a visible skip locally.
 * Set PARLEY_TEST_DATABASES=sqlite or =postgres to run one kind only.
 */
export async function databaseKinds(): Promise<Array<{ kind: 'sqlite' | 'postgres'; skip: string | false }>> {
  const only = process.env.PARLEY_TEST_DATABASES;
  const kinds: Array<{ kind: 'sqlite' | 'postgres'; skip: string | false }> = [];
  if (!only || only === 'sqlite') kinds.push({ kind: 'sqlite', skip: false });
  if (!only || only === 'postgres') {
    const ok = await postgresAvailable();
    if (!ok && process.env.CI === 'true') throw new Error(`PostgreSQL is required under CI but ${PG_ADMIN_URL} is not reachable`);
    kinds.push({ kind: 'postgres', skip: ok ? false : `PostgreSQL not reachable at ${PG_ADMIN_URL}` });
  }
  return kinds;
}

export const openTestDatabase = (kind: 'sqlite' | 'postgres') => (kind === 'sqlite' ? Promise.resolve(sqliteMemory()) : createPostgresDatabase());
