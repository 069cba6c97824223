// DeleteChatTopicUserAgent: managers remove a user from their topic; removing one not assigned changes nothing.
import type { DomainDeps } from '../ports.ts';
import type { Actor } from '../rights.ts';
import { requireUser } from './resolve-user.ts';
import { rolesChanged } from './membership-event.ts';
import { requireTopicAccess } from './topic-access.ts';

export function deleteTopicAgent(deps: DomainDeps, actor: Actor, topicId: number, user: string): Promise<void> {
  return deps.store.transaction(async (store) => {
    await requireTopicAccess(store, actor, topicId, 'manage');
    const found = await requireUser(store, user);
    const before = await store.topicAgents.get(topicId, found.id);
    if (before && (await store.topicAgents.remove(topicId, found.id))) await rolesChanged(deps, store, actor, topicId, found, before, undefined);
  });
}
