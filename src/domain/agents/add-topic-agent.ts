// AddChatTopicUserAgent: managers assign a user to their topic; adding a user already assigned sets its roles.
import type { DomainDeps } from '../ports.ts';
import type { Actor, Role } from '../rights.ts';
import type { TopicAgent } from '../types.ts';
import { requireUser, type UserRef } from './resolve-user.ts';
import { rolesChanged } from './membership-event.ts';
import { rolesOf } from './roles.ts';
import { requireTopicAccess } from './topic-access.ts';

export interface AgentInput extends Role {
  user: UserRef;
}

export function addTopicAgent(deps: DomainDeps, actor: Actor, topicId: number, input: AgentInput): Promise<TopicAgent> {
  return deps.store.transaction(async (store) => {
    await requireTopicAccess(store, actor, topicId, 'manage');
    const user = await requireUser(store, input.user);
    const before = await store.topicAgents.get(topicId, user.id);
    const agent = { ...rolesOf(input), topicId, associateId: user.id };
    await store.topicAgents.upsert(agent);
    await rolesChanged(deps, store, actor, topicId, user, before, agent);
    return agent;
  });
}
