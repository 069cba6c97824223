// The "busy" row of npm run bench (issue 13): 1,000 agents over 50 topics poll ChatSessionsForUser, 2,000 polls per
// second offered in all, while visitors post 20 messages per second spread over the topics. Prints the response
// cache's hit rate (from the server's /metrics), p50/p99 and the server's CPU. A message makes the next poll of its
// topic's agents a miss (change tracking per topic, migration 021); with a database-wide counter, every agent's.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { cpuSeconds, scrape, seedTopicAgents, sumOf } from './agents.ts';
import { pace } from './pacer.ts';

/**
 * The polls arrive at an even pace (bench/pacer.ts), as a thousand agents' timers would; BENCH_BUSY_LOAD=autocannon
 * offers them as autocannon does (each connection's share of a second sent at once, then a wait): one burst a second.
 */
const BURSTS = process.env.BENCH_BUSY_LOAD === 'autocannon';
// BENCH_BUSY_POSTS=0: nothing changes, every poll after the first is a hit; what is left is the harness's own latency.
export const BUSY = { agents: 1_000, topics: 50, pollRate: 2_000, postRate: Number(process.env.BENCH_BUSY_POSTS ?? 20), connections: 50 };

export interface BusyRow {
  label: string;
  rps: number;
  p50: number;
  p99: number;
  hitRate: number;
  posts: number;
  serverCpu: number;
  /** Of the polls, the share the server answered within 10 ms and within 25 ms (its own request timer, /metrics). */
  serverWithin10: number;
  serverWithin25: number;
  /** The longest the server's event loop was held up during the run (its own monitor, /metrics). */
  serverLoopMaxMs: number;
  /** The same for the load generator's own loop: a stall there delays reading answers, and counts in its p99. */
  clientLoopMaxMs: number;
}

/**
 * What the server counted, from one scrape of its /metrics (a scrape also restarts the event-loop monitor's maximum):
 * the response cache's lookups, and its latency histogram of the agent API summed over its routes (answers per bucket
 * bound). The server's timer starts when it has read the request, so it leaves out what waited in the kernel or the
 * client; the event loop's longest delay bounds that wait from the server's side.
 */
async function serverFigures(port: number) {
  const text = await scrape(port);
  const within = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^parley_http_request_duration_seconds_bucket\{([^}]*)\} (\S+)$/.exec(line);
    if (!m?.[1].includes('/api/v1/Agents/Chat/')) continue;
    const le = /le="([^"]+)"/.exec(m[1])?.[1] ?? '';
    within.set(le, (within.get(le) ?? 0) + Number(m[2]));
  }
  const loop = /^nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(text);
  return {
    hit: sumOf(text, 'parley_response_cache_lookups_total{result="hit"}'),
    miss: sumOf(text, 'parley_response_cache_lookups_total{result="miss"}'),
    within,
    loopMaxSeconds: loop ? Number(loop[1]) : Number.NaN,
  };
}

/** `start` serves `url` and gives its port and pid; `stop` ends it. */
export async function runBusy(
  url: string,
  seconds: number,
  start: (env: Record<string, string>) => Promise<{ port: number; pid: number; stop(): Promise<unknown> }>,
): Promise<BusyRow> {
  const seeded = await seedTopicAgents(url, BUSY.agents, BUSY.topics);
  const server = await start({
    DATABASE_URL: url,
    PARLEY_DEMO: 'false',
    // One address drives every visitor session here; the per-address limits are for the internet.
    PARLEY_VISITOR_REQUESTS_PER_MINUTE: '100000000',
    PARLEY_VISITOR_WRITES_PER_MINUTE: '100000000',
    PARLEY_VISITOR_SESSIONS_PER_MINUTE: '100000',
    PARLEY_CONNECTIONS_PER_ADDRESS: '0',
  });
  const base = `http://127.0.0.1:${server.port}`;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...headers }, body: JSON.stringify(body) });
  // One visitor session per topic, so every topic's agents see changes.
  const keys: string[] = [];
  for (const topicId of seeded.topicIds) {
    const res = await post('/api/v1/Visitor/OpenSession', { ChatTopicId: topicId, Consented: true, Message: 'hello' });
    if (res.status !== 200) throw new Error(`OpenSession answered ${res.status}`);
    keys.push((await res.json()).SessionKey);
  }
  let posts = 0;
  let failedPosts = 0;
  const poster = setInterval(() => {
    if (BUSY.postRate === 0) return;
    const key = keys[posts++ % keys.length];
    post('/api/v1/Visitor/PostMessage', { Message: `busy ${posts}` }, { 'x-session-key': key })
      .then((r) => {
        if (r.status !== 200) failedPosts++;
        return r.arrayBuffer();
      })
      .catch(() => failedPosts++);
  }, 1000 / Math.max(1, BUSY.postRate));
  const headers = () => ({
    'content-type': 'application/json',
    accept: 'application/json',
    // Each poll from a random agent of the thousand.
    authorization: `Bearer ${seeded.tokens[Math.floor(Math.random() * seeded.tokens.length)]}`,
  });
  const pollUrl = `${base}/api/v1/Agents/Chat/ChatSessionsForUser`;
  const poll = async (duration: number) => {
    if (BURSTS) {
      const r = await autocannon({
        url: pollUrl,
        connections: BUSY.connections,
        overallRate: BUSY.pollRate,
        duration,
        requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, headers: { ...req.headers, ...headers() } }) }],
      });
      return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.non2xx + r.errors, seconds: r.duration };
    }
    const r = await pace({ url: pollUrl, rate: BUSY.pollRate, seconds: duration, connections: BUSY.connections, headers, body: '{}' });
    return { ...r, seconds: duration };
  };
  try {
    await poll(2); // warm-up: JIT, verified credentials
    const before = await serverFigures(server.port);
    const cpuBefore = cpuSeconds(server.pid);
    const postsBefore = posts;
    const clientLoop = monitorEventLoopDelay({ resolution: 10 });
    clientLoop.enable();
    const r = await poll(seconds);
    clientLoop.disable();
    const cpu = cpuSeconds(server.pid) - cpuBefore;
    const after = await serverFigures(server.port);
    const answered = (le: string) => (after.within.get(le) ?? 0) - (before.within.get(le) ?? 0);
    const share = (le: string) => answered(le) / Math.max(1, answered('+Inf'));
    if (r.errors) throw new Error(`busy: ${r.errors} failed or non-2xx answers`);
    if (failedPosts) throw new Error(`busy: ${failedPosts} posts failed`);
    const hits = after.hit - before.hit;
    const misses = after.miss - before.miss;
    return {
      label: `busy: ${BUSY.agents.toLocaleString('en')} agents over ${BUSY.topics} topics, ${BUSY.pollRate.toLocaleString('en')} polls/s offered ${BURSTS ? 'in bursts (autocannon)' : 'evenly'}, ${BUSY.postRate} posts/s`,
      rps: r.rps,
      p50: r.p50,
      p99: r.p99,
      hitRate: hits / Math.max(1, hits + misses),
      posts: (posts - postsBefore) / r.seconds,
      serverCpu: (100 * cpu) / r.seconds,
      serverWithin10: share('0.01'),
      serverWithin25: share('0.025'),
      serverLoopMaxMs: after.loopMaxSeconds * 1000,
      clientLoopMaxMs: clientLoop.max / 1e6,
    };
  } finally {
    clearInterval(poster);
    await server.stop();
  }
}
