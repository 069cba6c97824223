// Guards for calls that name a topic: it must exist, and the caller must see or manage it.
import { accessDenied, notFound } from '../errors.ts';
import type { ChatStore } from '../ports.ts';
import { type Actor, canManageTopic, canSeeTopic } from '../rights.ts';

export async function requireTopicAccess(store: ChatStore, actor: Actor, topicId: number, need: 'see' | 'manage') {
  const topic = await store.topics.byId(topicId);
  if (!topic) throw notFound(`Chat topic ${topicId}`);
  const role = await store.topicAgents.get(topicId, actor.id);
  const allowed = need === 'see' ? canSeeTopic(actor, role) : canManageTopic(actor, role);
  if (!allowed) throw accessDenied(need === 'see' ? `You are not a member of chat topic ${topicId}` : `You are not a manager of chat topic ${topicId}`);
  return topic;
}
