// UpdateChatTopicUserAgent: managers change the roles of a user already assigned to their topic.
import { notFound } from '../errors.ts';
import type { DomainDeps } from '../ports.ts';
import type { Actor, Role } from '../rights.ts';
import type { TopicAgent } from '../types.ts';
import { rolesOf } from './roles.ts';
import { requireUser } from './resolve-user.ts';
import { rolesChanged } from './membership-event.ts';
import { requireTopicAccess } from './topic-access.ts';

export function updateTopicAgent(deps: DomainDeps, actor: Actor, topicId: number, user: string, roles: Role): Promise<TopicAgent> {
  return deps.store.transaction(async (store) => {
    await requireTopicAccess(store, actor, topicId, 'manage');
    const found = await requireUser(store, user);
    const before = await store.topicAgents.get(topicId, found.id);
    if (!before) {
      throw notFound(`User ${found.userName} is not an agent of chat topic ${topicId}; AddChatTopicUserAgent assigns`);
    }
    const agent = { ...rolesOf(roles), topicId, associateId: found.id };
    await store.topicAgents.upsert(agent);
    await rolesChanged(deps, store, actor, topicId, found, before, agent);
    return agent;
  });
}
