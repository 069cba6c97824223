// DeleteChatTopicEntity: administrators only; the topic's agents, sessions and messages go with it.
import { accessDenied } from '../errors.ts';
import type { DomainDeps } from '../ports.ts';
import type { Actor } from '../rights.ts';

export async function deleteTopic(deps: DomainDeps, actor: Actor, id: number): Promise<void> {
  if (!actor.isAdmin) throw accessDenied('Only administrators delete chat topics');
  await deps.store.topics.remove(id);
}
