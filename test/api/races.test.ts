// Concurrency of the life cycle over a real socket: many agents answering the queue at the same moment, many
// agents grabbing one session, accepts racing each other, a manager's take-over and the owner's cancel, and one
// agent picking up several sessions at once. Whatever the interleaving, every session ends with exactly one
// owner, no agent holds two sessions from one race, ranks stay unique per agent, and the conversation records
// each change once. On PostgreSQL the calls really overlap (a pool of connections, row locks, SKIP LOCKED);
// on SQLite the transactions queue behind each other, and the outcome must be the same.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { hashPassword } from '../../src/auth/passwords.ts';
import { defaultSession, defaultTopic } from '../../src/domain/defaults.ts';
import { ChatMessageSpecialType, ChatSessionStatus } from '../../src/domain/enums.ts';
import { basic, startTestApp, type TestApp } from '../helpers/test-app.ts';
import { databaseKinds } from '../helpers/databases.ts';

const AGENTS = 50;
const PASSWORD = 'Race-pw1';

interface Agent {
  id: number;
  userName: string;
  auth: string;
}

for (const { kind, skip } of await databaseKinds()) {
  describe(`life-cycle races on ${kind}`, { skip }, () => {
    let app: TestApp;
    let baseUrl: string;
    let topicId: number;
    let agents: Agent[];
    let spare = 0;

    /** POST an agent method over the socket. */
    async function post(method: string, auth: string, body?: unknown) {
      const res = await fetch(`${baseUrl}api/v1/Agents/Chat/${method}`, {
        method: 'POST',
        headers: { authorization: auth, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text, json: text ? JSON.parse(text) : undefined };
    }

    /** A new agent in the race topic, present, with the given roles; its credential verified once (cached). */
    async function newAgent(hash: string, roles: { canManage?: boolean } = {}): Promise<Agent> {
      const userName = `race${String(spare++).padStart(3, '0')}`;
      const id = await app.store.associates.insert({ userName, fullName: `Racer ${userName}`, passwordHash: hash, isAdmin: false, present: true }, new Date());
      await app.store.topicAgents.upsert({ topicId, associateId: id, canRespond: true, canListen: false, canManage: !!roles.canManage, canNotify: false });
      return { id, userName, auth: basic(userName, PASSWORD) };
    }

    /** Queued sessions in the race topic, oldest first. */
    async function queue(n: number): Promise<number[]> {
      const out: number[] = [];
      const start = Date.now() - 3_600_000;
      for (let i = 0; i < n; i++) {
        out.push(
          await app.store.sessions.insert({
            ...defaultSession(new Date()),
            topicId,
            status: ChatSessionStatus.InQueue,
            customerName: `Customer ${i}`,
            whenRequested: new Date(start + i * 1000),
            sessionKey: `race-${Date.now()}-${i}-${Math.random()}`,
          }),
        );
      }
      return out;
    }

    const row = (id: number) => app.store.sessions.byId(id).then((s) => s!);
    const specialCount = async (sessionId: number, type: number) =>
      (await app.store.messages.forSession(sessionId, 0)).filter((m) => m.specialType === type).length;

    /** An active session of `owner` being transferred to `receiver`, set up through the API. */
    async function pendingTransfer(owner: Agent, receiver: Agent) {
      const [id] = await queue(1);
      const picked = await post('PickUpChatSession', owner.auth, { ChatSessionId: id });
      assert.equal(picked.json?.User?.UserName, owner.userName, picked.body);
      const offered = await post('TransferChatSession', owner.auth, { ChatSessionId: id, ToAssociate: receiver.userName });
      assert.equal(offered.json?.TransferTo?.UserName, receiver.userName, offered.body);
      return id;
    }

    /** The agent's ranks among its active sessions are distinct positive numbers. */
    async function assertRanksUnique(agent: Agent) {
      const ranks = await app.store.sessions.activeRanks(agent.id);
      assert.equal(new Set(ranks).size, ranks.length, `${agent.userName}: ${ranks}`);
    }

    before(async () => {
      app = await startTestApp({ kind });
      await app.server.listen({ port: 0, host: '127.0.0.1' });
      baseUrl = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}/`;
      topicId = await app.store.topics.insert({ ...defaultTopic(), name: 'Race track', welcomeMessage: 'Welcome to the race' });
      const hash = await hashPassword(PASSWORD);
      agents = [];
      for (let i = 0; i < AGENTS; i++) agents.push(await newAgent(hash));
      // Verify every credential once, so the race below is about the chat, not about password hashing.
      for (const a of agents) assert.equal((await post('ChatTopicsForUser', a.auth)).status, 200);
    });
    after(async () => app?.close());

    test(`${AGENTS} agents call PickUpFirstChatSession at once on ${AGENTS} queued sessions: one owner each, one session each`, async () => {
      const sessions = await queue(AGENTS);
      const results = await Promise.all(agents.map((a) => post('PickUpFirstChatSession', a.auth)));
      for (const [i, r] of results.entries()) {
        assert.equal(r.status, 200, `${agents[i].userName}: ${r.body}`);
        assert.notEqual(r.json, null, `${agents[i].userName} got nothing`);
        assert.equal(r.json.User.UserName, agents[i].userName);
        assert.equal(r.json.Rank, 1, agents[i].userName);
        assert.equal(r.json.Status, 'UserLast');
        assert.equal(r.json.TopicId, topicId);
      }
      const answered = results.map((r) => r.json.ChatSessionId as number);
      assert.equal(new Set(answered).size, AGENTS, 'no session was handed out twice');
      assert.deepEqual(
        [...answered].sort((a, b) => a - b),
        [...sessions].sort((a, b) => a - b),
      );
      const owners = new Set<number>();
      for (const id of sessions) {
        const s = await row(id);
        assert.equal(s.status, ChatSessionStatus.UserLast);
        assert.notEqual(s.userId, null);
        assert.equal(s.rank, 1);
        assert.ok(s.whenStarted);
        owners.add(s.userId!);
        assert.equal(await specialCount(id, ChatMessageSpecialType.Welcome), 1, `session ${id}: one welcome`);
      }
      assert.equal(owners.size, AGENTS, 'no agent got two');
      assert.equal(await app.store.sessions.countInQueue(topicId), 0);
      // The queue is empty now: everyone gets null, nobody an error.
      const empty = await Promise.all(agents.slice(0, 10).map((a) => post('PickUpFirstChatSession', a.auth)));
      for (const r of empty) assert.deepEqual([r.status, r.json], [200, null]);
    });

    test('10 agents race PickUpChatSession on one queued session: exactly one gets it, the others get null', async () => {
      for (let round = 0; round < 3; round++) {
        const [id] = await queue(1);
        const racers = agents.slice(round * 10, round * 10 + 10);
        const results = await Promise.all(racers.map((a) => post('PickUpChatSession', a.auth, { ChatSessionId: id })));
        for (const r of results) assert.equal(r.status, 200, r.body);
        const winners = results.map((r, i) => [r.json, racers[i]] as const).filter(([s]) => s !== null);
        assert.equal(winners.length, 1, `round ${round}: ${winners.length} winners`);
        const [won, winner] = winners[0];
        assert.equal(won.User.UserName, winner.userName);
        assert.equal(won.ChatSessionId, id);
        const s = await row(id);
        assert.equal(s.userId, winner.id);
        assert.equal(s.status, ChatSessionStatus.UserLast);
        assert.equal(await specialCount(id, ChatMessageSpecialType.Welcome), 1);
        for (const a of racers) await assertRanksUnique(a);
      }
    });

    test('one agent picking up 5 (and then 15 more) sessions at once gets ranks 1..20, no duplicates, no errors', async () => {
      const hash = await hashPassword(PASSWORD);
      const solo = await newAgent(hash);
      const ids = await queue(5);
      const results = await Promise.all(ids.map((id) => post('PickUpChatSession', solo.auth, { ChatSessionId: id })));
      for (const r of results) {
        assert.equal(r.status, 200, r.body);
        assert.equal(r.json?.User?.UserName, solo.userName, r.body);
      }
      assert.deepEqual(results.map((r) => r.json.Rank).sort(), [1, 2, 3, 4, 5]);
      assert.deepEqual((await app.store.sessions.activeRanks(solo.id)).sort(), [1, 2, 3, 4, 5]);
      const more = await Promise.all((await queue(15)).map((id) => post('PickUpChatSession', solo.auth, { ChatSessionId: id })));
      for (const r of more) assert.equal(r.status, 200, r.body);
      assert.deepEqual(
        (await app.store.sessions.activeRanks(solo.id)).sort((a, b) => a - b),
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
      // The same through PickUpFirstChatSession, for another agent.
      const first = await newAgent(hash);
      await queue(5);
      const firsts = await Promise.all([1, 2, 3, 4, 5].map(() => post('PickUpFirstChatSession', first.auth)));
      for (const r of firsts) assert.equal(r.json?.User?.UserName, first.userName, r.body);
      assert.equal(new Set(firsts.map((r) => r.json.ChatSessionId)).size, 5);
      assert.deepEqual(firsts.map((r) => r.json.Rank).sort(), [1, 2, 3, 4, 5]);
    });

    test('two concurrent AcceptChatSessionTransfer calls: one owner, TransferTo cleared, one TransferedSession message', async () => {
      const hash = await hashPassword(PASSWORD);
      const owner = await newAgent(hash);
      const receiver = await newAgent(hash);
      for (let round = 0; round < 5; round++) {
        const id = await pendingTransfer(owner, receiver);
        const results = await Promise.all([1, 2].map(() => post('AcceptChatSessionTransfer', receiver.auth, { ChatSessionId: id })));
        for (const r of results) {
          assert.equal(r.status, 200, r.body);
          assert.equal(r.json.User.UserName, receiver.userName);
          assert.equal(r.json.TransferTo, null);
        }
        const s = await row(id);
        assert.equal(s.userId, receiver.id);
        assert.equal(s.transferToId, null);
        assert.equal(s.status, ChatSessionStatus.UserLast);
        assert.equal(await specialCount(id, ChatMessageSpecialType.TransferedSession), 1, `round ${round}`);
        await assertRanksUnique(receiver);
        await assertRanksUnique(owner);
      }
    });

    test("an accept racing a manager's take-over: the manager ends up the one owner, each change recorded once", async () => {
      const hash = await hashPassword(PASSWORD);
      const owner = await newAgent(hash);
      const receiver = await newAgent(hash);
      const manager = await newAgent(hash, { canManage: true });
      for (let round = 0; round < 6; round++) {
        const id = await pendingTransfer(owner, receiver);
        const [accepted, taken] = await Promise.all([
          post('AcceptChatSessionTransfer', receiver.auth, { ChatSessionId: id }),
          post('TransferChatSession', manager.auth, { ChatSessionId: id, ToAssociate: manager.userName }),
        ]);
        assert.equal(accepted.status, 200, accepted.body);
        assert.equal(taken.status, 200, taken.body);
        assert.equal(taken.json.User.UserName, manager.userName);
        assert.equal(taken.json.TransferTo, null);
        // Either the receiver accepted first (and the manager then took it from them), or the take-over came
        // first and withdrew the offer, so the accept found nothing to accept.
        const acceptFirst = accepted.json.User.UserName === receiver.userName;
        if (!acceptFirst) assert.equal(accepted.json.User.UserName, manager.userName);
        const s = await row(id);
        assert.equal(s.userId, manager.id);
        assert.equal(s.transferToId, null);
        const notes = (await app.store.messages.forSession(id, 0)).filter((m) => m.specialType === ChatMessageSpecialType.TransferedSession);
        assert.equal(notes.length, acceptFirst ? 2 : 1, `round ${round}: one message per change of owner`);
        assert.equal(notes.at(-1)!.createdBy, manager.id);
        for (const a of [owner, receiver, manager]) await assertRanksUnique(a);
        assert.ok(!(await app.store.db.selectFrom('chat_sessions').select('id').where('id', '=', id).where('user_id', '=', receiver.id).executeTakeFirst()));
      }
    });

    test("a manager's save leaving User and TransferTo out, racing an accept: the accept is never undone", async () => {
      const hash = await hashPassword(PASSWORD);
      const owner = await newAgent(hash);
      const receiver = await newAgent(hash);
      const manager = await newAgent(hash, { canManage: true });
      for (const a of [owner, receiver, manager]) assert.equal((await post('ChatTopicsForUser', a.auth)).status, 200);
      for (let round = 0; round < 8; round++) {
        const id = await pendingTransfer(owner, receiver);
        const phone = `+47 ${round}`;
        const [accepted, saved] = await Promise.all([
          post('AcceptChatSessionTransfer', receiver.auth, { ChatSessionId: id }),
          post('SaveChatSessionEntity', manager.auth, { ChatSessionId: id, TopicId: topicId, CustomerPhone: phone }),
        ]);
        assert.equal(accepted.status, 200, accepted.body);
        assert.equal(saved.status, 200, saved.body);
        const s = await row(id);
        assert.equal(s.customerPhone, phone);
        assert.equal(s.userId, receiver.id, `round ${round}: the accept stands`);
        assert.equal(s.transferToId, null, `round ${round}: the accepted offer is not made again`);
        await assertRanksUnique(receiver);
      }
    });

    test("an accept racing the owner's cancel: exactly one of them takes effect", async () => {
      const hash = await hashPassword(PASSWORD);
      const owner = await newAgent(hash);
      const receiver = await newAgent(hash);
      for (let round = 0; round < 6; round++) {
        const id = await pendingTransfer(owner, receiver);
        const [accepted, cancelled] = await Promise.all([
          post('AcceptChatSessionTransfer', receiver.auth, { ChatSessionId: id }),
          post('RejectChatSessionTransfer', owner.auth, { ChatSessionId: id }),
        ]);
        assert.equal(accepted.status, 200, accepted.body);
        assert.equal(cancelled.status, 200, cancelled.body);
        const s = await row(id);
        assert.equal(s.transferToId, null);
        assert.ok(s.userId === owner.id || s.userId === receiver.id);
        const transferred = await specialCount(id, ChatMessageSpecialType.TransferedSession);
        assert.equal(transferred, s.userId === receiver.id ? 1 : 0);
        assert.equal(await specialCount(id, ChatMessageSpecialType.TransferRejected), 0, "an owner's cancel is not a rejection");
        assert.equal(accepted.json.User.UserName, s.userId === receiver.id ? receiver.userName : owner.userName);
        await assertRanksUnique(owner);
        await assertRanksUnique(receiver);
      }
    });
  });
}
