// One routing pass over every auto topic: offers that ended unanswered move on, chats of agents who went away go
// back to the queue where the topic says so, then queued chats go to agents with room, oldest first. Every change
// is its own short transaction with the session row and the agents' rows locked, so any number of passes may run
// at once, on one instance or several, and no agent ever gets more than their capacity.
import { DomainError } from '../errors.ts';
import type { DomainDeps } from '../ports.ts';
import { actorOf } from '../rights.ts';
import { persist, record, transition } from '../sessions/life-cycle.ts';
import { assignSession } from '../sessions/pick-up-session.ts';
import { retryOnConflict } from '../sessions/retry.ts';
import { isActive } from '../session-status.ts';
import { chooseAgent, hasRoom } from './choose-agent.ts';
import { missOffer } from './missed-offer.ts';
import type { OfferOutcome, RoutingOffer } from './routing.ts';

const BATCH = 200;

export interface RoutingPass {
  assigned: number;
  offered: number;
  offersEnded: number;
  returned: number;
  /** When the next open offer runs out (the router wakes then). */
  nextExpiry?: Date;
}

/** True when the pass changed something: another pass may find more to do. */
export const progressed = (p: RoutingPass) => p.assigned + p.offered + p.offersEnded + p.returned > 0;

export async function routeQueue(deps: DomainDeps): Promise<RoutingPass> {
  const pass: RoutingPass = { assigned: 0, offered: 0, offersEnded: 0, returned: 0 };
  const { store } = deps;
  if (!(await store.routingSettings.anyAuto())) return pass;
  for (const offer of await store.routing.endedOffers(deps.clock.now(), BATCH)) {
    if (await tolerating(() => endOffer(deps, offer))) pass.offersEnded++;
  }
  for (const s of await store.routing.returnable(BATCH)) {
    if (await tolerating(() => returnToQueue(deps, s.id, s.userId))) pass.returned++;
  }
  // Oldest first across every topic, a page at a time. A topic whose agents are all full stays full for the rest of
  // this pass: its later chats are not tried, and later pages leave it out (a long queue in one topic never hides
  // another topic's chat from an agent with room).
  const full = new Set<number>();
  let page = await store.routing.routable(BATCH);
  while (page.length) {
    for (const s of page) {
      if (full.has(s.topicId)) continue;
      const outcome = await tolerating(() => routeSession(deps, s.id));
      if (outcome === 'full') full.add(s.topicId);
      else if (outcome === 'assigned') pass.assigned++;
      else if (outcome === 'offered') pass.offered++;
    }
    page = page.length < BATCH ? [] : await store.routing.routable(BATCH, page[page.length - 1], [...full]);
  }
  pass.nextExpiry = await store.routing.nextExpiry();
  return pass;
}

type Routed = 'assigned' | 'offered' | 'full' | 'skipped';

/** Routes one queued session if it is still waiting: to the agent chooseAgent names, or nowhere when all are full. */
export async function routeSession(deps: DomainDeps, sessionId: number): Promise<Routed> {
  const routed = await retryOnConflict(() =>
    deps.store.transaction(async (store): Promise<{ outcome: Routed; waitSeconds?: number }> => {
      const session = await store.routing.claimRoutable(sessionId);
      if (!session) return { outcome: 'skipped' };
      const settings = await store.routingSettings.get(session.topicId);
      if (settings.mode !== 'auto') return { outcome: 'skipped' };
      const candidates = await store.routing.candidates(session.topicId, session.id, settings.defaultCapacity);
      const chosen = chooseAgent(candidates);
      // Room left only with agents who declined this chat: the topic's next chat may still go to them.
      if (!chosen) return { outcome: candidates.some(hasRoom) ? 'skipped' : 'full' };
      const now = deps.clock.now();
      if (settings.delivery === 'offer') {
        const expiresAt = new Date(now.getTime() + settings.offerSeconds * 1000);
        await store.routing.insertOffer({ sessionId, associateId: chosen.associateId, topicId: session.topicId, offeredAt: now, expiresAt });
        await record(store, 'chatsession.offered', session, null, now, { userId: chosen.associateId, expiresAt });
        return { outcome: 'offered' };
      }
      const agent = await store.associates.byId(chosen.associateId);
      if (!agent) return { outcome: 'skipped' };
      const taken = await assignSession(deps, store, actorOf(agent), session);
      const waitSeconds = waited(session.whenRequested, now);
      await store.routing.noteAssigned(agent.id, now);
      await record(store, 'chatsession.assigned', taken, null, now, { userId: agent.id, waitSeconds, byOffer: false });
      return { outcome: 'assigned', waitSeconds };
    }),
  );
  if (routed.waitSeconds !== undefined) deps.routingObserver?.assigned(routed.waitSeconds);
  return routed.outcome;
}

/** An offer that ran out, or whose agent or session moved on: it ends, and the chat is routed again. */
async function endOffer(deps: DomainDeps, seen: RoutingOffer): Promise<boolean> {
  const ended = await retryOnConflict(() =>
    deps.store.transaction(async (store): Promise<OfferOutcome | undefined> => {
      const session = await store.sessions.byIdForUpdate(seen.sessionId);
      const offer = await store.routing.offerFor(seen.sessionId);
      if (!session || !offer || offer.associateId !== seen.associateId || offer.offeredAt.getTime() !== seen.offeredAt.getTime()) return undefined;
      let outcome: OfferOutcome = 'withdrawn';
      if (offer.expiresAt <= deps.clock.now()) {
        outcome = 'timedOut';
        await missOffer(deps, store, session, offer, 'timedOut', null);
      } else {
        await store.routing.removeOffer(offer.sessionId);
        await record(store, 'chatsession.offer_ended', session, null, deps.clock.now(), { userId: offer.associateId, outcome });
      }
      return outcome;
    }),
  );
  if (ended) deps.routingObserver?.offerEnded(ended);
  return ended !== undefined;
}

/** An away agent's active chat, in a topic that returns them: back to the queue, ahead of newer chats. */
async function returnToQueue(deps: DomainDeps, sessionId: number, ownerId: number | null): Promise<boolean> {
  return retryOnConflict(() =>
    deps.store.transaction(async (store) => {
      const s = await store.sessions.byIdForUpdate(sessionId);
      if (!s || !isActive(s.status) || s.userId !== ownerId || ownerId === null) return false;
      if ((await store.associates.byId(ownerId))?.present) return false;
      await persist(deps, store, s, transition(s, 'enqueue', deps.clock.now()), null);
      return true;
    }),
  );
}

export const waited = (requested: Date | null, now: Date) => (requested ? Math.max(0, (now.getTime() - requested.getTime()) / 1000) : 0);

/** A conflict with a concurrent change means someone else moved the session first: this pass lets it be. */
async function tolerating<T>(work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof DomainError && err.code === 'conflict') return undefined;
    throw err;
  }
}
