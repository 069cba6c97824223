// DeleteChatTopicEntity: administrators only; the topic's agents, sessions and messages go with it.
import { auditActorOf, recordAudit } from '../audit.ts';
import { accessDenied } from '../errors.ts';
import type { DomainDeps } from '../ports.ts';
import type { Actor } from '../rights.ts';
import { topicSubject } from './save-topic.ts';

export async function deleteTopic(deps: DomainDeps, actor: Actor, id: number): Promise<void> {
  if (!actor.isAdmin) throw accessDenied('Only administrators delete chat topics');
  await deps.store.transaction(async (store) => {
    const topic = await store.topics.byId(id);
    if (!topic || !(await store.topics.remove(id))) return;
    await recordAudit(store, auditActorOf(actor), deps.clock.now(), 'topic.deleted', topicSubject(topic), { name: topic.name }, null);
  });
}
