// A user's roles in a topic changed: push tells that user and the topic's members, so inboxes follow at once.
import type { ChatStore, DomainDeps } from '../ports.ts';
import type { Actor } from '../rights.ts';

export const membershipChanged = (deps: DomainDeps, store: ChatStore, actor: Actor, topicId: number, associateId: number, removed = false) =>
  store.events.append({
    type: 'topic.agents',
    topicId,
    sessionId: null,
    associateId: actor.id,
    createdAt: deps.clock.now(),
    payload: { topicId, userId: associateId, removed },
  });
