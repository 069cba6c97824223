// The README promise: `npm start` (node --max-semi-space-size=64 bin/parley.mjs serve) on a fresh working directory serves Parley with
// demo data. Spawned as a real process on an ephemeral port (PORT=0), called over HTTP, stopped with SIGTERM.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { START_FLAGS } from '../helpers/start-flags.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'parley.mjs');
const TJE0 = 'Basic dGplMDpUamUw'; // tje0:Tje0, the sample of the SuperOffice reference page
const ADM0 = `Basic ${Buffer.from('adm0:Adm0').toString('base64')}`;

interface Served {
  child: ChildProcess;
  url: string;
  log: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildProcess>();

/** Spawns `parley serve` and resolves once it listens (the port is read from its "Server listening at" log line). */
function serve(options: { cwd: string; env: Record<string, string> }): Promise<Served> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k === 'DATABASE_URL' || k === 'PORT' || k === 'HOST' || k.startsWith('PARLEY_')) delete env[k];
  const child = spawn(process.execPath, [...START_FLAGS, BIN, 'serve'], {
    cwd: options.cwd,
    env: { ...env, PORT: '0', LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
        resolve({ child, url: m[1], log: () => output, exited });
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

/** Sends SIGTERM; resolves with the exit status and how long it took (fails after `limitMs`). */
async function stop(served: Served, limitMs = 5000) {
  const started = Date.now();
  served.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`parley serve still running ${limitMs} ms after SIGTERM:\n${served.log()}`)), limitMs);
  });
  try {
    const status = await Promise.race([served.exited, timeout]);
    return { ...status, ms: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

async function post(url: string, method: string, authorization: string) {
  const res = await fetch(`${url}/api/v1/Agents/Chat/${method}`, { method: 'POST', headers: { authorization, accept: 'application/json' } });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type'), json: text ? JSON.parse(text) : undefined };
}

const sessionsOf = async (url: string) => {
  const res = await post(url, 'ChatSessionsForUser', TJE0);
  assert.equal(res.status, 200);
  return res.json as Array<{ ChatSessionId: number; TopicId: number; Status: string }>;
};

describe('parley serve: the npm start promise', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-start-'));
  });
  after(() => {
    // Anything a failed test left running is ended by its own pid.
    for (const child of running) child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('npm start runs `parley serve`, with V8 young-generation room as the README says', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    assert.equal(pkg.scripts.start, 'node --max-semi-space-size=64 bin/parley.mjs serve');
    assert.deepEqual(START_FLAGS, ['--max-semi-space-size=64']);
    assert.equal(pkg.bin.parley, 'bin/parley.mjs');
  });

  let firstCount: number;
  let firstTopics: number;
  const dbFile = () => path.join(dir, 'parley.db');

  test('a fresh database file gets demo data, and ChatSessionsForUser answers 200 with sessions', async () => {
    assert.ok(!fs.existsSync(dbFile()));
    const served = await serve({ cwd: ROOT, env: { DATABASE_URL: `sqlite:${dbFile()}` } });
    assert.match(served.url, /^http:\/\/127\.0\.0\.1:\d+$/, 'PORT=0 listens on an ephemeral port of the default host');
    assert.notEqual(served.url, 'http://127.0.0.1:0');
    assert.match(served.log(), /fresh database: demo data added/);
    assert.ok(fs.existsSync(dbFile()), 'the database file was created');

    const res = await post(served.url, 'ChatSessionsForUser', TJE0);
    assert.equal(res.status, 200);
    assert.match(String(res.contentType), /^application\/json/);
    assert.ok(Array.isArray(res.json) && res.json.length > 0, 'tje0 sees demo sessions');
    assert.deepEqual([...new Set(res.json.map((s: any) => s.TopicId))].sort(), [1, 2, 3]);
    firstCount = res.json.length;
    const topics = await post(served.url, 'ChatTopicsForUser', ADM0);
    assert.equal(topics.status, 200);
    firstTopics = topics.json.length;
    assert.equal((await post(served.url, 'ChatSessionsForUser', 'Basic dGplMDp3cm9uZw==')).status, 401);

    // SIGTERM ends it cleanly and promptly, although fetch keeps its connection alive.
    const status = await stop(served);
    assert.deepEqual({ code: status.code, signal: status.signal }, { code: 0, signal: null });
    assert.ok(status.ms < 5000, `stopped in ${status.ms} ms`);
    assert.match(served.log(), /"signal":"SIGTERM","msg":"shutting down"/);
  });

  test('starting again on the same file does not add the demo data twice', async () => {
    const served = await serve({ cwd: ROOT, env: { DATABASE_URL: `sqlite:${dbFile()}` } });
    try {
      assert.doesNotMatch(served.log(), /demo data added/);
      assert.equal((await sessionsOf(served.url)).length, firstCount, 'same number of sessions');
      assert.equal((await post(served.url, 'ChatTopicsForUser', ADM0)).json.length, firstTopics, 'same number of topics');
    } finally {
      const status = await stop(served);
      assert.equal(status.code, 0);
    }
  });

  test('SIGINT (Ctrl-C) stops it with exit code 0 as well', async () => {
    const served = await serve({ cwd: ROOT, env: { DATABASE_URL: `sqlite:${dbFile()}` } });
    await sessionsOf(served.url);
    const started = Date.now();
    served.child.kill('SIGINT');
    const status = await served.exited;
    assert.deepEqual(status, { code: 0, signal: null });
    assert.ok(Date.now() - started < 5000);
  });

  test('a fresh working directory without DATABASE_URL: ./data/parley.db is created there and served', async () => {
    const cwd = fs.mkdtempSync(path.join(dir, 'checkout-'));
    const served = await serve({ cwd, env: {} });
    try {
      assert.ok(fs.existsSync(path.join(cwd, 'data', 'parley.db')), 'the default database lies under the working directory');
      assert.match(served.log(), /demo data added/);
      assert.equal((await sessionsOf(served.url)).length, firstCount);
    } finally {
      assert.equal((await stop(served)).code, 0);
    }
  });

  test('PARLEY_DEMO=false serves a fresh database without demo data', async () => {
    const served = await serve({ cwd: ROOT, env: { DATABASE_URL: `sqlite:${path.join(dir, 'empty.db')}`, PARLEY_DEMO: 'false' } });
    try {
      assert.doesNotMatch(served.log(), /demo data added/);
      assert.equal((await post(served.url, 'ChatSessionsForUser', TJE0)).status, 401, 'no demo users');
    } finally {
      assert.equal((await stop(served)).code, 0);
    }
  });
});
