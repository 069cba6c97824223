// CreateChatSessionForTopic: a new session on a topic, as when a customer opens the widget; where it starts
// (queue, pre-chat form, offline form, bot) follows the topic's settings, hours and presence.
import { defaultSession } from '../defaults.ts';
import { accessDenied, notFound } from '../errors.ts';
import type { DomainDeps } from '../ports.ts';
import { type Actor, canWriteSession } from '../rights.ts';
import type { Session } from '../types.ts';
import { initialState } from './initial-status.ts';
import { insertSession } from './insert-session.ts';

export function createSessionForTopic(deps: DomainDeps, actor: Actor, topicId: number): Promise<Session> {
  return deps.store.transaction(async (store) => {
    const topic = await store.topics.byId(topicId);
    if (!topic) throw notFound(`Chat topic ${topicId}`);
    if (!canWriteSession(actor, await store.topicAgents.get(topicId, actor.id))) {
      throw accessDenied(`You may not respond in chat topic ${topicId}`);
    }
    const now = deps.clock.now();
    const start = await initialState(deps, store, topic, now, { preChatDone: false });
    return insertSession(deps, store, { ...defaultSession(now), topicId, ...start }, actor.id);
  });
}
