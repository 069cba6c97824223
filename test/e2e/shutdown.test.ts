// Graceful shutdown of a real `parley serve` process: SIGTERM lets a request in flight finish, cuts one that is
// still running at PARLEY_SHUTDOWN_TIMEOUT_SECONDS, and never waits on a long-lived push stream.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'parley.mjs');
const TJE0 = 'Basic dGplMDpUamUw';

interface Served { child: ChildProcess; url: URL; log: () => string; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> }

const running = new Set<ChildProcess>();

function serve(env: Record<string, string>): Promise<Served> {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(base)) if (k === 'DATABASE_URL' || k === 'PORT' || k === 'HOST' || k.startsWith('PARLEY_')) delete base[k];
  const child = spawn(process.execPath, [BIN, 'serve'], { cwd: ROOT, env: { ...base, PORT: '0', LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`parley serve did not listen within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: string) => {
      output += chunk;
      const m = /"msg":"Server listening at (http:\/\/[^"]+)"/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: new URL(m[1]), log: () => output, exited });
      }
    };
    child.stdout!.setEncoding('utf8').on('data', onData);
    child.stderr!.setEncoding('utf8').on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`parley serve exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
}

/** Resolves with the exit status and the milliseconds since `started`; fails after `limitMs`. */
async function exitWithin(served: Served, started: number, limitMs: number) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running ${limitMs} ms after SIGTERM:\n${served.log()}`)), limitMs);
  });
  try {
    const status = await Promise.race([served.exited, timeout]);
    return { ...status, ms: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

/** Opens a socket and sends a request's head only: the request is in flight until the body follows. */
async function startRequest(url: URL, body: string) {
  const socket = net.connect(Number(url.port), url.hostname);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.setEncoding('utf8');
  let answer = '';
  socket.on('data', (d: string) => { answer += d; });
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.write(`POST /api/v1/Agents/Chat/ChatTopicsForUser HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: ${TJE0}\r\n` +
    `Accept: application/json\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`);
  // write, not end: a half-closed socket would end the request before its answer.
  return { finish: () => socket.write(body), answer: () => answer, closed };
}

describe('parley serve: graceful shutdown', () => {
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-shutdown-')); });
  after(() => {
    for (const child of running) child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const db = (name: string) => `sqlite:${path.join(dir, `${name}.db`)}`;

  test('a request in flight at SIGTERM is answered, then the process exits 0', async () => {
    const served = await serve({ DATABASE_URL: db('drain'), PARLEY_SHUTDOWN_TIMEOUT_SECONDS: '10' });
    const req = await startRequest(served.url, '{}');
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    served.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(served.child.exitCode, null, 'still draining while the request is unfinished');
    req.finish();
    await req.closed;
    assert.match(req.answer(), /^HTTP\/1\.1 200 /, 'the request in flight got its answer');
    assert.match(req.answer(), /"ChatTopicId"/);
    assert.match(req.answer(), /\r\nconnection: close\r\n/i, 'a keep-alive connection is closed after its answer');
    const status = await exitWithin(served, started, 5000);
    assert.deepEqual({ code: status.code, signal: status.signal }, { code: 0, signal: null });
    assert.match(served.log(), /"msg":"stopped"/);
  });

  test('a request still running at PARLEY_SHUTDOWN_TIMEOUT_SECONDS is cut and the process exits 0', async () => {
    const served = await serve({ DATABASE_URL: db('cut'), PARLEY_SHUTDOWN_TIMEOUT_SECONDS: '1' });
    const req = await startRequest(served.url, '{}');
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    served.child.kill('SIGTERM');
    await req.closed;
    const status = await exitWithin(served, started, 5000);
    assert.equal(status.code, 0);
    assert.ok(status.ms >= 900 && status.ms < 4000, `exited ${status.ms} ms after SIGTERM`);
    assert.match(served.log(), /requests still running at the deadline/);
  });

  test('an open push stream does not hold shutdown up', async () => {
    const served = await serve({ DATABASE_URL: db('push'), PARLEY_SHUTDOWN_TIMEOUT_SECONDS: '10' });
    const ended = new Promise<string>((resolve, reject) => {
      http.get(new URL('/api/v1/Push/Agent', served.url), { headers: { authorization: TJE0, accept: 'text/event-stream' } }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => { text += d; });
        res.on('end', () => resolve(text)).on('error', () => resolve(text)).on('close', () => resolve(text));
        if (res.statusCode !== 200) reject(new Error(`push stream answered ${res.statusCode}`));
      }).on('error', reject);
    });
    // The stream is open once the server counts it.
    for (let i = 0; i < 50; i++) {
      const metrics = await (await fetch(new URL('/metrics', served.url))).text();
      if (/parley_push_connections\{kind="agent"\} 1/.test(metrics)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const started = Date.now();
    served.child.kill('SIGTERM');
    const status = await exitWithin(served, started, 4000);
    assert.equal(status.code, 0);
    assert.ok(status.ms < 3000, `exited ${status.ms} ms after SIGTERM, not waiting for the 10 s timeout`);
    assert.match(await ended, /: connected/);
  });

  test('a second signal exits at once', async () => {
    const served = await serve({ DATABASE_URL: db('twice'), PARLEY_SHUTDOWN_TIMEOUT_SECONDS: '30' });
    const req = await startRequest(served.url, '{}');
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    served.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    served.child.kill('SIGINT');
    const status = await exitWithin(served, started, 3000);
    assert.equal(status.code, 1);
    assert.match(served.log(), /second signal/);
    await req.closed;
  });
});
