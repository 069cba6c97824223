// PostgreSQL ends every backend of Parley's database, five times in a row, while a real `parley serve` is under load:
// customers posting, an agent's push stream open, a webhook delivery waiting on a slow receiver. The process lives
// on; every call is answered 200 or 503 (never a reset, never a 500); every acknowledged message is stored, reaches
// the push stream (resumed with Last-Event-ID if it ends) and the webhook, none missing; service returns within a
// second of the last cut.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { createPostgresDatabase, databaseKinds, type TestDatabase } from '../helpers/databases.ts';
import { BIN, cleanEnv, killParleys, ROOT, serveParley } from '../helpers/parley-process.ts';
import { openSse, sleep, type SseStream } from '../helpers/sse.ts';

const TJE0 = `Basic ${Buffer.from('tje0:Tje0').toString('base64')}`;
const WRITERS = 4;
const CUTS = 5;

/** Receives webhook deliveries; the first `slow` of them wait `delayMs` before answering (a slow CRM). */
async function slowReceiver(slow: number, delayMs: number) {
  const messages = new Map<string, string>(); // EventId → message text
  let seen = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req
      .setEncoding('utf8')
      .on('data', (d: string) => {
        body += d;
      })
      .on('end', async () => {
        if (seen++ < slow) await sleep(delayMs);
        const payload = JSON.parse(body);
        if (payload.Event === 'chatsession.message') messages.set(payload.EventId, payload.FieldValues['chatMessage.message']);
        res.writeHead(200).end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    messages,
    close: () =>
      new Promise((r) => {
        server.close(r);
        server.closeAllConnections();
      }),
  };
}

/** Every backend of the database but the caller's own: PostgreSQL restarting, as the application sees it. */
async function terminateBackends(url: string): Promise<number> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const { rows } = await admin.query(
      'select pg_terminate_backend(pid) as ended from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    return rows.length;
  } finally {
    await admin.end();
  }
}

const postgres = (await databaseKinds()).find((k) => k.kind === 'postgres');

