// An offer the agent did not take (declined, or let time run out): it goes to someone else, and the agent's
// missed offers in a row grow; at the topic's limit the agent is set away, so chats stop waiting on them.
import type { ChatStore, DomainDeps } from '../ports.ts';
import { record } from '../sessions/life-cycle.ts';
import type { Session } from '../types.ts';
import type { RoutingOffer } from './routing.ts';

export async function missOffer(
  deps: DomainDeps,
  store: ChatStore,
  session: Session,
  offer: RoutingOffer,
  outcome: 'declined' | 'timedOut',
  actorId: number | null,
) {
  const now = deps.clock.now();
  await store.routing.removeOffer(offer.sessionId);
  await store.routing.recordDecline(offer.sessionId, offer.associateId, outcome, now);
  await record(store, 'chatsession.offer_ended', session, actorId, now, { userId: offer.associateId, outcome });
  const missed = await store.routing.noteMissed(offer.associateId);
  const { awayAfterMissed } = await store.routingSettings.get(offer.topicId);
  if (awayAfterMissed <= 0 || missed < awayAfterMissed) return;
  await store.routing.resetMissed(offer.associateId);
  const agent = await store.associates.byId(offer.associateId);
  if (!agent?.present) return;
  await store.associates.setPresent(agent.id, false);
  await store.events.append({
    type: 'presence.changed',
    topicId: null,
    sessionId: null,
    associateId: null,
    createdAt: now,
    payload: { userId: agent.id, present: false },
  });
  deps.log.info({ userId: agent.id, user: agent.userName, missed }, 'routing: set away after missed offers');
}
