// A user's roles in a topic changed: push tells that user and the topic's members, so inboxes follow at once, and
// the audit trail notes who changed whose roles, old → new.
import { auditActorOf, recordAudit } from '../audit.ts';
import type { ChatStore, DomainDeps } from '../ports.ts';
import type { Actor, Role } from '../rights.ts';
import { rolesOf } from './roles.ts';

export async function rolesChanged(
  deps: DomainDeps,
  store: ChatStore,
  actor: Actor,
  topicId: number,
  user: { id: number; userName: string },
  before: Role | undefined,
  after: Role | undefined,
) {
  const removed = after === undefined;
  await store.events.append({
    type: 'topic.agents',
    topicId,
    sessionId: null,
    associateId: actor.id,
    createdAt: deps.clock.now(),
    payload: { topicId, userId: user.id, removed },
  });
  await recordAudit(
    store,
    auditActorOf(actor),
    deps.clock.now(),
    removed ? 'roles.removed' : 'roles.changed',
    `user ${user.userName} in topic ${topicId}`,
    before ? { ...rolesOf(before) } : null,
    after ? { ...rolesOf(after) } : null,
  );
}
