// GetChatTopicUserAgent: one user's roles in a topic (user by name or id); undefined when not assigned.
import type { DomainDeps } from '../ports.ts';
import type { Actor } from '../rights.ts';
import type { TopicAgent } from '../types.ts';
import { resolveUser } from './resolve-user.ts';
import { requireTopicAccess } from './topic-access.ts';

export async function getTopicAgent(deps: DomainDeps, actor: Actor, topicId: number, user: string): Promise<TopicAgent | undefined> {
  await requireTopicAccess(deps.store, actor, topicId, 'see');
  const found = await resolveUser(deps.store, user);
  return found && deps.store.topicAgents.get(topicId, found.id);
}
