// npm run bench: ChatSessionsForUser for a user with 20 sessions, Basic auth, 50 connections, on databases of
// 100,000 and 1,000,000 sessions over 5,000 topics, against a bare node:http ceiling measured in the same run.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { runBusy } from './busy.ts';
import { pace } from './pacer.ts';
import { SERVE_NODE_ARGS } from './servers.ts';
import { BENCH_USER, seedBenchDatabase, USER_SESSIONS } from './seed.ts';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
const TOPICS = 5_000;
// BENCH_ONLY=busy runs the busy row alone (no seeding of the sizes, no ceiling).
const ONLY_BUSY = process.env.BENCH_ONLY === 'busy';
const SIZES = ONLY_BUSY ? [] : (process.env.BENCH_SIZES ?? '100000,1000000').split(',').map(Number);
const here = path.dirname(new URL(import.meta.url).pathname);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-'));
const authorization = `Basic ${Buffer.from(`${BENCH_USER.userName}:${BENCH_USER.password}`).toString('base64')}`;
const PATH = '/api/v1/Agents/Chat/ChatSessionsForUser';

// The seeded sessions are synthetic (queued and active ones nobody's widget fetches): the sweeper would spend the
// run closing them, writes that a read benchmark should not measure. It is off here.
const SERVER_ENV = { PARLEY_SWEEP_SECONDS: '0' };
// Node flags for the servers, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
const SERVER_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);

