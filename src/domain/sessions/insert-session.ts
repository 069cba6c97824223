// A new session stored with what the server owns filled in; shared by SaveChatSessionEntity (id 0),
// CreateChatSessionForTopic and the visitor API's OpenSession.
import { ChatMessageSpecialType as Special, ChatSessionStatus } from '../enums.ts';
import type { ChatStore, DomainDeps } from '../ports.ts';
import { isActive } from '../session-status.ts';
import type { Session } from '../types.ts';
import { freeRank, record, specialMessage } from './life-cycle.ts';
import { queuePosition } from './queue.ts';

export async function insertSession(deps: DomainDeps, store: ChatStore, input: Session, actorId: number | null): Promise<Session> {
  const session: Session = {
    ...input,
    sessionKey: deps.keys.sessionKey(),
    initialQueuePos: input.status === ChatSessionStatus.InQueue ? await queuePosition(store, input.topicId) : 0,
    whenRequested: input.whenRequested ?? deps.clock.now(),
    rank: isActive(input.status) && input.userId !== null ? await freeRank(store, input.userId) : 0,
  };
  session.id = await store.sessions.insert(session);
  await record(store, 'chatsession.created', session, actorId, deps.clock.now(), {});
  return (await specialMessage(deps, store, session, Special.NewSession, 'New chat session', '', actorId)).session;
}
