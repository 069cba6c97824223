// ResetChatSession: a bot hands the conversation to people. The session starts over: queued when an agent who
// can respond is present, otherwise the offline form; the bot flag goes off and nobody owns it. A chat people are
// having is sent back only by its owner or a manager of the topic; anyone else gets it back unchanged, as
// SuperOffice answers other calls that do not apply (TransferChatSession by a non-owner).
import { accessDenied } from '../errors.ts';
import type { DomainDeps } from '../ports.ts';
import { type Actor, canSeeSession, canSteerSession, canWriteSession } from '../rights.ts';
import { isActive, isWaiting } from '../session-status.ts';
import type { Session } from '../types.ts';
import { persist } from './life-cycle.ts';
import { retryOnConflict } from './retry.ts';
import { requeue } from './save-session.ts';

export function resetSession(deps: DomainDeps, actor: Actor, sessionId: number): Promise<Session | undefined> {
  return retryOnConflict(() => deps.store.transaction(async (store) => {
    const session = await store.sessions.byIdForUpdate(sessionId);
    if (!session) return undefined;
    const role = await store.topicAgents.get(session.topicId, actor.id);
    if (!canSeeSession(actor, role)) return undefined;
    if (!canWriteSession(actor, role)) throw accessDenied(`You may not respond in chat topic ${session.topicId}`);
    if (!isActive(session.status) && !isWaiting(session.status)) return session;
    if (!canSteerSession(actor, role, session)) return session;
    const reset = { ...(await requeue(store, session, deps.clock.now())), chatbotIsActive: false };
    return persist(deps, store, session, reset, actor.id);
  }));
}
