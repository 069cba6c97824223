// DeleteChatSessionEntity: administrators and the topic's managers; deleting an unknown id changes nothing.
// The removal is an event like any change (session.changed with Purged), so open consoles drop the session.
import { ChatSessionStatus } from '../enums.ts';
import { accessDenied } from '../errors.ts';
import type { DomainDeps } from '../ports.ts';
import { type Actor, canDeleteSession, canSeeSession } from '../rights.ts';
import { record } from './life-cycle.ts';

export function deleteSession(deps: DomainDeps, actor: Actor, id: number): Promise<void> {
  return deps.store.transaction(async (store) => {
    const session = await store.sessions.byId(id);
    if (!session) return;
    const role = await store.topicAgents.get(session.topicId, actor.id);
    if (!canSeeSession(actor, role)) return; // invisible rows behave as missing ones
    if (!canDeleteSession(actor, role)) throw accessDenied(`You are not a manager of chat topic ${session.topicId}`);
    await store.sessions.remove(id);
    // Consoles showing it (push) and webhooks hear of it, as of a session the sweeper purged.
    await record(store, 'chatsession.changed', { ...session, status: ChatSessionStatus.Deleted }, actor.id, deps.clock.now(), {
      purged: true, oldStatus: session.status, newStatus: ChatSessionStatus.Deleted,
    });
  });
}
