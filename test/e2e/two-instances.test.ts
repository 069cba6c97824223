// Two real `parley serve` processes on one PostgreSQL database: an event committed by one instance reaches a push
// stream on the other within a second (LISTEN/NOTIFY), and ten agents racing to pick up one session through both
// instances leave exactly one owner. Both stop cleanly on SIGTERM. PostgreSQL only: skipped visibly without it,
// a failure under CI=true (see databaseKinds()).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { hashPassword } from '../../src/auth/passwords.ts';
import { createPostgresDatabase, databaseKinds, type TestDatabase } from '../helpers/databases.ts';
import { openSse, type SseStream } from '../helpers/sse.ts';
import { killParleys, type ParleyProcess, serveParley } from '../helpers/parley-process.ts';

const TJE0 = `Basic ${Buffer.from('tje0:Tje0').toString('base64')}`;
const ADM0 = `Basic ${Buffer.from('adm0:Adm0').toString('base64')}`;
const SUPPORT = 1;
const RACERS = 10;

type Instance = ParleyProcess;

/** A real `parley serve` on an ephemeral port, with the demo data on a fresh database. */
const serve = (databaseUrl: string, name: string) => serveParley({ DATABASE_URL: databaseUrl, PARLEY_DEMO: 'true' }, name);

async function post(instance: Instance, url: string, auth: Record<string, string>, body?: unknown) {
  const res = await fetch(`${instance.url}${url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...auth },
    body: JSON.stringify(body ?? {}),
  });
  const text = await res.text();
  assert.ok(res.status < 300, `${url} on ${instance.url}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}
const agent = (instance: Instance, auth: string, method: string, body?: unknown) =>
  post(instance, `/api/v1/Agents/Chat/${method}`, { authorization: auth }, body);
const visitor = (instance: Instance, method: string, body: unknown, key?: string) =>
  post(instance, `/api/v1/Visitor/${method}`, key ? { 'x-session-key': key } : {}, body);

const postgres = (await databaseKinds()).find((k) => k.kind === 'postgres');

describe('Two Parley instances on one PostgreSQL database', { skip: postgres?.skip ?? 'PARLEY_TEST_DATABASES leaves PostgreSQL out' }, () => {
  let db: TestDatabase;
  let one: Instance;
  let two: Instance;
  let stream: SseStream | undefined;

  before(async () => {
    db = await createPostgresDatabase();
    // One after the other: the first fills the fresh database with the demo data, the second finds it filled.
    one = await serve(db.url, 'instance 1');
    two = await serve(db.url, 'instance 2');
  });
  after(async () => {
    stream?.close();
    killParleys();
    await db?.drop();
  });

  test('a visitor posting through instance 1 reaches an agent streaming from instance 2 within a second', async (t) => {
    assert.notEqual(one.url, two.url);
    stream = await openSse(`${two.url}/api/v1/Push/Agent`, { authorization: TJE0 });
    assert.equal(stream.status, 200);
    const opened = await visitor(one, 'OpenSession', { ChatTopicId: SUPPORT, Consented: true });
    const id = opened.Session.ChatSessionId as number;
    const created = await stream.take((f) => f.event === 'session.created' && f.json.Session.ChatSessionId === id, 2000);
    assert.equal(created.json.Session.TableRight.Mask, 'URI');
    const latencies: number[] = [];
    for (let i = 1; i <= 5; i++) {
      const text = `Through instance 1, message ${i}`;
      const sent = performance.now();
      await visitor(one, 'PostMessage', { Message: text }, opened.SessionKey);
      const got = await stream.take((f) => f.event === 'message.added' && f.json.Message.Message === text, 2000);
      latencies.push(got.at - sent);
    }
    t.diagnostic(`post to arrival across instances: ${latencies.map((l) => l.toFixed(1)).join(', ')} ms`);
    assert.ok(Math.max(...latencies) < 1000, `post on instance 1 to arrival on instance 2: ${latencies.map((l) => l.toFixed(0)).join(', ')} ms`);
    const order = stream.frames.map((f) => Number(f.id));
    assert.deepEqual(
      order,
      [...order].sort((a, b) => a - b),
      'in id order',
    );
    assert.equal(new Set(order).size, order.length, 'each once');
  });

  test(`${RACERS} agents picking up one session through both instances: exactly one owner`, async () => {
    // Ten more responders of Customer support, straight into the shared database; their roles through the API.
    const passwordHash = await hashPassword('Race1');
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const names = Array.from({ length: RACERS }, (_, i) => `race${i}`);
    try {
      for (const name of names) {
        await client.query(
          `insert into associates (user_name, full_name, password_hash, is_admin, present, group_name, deleted, credentials_changed)
          values ($1, $2, $3, 0, 1, 'Support', 0, now())`,
          [name, `Racer ${name.slice(4)}`, passwordHash],
        );
      }
    } finally {
      await client.end();
    }
    for (const name of names) {
      await agent(one, ADM0, 'AddChatTopicUserAgent', { ChatTopicId: SUPPORT, Useragent: { User: { UserName: name }, CanRespond: true } });
    }
    // Tickets, so the race is not a race of password hashing.
    const auths: string[] = [];
    for (const [i, name] of names.entries()) {
      const t = await post(i % 2 ? two : one, '/api/v1/Parley/Authentication/Ticket', {}, { UserName: name, Password: 'Race1' });
      auths.push(`SOTicket ${t.Ticket}`);
    }
    const opened = await visitor(two, 'OpenSession', { ChatTopicId: SUPPORT, Consented: true, Message: 'Who takes me?' });
    const id = opened.Session.ChatSessionId as number;
    assert.equal(opened.Session.Status, 'InQueue');

    const answers = await Promise.all(auths.map((auth, i) => agent(i % 2 ? two : one, auth, 'PickUpChatSession', { ChatSessionId: id })));
    const winners = answers.map((a, i) => (a ? i : -1)).filter((i) => i >= 0);
    assert.equal(winners.length, 1, `one pick-up succeeds: ${JSON.stringify(answers.map((a) => a?.User?.Name ?? null))}`);
    const winner = answers[winners[0]];
    const owner = winner.User.AssociateId as number;
    for (const instance of [one, two]) {
      const seen = await post(instance, `/api/v1/Agents/Chat/GetChatSessionEntity?chatSessionEntityId=${id}`, { authorization: ADM0 });
      assert.equal(seen.User.AssociateId, owner, `instance ${instance === one ? 1 : 2} agrees on the owner`);
      assert.notEqual(seen.Status, 'InQueue');
    }
    const messages = await agent(one, ADM0, 'GetChatMessages', { ChatSessionId: id, After: 0 });
    assert.equal(messages.filter((m: any) => m.SpecialType === 'Welcome').length, 1, 'one welcome message');
    // The stream on instance 2 saw the session leave the queue once.
    const left = await stream!.take((f) => f.event === 'session.changed' && f.json.Session.ChatSessionId === id && f.json.OldStatus === 'InQueue', 2000);
    assert.equal(left.json.Session.User.AssociateId, owner);
    await visitor(one, 'PostMessage', { Message: 'marker' }, opened.SessionKey);
    await stream!.take((f) => f.event === 'message.added' && f.json.Message.Message === 'marker' && f.json.Session.ChatSessionId === id, 2000);
    assert.equal(
      stream!.frames.filter((f) => f.event === 'session.changed' && f.json.Session.ChatSessionId === id && f.json.OldStatus === 'InQueue').length,
      1,
    );
  });

  test('both instances stop on SIGTERM with exit code 0, the open stream notwithstanding', async () => {
    for (const instance of [one, two]) instance.child.kill('SIGTERM');
    const [a, b] = await Promise.all([one.exited, two.exited]);
    assert.deepEqual(a, { code: 0, signal: null }, one.log());
    assert.deepEqual(b, { code: 0, signal: null }, two.log());
    await stream!.ended;
  });
});
