// GetChatTopicUserAgentList: every agent of a topic with its roles; members may look.
import type { DomainDeps } from '../ports.ts';
import type { Actor } from '../rights.ts';
import type { TopicAgent } from '../types.ts';
import { requireTopicAccess } from './topic-access.ts';

export async function listTopicAgents(deps: DomainDeps, actor: Actor, topicId: number): Promise<TopicAgent[]> {
  await requireTopicAccess(deps.store, actor, topicId, 'see');
  return deps.store.topicAgents.forTopic(topicId);
}
