// UpdateChatTopicUserAgents: sets the roles of every listed user in one transaction (assigning those not yet
// assigned); users left out of the list keep their roles. Answers the topic's whole agent list.
import { invalid } from '../errors.ts';
import type { DomainDeps } from '../ports.ts';
import type { Actor } from '../rights.ts';
import type { TopicAgent } from '../types.ts';
import { type AgentInput, rolesOf } from './add-topic-agent.ts';
import { requireUser } from './resolve-user.ts';
import { membershipChanged } from './membership-event.ts';
import { requireTopicAccess } from './topic-access.ts';

export function updateTopicAgents(deps: DomainDeps, actor: Actor, topicId: number, inputs: AgentInput[]): Promise<TopicAgent[]> {
  return deps.store.transaction(async (store) => {
    await requireTopicAccess(store, actor, topicId, 'manage');
    const seen = new Set<number>();
    for (const input of inputs) {
      const user = await requireUser(store, input.user);
      if (seen.has(user.id)) throw invalid(`User ${user.userName} is listed twice`);
      seen.add(user.id);
      await store.topicAgents.upsert({ ...rolesOf(input), topicId, associateId: user.id });
      await membershipChanged(deps, store, actor, topicId, user.id);
    }
    return store.topicAgents.forTopic(topicId);
  });
}
