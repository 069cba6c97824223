// UpdateChatTopicUserAgents: sets the roles of every listed user in one transaction (assigning those not yet
// assigned); users left out of the list keep their roles. Answers the topic's whole agent list.
import { invalid } from '../errors.ts';
import type { DomainDeps } from '../ports.ts';
import type { Actor } from '../rights.ts';
import type { TopicAgent } from '../types.ts';
import type { AgentInput } from './add-topic-agent.ts';
import { requireUser } from './resolve-user.ts';
import { rolesChanged } from './membership-event.ts';
import { rolesOf } from './roles.ts';
import { requireTopicAccess } from './topic-access.ts';

export function updateTopicAgents(deps: DomainDeps, actor: Actor, topicId: number, inputs: AgentInput[]): Promise<TopicAgent[]> {
  return deps.store.transaction(async (store) => {
    await requireTopicAccess(store, actor, topicId, 'manage');
    const seen = new Set<number>();
    for (const input of inputs) {
      const user = await requireUser(store, input.user);
      if (seen.has(user.id)) throw invalid(`User ${user.userName} is listed twice`);
      seen.add(user.id);
      const before = await store.topicAgents.get(topicId, user.id);
      const agent = { ...rolesOf(input), topicId, associateId: user.id };
      await store.topicAgents.upsert(agent);
      await rolesChanged(deps, store, actor, topicId, user, before, agent);
    }
    return store.topicAgents.forTopic(topicId);
  });
}
