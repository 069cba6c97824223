// npm run bench:push: 2,000 agent push connections while visitors post 200 messages per second for 30 s, on SQLite
// (one instance), on PostgreSQL with one instance (the database's cost) and with two instances (connections and posts
// split across them: the second instance's cost). Measures, per run:
// posts per second achieved, delivery latency from the POST being sent to the frame arriving (p50/p99, on 50
// sampled connections), events lost (deliveries expected minus frames received over every connection; must be 0)
// and server memory per connection (RSS growth of the Parley processes while the connections open, from `ps`).
//
// Topology: every connection is its own agent (an API token each, so 2,000 distinct viewers); agents are split
// evenly over TOPICS topics, and the visitor sessions over the same topics, so a message reaches the agents of its
// topic (BENCH_PUSH_FANOUT of them, 100 by default: 20,000 deliveries per second at 200 posts per second).
// BENCH_PUSH_FANOUT=2000 puts everyone in one topic (every message to every connection).
//
// Knobs: BENCH_PUSH_SECONDS (30), BENCH_PUSH_CONNECTIONS (2000), BENCH_PUSH_RATE (200), BENCH_PUSH_FANOUT (100),
// BENCH_PUSH_VISITORS (20), BENCH_PUSH_PG_INSTANCES (2), BENCH_PUSH_WARMUP_SECONDS (3, at full rate, not counted), BENCH_PUSH_RUNS (sqlite,postgres1,postgres: postgres1 is one instance, postgres BENCH_PUSH_PG_INSTANCES), BENCH_PUSH_SERVER_NODE_ARGS (node flags for the
// servers, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"). PostgreSQL: DATABASE_URL_TEST (as the tests).
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { cpuSeconds, metric, seedTopicAgents } from './agents.ts';
import { postJson, type Server, serverProcesses, startServer, stopServer } from './servers.ts';
import { createPostgresDatabase, PG_ADMIN_URL, postgresAvailable, type TestDatabase } from '../test/helpers/databases.ts';

const SECONDS = Number(process.env.BENCH_PUSH_SECONDS ?? 30);
const CONNECTIONS = Number(process.env.BENCH_PUSH_CONNECTIONS ?? 2000);
const RATE = Number(process.env.BENCH_PUSH_RATE ?? 200);
const FANOUT = Math.min(CONNECTIONS, Number(process.env.BENCH_PUSH_FANOUT ?? 100));
const VISITORS = Number(process.env.BENCH_PUSH_VISITORS ?? 20);
const RUNS = (process.env.BENCH_PUSH_RUNS ?? 'sqlite,postgres1,postgres')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const PG_INSTANCES = Number(process.env.BENCH_PUSH_PG_INSTANCES ?? 2);
const TOPICS = Math.max(1, Math.round(CONNECTIONS / FANOUT));
const SAMPLED = 50;
const WARMUP_SECONDS = Number(process.env.BENCH_PUSH_WARMUP_SECONDS ?? 3);
const DRAIN_MS = 15_000;
/** Post to frame, at the rate and connections above, on every run (issue 13: two PostgreSQL instances included). */
const P99_TARGET_MS = 250;
const SERVER_NODE_ARGS = (process.env.BENCH_PUSH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean); // e.g. --cpu-prof
const MARK = 'bench-msg-';

// ---------------------------------------------------------------------------------------------------------------
// Limits and clean-up

function checkFileLimit() {
  const raw = execSync('ulimit -n', { shell: '/bin/sh', encoding: 'utf8' }).trim();
  const limit = raw === 'unlimited' ? Infinity : Number(raw);
  const needed = CONNECTIONS + 256;
  if (!(limit >= needed)) {
    console.error(
      `bench:push needs ${needed} file descriptors per process (${CONNECTIONS} connections plus headroom), ` +
        `but 'ulimit -n' is ${raw}. Raise it for this shell only (ulimit -n ${needed}) or set BENCH_PUSH_CONNECTIONS lower.`,
    );
    process.exit(1);
  }
  return raw;
}

const databases = new Set<TestDatabase>();
const tempDirs = new Set<string>();
let cleaning: Promise<void> | undefined;
function cleanUp(): Promise<void> {
  return (cleaning ??= (async () => {
    for (const c of serverProcesses) c.kill('SIGKILL');
    for (const d of databases) await d.drop().catch((err) => console.error(`could not drop a bench database: ${err}`));
    for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
  })());
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanUp().then(() => process.exit(130)));
}

