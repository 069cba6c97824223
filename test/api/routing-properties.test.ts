// Routing under random interleavings (seeded, reproducible: the seed is in each test's name): arrivals, chats
// ending, agents coming and going, capacities changing, offers accepted, declined and timing out, and manual
// pick-ups racing each other and a routing pass. After every step, once routing has settled: no agent took a chat
// beyond their capacity, no session is both active and offered, no queued session waits while an eligible agent
// has room. On SQLite and on PostgreSQL (where the racing calls run on separate connections at the same time).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ChatSessionStatus as S } from '../../src/domain/enums.ts';
import type { Actor } from '../../src/domain/rights.ts';
import { acceptOffer, declineOffer } from '../../src/domain/routing/answer-offer.ts';
import { routeQueue } from '../../src/domain/routing/route-queue.ts';
import { saveRoutingSettings } from '../../src/domain/routing/routing-settings.ts';
import { persist, transition } from '../../src/domain/sessions/life-cycle.ts';
import { pickUpFirstSession, pickUpSession } from '../../src/domain/sessions/pick-up-session.ts';
import { saveChatPresence } from '../../src/domain/presence/save-chat-presence.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { queuedSession } from '../helpers/factories.ts';
import { checkRouting, routingTeam, seeded } from '../helpers/routing-kit.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

const SEEDS = [1, 2, 3];
const STEPS = 70;
const admin: Actor = { id: 1, userName: 'adm0', fullName: 'Admin', isAdmin: true };

for (const { kind, skip } of await databaseKinds()) {
  describe(`Routing properties on ${kind}`, { skip }, () => {
    let app: TestApp;
    let skew = 0;
    before(async () => {
      app = await startTestApp({ kind, env: { PARLEY_ROUTING_SAFETY_SECONDS: '3600' }, clock: { now: () => new Date(Date.now() + skew) } });
    });
    after(async () => app?.close());

    for (const seed of SEEDS) {
      test(`seed ${seed}: ${STEPS} random steps keep every routing rule`, async () => {
        const rnd = seeded(seed);
        // Two topics, one assigning and one offering; six agents, some in both.
        const assign = await routingTeam(app, 4, { present: true });
        const offer = await routingTeam(app, 2, { present: true });
        const agents = [...assign.agents, ...offer.agents];
        for (const a of assign.agents.slice(2))
          await app.store.topicAgents.upsert({
            topicId: offer.topicId,
            associateId: a.id,
            canRespond: true,
            canListen: false,
            canManage: false,
            canNotify: false,
          });
        const topics = [assign.topicId, offer.topicId];
        const capacity = new Map(agents.map((a) => [a.id, 1 + rnd.int(3)]));
        const actors = new Map(agents.map((a) => [a.id, { id: a.id, userName: a.userName, fullName: a.userName, isAdmin: false } as Actor]));
        const saveCapacities = async () => {
          for (const [topicId, delivery] of [
            [assign.topicId, 'assign'],
            [offer.topicId, 'offer'],
          ] as const) {
            const members = (await app.store.topicAgents.forTopic(topicId)).filter((r) => r.canRespond).map((r) => r.associateId);
            await saveRoutingSettings(app.deps, admin, {
              topicId,
              mode: 'auto',
              delivery,
              offerSeconds: 10,
              awayAfterMissed: 0,
              defaultCapacity: 3,
              pickUpOverCapacity: false,
              returnChatsWhenAway: rnd.next() < 0.5,
              agents: members.map((id) => ({ associateId: id, capacity: capacity.get(id) ?? 1, priority: 1 + rnd.int(2) })),
            });
          }
        };
        await saveCapacities();
        let loads = new Map<number, number>();
        const log: string[] = [];
        const sessionsIn = async (status: number[]) =>
          (await app.store.db.selectFrom('chat_sessions').selectAll().where('topic_id', 'in', topics).where('status', 'in', status).execute()).map((r) => r.id);

        for (let step = 1; step <= STEPS; step++) {
          const roll = rnd.next();
          let what: string;
          if (roll < 0.3) {
            const topicId = rnd.pick(topics);
            await queuedSession(app, topicId, { whenRequested: new Date(Date.now() - rnd.int(600_000)) });
            what = `a chat arrives in topic ${topicId}`;
          } else if (roll < 0.45) {
            const ids = await sessionsIn([S.CustomerLast, S.UserLast]);
            if (!ids.length) continue;
            const id = rnd.pick(ids);
            await app.store.transaction(async (tx) => {
              const s = await tx.sessions.byIdForUpdate(id);
              if (s && (s.status === S.CustomerLast || s.status === S.UserLast))
                await persist(app.deps, tx, s, transition(s, 'end', app.deps.clock.now()), null);
            });
            what = `chat ${id} ends`;
          } else if (roll < 0.55) {
            const a = rnd.pick(agents);
            const present = rnd.next() < 0.6;
            await saveChatPresence(app.deps, admin, [{ userId: a.id, present }]);
            what = `agent ${a.id} ${present ? 'comes back' : 'goes away'}`;
          } else if (roll < 0.63) {
            const a = rnd.pick(agents);
            capacity.set(a.id, 1 + rnd.int(3));
            await saveCapacities();
            what = `agent ${a.id} gets capacity ${capacity.get(a.id)}`;
          } else if (roll < 0.8) {
            // Racing: new chats (not yet routed) taken by hand (by id, and the first of a queue) beside two routing passes.
            for (let n = 1 + rnd.int(3); n > 0; n--) await queuedSession(app, rnd.pick(topics));
            const queued = await sessionsIn([S.InQueue]);
            const racers = [rnd.pick(agents), rnd.pick(agents), rnd.pick(agents)];
            await Promise.all([
              ...racers.map((a, i) =>
                i === 0 && queued.length ? pickUpSession(app.deps, actors.get(a.id)!, rnd.pick(queued)) : pickUpFirstSession(app.deps, actors.get(a.id)!),
              ),
              routeQueue(app.deps),
              routeQueue(app.deps),
            ]);
            what = `agents ${racers.map((a) => a.id).join(', ')} pick up while routing runs`;
          } else if (roll < 0.92) {
            const offers = await app.store.db.selectFrom('routing_offers').selectAll().where('topic_id', 'in', topics).execute();
            if (!offers.length) continue;
            const o = rnd.pick(offers);
            const actor = actors.get(o.associate_id)!;
            if (rnd.next() < 0.5) await acceptOffer(app.deps, actor, o.session_id);
            else await declineOffer(app.deps, actor, o.session_id);
            what = `agent ${o.associate_id} answers the offer of ${o.session_id}`;
          } else {
            skew += 11_000;
            what = 'eleven seconds pass (offers time out)';
          }
          log.push(`${step}: ${what}`);
          await app.router.settle();
          await app.router.settle();
          const snapshot = await checkRouting(app.store.db, topics, capacity, loads);
          assert.deepEqual(snapshot.violations, [], `seed ${seed}, after:\n${log.slice(-8).join('\n')}`);
          loads = snapshot.load;
        }
        // Something happened: chats were handed out, and some were offered.
        const assigned = await app.store.events.after(0, 10_000, ['chatsession.assigned']);
        assert.ok(
          assigned.some((e) => e.topicId === assign.topicId),
          'routing assigned chats',
        );
        assert.ok(
          (await app.store.events.after(0, 10_000, ['chatsession.offered'])).some((e) => e.topicId === offer.topicId),
          'routing made offers',
        );
      });
    }
  });
}
