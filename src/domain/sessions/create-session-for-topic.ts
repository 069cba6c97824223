// CreateChatSessionForTopic: a new, queued session on a topic, as when a customer opens the widget.
import { defaultSession } from '../defaults.ts';
import { accessDenied, notFound } from '../errors.ts';
import type { DomainDeps } from '../ports.ts';
import { type Actor, canWriteSession } from '../rights.ts';
import type { Session } from '../types.ts';
import { insertSession } from './save-session.ts';

export function createSessionForTopic(deps: DomainDeps, actor: Actor, topicId: number): Promise<Session> {
  return deps.store.transaction(async (store) => {
    if (!(await store.topics.byId(topicId))) throw notFound(`Chat topic ${topicId}`);
    if (!canWriteSession(actor, await store.topicAgents.get(topicId, actor.id))) {
      throw accessDenied(`You may not respond in chat topic ${topicId}`);
    }
    return insertSession(deps, store, { ...defaultSession(deps.clock.now()), topicId });
  });
}
