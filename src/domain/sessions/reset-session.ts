// ResetChatSession: a bot hands the conversation to people. The session starts over: queued when an agent who
// can respond is present, otherwise the offline form; the bot flag goes off and nobody owns it.
import { accessDenied } from '../errors.ts';
import type { DomainDeps } from '../ports.ts';
import { type Actor, canSeeSession, canWriteSession } from '../rights.ts';
import { isActive, isWaiting } from '../session-status.ts';
import type { Session } from '../types.ts';
import { persist, transition } from './life-cycle.ts';
import { retryOnConflict } from './retry.ts';

export function resetSession(deps: DomainDeps, actor: Actor, sessionId: number): Promise<Session | undefined> {
  return retryOnConflict(() => deps.store.transaction(async (store) => {
    const session = await store.sessions.byIdForUpdate(sessionId);
    if (!session) return undefined;
    const role = await store.topicAgents.get(session.topicId, actor.id);
    if (!canSeeSession(actor, role)) return undefined;
    if (!canWriteSession(actor, role)) throw accessDenied(`You may not respond in chat topic ${session.topicId}`);
    if (!isActive(session.status) && !isWaiting(session.status)) return session;
    const event = (await store.topicAgents.presentResponders(session.topicId)) > 0 ? 'enqueue' : 'offerOfflineForm';
    const reset = { ...transition(session, event, deps.clock.now()), chatbotIsActive: false };
    return persist(deps, store, session, reset, actor.id);
  }));
}
