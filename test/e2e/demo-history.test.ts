// `parley demo --history`: history goes into a fresh database with the demo data, and more into one that has it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { openDatabase } from '../../src/storage/database.ts';
import { BIN, cleanEnv, ROOT } from '../helpers/parley-process.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-history-'));
const env = { DATABASE_URL: `sqlite:${path.join(dir, 'demo.db')}`, PARLEY_TIMEZONE: 'Europe/Oslo' };
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const parley = (...args: string[]) => promisify(execFile)(process.execPath, [BIN, ...args], { cwd: ROOT, env: cleanEnv(env) });
const sessions = async () => {
  const opened = openDatabase(env.DATABASE_URL);
  try {
    return Number(
      (
        await opened.db
          .selectFrom('chat_sessions')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  } finally {
    await opened.close();
  }
};

test('demo --history 14d adds the demo data and two weeks of chats; a second --history adds more; bad spans are refused', { timeout: 120_000 }, async () => {
  const first = await parley('demo', '--history', '14d', '--per-day', '20');
  assert.match(first.stdout, /demo data added/);
  const added = Number(/history added: (\d+) chats over 14 days/.exec(first.stdout)?.[1]);
  assert.ok(added > 14 * 10 && added < 14 * 30, `${added} chats`);
  const afterFirst = await sessions();
  const second = await parley('demo', '--history', '1w', '--per-day', '20');
  assert.doesNotMatch(second.stdout, /demo data added/, 'the demo data goes in once');
  const more = Number(/history added: (\d+) chats over 7 days/.exec(second.stdout)?.[1]);
  assert.equal(await sessions(), afterFirst + more);
  await assert.rejects(parley('demo', '--history', 'soon'), /not a span like 90d/);
  await assert.rejects(parley('demo'), /already has users/);
});