describe("PostgreSQL ends Parley's connections under load", { skip: postgres?.skip ?? 'PARLEY_TEST_DATABASES leaves PostgreSQL out' }, () => {
  let db: TestDatabase | undefined;
  let receiver: Awaited<ReturnType<typeof slowReceiver>> | undefined;
  let stream: SseStream | undefined;
  after(async () => {
    stream?.close();
    killParleys();
    await receiver?.close();
    await db?.drop();
  });

  test(`${CUTS} cuts of every backend: the process lives, calls get 200 or 503, nothing acknowledged is lost or missed`, { timeout: 120_000 }, async (t) => {
    db = await createPostgresDatabase();
    receiver = await slowReceiver(3, 1500);
    const env = {
      DATABASE_URL: db.url,
      PARLEY_DEMO: 'true',
      PARLEY_WEBHOOK_RETRY_BASE_MS: '200',
      PARLEY_WEBHOOK_RETRY_MAX_MS: '1000',
      PARLEY_WEBHOOK_POLL_MS: '500',
      PARLEY_VISITOR_WRITES_PER_MINUTE: '0',
      PARLEY_VISITOR_REQUESTS_PER_MINUTE: '0',
    };
    const parley = await serveParley(env);
    execFileSync(process.execPath, [BIN, 'webhook', 'add', 'slow-crm', receiver.url], { cwd: ROOT, env: cleanEnv(env) });

    const call = async (path: string, body: unknown, headers: Record<string, string>) => {
      const res = await fetch(`${parley.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : undefined };
    };
    const statuses: number[] = [];
    const acknowledged: string[] = [];
    const sessions: number[] = [];

    // The agent's stream, opened again where it left off whenever it ends. Its answer comes once it is attached, and
    // customers start posting only then: a message committed before a stream exists is not that stream's to get.
    const seenOnStream = new Set<string>();
    let streaming = true;
    let listening!: () => void;
    const firstOpen = new Promise<void>((resolve) => {
      listening = resolve;
    });
    const follow = (async () => {
      let lastId: string | undefined;
      while (streaming) {
        try {
          stream = await openSse(`${parley.url}/api/v1/Push/Agent`, { authorization: TJE0, ...(lastId ? { 'last-event-id': lastId } : {}) });
        } catch {
          await sleep(100);
          continue;
        }
        if (stream.status !== 200) {
          await sleep(200);
          continue;
        }
        listening();
        let read = 0;
        while (!stream.isEnded() && streaming) {
          for (; read < stream.frames.length; read++) {
            const f = stream.frames[read];
            if (f.event === 'message.added') seenOnStream.add(f.json.Message.Message);
          }
          lastId = stream.lastEventId ?? lastId;
          await sleep(20);
        }
        for (; read < stream.frames.length; read++)
          if (stream.frames[read].event === 'message.added') seenOnStream.add(stream.frames[read].json.Message.Message);
        lastId = stream.lastEventId ?? lastId;
      }
    })();

    await firstOpen;
    let writing = true;
    const writers = Array.from({ length: WRITERS }, async (_, w) => {
      let opened: Awaited<ReturnType<typeof call>>;
      do opened = await call('/api/v1/Visitor/OpenSession', { ChatTopicId: 1, Consented: true }, {});
      while (opened.status !== 200);
      sessions.push(opened.json.Session.ChatSessionId);
      for (let i = 0; writing; i++) {
        const text = `writer ${w} message ${i}`;
        const res = await call('/api/v1/Visitor/PostMessage', { Message: text }, { 'x-session-key': opened.json.SessionKey });
        statuses.push(res.status);
        if (res.status === 200) acknowledged.push(text);
        else await sleep(50);
      }
    });

    await sleep(800);
    let ended = 0;
    for (let cut = 0; cut < CUTS; cut++) {
      ended += await terminateBackends(db.url);
      await sleep(600);
    }
    const lastCut = Date.now();
    let back = 0;
    while (back !== 200 && Date.now() - lastCut < 10_000) {
      back = (await call('/api/v1/Agents/Chat/ChatSessionsForUser', {}, { authorization: TJE0 })).status;
      if (back !== 200) await sleep(20);
    }
    const returnedAfter = Date.now() - lastCut;
    writing = false;
    await Promise.all(writers);

    const errorLines = () =>
      parley
        .log()
        .split('\n')
        .filter((l) => /"level":(50|60)/.test(l))
        .join('\n')
        .slice(0, 5000);
    assert.ok(parley.alive(), `the process is alive:\n${parley.log().slice(-3000)}`);
    assert.ok(ended >= CUTS * 3, `backends ended: ${ended}`);
    assert.equal(back, 200);
    assert.ok(returnedAfter < 1000, `served again ${returnedAfter} ms after the last cut`);
    const counts: Record<number, number> = {};
    for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
    assert.deepEqual(
      Object.keys(counts).filter((s) => s !== '200' && s !== '503'),
      [],
      `statuses: ${JSON.stringify(counts)}\n${errorLines()}`,
    );
    assert.ok(acknowledged.length >= 20, `messages acknowledged: ${acknowledged.length} (${JSON.stringify(counts)})`);

    // Stored: every acknowledged message is in its session.
    const stored = new Set<string>();
    for (const id of sessions) {
      const res = await call('/api/v1/Agents/Chat/GetChatMessages', { ChatSessionId: id, After: 0 }, { authorization: TJE0 });
      assert.equal(res.status, 200);
      for (const m of res.json) stored.add(m.Message);
    }
    assert.deepEqual(
      acknowledged.filter((t) => !stored.has(t)),
      [],
      'acknowledged and stored',
    );
    // Pushed and delivered: none missing once the stream and the webhook have caught up.
    for (const end = Date.now() + 30_000; Date.now() < end; ) {
      const hooked = new Set(receiver.messages.values());
      if (acknowledged.every((t) => seenOnStream.has(t) && hooked.has(t))) break;
      await sleep(200);
    }
    streaming = false;
    stream?.close();
    await follow;
    assert.deepEqual(
      acknowledged.filter((t) => !seenOnStream.has(t)),
      [],
      'every acknowledged message reached the push stream',
    );
    const hooked = new Set(receiver.messages.values());
    assert.deepEqual(
      acknowledged.filter((t) => !hooked.has(t)),
      [],
      'every acknowledged message reached the webhook',
    );
    assert.equal(errorLines(), '', 'no error lines: the outage is reported once, as a warning');
    t.diagnostic(
      `backends ended ${ended}; posts ${JSON.stringify(counts)}; acknowledged ${acknowledged.length}, all stored, pushed and delivered; served again ${returnedAfter} ms after the last cut`,
    );
    const outages = [...parley.log().matchAll(/"msg":"database unreachable/g)].length;
    assert.ok(outages >= 1 && outages <= CUTS, `outages logged: ${outages}`);
  });
});
