// Another process holds the SQLite file's write lock (a backup, a CLI command): writes wait for it without stalling
// the server, and answer 503 with Retry-After only when it is held past PARLEY_SQLITE_BUSY_WAIT_MS.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import { createApp, type App, randomKeys } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { fillDemoData } from '../../src/demo/demo-data.ts';
import { ADM0, call } from '../helpers/test-app.ts';

describe('SQLite with the write lock held by another connection', () => {
  let dir: string;
  let file: string;
  let app: App;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-locked-'));
    file = path.join(dir, 'p.db');
    app = await createApp(
      loadConfig({ DATABASE_URL: `sqlite:${file}`, PARLEY_TIMEZONE: 'Europe/Oslo', PARLEY_SWEEP_SECONDS: '0', PARLEY_SQLITE_BUSY_WAIT_MS: '2000' }),
      { logger: false },
    );
    await fillDemoData(app.store, new Date(), randomKeys.sessionKey);
  });
  after(async () => {
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Holds BEGIN IMMEDIATE on a second connection for `ms`, as `sqlite3 file "begin immediate; ..."` would. */
  function holdLock(ms: number) {
    const other = new SQLite(file);
    other.exec('begin immediate');
    return new Promise<void>((resolve) =>
      setTimeout(() => {
        other.exec('commit');
        other.close();
        resolve();
      }, ms),
    );
  }
  const save = (name: string) => call(app, 'SaveChatTopicEntity', { auth: ADM0, body: { ChatTopicId: 0, Name: name } });

  test('a write waits for a lock held briefly and succeeds; the server keeps answering meanwhile', async () => {
    const released = holdLock(600);
    const writing = save('Written after the lock');
    // While the write waits, other requests are served at once: nothing blocks the event loop.
    const started = Date.now();
    const health = await app.server.inject({ method: 'GET', url: '/health' });
    assert.equal(health.statusCode, 200);
    assert.ok(Date.now() - started < 300, `/health took ${Date.now() - started} ms`);
    const res = await writing;
    assert.equal(res.status, 200, res.body);
    await released;
    const stored = await call(app, 'GetChatTopicEntity', { auth: ADM0, query: `chatTopicEntityId=${res.json.ChatTopicId}` });
    assert.equal(stored.json?.Name, 'Written after the lock', 'the acknowledged write is there');
  });

  test('a lock held past the bound answers 503 with Retry-After, and nothing was stored', async () => {
    const released = holdLock(3000);
    const res = await save('Never written');
    assert.equal(res.status, 503, res.body);
    assert.equal(res.headers['retry-after'], '5');
    await released;
    const names = await app.store.db.selectFrom('chat_topics').select('name').execute();
    assert.ok(!names.some((t) => t.name === 'Never written'), 'nothing was stored');
    assert.equal((await save('After the lock')).status, 200, 'served again once the lock is gone');
  });
});