// ---------------------------------------------------------------------------------------------------------------
// Seed: topics, one agent (with an API token) per connection, memberships

// ---------------------------------------------------------------------------------------------------------------
// Servers

const rssKb = (pid: number) => Number(execSync(`ps -o rss= -p ${pid}`, { encoding: 'utf8' }).trim());

// ---------------------------------------------------------------------------------------------------------------
// Clients: a bare socket per connection and a minimal frame reader (count, and time sampled arrivals)

interface Conn {
  socket: net.Socket;
  topic: number;
  received: number;
  resyncs: number;
  ended: boolean;
  rest: Buffer | undefined;
}

const sentAt: number[] = [];
const latencies: number[] = [];
/** POST sent → its answer, per counted post: the write's own share of the delivery latency. */
const postTimes: number[] = [];
/** Per sample: seconds into the load when the message was sent (for BENCH_PUSH_TRACE's per-second view). */
const sentSecond: number[] = [];
let loadStarted = 0;
let closing = false;
let dropped = 0;

// Bytes, not text: frames are found and classified with Buffer searches, and only sampled arrivals decode anything.
const FRAME_END = Buffer.from('\n\n');
const EVENT_MESSAGE = Buffer.from('\nevent: message.added\n');
const EVENT_RESYNC = Buffer.from('\nevent: resync\n');
const MARK_BYTES = Buffer.from(MARK);

function onFrame(conn: Conn, frame: Buffer, sampled: boolean) {
  if (frame.indexOf(EVENT_MESSAGE) < 0) {
    if (frame.indexOf(EVENT_RESYNC) >= 0) conn.resyncs++;
    return; // comments, heartbeats, other events
  }
  const m = frame.lastIndexOf(MARK_BYTES);
  if (m < 0) return;
  conn.received++;
  if (sampled) {
    const now = performance.now();
    let seq = 0;
    for (let i = m + MARK_BYTES.length; frame[i] >= 48 && frame[i] <= 57; i++) seq = seq * 10 + frame[i] - 48;
    latencies.push(now - sentAt[seq]);
    sentSecond.push(Math.floor((sentAt[seq] - loadStarted) / 1000));
  }
}

/**
 * One push connection over a bare TCP socket: the request is written by hand and the answer read as bytes. The
 * HTTP chunk-size lines between frames never contain a blank line, so frames are found by their blank line alone;
 * each frame is one chunk (one write on the server). No HTTP parser or stream machinery runs per chunk, which keeps
 * 2,000 connections cheap for the client.
 */
