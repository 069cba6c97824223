// Graceful shutdown of a real `parley serve` process: SIGTERM lets a request in flight finish, cuts one that is
// still running at PARLEY_SHUTDOWN_TIMEOUT_SECONDS, and never waits on a long-lived push stream.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { killParleys, type ParleyProcess, serveParley } from '../helpers/parley-process.ts';

const TJE0 = 'Basic dGplMDpUamUw';

type Served = Omit<ParleyProcess, 'url'> & { url: URL };

/** A real `parley serve` on a port of its own, its URL as a URL. */
const serve = async (env: Record<string, string>): Promise<Served> => {
  const p = await serveParley(env);
  return { ...p, url: new URL(p.url) };
};

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
  socket.on('data', (d: string) => {
    answer += d;
  });
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.write(
    `POST /api/v1/Agents/Chat/ChatTopicsForUser HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: ${TJE0}\r\n` +
      `Accept: application/json\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
  );
  // write, not end: a half-closed socket would end the request before its answer.
  return { finish: () => socket.write(body), answer: () => answer, closed };
}

/** A raw keep-alive connection: `send` writes one request and resolves with its whole answer (head and body). */
async function keepAliveConnection(url: URL) {
  const socket = net.connect(Number(url.port), url.hostname);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let buffer = Buffer.alloc(0);
  let error: Error | undefined;
  let waiting: (() => void) | undefined;
  socket.on('data', (d: Buffer) => {
    buffer = Buffer.concat([buffer, d]);
    waiting?.();
  });
  socket.on('error', (err) => {
    error = err;
    waiting?.();
  });
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      resolve();
      waiting?.();
    }),
  );
  /** The byte length of the first whole answer in the buffer, if it is all there. */
  const complete = () => {
    const end = buffer.indexOf('\r\n\r\n');
    if (end < 0) return undefined;
    const length = Number(/\r\ncontent-length: (\d+)/i.exec(buffer.subarray(0, end).toString('latin1'))?.[1] ?? 0);
    return buffer.length >= end + 4 + length ? end + 4 + length : undefined;
  };
  return {
    closed,
    async send(body = '{}') {
      socket.write(
        `POST /api/v1/Agents/Chat/ChatTopicsForUser HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: ${TJE0}\r\n` +
          `Accept: application/json\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      for (;;) {
        if (error) throw error;
        const n = complete();
        if (n !== undefined) {
          const answer = buffer.subarray(0, n).toString('utf8');
          buffer = buffer.subarray(n);
          return answer;
        }
        if (socket.destroyed) throw new Error(`connection closed without a whole answer (had ${buffer.length} bytes)`);
        await new Promise<void>((resolve) => {
          waiting = resolve;
        });
      }
    },
  };
}

describe('parley serve: graceful shutdown', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-shutdown-'));
  });
  after(() => {
    killParleys();
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
      http
        .get(new URL('/api/v1/Push/Agent', served.url), { headers: { authorization: TJE0, accept: 'text/event-stream' } }, (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (d: string) => {
            text += d;
          });
          res
            .on('end', () => resolve(text))
            .on('error', () => resolve(text))
            .on('close', () => resolve(text));
          if (res.statusCode !== 200) reject(new Error(`push stream answered ${res.statusCode}`));
        })
        .on('error', reject);
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

  test('keep-alive connections open at SIGTERM: each next request is answered 503 with Connection: close, none is reset', async () => {
    const served = await serve({ DATABASE_URL: db('keepalive'), PARLEY_SHUTDOWN_TIMEOUT_SECONDS: '10' });
    const connections = await Promise.all(Array.from({ length: 16 }, () => keepAliveConnection(served.url)));
    for (const c of connections) assert.match(await c.send(), /^HTTP\/1\.1 200 [\s\S]*\r\nconnection: keep-alive\r\n/i);
    const started = Date.now();
    served.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    const answers = await Promise.all(connections.map((c) => c.send()));
    for (const answer of answers) {
      assert.match(answer, /^HTTP\/1\.1 503 /, answer);
      assert.match(answer, /\r\nconnection: close\r\n/i);
      assert.match(answer, /\r\nretry-after: 1\r\n/i);
      assert.match(answer, /"ErrorType":"SoServiceUnavailableException"/);
    }
    await Promise.all(connections.map((c) => c.closed));
    // Every client has gone: the process does not wait out the linger.
    const status = await exitWithin(served, started, 5000);
    assert.equal(status.code, 0);
    assert.ok(status.ms < 1900, `exited ${status.ms} ms after SIGTERM, before the 2 s linger ran out`);
    assert.match(served.log(), /"refused":16,"msg":"shutdown: requests arriving after the signal were answered 503"/);
  });

  test('busy keep-alive clients during SIGTERM get answers (200 or 503) and refused connects, never a reset', async () => {
    const served = await serve({ DATABASE_URL: db('busy'), PARLEY_SHUTDOWN_TIMEOUT_SECONDS: '10' });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const outcomes: string[] = [];
    const post = () =>
      new Promise<string>((resolve) => {
        const req = http.request(
          new URL('/api/v1/Agents/Chat/ChatTopicsForUser', served.url),
          {
            method: 'POST',
            agent,
            headers: { authorization: TJE0, 'content-type': 'application/json', accept: 'application/json' },
          },
          (res) => {
            res.resume().on('end', () => resolve(String(res.statusCode)));
          },
        );
        req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
        req.end('{}');
      });
    let signalled = false;
    const worker = async () => {
      for (;;) {
        const outcome = await post();
        outcomes.push(outcome);
        if (signalled && outcome !== '200') return;
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    await new Promise((r) => setTimeout(r, 500));
    const started = Date.now();
    served.child.kill('SIGTERM');
    signalled = true;
    await Promise.all(workers);
    agent.destroy();
    const counts: Record<string, number> = {};
    for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1;
    assert.deepEqual(
      Object.keys(counts).filter((o) => !['200', '503', 'ECONNREFUSED'].includes(o)),
      [],
      JSON.stringify(counts),
    );
    assert.ok((counts['200'] ?? 0) > 8, 'the clients were busy before the signal');
    assert.ok((counts['503'] ?? 0) >= 1, `requests on open connections were answered 503: ${JSON.stringify(counts)}`);
    const status = await exitWithin(served, started, 5000);
    assert.equal(status.code, 0);
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
