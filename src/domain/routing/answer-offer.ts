// The agent's answer to an offer: accept (the chat becomes theirs, as a pick-up) or decline (it goes to the next
// agent, and counts as a missed offer). An offer that has moved on (timed out, someone took the chat) answers
// null to an accept and changes nothing on a decline.
import type { DomainDeps } from '../ports.ts';
import type { Actor } from '../rights.ts';
import { record } from '../sessions/life-cycle.ts';
import { assignSession, PICK_UP } from '../sessions/pick-up-session.ts';
import { retryOnConflict } from '../sessions/retry.ts';
import { sessionAccess } from '../sessions/session-access.ts';
import type { Session } from '../types.ts';
import { missOffer } from './missed-offer.ts';
import { waited } from './route-queue.ts';

export async function acceptOffer(deps: DomainDeps, actor: Actor, sessionId: number): Promise<Session | undefined> {
  const accepted = await retryOnConflict(() =>
    deps.store.transaction(async (store) => {
      const access = await sessionAccess(store, actor, sessionId, PICK_UP);
      if (!access.granted) return undefined;
      const offer = await store.routing.offerFor(sessionId);
      const now = deps.clock.now();
      if (!offer || offer.associateId !== actor.id || offer.expiresAt <= now) return undefined;
      const session = await assignSession(deps, store, actor, access.session);
      const waitSeconds = waited(access.session.whenRequested, now);
      await store.routing.noteAssigned(actor.id, now);
      await record(store, 'chatsession.assigned', session, actor.id, now, { userId: actor.id, waitSeconds, byOffer: true });
      return { session, waitSeconds };
    }),
  );
  if (!accepted) return undefined;
  deps.routingObserver?.offerEnded('accepted');
  deps.routingObserver?.assigned(accepted.waitSeconds);
  return accepted.session;
}

/** True when the caller had an open offer of the session, now declined. */
export async function declineOffer(deps: DomainDeps, actor: Actor, sessionId: number): Promise<boolean> {
  const declined = await retryOnConflict(() =>
    deps.store.transaction(async (store) => {
      const session = await store.sessions.byIdForUpdate(sessionId);
      const offer = await store.routing.offerFor(sessionId);
      if (!session || !offer || offer.associateId !== actor.id) return false;
      await missOffer(deps, store, session, offer, 'declined', actor.id);
      return true;
    }),
  );
  if (declined) deps.routingObserver?.offerEnded('declined');
  return declined;
}
