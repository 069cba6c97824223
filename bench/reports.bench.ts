// npm run bench:reports: every report over a year of generated history (1,000,000 sessions by default,
// BENCH_REPORT_SESSIONS) on SQLite and PostgreSQL, through the whole pipeline in memory (inject), as an administrator.
// Prints a table of report × database with p50/p99 ms, and the load average (the machine may be shared), the time
// the facts take to be written (the backfill) and to be loaded into memory (the first report), and the memory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../src/app.ts';
import { hashPassword } from '../src/auth/passwords.ts';
import { loadConfig } from '../src/config.ts';
import { migrateToLatest, openDatabase } from '../src/storage/database.ts';
import { createPostgresDatabase } from '../test/helpers/databases.ts';
import { benchPlan, seedPostgres, seedSqlite } from './reports-seed.ts';

const SESSIONS = Number(process.env.BENCH_REPORT_SESSIONS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_REPORT_RUNS ?? 5);
const KINDS = (process.env.BENCH_REPORT_DATABASES ?? 'sqlite,postgres').split(',');
const DAYS = 365;
const NOW = new Date('2026-01-01T00:00:00Z');
const RANGE = { From: '2025-01-01', To: '2026-01-01' };

const REPORTS: Array<[string, string, Record<string, unknown>]> = [
  ['Summary (year)', 'Summary', RANGE],
  ['Periods by day (year)', 'Periods', { ...RANGE, Grouping: 'Day' }],
  ['Periods by month (year)', 'Periods', { ...RANGE, Grouping: 'Month' }],
  ['Periods by hour (one week)', 'Periods', { From: '2025-06-02', To: '2025-06-09', Grouping: 'Hour' }],
  ['Topics (year)', 'Topics', RANGE],
  ['Agents (year)', 'Agents', RANGE],
  ['Agents, one topic (year)', 'Agents', { ...RANGE, TopicIds: [7] }],
  ['BusiestHours (year)', 'BusiestHours', RANGE],
];

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const pct = (sorted: number[], p: number) => sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1];

async function database(kind: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-reports-'));
    return { url: `sqlite:${path.join(dir, 'bench.db')}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  return createPostgresDatabase(); // a throw-away database on DATABASE_URL_TEST's server, dropped afterwards
}

const rows: string[][] = [];
const copyMb: string[] = [];
for (const kind of KINDS) {
  const db = await database(kind);
  try {
    const opened = openDatabase(db.url);
    await migrateToLatest(opened.db);
    await opened.db
      .insertInto('associates')
      .values({
        id: 1,
        user_name: 'boss',
        full_name: 'Boss',
        password_hash: await hashPassword('Boss1'),
        is_admin: 1,
        credentials_changed: NOW.toISOString(),
      } as never)
      .execute();
    await opened.close();
    const seedStart = Date.now();
    const plan = benchPlan(SESSIONS, DAYS, NOW);
    const seeded = kind === 'sqlite' ? seedSqlite(db.url.slice('sqlite:'.length), plan) : await seedPostgres(db.url, plan);
    console.error(`${kind}: ${seeded} sessions seeded in ${((Date.now() - seedStart) / 1000).toFixed(0)} s (load ${load()})`);
    const config = loadConfig({
      DATABASE_URL: db.url,
      PARLEY_TIMEZONE: 'Europe/Oslo',
      PARLEY_SWEEP_SECONDS: '0',
      PARLEY_AUTH_CACHE_SECONDS: '600',
      // No background job: the backfill and the copy's load are each timed where this script asks for them.
      PARLEY_REPORT_REFRESH_SECONDS: '0',
    });
    const app = await createApp(config, { logger: false });
    try {
      // What migration 022 leaves to do on an existing database: every session queued once, its facts row to write.
      const backfill = performance.now();
      await app.store.reports.refresh();
      const ms = (performance.now() - backfill).toFixed(0);
      rows.push(['Facts of every session written (backfill, once)', kind, String(seeded), ms, ms, load()]);
      console.error(rows.at(-1)?.join(' | '));
      const headers = {
        authorization: `Basic ${Buffer.from('boss:Boss1').toString('base64')}`,
        'content-type': 'application/json',
        'so-timezone': 'Europe/Oslo',
      };
      // The first report after start reads every facts row into this instance's memory (typed arrays; the process's
      // array buffers also hold the driver's buffers not yet collected).
      const buffersBefore = process.memoryUsage().arrayBuffers;
      const first = performance.now();
      const res = await app.server.inject({ method: 'POST', url: '/api/v1/Parley/Reports/Summary', headers, payload: JSON.stringify(RANGE) });
      if (res.statusCode !== 200) throw new Error(`Summary: ${res.statusCode} ${res.body.slice(0, 200)}`);
      const firstMs = (performance.now() - first).toFixed(0);
      const grown = (process.memoryUsage().arrayBuffers - buffersBefore) / 1e6;
      copyMb.push(`${kind} ${(app.store.reports.held().bytes / 1e6).toFixed(0)} MB of arrays (the process's array buffers grew ${grown.toFixed(0)} MB)`);
      rows.push(['First report after start: facts loaded into memory (once)', kind, String(seeded), firstMs, firstMs, load()]);
      console.error(rows.at(-1)?.join(' | '), copyMb.at(-1));
      for (const [label, name, body] of REPORTS) {
        const times: number[] = [];
        for (let i = 0; i <= RUNS; i++) {
          const t = performance.now();
          const res = await app.server.inject({ method: 'POST', url: `/api/v1/Parley/Reports/${name}`, headers, payload: JSON.stringify(body) });
          if (res.statusCode !== 200) throw new Error(`${name}: ${res.statusCode} ${res.body.slice(0, 200)}`);
          if (i > 0) times.push(performance.now() - t); // the first run warms caches
        }
        times.sort((a, b) => a - b);
        rows.push([label, kind, String(seeded), pct(times, 50).toFixed(0), pct(times, 99).toFixed(0), load()]);
        console.error(rows.at(-1)?.join(' | '));
      }
    } finally {
      await app.close();
    }
  } finally {
    await db.drop();
  }
}

console.log(`\nReports over a year, ${RUNS} runs each after one warm-up, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? ''})\n`);
console.log('| report | database | sessions | p50 ms | p99 ms | load average (1, 5, 15 min) |');
console.log('|---|---|---:|---:|---:|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
console.log(`\nThe in-memory copy (parley_report_memory_bytes): ${copyMb.join('; ')}`);
