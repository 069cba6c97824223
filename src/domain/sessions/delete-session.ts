// DeleteChatSessionEntity: administrators and the topic's managers; deleting an unknown id changes nothing.
// The removal is an event like any change (session.changed with Purged), so open consoles drop the session.
import { auditActorOf, recordAudit } from '../audit.ts';
import { accessDenied } from '../errors.ts';
import type { DomainDeps } from '../ports.ts';
import { type Actor, canDeleteSession } from '../rights.ts';
import { record, transition } from './life-cycle.ts';
import { type AccessPolicy, sessionAccess } from './session-access.ts';

const DELETE: AccessPolicy = {
  // Invisible rows behave as missing ones: nothing happens.
  lock: true,
  hidden: 'null',
  rules: [
    {
      allows: ({ actor, role }) => canDeleteSession(actor, role),
      otherwise: (s) => accessDenied(`You are not a manager of chat topic ${s.topicId}`),
    },
  ],
};

export function deleteSession(deps: DomainDeps, actor: Actor, id: number): Promise<void> {
  return deps.store.transaction(async (store) => {
    const access = await sessionAccess(store, actor, id, DELETE);
    if (!access.granted) return;
    const { session } = access;
    await store.sessions.remove(id);
    // Consoles showing it (push) and webhooks hear of it, as of a session the sweeper purged: the change the
    // life cycle's 'remove' row makes, whatever the status was.
    const removed = transition(session, 'remove', deps.clock.now());
    await record(store, 'chatsession.changed', removed, actor.id, deps.clock.now(), {
      purged: true,
      oldStatus: session.status,
      newStatus: removed.status,
    });
    // No customer details in the trail: an erasure request must not find them here.
    const before = { topicId: session.topicId, status: session.status, userId: session.userId };
    await recordAudit(store, auditActorOf(actor), deps.clock.now(), 'session.deleted', `session ${id}`, before, null);
  });
}
