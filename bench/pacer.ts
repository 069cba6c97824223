// An open-loop load generator: requests at an even pace (one every 1/rate s, not a burst per second), over a bounded
// pool of keep-alive connections. Latency counts from the moment a request was due, so time spent waiting for a free
// connection or for this process's own event loop counts too (no coordinated omission). autocannon's `overallRate`
// instead lets each connection send its share of a second as fast as answers come and then wait for the next
// second: 2,000 requests per second offered arrive as one burst a second.
import http from 'node:http';

export interface PacedResult {
  /** Answers per second over the run. */
  rps: number;
  p50: number;
  p99: number;
  max: number;
  /** Answers other than 2xx, and requests that failed. */
  errors: number;
}

export interface PaceOptions {
  url: string;
  rate: number;
  seconds: number;
  connections: number;
  /** Headers of each request (e.g. a random agent's token). */
  headers: () => Record<string, string>;
  body?: string;
}

export async function pace(options: PaceOptions): Promise<PacedResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  let errors = 0;
  let pending = 0;
  const url = new URL(options.url);
  const send = (due: number) => {
    pending++;
    const req = http.request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method: 'POST', agent, headers: options.headers() },
      (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - due);
          if (res.statusCode === undefined || res.statusCode >= 300) errors++;
          pending--;
        });
      },
    );
    req.on('error', () => {
      errors++;
      pending--;
    });
    req.end(options.body);
  };
  const interval = 1000 / options.rate;
  const total = Math.round(options.rate * options.seconds);
  const start = performance.now();
  let sent = 0;
  // Sends every request due by now (a timer fires about once a millisecond), each stamped with when it was due.
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) send(start + sent++ * interval);
      if (sent < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  while (pending > 0) await new Promise((r) => setTimeout(r, 5));
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? Number.NaN;
  return { rps: latencies.length / elapsed, p50: at(50), p99: at(99), max: latencies.at(-1) ?? Number.NaN, errors };
}
