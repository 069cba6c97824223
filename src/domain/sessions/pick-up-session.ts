// PickUpChatSession / PickUpFirstChatSession: an agent answers a queued session. Exactly one agent wins a
// session; the others get null (or the next one in the queue). The winner owns it, gets the lowest free rank,
// and the topic's welcome message goes to the customer. A topic that keeps agents within their capacity
// (routing) answers an agent at capacity as if nothing were queued.
import { ChatMessageSpecialType as Special, ChatSessionStatus } from '../enums.ts';
import type { ChatStore, DomainDeps } from '../ports.ts';
import type { Actor } from '../rights.ts';
import { mayTakeMore, topicsWithRoom } from '../routing/capacity.ts';
import type { Session } from '../types.ts';
import { freeRank, persist, record, specialMessage, transition } from './life-cycle.ts';
import { retryOnConflict } from './retry.ts';
import { type AccessPolicy, MAY_RESPOND, sessionAccess } from './session-access.ts';

export const PICK_UP: AccessPolicy = {
  lock: true,
  hidden: 'null',
  rules: [
    MAY_RESPOND,
    // No longer queued (someone was faster), or a bot is answering it: null, as SuperOffice answers.
    { allows: ({ session }) => session.status === ChatSessionStatus.InQueue && !session.chatbotIsActive, otherwise: 'null' },
  ],
};

export function pickUpSession(deps: DomainDeps, actor: Actor, sessionId: number): Promise<Session | undefined> {
  return retryOnConflict(() =>
    deps.store.transaction(async (store) => {
      const access = await sessionAccess(store, actor, sessionId, PICK_UP);
      if (!access.granted) return access.answer;
      if (!(await mayTakeMore(store, actor.id, access.session.topicId, sessionId))) return undefined;
      return assignSession(deps, store, actor, access.session);
    }),
  );
}

export function pickUpFirstSession(deps: DomainDeps, actor: Actor): Promise<Session | undefined> {
  return retryOnConflict(() =>
    deps.store.transaction(async (store) => {
      const mine = (await store.topicAgents.forAssociate(actor.id)).filter((a) => a.canRespond || a.canManage).map((a) => a.topicId);
      const topics = await topicsWithRoom(store, actor.id, mine, 0);
      const session = await store.sessions.claimFirstQueued(topics);
      return session && assignSession(deps, store, actor, session);
    }),
  );
}

/**
 * Makes a queued session `actor`'s (a pick-up, or routing's assignment): owner, rank, the accept statistics, the
 * welcome message. An offer of the session ends here too: accepted when it was the actor's, else withdrawn.
 */
export async function assignSession(deps: DomainDeps, store: ChatStore, actor: Actor, session: Session): Promise<Session> {
  const now = deps.clock.now();
  const picked = { ...transition(session, 'pickUp', now), userId: actor.id, rank: await freeRank(store, actor.id), alertLevel: 0 };
  let current = await persist(deps, store, session, picked, actor.id);
  const waited = session.whenRequested ? (now.getTime() - session.whenRequested.getTime()) / 1000 : 0;
  await store.topics.recordAccept(session.topicId, now, Math.max(0, waited));
  const topic = await store.topics.byId(session.topicId);
  if (topic?.welcomeMessage.trim()) {
    current = (await specialMessage(deps, store, current, Special.Welcome, topic.welcomeMessage, actor.fullName, actor.id)).session;
  }
  const offer = await store.routing.offerFor(session.id);
  if (offer && (await store.routing.removeOffer(session.id))) {
    const outcome = offer.associateId === actor.id ? 'accepted' : 'withdrawn';
    await record(store, 'chatsession.offer_ended', current, actor.id, now, { userId: offer.associateId, outcome });
  }
  return current;
}