function startServer(script: string, env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    // Both servers run with Parley's production flags (SERVE_NODE_ARGS): like with like.
    const child = spawn(process.execPath, [...SERVE_NODE_ARGS, ...SERVER_NODE_ARGS, '--import', 'tsx', path.join(here, script)], {
      env: { ...process.env, ...SERVER_ENV, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

/** As fast as answers come over the connections (closed loop): throughput, and latency at saturation. */
async function load(port: number, label: string) {
  const opts = {
    url: `http://127.0.0.1:${port}${PATH}`,
    method: 'POST' as const,
    headers: { authorization, accept: 'application/json' },
    connections: CONNECTIONS,
  };
  await autocannon({ ...opts, duration: 2 }); // warm-up: JIT, caches, verified credentials
  const r = await autocannon({ ...opts, duration: DURATION });
  if (r.non2xx || r.errors) throw new Error(`${label}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
  return { label, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, bytes: r.throughput.average / r.requests.average };
}

/** `rate` requests per second at an even pace (bench/pacer.ts): latency below saturation. */
async function paceAt(port: number, label: string, rate: number) {
  const opts = { url: `http://127.0.0.1:${port}${PATH}`, rate, connections: CONNECTIONS, headers: () => ({ authorization, accept: 'application/json' }) };
  await pace({ ...opts, seconds: 2 }); // warm-up
  const r = await pace({ ...opts, seconds: DURATION });
  if (r.errors) throw new Error(`${label}: ${r.errors} failed or non-2xx answers`);
  return { label, rps: r.rps, p50: r.p50, p99: r.p99, bytes: Number.NaN };
}

const stop = (child: ChildProcess) =>
  new Promise((r) => {
    child.once('exit', r);
    child.kill('SIGTERM');
  });

/** The machine's 1, 5 and 15 minute load averages: on a shared machine the ratios to the ceiling are what compare. */
const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
const loadAtStart = loadAverage();
const rows: Array<Awaited<ReturnType<typeof load>> & { sessions: number; mode: string }> = [];
const paced: typeof rows = [];
/** 10,000 agents polling every 5 s. */
const PACED_RATE = Number(process.env.BENCH_PACED_RATE ?? 2000);
let ceiling: Awaited<ReturnType<typeof load>> | undefined;
for (const sessions of SIZES) {
  const file = path.join(dir, `bench-${sessions}.db`);
  const t0 = Date.now();
  await seedBenchDatabase(file, sessions, TOPICS);
  console.error(`seeded ${sessions.toLocaleString('en')} sessions in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const parley = await startServer('parley-server.ts', { DATABASE_URL: `sqlite:${file}`, PARLEY_DEMO: 'false' });
  const res = await fetch(`http://127.0.0.1:${parley.port}${PATH}`, { method: 'POST', headers: { authorization } });
  const body = await res.text();
  const count = JSON.parse(body).length;
  if (count !== USER_SESSIONS) throw new Error(`expected ${USER_SESSIONS} sessions for the bench user, got ${count}`);
  if (!ceiling) {
    // The ceiling answers exactly Parley's bytes for this user.
    const bodyFile = path.join(dir, 'body.json');
    fs.writeFileSync(bodyFile, body);
    const bare = await startServer('ceiling-server.ts', { CEILING_BODY_FILE: bodyFile });
    ceiling = await load(bare.port, 'ceiling: node:http + JSON.stringify');
    await stop(bare.child);
  }
  rows.push({ ...(await load(parley.port, `Parley, ${sessions.toLocaleString('en')} sessions`)), sessions, mode: 'cached' });
  // Below saturation: a closed loop of 50 connections measures queueing as much as Parley (p50 = 50 / req/s).
  paced.push({
    ...(await paceAt(parley.port, `Parley, ${sessions.toLocaleString('en')} sessions, ${PACED_RATE.toLocaleString('en')} req/s offered evenly`, PACED_RATE)),
    sessions,
    mode: 'paced',
  });
  await stop(parley.child);
  // Without the response cache every poll is computed: it reads the caller's session versions and reuses the JSON
  // of unchanged sessions; with the item cache off too, it reads, presents and serialises every session anew.
  const computed = [
    ['cache off', { PARLEY_RESPONSE_CACHE_SECONDS: '0' }],
    ['cache off, nothing kept', { PARLEY_RESPONSE_CACHE_SECONDS: '0', PARLEY_ITEM_CACHE_MB: '0' }],
  ] as const;
  for (const [mode, env] of computed) {
    const uncached = await startServer('parley-server.ts', { DATABASE_URL: `sqlite:${file}`, PARLEY_DEMO: 'false', ...env });
    rows.push({ ...(await load(uncached.port, `Parley, ${sessions.toLocaleString('en')} sessions, ${mode}`)), sessions, mode });
    await stop(uncached.child);
  }
}
// The busy row: many agents polling while messages arrive (bench/busy.ts); BENCH_BUSY=0 leaves it out. After the
// sizes it runs in a process of its own (below): this one holds the heap left by seeding a million sessions, whose
// collections would stall the load generator's pacing and count as the server's latency.
const BUSY_HERE = process.env.BENCH_BUSY !== '0' && ONLY_BUSY;
const busy = !BUSY_HERE
  ? undefined
  : await runBusy(`sqlite:${path.join(dir, 'busy.db')}`, DURATION, async (env) => {
      const s = await startServer('parley-server.ts', env);
      return { port: s.port, pid: s.child.pid!, stop: () => stop(s.child) };
    });
fs.rmSync(dir, { recursive: true, force: true });

/** autocannon gives whole milliseconds, the pacer fractions. */
const ms = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
const baseOf = (r: (typeof rows)[number]) => rows.find((b) => b.mode === r.mode)!;
if (ceiling) {
  const table = [
    '| run | req/s | p50 ms | p99 ms | bytes/answer | ratio to ceiling | ratio to 100k row |',
    '|---|---:|---:|---:|---:|---:|---:|',
    `| ${ceiling.label} | ${ceiling.rps.toFixed(0)} | ${ceiling.p50} | ${ceiling.p99} | ${ceiling.bytes.toFixed(0)} | 1.00 | |`,
    ...rows.map(
      (r) =>
        `| ${r.label} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.bytes.toFixed(0)} | ${(r.rps / ceiling.rps).toFixed(2)} | ${(r.rps / baseOf(r).rps).toFixed(2)} |`,
    ),
    ...paced.map((r) => `| ${r.label} | ${r.rps.toFixed(0)} | ${ms(r.p50)} | ${ms(r.p99)} | | | |`),
  ];
  console.log(
    `\nChatSessionsForUser, ${USER_SESSIONS} sessions for the caller, ${TOPICS} topics, Basic auth, ${CONNECTIONS} connections, ${DURATION} s per run, ${os.cpus().length} cores; ` +
      `load average at the start ${loadAtStart}, at the end ${loadAverage()}\n`,
  );
  console.log(table.join('\n'));
}
if (busy) {
  console.log(
    [
      `\nBusy, ${DURATION} s, ${os.cpus().length} cores; load average at the start ${loadAtStart}, at the end ${loadAverage()}\n`,
      '| run | polls/s | p50 ms | p99 ms | cache hit rate | posts/s | server CPU | server: answered within 10 / 25 ms | server: longest event-loop delay | load generator: longest event-loop delay |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      `| ${busy.label} | ${busy.rps.toFixed(0)} | ${ms(busy.p50)} | ${ms(busy.p99)} | ${(100 * busy.hitRate).toFixed(1)} % | ${busy.posts.toFixed(1)} | ${busy.serverCpu.toFixed(0)} % | ${(100 * busy.serverWithin10).toFixed(2)} % / ${(100 * busy.serverWithin25).toFixed(2)} % | ${busy.serverLoopMaxMs.toFixed(0)} ms | ${busy.clientLoopMaxMs.toFixed(0)} ms |`,
    ].join('\n'),
  );
}
if (ceiling) {
  console.log(
    '\nTargets: ratio to ceiling >= 0.5 with the cache off; p99 <= 10 ms with the cache on, <= 20 ms off; 1M row >= 0.9 of the 100k row (like with like).',
  );
  console.log(
    "'cache off' sets PARLEY_RESPONSE_CACHE_SECONDS=0: no answer is reused, every poll is computed (its sessions' versions read, unchanged sessions' JSON reused); " +
      "'nothing kept' also sets PARLEY_ITEM_CACHE_MB=0: every session is read, presented and serialised anew.",
  );
  console.log(
    `'req/s offered evenly' rows send ${PACED_RATE.toLocaleString('en')} requests per second in all at an even pace over up to 50 connections (bench/pacer.ts; latency from when each was due): latency below saturation.`,
  );
}
if (busy) {
  console.log('\nTarget: busy p99 <= 20 ms.');
  console.log(
    "busy: p50/p99 are the load generator's, which shares the 2 cores; the server columns are its own request timer and event-loop monitor (from /metrics); the last column is the load generator's own event loop.",
  );
}
if (!ONLY_BUSY && process.env.BENCH_BUSY !== '0') {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname], {
    env: { ...process.env, BENCH_ONLY: 'busy' },
    stdio: 'inherit',
  });
  const code = await new Promise((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`the busy row's process exited with ${code}`);
}
