// SaveChatSessionEntity: creates (id 0) or updates a session in a topic where the caller may respond or manage.
// The server owns SessionKey and InitialQueuePos: both are set once, at creation, and never overwritten.
import { accessDenied, invalid, notFound } from '../errors.ts';
import { ChatSessionStatus } from '../enums.ts';
import type { ChatStore, DomainDeps } from '../ports.ts';
import { checkSessionReferences } from '../references.ts';
import { type Actor, canSeeSession, canWriteSession } from '../rights.ts';
import type { Session } from '../types.ts';

export function saveSession(deps: DomainDeps, actor: Actor, input: Session): Promise<Session> {
  return deps.store.transaction(async (store) => {
    await requireWritableTopic(store, actor, input.topicId);
    await checkSessionReferences(store, input);
    if (input.id === 0) return insertSession(deps, store, input);
    const current = await store.sessions.byId(input.id);
    if (!current || !canSeeSession(actor, await store.topicAgents.get(current.topicId, actor.id))) {
      throw notFound(`Chat session ${input.id}`);
    }
    if (current.topicId !== input.topicId) await requireWritableTopic(store, actor, current.topicId);
    const saved = { ...input, sessionKey: current.sessionKey, initialQueuePos: current.initialQueuePos };
    await store.sessions.update(saved);
    return saved;
  });
}

/** Inserts a new session, filling what the server owns; shared with CreateChatSessionForTopic. */
export async function insertSession(deps: DomainDeps, store: ChatStore, input: Session): Promise<Session> {
  await store.topics.lockQueue(input.topicId);
  const queued = await store.sessions.countInQueue(input.topicId);
  const session: Session = {
    ...input,
    sessionKey: deps.keys.sessionKey(),
    initialQueuePos: input.status === ChatSessionStatus.InQueue ? queued + 1 : 0,
    whenRequested: input.whenRequested ?? deps.clock.now(),
  };
  const id = await store.sessions.insert(session);
  return { ...session, id };
}

async function requireWritableTopic(store: ChatStore, actor: Actor, topicId: number) {
  if (!(topicId > 0)) throw invalid('TopicId is required');
  if (!(await store.topics.byId(topicId))) throw invalid(`Chat topic ${topicId} does not exist`);
  if (!canWriteSession(actor, await store.topicAgents.get(topicId, actor.id))) {
    throw accessDenied(`You may not respond in chat topic ${topicId}`);
  }
}
