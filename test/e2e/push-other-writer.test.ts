// Events that another process commits to a SQLite file (the CLI, a second tool) wake no one in the serving
// process; the push hub's slow safety poll still pushes them within seconds.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { openDatabase } from '../../src/storage/database.ts';
import { createStore } from '../../src/storage/store.ts';
import { openSse } from '../helpers/sse.ts';
import { startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';

let app: TestApp;
let base: string;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-other-writer-'));
const url = `sqlite:${path.join(dir, 'parley.db')}`;

before(async () => {
  app = await startTestApp({ env: { DATABASE_URL: url } });
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.server.address();
  assert.ok(address && typeof address === 'object');
  base = `http://127.0.0.1:${address.port}`;
});
after(async () => {
  await app?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('an event another process wrote to the database reaches open streams within seconds', async () => {
  const stream = await openSse(`${base}/api/v1/Push/Agent`, { authorization: TJE0 });
  const other = openDatabase(url);
  try {
    const ann1 = (await app.store.associates.byUserName('ann1'))!.id;
    const id = await createStore(other.db, other.kind).events.append({
      type: 'presence.changed',
      topicId: null,
      sessionId: null,
      associateId: null,
      createdAt: new Date(),
      payload: { userId: ann1, present: false },
    });
    const frame = await stream.take((f) => f.event === 'presence.changed', 8000); // the poll runs every 3 s
    assert.equal(Number(frame.id), id);
    assert.deepEqual(frame.json, { UserId: ann1, Present: false });
  } finally {
    stream.close();
    await other.close();
  }
});