function connect(port: number, token: string, topic: number, sampled: boolean): Promise<Conn> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const conn: Conn = { socket, topic, received: 0, resyncs: 0, ended: false, rest: undefined };
    let head: Buffer | undefined = Buffer.alloc(0);
    socket.on('connect', () => {
      socket.write(`GET /api/v1/Push/Agent HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\nAccept: text/event-stream\r\n\r\n`);
    });
    socket.on('data', (chunk: Buffer) => {
      let buf = chunk;
      if (head) {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        const status = head.subarray(0, head.indexOf('\r\n')).toString();
        if (!/^HTTP\/1\.1 200 /.test(status)) {
          socket.destroy();
          reject(new Error(`push connection answered ${status}`));
          return;
        }
        buf = head.subarray(end + 4);
        head = undefined;
        resolve(conn);
      }
      if (conn.rest) buf = Buffer.concat([conn.rest, buf]);
      let start = 0;
      for (let i = buf.indexOf(FRAME_END); i >= 0; i = buf.indexOf(FRAME_END, start)) {
        onFrame(conn, buf.subarray(start, i + 1), sampled);
        start = i + 2;
      }
      conn.rest = start < buf.length ? Buffer.from(buf.subarray(start)) : undefined;
    });
    const gone = () => {
      if (conn.ended) return;
      conn.ended = true;
      if (!closing && !head) dropped++;
    };
    socket.on('end', gone);
    socket.on('close', gone);
    socket.on('error', (err) => {
      gone();
      if (head) reject(err);
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// One run

interface Row {
  label: string;
  instances: number;
  connections: number;
  posted: number;
  failed: number;
  rate: number;
  deliveriesPerSecond: number;
  p50: number;
  p99: number;
  postP50: number;
  postP99: number;
  max: number;
  samples: number;
  expected: number;
  received: number;
  lost: number;
  resyncs: number;
  dropped: number;
  serverDelivered: number;
  kbPerConnection: number;
  peakRssMb: number;
  /** CPU used during the load, in % of one core: each server, and this client. */
  serverCpu: number[];
  clientCpu: number;
}

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);

async function run(label: string, databaseUrl: string, instances: number): Promise<Row> {
  sentAt.length = 0;
  latencies.length = 0;
  postTimes.length = 0;
  sentSecond.length = 0;
  closing = false;
  dropped = 0;
  const t0 = Date.now();
  const seeded = await seedTopicAgents(databaseUrl, CONNECTIONS, TOPICS);
  console.error(`[${label}] seeded ${TOPICS} topics, ${CONNECTIONS} agents with tokens in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  // One after the other: each runs the (already applied) migrations on start.
  const servers: Server[] = [];
  for (let i = 0; i < instances; i++) servers.push(await startServer(databaseUrl, { nodeArgs: SERVER_NODE_ARGS }));
  const posters = servers.map(() => new http.Agent({ keepAlive: true, maxSockets: 64 }));

  // Visitor sessions over the topics, each answered by an agent of its topic, so the chats are live.
  const visitors: Array<{ key: string; topic: number; server: number }> = [];
  for (let v = 0; v < VISITORS; v++) {
    const topic = v % TOPICS;
    const server = v % instances;
    const opened = await postJson(
      posters[server],
      servers[server].port,
      '/api/v1/Visitor/OpenSession',
      {},
      { ChatTopicId: seeded.topicIds[topic], Consented: true, Message: 'hello' },
    );
    if (opened.status !== 200) throw new Error(`OpenSession answered ${opened.status}: ${JSON.stringify(opened.json)}`);
    const agentIndex = seeded.topicOf.indexOf(topic);
    const picked = await postJson(
      posters[server],
      servers[server].port,
      '/api/v1/Agents/Chat/PickUpChatSession',
      { authorization: `Bearer ${seeded.tokens[agentIndex]}`, accept: 'application/json' },
      { ChatSessionId: opened.json.Session.ChatSessionId },
    );
    if (picked.status !== 200 || !picked.json) throw new Error(`PickUpChatSession answered ${picked.status}`);
    visitors.push({ key: opened.json.SessionKey, topic, server });
  }
  await new Promise((r) => setTimeout(r, 1000));
  const rssBefore = servers.map((s) => rssKb(s.child.pid!));

  // Connections: split over the instances, opened 100 at a time.
  const t1 = Date.now();
  const conns: Conn[] = new Array(CONNECTIONS);
  for (let i = 0; i < CONNECTIONS; i += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, CONNECTIONS - i) }, async (_, j) => {
        const c = i + j;
        // Every topic has agents on every instance (topic c % TOPICS, instance by the block of TOPICS c is in), so
        // posts through one instance reach streams on the others.
        conns[c] = await connect(servers[Math.floor(c / TOPICS) % instances].port, seeded.tokens[c], seeded.topicOf[c], c < SAMPLED);
      }),
    );
  }
  const attached = async () => (await Promise.all(servers.map((s) => metric(s.port, 'parley_push_connections')))).reduce((a, b) => a + b, 0);
  for (let i = 0; i < 100 && (await attached()) < CONNECTIONS; i++) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 2000));
  const rssAfter = servers.map((s) => rssKb(s.child.pid!));
  console.error(`[${label}] ${CONNECTIONS} connections open in ${((Date.now() - t1) / 1000).toFixed(1)} s (${await attached()} attached)`);

  // The load: RATE posts per second, round-robin over the visitor sessions, each through its session's instance.
  // A warm-up at the same rate first (JIT, caches, pools), not counted.
  const receiversOf = Array.from({ length: TOPICS }, (_, t) => seeded.topicOf.filter((x) => x === t).length);
  let posted = 0;
  let failed = 0;
  let inFlight = 0;
  let expected = 0;
  let seq = 0;
  let warmupSeq = 0;
  // A widget sends its visitor's next message once the previous one was answered: each session posts one at a time,
  // messages due meanwhile wait their turn (and count against the achieved rate, not as lost).
  const busy = visitors.map(() => false);
  const waiting: number[][] = visitors.map(() => []);
  const send = (vi: number, n: number, counted: boolean) => {
    const v = visitors[vi];
    busy[vi] = true;
    if (counted) sentAt[n] = performance.now();
    inFlight++;
    postJson(
      posters[v.server],
      servers[v.server].port,
      '/api/v1/Visitor/PostMessage',
      { 'x-session-key': v.key },
      { Message: `${counted ? MARK : 'warm-up-'}${n}-end: is there any news about my order? It was placed last week.` },
    )
      .then(
        (r) => {
          if (!counted) return;
          if (r.status === 200) {
            posted++;
            postTimes.push(performance.now() - sentAt[n]);
            expected += receiversOf[v.topic];
          } else {
            failed++;
          }
        },
        () => {
          if (counted) failed++;
        },
      )
      .finally(() => {
        inFlight--;
        busy[vi] = false;
        const next = waiting[vi].shift();
        if (next !== undefined) send(vi, next, counted);
      });
  };
  const drive = (seconds: number, counted: boolean) =>
    new Promise<void>((resolve) => {
      const from = performance.now();
      let due = 0;
      const tick = setInterval(() => {
        const elapsed = (performance.now() - from) / 1000;
        if (elapsed >= seconds) {
          clearInterval(tick);
          for (const w of waiting) w.length = 0; // what is still waiting was not sent within the time
          resolve();
          return;
        }
        for (const until = Math.floor(elapsed * RATE); due < until; due++) {
          const n = counted ? seq++ : warmupSeq++;
          const vi = n % visitors.length;
          if (busy[vi]) waiting[vi].push(n);
          else send(vi, n, counted);
        }
      }, 5);
    });
  await drive(WARMUP_SECONDS, false);
  while (inFlight > 0) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 2000));
  let peakRss = servers.reduce((sum, s) => sum + rssKb(s.child.pid!), 0);
  const rssTimer = setInterval(() => {
    peakRss = Math.max(
      peakRss,
      servers.reduce((sum, s) => sum + rssKb(s.child.pid!), 0),
    );
  }, 1000);
  const deliveredBefore = (await Promise.all(servers.map((s) => metric(s.port, 'parley_events_delivered_total')))).reduce((a, b) => a + b, 0);
  const cpuBefore = servers.map((s) => cpuSeconds(s.child.pid!));
  const clientCpuBefore = process.cpuUsage();
  const started = performance.now();
  loadStarted = started;
  await drive(SECONDS, true);
  const cpuAfter = servers.map((s) => cpuSeconds(s.child.pid!));
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const loadSeconds = (performance.now() - started) / 1000;
  while (inFlight > 0) await new Promise((r) => setTimeout(r, 20));
  const received = () => conns.reduce((sum, c) => sum + c.received, 0);
  // Let the streams drain: stop once everything arrived, or nothing moved for a while.
  let last = -1;
  let still = performance.now();
  while (received() < expected && performance.now() - still < DRAIN_MS) {
    const now = received();
    if (now !== last) {
      last = now;
      still = performance.now();
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  clearInterval(rssTimer);
  const deliveredAfter = (await Promise.all(servers.map((s) => metric(s.port, 'parley_events_delivered_total')))).reduce((a, b) => a + b, 0);
  const got = received();
  const resyncs = conns.reduce((sum, c) => sum + c.resyncs, 0);
  const droppedDuringRun = dropped;

  closing = true;
  for (const c of conns) c.socket.destroy();
  for (const a of posters) a.destroy();
  const codes = await Promise.all(servers.map(stopServer));
  if (codes.some((c) => c !== 0)) console.error(`[${label}] server exit codes: ${codes.join(', ')}`);

  if (process.env.BENCH_PUSH_TRACE) {
    const bySecond = new Map<number, number[]>();
    latencies.forEach((l, i) => {
      const s = sentSecond[i];
      if (!bySecond.has(s)) bySecond.set(s, []);
      bySecond.get(s)!.push(l);
    });
    for (const [s, ls] of [...bySecond].sort((a, b) => a[0] - b[0])) {
      ls.sort((a, b) => a - b);
      console.error(`[${label}] second ${s}: p50 ${pct(ls, 50).toFixed(1)} ms, max ${ls.at(-1)!.toFixed(1)} ms (${ls.length} samples)`);
    }
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const posts = [...postTimes].sort((a, b) => a - b);
  const grownKb = rssAfter.reduce((a, b) => a + b, 0) - rssBefore.reduce((a, b) => a + b, 0);
  return {
    label,
    instances,
    connections: CONNECTIONS,
    posted,
    failed,
    rate: posted / loadSeconds,
    deliveriesPerSecond: got / loadSeconds,
    p50: pct(sorted, 50),
    p99: pct(sorted, 99),
    max: sorted.at(-1) ?? NaN,
    postP50: pct(posts, 50),
    postP99: pct(posts, 99),
    samples: sorted.length,
    expected,
    received: got,
    lost: expected - got,
    resyncs,
    dropped: droppedDuringRun,
    serverDelivered: deliveredAfter - deliveredBefore,
    kbPerConnection: grownKb / CONNECTIONS,
    peakRssMb: peakRss / 1024,
    serverCpu: cpuAfter.map((c, i) => (100 * (c - cpuBefore[i])) / loadSeconds),
    clientCpu: (100 * (clientCpu.user + clientCpu.system)) / 1e6 / loadSeconds,
  };
}

// ---------------------------------------------------------------------------------------------------------------

const ulimit = checkFileLimit();
/** The machine's 1, 5 and 15 minute load averages: a shared machine makes every number here noisier. */
const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
const loadAtStart = loadAverage();
const rows: Row[] = [];
const skipped: string[] = [];
try {
  if (RUNS.includes('sqlite')) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-push-bench-'));
    tempDirs.add(dir);
    rows.push(await run('SQLite, 1 instance', `sqlite:${path.join(dir, 'push.db')}`, 1));
  }
  const pgRuns = [...(RUNS.includes('postgres1') ? [1] : []), ...(RUNS.includes('postgres') ? [PG_INSTANCES] : [])];
  for (const instances of pgRuns) {
    const label = `PostgreSQL, ${instances} instance${instances === 1 ? '' : 's'}`;
    if (await postgresAvailable()) {
      // A database of its own per run: the second starts from the same empty outbox as the first.
      const db = await createPostgresDatabase();
      databases.add(db);
      rows.push(await run(label, db.url, instances));
    } else {
      skipped.push(`${label}: skipped, ${PG_ADMIN_URL} is not reachable`);
    }
  }
} finally {
  await cleanUp();
}

const f = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
console.log(
  `\nPush: ${CONNECTIONS.toLocaleString('en')} agent connections (one agent each), ${RATE} visitor posts/s for ${SECONDS} s from ${VISITORS} sessions; ` +
    `${TOPICS} topics, each message reaches its topic's ${FANOUT} agents; latency on ${SAMPLED} sampled connections; ${os.cpus().length} cores, ulimit -n ${ulimit}; ` +
    `load average at the start ${loadAtStart}, at the end ${loadAverage()}\n`,
);
console.log(
  [
    '| run | posts/s achieved | deliveries/s | p50 ms | p99 ms | max ms | POST answered p50 / p99 ms | lost (expected − received) | resyncs | dropped | memory/connection (RSS) | peak RSS | CPU: servers / bench client |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.label} | ${f(r.rate, 1)} (${r.failed} failed) | ${f(r.deliveriesPerSecond)} | ${f(r.p50, 1)} | ${f(r.p99, 1)} | ${f(r.max, 1)} | ` +
        `${f(r.postP50, 1)} / ${f(r.postP99, 1)} | ${r.lost} (${r.expected.toLocaleString('en')} − ${r.received.toLocaleString('en')}) | ${r.resyncs} | ${r.dropped} | ${f(r.kbPerConnection, 1)} kB | ${f(r.peakRssMb)} MB | ${r.serverCpu.map((c) => `${f(c)}%`).join(' + ')} / ${f(r.clientCpu)}% |`,
    ),
  ].join('\n'),
);
for (const s of skipped) console.log(`\n${s}`);
console.log(
  `\nTargets: lost = 0, no resyncs, no dropped connections (required); posts/s >= ${(RATE * 0.98).toFixed(0)}; p99 <= ${P99_TARGET_MS} ms; ` +
    'memory per connection <= 64 kB.',
);
for (const r of rows) {
  const misses = [
    r.lost !== 0 && `${r.lost} lost`,
    r.resyncs && `${r.resyncs} resyncs`,
    r.dropped && `${r.dropped} dropped`,
    r.rate < RATE * 0.98 && `rate ${f(r.rate, 1)}`,
    !(r.p99 <= P99_TARGET_MS) && `p99 ${f(r.p99)} ms`,
    r.kbPerConnection > 64 && `${f(r.kbPerConnection, 1)} kB per connection`,
  ].filter(Boolean);
  console.log(
    `${r.label}: ${misses.length ? `MISSED (${misses.join(', ')})` : 'all targets met'}; server counted ${r.serverDelivered.toLocaleString('en')} deliveries, ${r.samples.toLocaleString('en')} latency samples`,
  );
}
process.exit(rows.some((r) => r.lost !== 0) ? 1 : 0);
