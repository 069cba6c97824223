// Routing (Parley/Routing/*): settings and their rights, who gets the next chat, capacity, offers (accept, decline,
// time out, missed offers setting an agent away), re-routing the moment room frees, chats returned when their agent
// goes away, and manual pick-up kept within capacity where the topic says so. On SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ChatSessionStatus as S } from '../../src/domain/enums.ts';
import { buildPayload } from '../../src/webhooks/webhook-payload.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { activeSession, queuedSession } from '../helpers/factories.ts';
import { eventually, ownerOf, owners, routingCall, routingEvents, routingTeam, saveRouting, statusOf } from '../helpers/routing-kit.ts';
import { ADM0, call, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

for (const { kind, skip } of await databaseKinds()) {
  describe(`Routing on ${kind}`, { skip }, () => {
    let app: TestApp;
    let skew = 0;
    before(async () => {
      // The safety timer is out of the way: every re-routing these tests see was set off by the change itself.
      app = await startTestApp({ kind, env: { PARLEY_ROUTING_SAFETY_SECONDS: '3600' }, clock: { now: () => new Date(Date.now() + skew) } });
    });
    after(async () => app?.close());

    test('settings: the defaults, every responder listed, managers only, partial saves, bad values refused, audited', async () => {
      const team = await routingTeam(app, 2);
      const got = await routingCall(app, 'GetSettings', ADM0, { TopicId: team.topicId });
      assert.equal(got.status, 200, got.body);
      assert.deepEqual(
        { ...got.json, Agents: undefined },
        {
          TopicId: team.topicId,
          Mode: 'Manual',
          Delivery: 'Assign',
          OfferSeconds: 30,
          MissedOffersBeforeAway: 0,
          DefaultCapacity: 3,
          PickUpOverCapacity: true,
          ReturnChatsWhenAway: false,
          Agents: undefined,
        },
      );
      assert.deepEqual(
        got.json.Agents.map((a: any) => [a.AgentId, a.Capacity, a.Priority, a.ActiveChats, a.Present]),
        team.agents.map((a) => [a.id, null, 1, 0, true]),
      );
      // An agent of the topic is not its manager; tje0 has no role in it at all.
      assert.equal((await routingCall(app, 'GetSettings', team.agents[0].auth, { TopicId: team.topicId })).status, 403);
      assert.equal((await routingCall(app, 'GetSettings', TJE0, { TopicId: team.topicId })).status, 403);
      assert.equal((await routingCall(app, 'GetSettings', ADM0, { TopicId: 999_999 })).status, 404);

      const saved = await saveRouting(app, {
        TopicId: team.topicId,
        Mode: 'auto',
        DefaultCapacity: 2,
        Agents: [{ AgentId: team.agents[1].id, Capacity: 4, Priority: 2 }],
      });
      assert.equal(saved.status, 200, saved.body);
      assert.equal(saved.json.Mode, 'Auto');
      assert.equal(saved.json.Delivery, 'Assign', 'left out: kept');
      assert.equal(saved.json.DefaultCapacity, 2);
      assert.deepEqual(
        saved.json.Agents.map((a: any) => [a.AgentId, a.Capacity, a.Priority]),
        [
          [team.agents[0].id, null, 1],
          [team.agents[1].id, 4, 2],
        ],
      );
      // A save without Agents keeps each agent's own values.
      const again = await saveRouting(app, { TopicId: team.topicId, Mode: 'Manual' });
      assert.deepEqual(again.json.Agents[1].Capacity, 4);

      for (const [body, words] of [
        [{ Mode: 'Sometimes' }, /Mode: 'Sometimes' is not a ParleyRoutingMode value \(Manual, Auto\)/],
        [{ Delivery: 'Push' }, /Delivery/],
        [{ DefaultCapacity: 0 }, /DefaultCapacity: a whole number from 1 to 100/],
        [{ OfferSeconds: 1 }, /OfferSeconds/],
        [{ Agents: [{ AgentId: team.agents[0].id, Capacity: 101 }] }, /Capacity of user/],
        [{ Agents: [{ AgentId: team.agents[0].id, Priority: 0 }] }, /Priority of user/],
        [{ Agents: [{ AgentId: team.agents[0].id }, { AgentId: team.agents[0].id }] }, /listed twice/],
        [{ Agents: [{ AgentId: 1 }] }, /cannot respond in chat topic/],
      ] as const) {
        const res = await saveRouting(app, { TopicId: team.topicId, ...body });
        assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.body}`);
        assert.match(res.json.ErrorMessage, words);
      }
      const audit = await call(app, '/api/v1/Parley/Audit/List', { auth: ADM0, body: { Kind: 'routing.changed' } });
      const entries = audit.json.filter((e: any) => e.Subject === `topic ${team.topicId}`);
      assert.deepEqual(
        entries.map((e: any) => [JSON.parse(e.OldValues).mode, JSON.parse(e.NewValues).mode]),
        [
          ['auto', 'manual'],
          ['manual', 'auto'],
        ],
      );
      assert.deepEqual(JSON.parse(entries[1].NewValues).agents, [{ associateId: team.agents[1].id, capacity: 4, priority: 2 }]);
    });

    test('auto: the oldest chats go to the agents with the fewest chats, within capacity; the rest wait; room freed is filled at once', async () => {
      const team = await routingTeam(app, 2);
      const [a, b] = team.agents;
      await saveRouting(app, { TopicId: team.topicId, Mode: 'Auto', DefaultCapacity: 1 });
      const first = await queuedSession(app, team.topicId, { whenRequested: minutesAgo(3) });
      const second = await queuedSession(app, team.topicId, { whenRequested: minutesAgo(2) });
      const third = await queuedSession(app, team.topicId, { whenRequested: minutesAgo(1) });
      const mark = await app.store.events.lastId();
      await app.router.settle();
      assert.equal(await ownerOf(app, first), a.id, 'the oldest chat, to the agent who never had one (lowest id among equals)');
      assert.equal(await ownerOf(app, second), b.id, 'the next, to the agent with fewer chats');
      assert.equal(await statusOf(app, third), S.InQueue, 'both agents are at capacity');
      const welcome = await call(app, 'GetChatMessages', { auth: a.auth, body: { ChatSessionId: first, After: 0 } });
      assert.ok(
        welcome.json.some((m: any) => m.SpecialType === 'Welcome'),
        'assigned as a pick-up is: with the welcome message',
      );
      const events = await routingEvents(app, mark);
      assert.deepEqual(
        events.map((e) => [e.type, e.sessionId, e.payload.userId, e.payload.byOffer]),
        [
          ['chatsession.assigned', first, a.id, false],
          ['chatsession.assigned', second, b.id, false],
        ],
      );
      assert.ok((events[0].payload.waitSeconds as number) >= 179, 'waited from WhenRequested');

      // b ends their chat: the third goes to b without any poll (the safety timer is an hour here).
      const end = await call(app, 'SaveChatSessionEntity', { auth: b.auth, body: { ChatSessionId: second, Status: 'Finished' } });
      assert.equal(end.status, 200, end.body);
      await eventually(async () => (await ownerOf(app, third)) === b.id, 'the third chat to reach b');
      const metrics = await app.server.inject({ method: 'GET', url: '/metrics' });
      assert.match(metrics.body, /parley_routing_assignments_total [1-9]/);
      assert.match(metrics.body, /parley_routing_queue_to_assignment_seconds_count [1-9]/);
    });

    test('a long queue in a full topic does not hide a newer chat of another topic from an agent with room', async () => {
      const busy = await routingTeam(app, 1, { present: false });
      const quiet = await routingTeam(app, 1);
      for (const t of [busy, quiet]) await saveRouting(app, { TopicId: t.topicId, Mode: 'Auto' });
      // More than a routing pass reads at once (200), all older than the other topic's chat; nobody there to take them.
      for (let i = 0; i < 205; i++) await queuedSession(app, busy.topicId, { whenRequested: minutesAgo(60 - i / 10) });
      const lone = await queuedSession(app, quiet.topicId, { whenRequested: minutesAgo(1) });
      await app.router.settle();
      assert.equal(await ownerOf(app, lone), quiet.agents[0].id);
    });

    test('ties go to who waited longest since their last chat; the primary team before overflow agents', async () => {
      const team = await routingTeam(app, 3);
      const [a, b, overflow] = team.agents;
      await saveRouting(app, {
        TopicId: team.topicId,
        Mode: 'Auto',
        DefaultCapacity: 2,
        Agents: [{ AgentId: overflow.id, Priority: 2, Capacity: 5 }],
      });
      const ids = [];
      for (let i = 0; i < 5; i++) ids.push(await queuedSession(app, team.topicId, { whenRequested: minutesAgo(10 - i) }));
      for (const id of ids) {
        await app.router.settle();
        if ((await statusOf(app, id)) === S.InQueue) assert.fail(`chat ${id} was not routed`);
      }
      // a, b, then a again (a waited longer since its last chat than b), b again; both full: overflow.
      assert.deepEqual(await Promise.all(ids.map((id) => ownerOf(app, id))), [a.id, b.id, a.id, b.id, overflow.id]);
    });

    test('away agents get nothing; an agent coming back, a capacity raised, a new agent: each routes the queue at once', async () => {
      const team = await routingTeam(app, 1, { present: false });
      const [a] = team.agents;
      await saveRouting(app, { TopicId: team.topicId, Mode: 'Auto', DefaultCapacity: 1 });
      const one = await queuedSession(app, team.topicId, { whenRequested: minutesAgo(3) });
      const two = await queuedSession(app, team.topicId, { whenRequested: minutesAgo(2) });
      const three = await queuedSession(app, team.topicId, { whenRequested: minutesAgo(1) });
      await app.router.settle();
      assert.equal(await statusOf(app, one), S.InQueue);

      const back = await call(app, 'SaveChatPresence', { auth: a.auth, body: { ChatPresence: [{ UserId: a.id, Present: true }] } });
      assert.equal(back.status, 204, back.body);
      await eventually(async () => (await ownerOf(app, one)) === a.id, 'the oldest chat to reach a when a came back');
      assert.equal(await statusOf(app, two), S.InQueue);

      await saveRouting(app, { TopicId: team.topicId, Agents: [{ AgentId: a.id, Capacity: 2 }] });
      await eventually(async () => (await ownerOf(app, two)) === a.id, 'the next chat to reach a when its capacity rose');

      // A user of another topic is made a responder here: the membership change routes the last chat to them.
      const [newcomer] = (await routingTeam(app, 1)).agents;
      const roles = await call(app, 'AddChatTopicUserAgent', {
        auth: ADM0,
        body: { ChatTopicId: team.topicId, Useragent: { TopicId: team.topicId, User: { AssociateId: newcomer.id }, CanRespond: true } },
      });
      assert.equal(roles.status, 200, roles.body);
      await eventually(async () => (await ownerOf(app, three)) === newcomer.id, 'the last chat to reach the new agent');
    });

    test('offers: declined goes to the next agent; accepted makes the chat theirs; the console can list them', async () => {
      const team = await routingTeam(app, 2);
      const [a, b] = team.agents;
      await saveRouting(app, { TopicId: team.topicId, Mode: 'Auto', Delivery: 'Offer', OfferSeconds: 60 });
      const id = await queuedSession(app, team.topicId);
      const mark = await app.store.events.lastId();
      await app.router.settle();
      const status = await routingCall(app, 'Status', a.auth);
      assert.equal(status.status, 200, status.body);
      assert.deepEqual(
        status.json.Offers.map((o: any) => [o.ChatSessionId, o.AgentId]),
        [[id, a.id]],
      );
      assert.equal(status.json.ActiveChats, 1, 'an open offer holds a place');
      assert.deepEqual(status.json.Topics, [{ TopicId: team.topicId, Mode: 'Auto', Capacity: 3 }]);
      assert.equal(await statusOf(app, id), S.InQueue, 'still queued while offered');
      // Only the agent it was offered to can answer it.
      assert.equal((await routingCall(app, 'AcceptOffer', b.auth, { ChatSessionId: id })).json, null);
      assert.equal((await routingCall(app, 'DeclineOffer', b.auth, { ChatSessionId: id })).json, false);

      assert.equal((await routingCall(app, 'DeclineOffer', a.auth, { ChatSessionId: id })).json, true);
      await app.router.settle();
      assert.deepEqual(
        (await routingCall(app, 'Status', b.auth)).json.Offers.map((o: any) => o.ChatSessionId),
        [id],
      );
      const accepted = await routingCall(app, 'AcceptOffer', b.auth, { ChatSessionId: id });
      assert.equal(accepted.status, 200, accepted.body);
      assert.equal(accepted.json.ChatSessionId, id);
      assert.equal(accepted.json.Status, 'UserLast', 'the welcome message answered the customer');
      assert.equal(await ownerOf(app, id), b.id);
      assert.equal((await routingCall(app, 'AcceptOffer', b.auth, { ChatSessionId: id })).json, null, 'once');
      assert.deepEqual(
        (await routingEvents(app, mark)).map((e) => [e.type, e.payload.userId, e.payload.outcome ?? e.payload.byOffer]),
        [
          ['chatsession.offered', a.id, undefined],
          ['chatsession.offer_ended', a.id, 'declined'],
          ['chatsession.offered', b.id, undefined],
          ['chatsession.offer_ended', b.id, 'accepted'],
          ['chatsession.assigned', b.id, true],
        ],
      );
      const offered = (await app.store.events.after(mark, 10, ['chatsession.offered']))[0];
      const payload = buildPayload({ id: 1, name: 'hook', createdAt: new Date() }, offered as never);
      assert.equal(payload.Event, 'chatsession.offered');
      assert.equal(payload.FieldValues['offer.userId'], a.id);
      assert.match(String(payload.FieldValues['offer.expiresAt']), /^\d{4}-\d\d-\d\dT/);
    });

    test('offers time out to the next agent; missed offers in a row set an agent away', async () => {
      const team = await routingTeam(app, 2);
      const [a, b] = team.agents;
      await saveRouting(app, { TopicId: team.topicId, Mode: 'Auto', Delivery: 'Offer', OfferSeconds: 10, MissedOffersBeforeAway: 2 });
      const one = await queuedSession(app, team.topicId, { whenRequested: minutesAgo(2) });
      await app.router.settle();
      assert.equal((await app.store.routing.offerFor(one))?.associateId, a.id);
      skew += 11_000;
      await app.router.settle();
      assert.equal((await app.store.routing.offerFor(one))?.associateId, b.id, 'a let it time out: b is next');
      assert.equal((await app.store.associates.byId(a.id))?.present, true, 'one missed offer: still present');

      // b declines: nobody left who has not missed this chat; it waits.
      await routingCall(app, 'DeclineOffer', b.auth, { ChatSessionId: one });
      await app.router.settle();
      assert.equal(await app.store.routing.offerFor(one), undefined);
      assert.equal(await statusOf(app, one), S.InQueue);
      const missed = await app.store.db
        .selectFrom('routing_declines')
        .select(['associate_id', 'outcome'])
        .where('session_id', '=', one)
        .orderBy('at')
        .execute();
      assert.deepEqual(
        missed.map((m) => [m.associate_id, m.outcome]),
        [
          [a.id, 'timedOut'],
          [b.id, 'declined'],
        ],
      );

      // A second chat: a lets this one time out too, two in a row: a is set away, and b gets it.
      const two = await queuedSession(app, team.topicId, { whenRequested: minutesAgo(1) });
      await app.router.settle();
      assert.equal((await app.store.routing.offerFor(two))?.associateId, a.id);
      skew += 11_000;
      await app.router.settle();
      assert.equal((await app.store.associates.byId(a.id))?.present, false, 'two missed offers in a row: away');
      assert.equal((await app.store.routing.offerFor(two))?.associateId, b.id);
      const metrics = await app.server.inject({ method: 'GET', url: '/metrics' });
      assert.match(metrics.body, /parley_routing_offers_ended_total\{outcome="timedOut"\} [2-9]/);
      assert.match(metrics.body, /parley_routing_offers_ended_total\{outcome="declined"\} [1-9]/);
    });

    test('an offered chat someone else picks up: the offer is withdrawn; an agent going away loses their offers', async () => {
      const team = await routingTeam(app, 2);
      const [a, b] = team.agents;
      await saveRouting(app, { TopicId: team.topicId, Mode: 'Auto', Delivery: 'Offer', OfferSeconds: 300 });
      const one = await queuedSession(app, team.topicId, { whenRequested: minutesAgo(2) });
      await app.router.settle();
      assert.equal((await app.store.routing.offerFor(one))?.associateId, a.id);
      const mark = await app.store.events.lastId();
      const picked = await call(app, 'PickUpChatSession', { auth: b.auth, body: { ChatSessionId: one } });
      assert.equal(picked.json?.ChatSessionId, one, picked.body);
      assert.deepEqual(
        (await routingEvents(app, mark)).map((e) => [e.type, e.payload.userId, e.payload.outcome]),
        [['chatsession.offer_ended', a.id, 'withdrawn']],
      );
      assert.equal((await routingCall(app, 'AcceptOffer', a.auth, { ChatSessionId: one })).json, null);

      const two = await queuedSession(app, team.topicId, { whenRequested: minutesAgo(1) });
      await app.router.settle();
      assert.equal((await app.store.routing.offerFor(two))?.associateId, a.id, 'a has fewer chats');
      await call(app, 'SaveChatPresence', { auth: a.auth, body: { ChatPresence: [{ UserId: a.id, Present: false }] } });
      await eventually(async () => (await app.store.routing.offerFor(two))?.associateId === b.id, 'the offer to move from a (away) to b');
    });

    test('a topic that returns chats: an agent going away gives their active chats back, oldest first in the queue', async () => {
      const team = await routingTeam(app, 2);
      const [a, b] = team.agents;
      await saveRouting(app, { TopicId: team.topicId, Mode: 'Auto', ReturnChatsWhenAway: true, DefaultCapacity: 3 });
      const mine = await activeSession(app, team.topicId, a.id, { whenRequested: minutesAgo(30) });
      await call(app, 'SaveChatPresence', { auth: a.auth, body: { ChatPresence: [{ UserId: a.id, Present: false }] } });
      await eventually(async () => (await ownerOf(app, mine)) === b.id, 'a chat of an agent gone away to reach b');
      // Without the setting, an away agent keeps their chats.
      await saveRouting(app, { TopicId: team.topicId, ReturnChatsWhenAway: false });
      await call(app, 'SaveChatPresence', { auth: b.auth, body: { ChatPresence: [{ UserId: b.id, Present: false }] } });
      await app.router.settle();
      assert.equal(await ownerOf(app, mine), b.id);
    });

    test('manual pick-up: beyond capacity only where the topic allows it; otherwise null, as an empty queue answers', async () => {
      const team = await routingTeam(app, 1);
      const [a] = team.agents;
      await saveRouting(app, { TopicId: team.topicId, DefaultCapacity: 1, PickUpOverCapacity: false });
      await activeSession(app, team.topicId, a.id);
      const waiting = await queuedSession(app, team.topicId);
      const refused = await call(app, 'PickUpChatSession', { auth: a.auth, body: { ChatSessionId: waiting } });
      assert.equal(refused.status, 200);
      assert.equal(refused.json, null);
      assert.equal((await call(app, 'PickUpFirstChatSession', { auth: a.auth })).json, null);
      assert.equal(await statusOf(app, waiting), S.InQueue);
      await saveRouting(app, { TopicId: team.topicId, PickUpOverCapacity: true });
      const allowed = await call(app, 'PickUpFirstChatSession', { auth: a.auth });
      assert.equal(allowed.json?.ChatSessionId, waiting);
      assert.equal((await owners(app, team.topicId)).get(a.id)?.length, 2);
    });
  });
}
