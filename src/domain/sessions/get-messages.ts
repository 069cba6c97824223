// GetChatMessages: the messages of a session after a message id (0: all), oldest first; members of the topic
// read them, listeners included. A session the caller cannot see is reported as not found.
import { notFound } from '../errors.ts';
import type { DomainDeps } from '../ports.ts';
import { type Actor, canSeeSession } from '../rights.ts';
import type { Message } from '../types.ts';

export async function getMessages(deps: DomainDeps, actor: Actor, sessionId: number, after: number): Promise<Message[]> {
  const session = await deps.store.sessions.byId(sessionId);
  if (!session || !canSeeSession(actor, await deps.store.topicAgents.get(session.topicId, actor.id))) {
    throw notFound(`Chat session ${sessionId}`);
  }
  return deps.store.messages.forSession(sessionId, Math.max(0, after));
}
