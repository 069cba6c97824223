// GetChatTopicEntity: a topic its caller may see, or undefined (the agent answers null, as SuperOffice does).
import type { DomainDeps } from '../ports.ts';
import { type Actor, canSeeTopic } from '../rights.ts';
import type { Topic } from '../types.ts';

export async function getTopic(deps: DomainDeps, actor: Actor, id: number): Promise<Topic | undefined> {
  const topic = await deps.store.topics.byId(id);
  if (!topic) return undefined;
  return canSeeTopic(actor, await deps.store.topicAgents.get(id, actor.id)) ? topic : undefined;
}
