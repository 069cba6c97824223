// bench:routing: chats arriving at a steady pace to topics routed automatically (assign, capacity 3), customers
// ending each chat some seconds after it was answered, on SQLite with one instance and on PostgreSQL with two
// instances. Prints chats assigned, the time from queue to assignment (p50/p99, from the servers' own
// chatsession.assigned events), the highest number of chats any agent had at once against their capacity (exact:
// computed from every session's start and end), and double assignments (sessions assigned more than once).
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { ChatSessionStatus as S } from '../src/domain/enums.ts';
import { defaultRoutingSettings } from '../src/domain/routing/routing.ts';
import { openDatabase } from '../src/storage/database.ts';
import { createStore } from '../src/storage/store.ts';
import { createPostgresDatabase, postgresAvailable, type TestDatabase } from '../test/helpers/databases.ts';
import { seedTopicAgents } from './agents.ts';
import { postJson, type Server, serverProcesses, startServer, stopServer } from './servers.ts';

const CHATS = Number(process.env.BENCH_ROUTING_CHATS ?? 1000);
const SECONDS = Number(process.env.BENCH_ROUTING_SECONDS ?? 60);
const TOPICS = Number(process.env.BENCH_ROUTING_TOPICS ?? 10);
const AGENTS = Number(process.env.BENCH_ROUTING_AGENTS ?? 100);
const CAPACITY = Number(process.env.BENCH_ROUTING_CAPACITY ?? 3);
/**
 * How long a chat lasts after it was answered (uniform between the two; then the customer ends it): with room to
 * spare (about 170 chats at once for 300 places: the wait is routing's own latency), and over capacity (about 500
 * chats wanted at once: chats queue for a place, and capacity is tested at its limit).
 */
const SCENARIOS = (
  [
    { name: 'room to spare', chatSeconds: [5, 15] },
    { name: 'over capacity', chatSeconds: [20, 40] },
  ] satisfies Array<{ name: string; chatSeconds: [number, number] }>
).filter((s) => !process.env.BENCH_ROUTING_SCENARIOS || process.env.BENCH_ROUTING_SCENARIOS.split(',').includes(s.name.split(' ')[0]));
const PG_INSTANCES = Number(process.env.BENCH_ROUTING_PG_INSTANCES ?? 2);
const RUNS = (process.env.BENCH_ROUTING_RUNS ?? 'sqlite,postgres').split(',').map((s) => s.trim());

const databases = new Set<TestDatabase>();
const tempDirs = new Set<string>();
async function cleanUp() {
  for (const c of serverProcesses) c.kill('SIGKILL');
  for (const d of databases) await d.drop().catch(() => {});
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanUp().then(() => process.exit(130)));

/**
 * bench/agents.ts's topics and agents (agent i responds in topic i % TOPICS), routed automatically, with a tenth of
 * the agents responding in a second topic too.
 */
