// GetChatMessages: the messages of a session after a message id (0: all), oldest first; members of the topic
// read them, listeners included. A session the caller cannot see is reported as not found.
import type { DomainDeps } from '../ports.ts';
import type { Actor } from '../rights.ts';
import type { Message } from '../types.ts';
import { requireSessionAccess } from './session-access.ts';

export async function getMessages(deps: DomainDeps, actor: Actor, sessionId: number, after: number): Promise<Message[]> {
  await requireSessionAccess(deps.store, actor, sessionId, { lock: false, rules: [] });
  return deps.store.messages.forSession(sessionId, Math.max(0, after));
}
