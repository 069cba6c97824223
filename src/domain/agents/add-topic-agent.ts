// AddChatTopicUserAgent: managers assign a user to their topic; adding a user already assigned sets its roles.
import type { DomainDeps } from '../ports.ts';
import type { Actor, Role } from '../rights.ts';
import type { TopicAgent } from '../types.ts';
import { requireUser, type UserRef } from './resolve-user.ts';
import { membershipChanged } from './membership-event.ts';
import { requireTopicAccess } from './topic-access.ts';

export interface AgentInput extends Role {
  user: UserRef;
}

export function addTopicAgent(deps: DomainDeps, actor: Actor, topicId: number, input: AgentInput): Promise<TopicAgent> {
  return deps.store.transaction(async (store) => {
    await requireTopicAccess(store, actor, topicId, 'manage');
    const user = await requireUser(store, input.user);
    const agent = { ...rolesOf(input), topicId, associateId: user.id };
    await store.topicAgents.upsert(agent);
    await membershipChanged(deps, store, actor, topicId, user.id);
    return agent;
  });
}

export const rolesOf = (r: Role): Role => ({
  canListen: r.canListen,
  canRespond: r.canRespond,
  canManage: r.canManage,
  canNotify: r.canNotify,
});