async function seed(url: string): Promise<number[]> {
  const { topicIds, topicOf } = await seedTopicAgents(url, AGENTS, TOPICS);
  const opened = openDatabase(url);
  const store = createStore(opened.db, opened.kind);
  for (const topicId of topicIds) {
    await store.routingSettings.save({
      ...defaultRoutingSettings(topicId),
      mode: 'auto',
      defaultCapacity: CAPACITY,
      pickUpOverCapacity: false,
    });
  }
  const agents = await opened.db.selectFrom('associates').select(['id', 'user_name']).where('user_name', 'like', 'bench%').execute();
  const idOf = new Map(agents.map((a) => [a.user_name, Number(a.id)]));
  const second = topicOf.flatMap((t, i) =>
    i % 10 === 0
      ? [{ topic_id: topicIds[(t + 1) % TOPICS], associate_id: idOf.get(`bench${i}`) as number, can_listen: 0, can_respond: 1, can_manage: 0, can_notify: 0 }]
      : [],
  );
  if (second.length) await opened.db.insertInto('chat_topic_agents').values(second).execute();
  await opened.close();
  return topicIds;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : Number.NaN;

interface Row {
  label: string;
  arrived: number;
  assigned: number;
  p50: number;
  p99: number;
  peak: number;
  doubles: number;
  overCapacity: number;
}

async function run(label: string, databaseUrl: string, instances: number, chatSeconds: [number, number]): Promise<Row> {
  const topicIds = await seed(databaseUrl);
  const servers: Server[] = [];
  for (let i = 0; i < instances; i++) servers.push(await startServer(databaseUrl, { env: { PARLEY_SWEEP_SECONDS: '0' } }));
  const agents = servers.map(() => new http.Agent({ keepAlive: true, maxSockets: 32 }));
  const reader = openDatabase(databaseUrl);
  const keys = new Map<number, { key: string; server: number }>();
  const ending = new Set<number>();
  let arrived = 0;
  let failed = 0;
  // Customers end their chats some seconds after they were answered: polled from the database every 200 ms.
  const ender = setInterval(async () => {
    const started = await reader.db.selectFrom('chat_sessions').select(['id', 'when_started']).where('status', 'in', [S.CustomerLast, S.UserLast]).execute();
    for (const s of started) {
      if (ending.has(s.id) || !keys.has(s.id)) continue;
      ending.add(s.id);
      const k = keys.get(s.id)!;
      const lasts = (chatSeconds[0] + Math.random() * (chatSeconds[1] - chatSeconds[0])) * 1000;
      const left = new Date(String(s.when_started)).getTime() + lasts - Date.now();
      setTimeout(
        () => void postJson(agents[k.server], servers[k.server].port, '/api/v1/Visitor/End', { 'x-session-key': k.key }, {}).catch(() => {}),
        Math.max(0, left),
      );
    }
  }, 200);
  const t0 = Date.now();
  const interval = (SECONDS * 1000) / CHATS;
  for (let n = 0; n < CHATS; n++) {
    const due = t0 + n * interval;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    const server = n % instances;
    void postJson(
      agents[server],
      servers[server].port,
      '/api/v1/Visitor/OpenSession',
      {},
      { ChatTopicId: topicIds[n % TOPICS], Consented: true, Message: `Chat ${n}` },
    ).then(
      (r) => {
        if (r.status !== 200) return void failed++;
        arrived++;
        keys.set(r.json.Session.ChatSessionId, { key: r.json.SessionKey, server });
      },
      () => void failed++,
    );
  }
  // Let the last arrivals be routed (every chat ends within 40 s of being answered at most, freeing room).
  for (let i = 0; i < 1200; i++) {
    const queued = await reader.db.selectFrom('chat_sessions').select('id').where('status', '=', S.InQueue).limit(1).execute();
    if (!queued.length && arrived + failed >= CHATS) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  clearInterval(ender);
  const events = await reader.db.selectFrom('outbox_events').select(['session_id', 'payload']).where('type', '=', 'chatsession.assigned').execute();
  const waits = events.map((e) => JSON.parse(String(e.payload)).waitSeconds * 1000).sort((a, b) => a - b);
  const perSession = new Map<number, number>();
  for (const e of events) perSession.set(Number(e.session_id), (perSession.get(Number(e.session_id)) ?? 0) + 1);
  // The most chats any agent had at once: each session's start and end (or now), swept in time order.
  const sessions = await reader.db.selectFrom('chat_sessions').select(['user_id', 'when_started', 'when_ended']).where('user_id', 'is not', null).execute();
  const points = new Map<number, Array<[number, number]>>();
  for (const s of sessions) {
    if (!s.when_started) continue;
    const list = points.get(Number(s.user_id)) ?? [];
    list.push([new Date(String(s.when_started)).getTime(), +1]);
    list.push([s.when_ended ? new Date(String(s.when_ended)).getTime() : Number.POSITIVE_INFINITY, -1]);
    points.set(Number(s.user_id), list);
  }
  let peak = 0;
  let overCapacity = 0;
  for (const list of points.values()) {
    list.sort((a, b) => a[0] - b[0] || a[1] - b[1]); // an end before a start at the same instant
    let now = 0;
    let high = 0;
    for (const [, d] of list) high = Math.max(high, (now += d));
    peak = Math.max(peak, high);
    if (high > CAPACITY) overCapacity++;
  }
  await reader.close();
  for (const s of servers) await stopServer(s);
  for (const a of agents) a.destroy();
  if (failed) console.error(`[${label}] ${failed} arrivals failed`);
  return {
    label,
    arrived,
    assigned: perSession.size,
    p50: percentile(waits, 50),
    p99: percentile(waits, 99),
    peak,
    doubles: [...perSession.values()].filter((n) => n > 1).length,
    overCapacity,
  };
}

const rows: Row[] = [];
const pgAvailable = RUNS.includes('postgres') && (await postgresAvailable());
if (RUNS.includes('postgres') && !pgAvailable) console.error('PostgreSQL is not reachable: its runs are left out');
for (const scenario of SCENARIOS) {
  const label = (db: string) => `${db}, ${scenario.name} (chats last ${scenario.chatSeconds.join('-')} s)`;
  if (RUNS.includes('sqlite')) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-routing-'));
    tempDirs.add(dir);
    rows.push(await run(label('SQLite, 1 instance'), `sqlite:${path.join(dir, 'parley.db')}`, 1, scenario.chatSeconds));
  }
  if (pgAvailable) {
    const db = await createPostgresDatabase();
    databases.add(db);
    rows.push(await run(label(`PostgreSQL, ${PG_INSTANCES} instance${PG_INSTANCES === 1 ? '' : 's'}`), db.url, PG_INSTANCES, scenario.chatSeconds));
  }
}
await cleanUp();

const load = os
  .loadavg()
  .map((l) => l.toFixed(2))
  .join(' ');
console.log(`\n${CHATS} chats over ${SECONDS} s to ${TOPICS} topics, ${AGENTS} agents (capacity ${CAPACITY}), ${os.cpus().length} cores, load ${load}\n`);
console.log('| run | chats arrived | assigned | queue → assigned p50 ms | p99 ms | highest load / capacity | agents over capacity | double assignments |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(
    `| ${r.label} | ${r.arrived} | ${r.assigned} | ${r.p50.toFixed(0)} | ${r.p99.toFixed(0)} | ${r.peak} / ${CAPACITY} | ${r.overCapacity} | ${r.doubles} |`,
  );
}
process.exit(rows.some((r) => r.overCapacity > 0 || r.doubles > 0) ? 1 : 0);
