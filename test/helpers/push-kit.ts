// Real-time push end to end, on every database: real sockets, `fetch` reading the event stream as it arrives.
// What each viewer gets (carriers for its rights, localized per connection), what it must not get (other topics,
// other visitors' sessions), resuming with Last-Event-ID (exactly the missed events, in order, once), resync past
// the outbox window, nothing from a rolled-back change, heartbeats, a slow client cut off with bounded buffers,
// credentials, presence and membership events.
import assert from 'node:assert/strict';
import pg from 'pg';
import { openSse, type SseFrame, type SseStream } from './sse.ts';
import { ADM0, call, type TestApp } from './test-app.ts';

export const SUPPORT = 1;

export const VERTRIEB = 4;

export const NB_SERVER_OWNED = 'Settes av serveren'; // [SR_PARLEY_FIELD_SERVER_OWNED] in nb.json

export const NB_WELCOME = 'Hei! Hva kan vi hjelpe deg med i dag?'; // [SR_PARLEY_WELCOME] in nb.json

/** A date's wall time in `zone`, to the second, as the API writes it without an offset. */
export function wallTime(d: Date, zone: string) {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

export const ids = (frames: SseFrame[]) => frames.map((f) => Number(f.id));

export function assertIncreasing(frames: SseFrame[]) {
  const list = ids(frames);
  for (let i = 1; i < list.length; i++) assert.ok(list[i] > list[i - 1], `event ids increase: ${list.join(', ')}`);
}

/** The session a frame is about (agent frames carry Session; visitor frames Session or Message). */
export const sessionOf = (f: SseFrame): number | undefined => f.json?.Session?.ChatSessionId ?? f.json?.Message?.ChatSessionId;

/** Helpers bound to one running app: streams over the real socket, API calls in memory. */
export function kit(appOf: () => TestApp, baseOf: () => string) {
  const open = new Set<SseStream>();
  const track = (s: SseStream) => {
    open.add(s);
    return s;
  };
  const agentStream = async (auth: string | undefined, query = '', headers: Record<string, string> = {}) =>
    track(await openSse(`${baseOf()}/api/v1/Push/Agent${query}`, { ...(auth ? { authorization: auth } : {}), ...headers }));
  const visitorStream = async (key: string | undefined, query = '', headers: Record<string, string> = {}) =>
    track(await openSse(`${baseOf()}/api/v1/Push/Visitor${query}`, { ...(key ? { 'x-session-key': key } : {}), ...headers }));
  const visitor = async (method: string, body: unknown, key?: string) => {
    const r = await appOf().server.inject({
      method: 'POST',
      url: `/api/v1/Visitor/${method}`,
      headers: { 'content-type': 'application/json', ...(key ? { 'x-session-key': key } : {}) },
      payload: JSON.stringify(body),
    });
    assert.ok(r.statusCode < 300, `${method}: ${r.statusCode} ${r.body}`);
    return r.body ? JSON.parse(r.body) : undefined;
  };
  const openVisitor = async (message?: string, topic = SUPPORT) => {
    const o = await visitor('OpenSession', { ChatTopicId: topic, Consented: true, ...(message ? { Message: message } : {}) });
    return { key: o.SessionKey as string, id: o.Session.ChatSessionId as number, session: o.Session };
  };
  const post = (key: string, text: string) => visitor('PostMessage', { Message: text }, key);
  const agent = async (auth: string, method: string, body?: unknown, headers?: Record<string, string>) => {
    const r = await call(appOf(), method, { auth, body, headers });
    assert.ok(r.status < 300, `${method}: ${r.status} ${r.body}`);
    return r.json;
  };
  const say = (auth: string, sessionId: number, text: string) => agent(auth, 'AddChatMessage', { ChatSessionId: sessionId, Message: { Message: text } });
  const userId = async (name: string) => (await appOf().store.associates.byUserName(name))!.id;
  const setPresent = async (name: string, present: boolean) =>
    agent(ADM0, 'SaveChatPresence', { ChatPresence: [{ UserId: await userId(name), Present: present }] });
  /** A live session of `user` in `topic`, from the demo data. */
  const demoSession = async (auth: string, customerName: string) => {
    const list = await agent(auth, 'ChatSessionsForUser');
    const s = list.find((x: any) => x.CustomerName === customerName);
    assert.ok(s, `demo session of ${customerName}`);
    return s.ChatSessionId as number;
  };
  const closeAll = () => {
    for (const s of open) s.close();
    open.clear();
  };
  return { agentStream, visitorStream, visitor, openVisitor, post, agent, say, userId, setPresent, demoSession, closeAll };
}

export async function listen(app: TestApp) {
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.server.address();
  assert.ok(address && typeof address === 'object');
  return `http://127.0.0.1:${address.port}`;
}

/** Appends an outbox row behind the app's back (as another instance would), without waking this instance. */
export async function rawEvent(app: TestApp, e: { type: string; payload: unknown }): Promise<number> {
  const insert = (db: typeof app.store.db) =>
    db
      .insertInto('outbox_events')
      .values({
        type: e.type,
        topic_id: null,
        session_id: null,
        associate_id: null,
        payload: JSON.stringify(e.payload),
        created_at: new Date().toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
  if (app.testDb.kind === 'sqlite') return Number((await insert(app.store.db)).id);
  // PostgreSQL announces every insert (migration 005); keep this one quiet, as if this instance missed the NOTIFY.
  const client = new pg.Client({ connectionString: app.testDb.url });
  await client.connect();
  try {
    await client.query('begin');
    await client.query('alter table outbox_events disable trigger outbox_events_notify');
    const row = await client.query(
      `insert into outbox_events (type, topic_id, session_id, associate_id, payload, created_at)
      values ($1, null, null, null, $2, now()) returning id`,
      [e.type, JSON.stringify(e.payload)],
    );
    await client.query('alter table outbox_events enable trigger outbox_events_notify');
    await client.query('commit');
    return Number(row.rows[0].id);
  } finally {
    await client.end();
  }
}
