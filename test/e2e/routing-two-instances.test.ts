// Routing with two real `parley serve` processes on one PostgreSQL database: random steps (seeded) go through
// either instance (customers arriving, chats ending, agents coming and going, capacities changing, agents picking
// up by hand at the same moment through both); each instance routes what its own commits and the other's NOTIFY
// tell it of. After every step, once routing has settled: nobody over capacity, nothing both active and offered,
// nothing queued while an agent has room. PostgreSQL only.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { hashPassword } from '../../src/auth/passwords.ts';
import { ChatSessionStatus as S } from '../../src/domain/enums.ts';
import { openDatabase, type OpenDatabase } from '../../src/storage/database.ts';
import { createPostgresDatabase, databaseKinds, type TestDatabase } from '../helpers/databases.ts';
import { killParleys, type ParleyProcess, serveParley } from '../helpers/parley-process.ts';
import { checkRouting, seeded } from '../helpers/routing-kit.ts';

const ADM0 = `Basic ${Buffer.from('adm0:Adm0').toString('base64')}`;
const AGENTS = 6;
const STEPS = 40;
const SEED = 7;

async function post(instance: ParleyProcess, url: string, headers: Record<string, string>, body?: unknown) {
  const res = await fetch(`${instance.url}${url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify(body ?? {}),
  });
  const text = await res.text();
  assert.ok(res.status < 300, `${url} on ${instance.url}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

const postgres = (await databaseKinds()).find((k) => k.kind === 'postgres');

describe('Routing across two Parley instances on one PostgreSQL database', { skip: postgres?.skip ?? 'PARLEY_TEST_DATABASES leaves PostgreSQL out' }, () => {
  let db: TestDatabase;
  let instances: ParleyProcess[];
  let reader: OpenDatabase;

  before(async () => {
    db = await createPostgresDatabase();
    // The safety timer is an hour: whatever routing does here, a commit or a NOTIFY set it off.
    const env = { DATABASE_URL: db.url, PARLEY_DEMO: 'true', PARLEY_ROUTING_SAFETY_SECONDS: '3600' };
    const first = await serveParley(env, 'instance 1');
    instances = [first, await serveParley(env, 'instance 2')];
    reader = openDatabase(db.url);
  });
  after(async () => {
    killParleys();
    await reader?.close();
    await db?.drop();
  });

  test(`seed ${SEED}: ${STEPS} random steps through both instances keep every routing rule`, async () => {
    const rnd = seeded(SEED);
    const [one, two] = instances;
    const admin = (i: ParleyProcess, method: string, body: unknown) => post(i, `/api/v1/Agents/Chat/${method}`, { authorization: ADM0 }, body);
    const topic = await admin(one, 'SaveChatTopicEntity', { ChatTopicId: 0, Name: 'Routed' });
    const topicId = topic.ChatTopicId as number;

    const passwordHash = await hashPassword('Route1');
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const ids: number[] = [];
    try {
      for (let i = 0; i < AGENTS; i++) {
        const r = await client.query(
          `insert into associates (user_name, full_name, password_hash, is_admin, present, group_name, deleted, credentials_changed)
          values ($1, $2, $3, 0, 1, 'Support', 0, now()) returning id`,
          [`route${i}`, `Router ${i}`, passwordHash],
        );
        ids.push(r.rows[0].id);
      }
    } finally {
      await client.end();
    }
    const auth = new Map<number, string>();
    for (const [i, id] of ids.entries()) {
      await admin(rnd.pick(instances), 'AddChatTopicUserAgent', { ChatTopicId: topicId, Useragent: { User: { AssociateId: id }, CanRespond: true } });
      const t = await post(i % 2 ? two : one, '/api/v1/Parley/Authentication/Ticket', {}, { UserName: `route${i}`, Password: 'Route1' });
      auth.set(id, `SOTicket ${t.Ticket}`);
    }
    const capacity = new Map(ids.map((id) => [id, 1 + rnd.int(2)]));
    const saveCapacities = (via: ParleyProcess) =>
      post(
        via,
        '/api/v1/Parley/Routing/SaveSettings',
        { authorization: ADM0 },
        {
          TopicId: topicId,
          Mode: 'Auto',
          PickUpOverCapacity: false,
          Agents: ids.map((id) => ({ AgentId: id, Capacity: capacity.get(id) })),
        },
      );
    await saveCapacities(one);

    const active = async () =>
      (
        await reader.db
          .selectFrom('chat_sessions')
          .select(['id', 'user_id'])
          .where('topic_id', '=', topicId)
          .where('status', 'in', [S.CustomerLast, S.UserLast])
          .execute()
      ).filter((r) => r.user_id !== null);

    let loads = new Map<number, number>();
    const log: string[] = [];
    let queuedEver = 0;
    for (let step = 1; step <= STEPS; step++) {
      const via = rnd.pick(instances);
      const roll = rnd.next();
      if (roll < 0.4) {
        const opened = await post(via, '/api/v1/Visitor/OpenSession', {}, { ChatTopicId: topicId, Consented: true, Message: `Step ${step}` });
        if (opened.Session.Status === 'InQueue') queuedEver++;
        log.push(`${step}: a customer arrives through ${via.url} (${opened.Session.Status})`);
      } else if (roll < 0.6) {
        const chats = await active();
        if (!chats.length) continue;
        const chat = rnd.pick(chats);
        await post(
          via,
          '/api/v1/Agents/Chat/SaveChatSessionEntity',
          { authorization: auth.get(chat.user_id!)! },
          { ChatSessionId: chat.id, Status: 'Finished' },
        );
        log.push(`${step}: chat ${chat.id} ends through ${via.url}`);
      } else if (roll < 0.72) {
        const id = rnd.pick(ids);
        const present = rnd.next() < 0.6;
        await admin(via, 'SaveChatPresence', { ChatPresence: [{ UserId: id, Present: present }] });
        log.push(`${step}: agent ${id} ${present ? 'comes back' : 'goes away'} through ${via.url}`);
      } else if (roll < 0.82) {
        const id = rnd.pick(ids);
        capacity.set(id, 1 + rnd.int(3));
        await saveCapacities(via);
        log.push(`${step}: agent ${id} gets capacity ${capacity.get(id)} through ${via.url}`);
      } else {
        // Customers arrive on one instance while agents pick up by hand on both.
        const racers = [rnd.pick(ids), rnd.pick(ids), rnd.pick(ids)];
        await Promise.all([
          post(one, '/api/v1/Visitor/OpenSession', {}, { ChatTopicId: topicId, Consented: true }),
          post(two, '/api/v1/Visitor/OpenSession', {}, { ChatTopicId: topicId, Consented: true }),
          ...racers.map((id, i) => post(i % 2 ? two : one, '/api/v1/Agents/Chat/PickUpFirstChatSession', { authorization: auth.get(id)! })),
        ]);
        log.push(`${step}: two customers arrive while agents ${racers.join(', ')} pick up through both instances`);
      }
      // Routing runs on its own here: wait (bounded) until the rules hold, and say which did not.
      let violations: string[] = [];
      const until = Date.now() + 5_000;
      for (;;) {
        const snapshot = await checkRouting(reader.db, [topicId], capacity, loads);
        violations = snapshot.violations;
        if (!violations.length) {
          loads = snapshot.load;
          break;
        }
        if (Date.now() > until) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.deepEqual(violations, [], `after:\n${log.slice(-6).join('\n')}`);
    }
    const assigned = await reader.db.selectFrom('outbox_events').select('id').where('type', '=', 'chatsession.assigned').execute();
    assert.ok(queuedEver > 0 && assigned.length > 0, `customers queued (${queuedEver}) and routing assigned (${assigned.length})`);
  });
});
