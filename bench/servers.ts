// What the benchmarks that drive `parley serve`-like processes share: starting and stopping one (bench/parley-
// server.ts) with the per-address limits lifted (one address plays every visitor), and a JSON POST over a kept-alive
// agent. `serverProcesses` holds the ones still running, for a clean-up that kills them.
import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { START_FLAGS } from '../test/helpers/start-flags.ts';

export interface Server {
  child: ChildProcess;
  port: number;
}

export const serverProcesses = new Set<ChildProcess>();
/** Node's flags as `npm start` runs Parley (read from package.json), so a benchmark measures what is deployed. */
export const SERVE_NODE_ARGS = START_FLAGS;
const here = path.dirname(new URL(import.meta.url).pathname);

/** A server on `databaseUrl`, once it listens; `env` adds settings, `nodeArgs` go to node (e.g. --cpu-prof). */
export function startServer(databaseUrl: string, options: { env?: Record<string, string>; nodeArgs?: string[] } = {}): Promise<Server> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...SERVE_NODE_ARGS, ...(options.nodeArgs ?? []), '--import', 'tsx', path.join(here, 'parley-server.ts')], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        LOG_LEVEL: 'warn',
        // One address drives every visitor session here; the per-address limits are for the internet.
        PARLEY_VISITOR_REQUESTS_PER_MINUTE: '100000000',
        PARLEY_VISITOR_WRITES_PER_MINUTE: '100000000',
        PARLEY_VISITOR_SESSIONS_PER_MINUTE: '100000',
        PARLEY_CONNECTIONS_PER_ADDRESS: '0',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    serverProcesses.add(child);
    child.on('exit', () => serverProcesses.delete(child));
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`parley-server exited with ${code} before listening`)));
  });
}

/** SIGTERM, then SIGKILL after 15 s; the exit code. */
export function stopServer(s: Server): Promise<number | null> {
  return new Promise((resolve) => {
    if (s.child.exitCode !== null) return resolve(s.child.exitCode);
    const timer = setTimeout(() => s.child.kill('SIGKILL'), 15_000);
    s.child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    s.child.kill('SIGTERM');
  });
}

// Whatever JSON the server answered (benchmarks may use any; each caller reads the fields it asked for).
export type Json = any;

/** POSTs `body` as JSON; the status and the parsed answer (undefined when empty or not JSON). */
export function postJson(
  agent: http.Agent,
  port: number,
  url: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<{ status: number; json: Json }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: url,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => {
          let json: Json;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
