// SaveChatSessionEntity: creates (id 0) or updates a session in a topic where the caller may respond or manage.
// The server owns SessionKey and InitialQueuePos: both are set once and never overwritten. A changed Status is
// one of the life cycle's events (session-status.ts) with its effects, e.g. Finished ends the chat; a change the
// table does not allow is refused.
import { accessDenied, invalid, notFound } from '../errors.ts';
import { ChatMessageSpecialType as Special, ChatSessionFlags, ChatSessionStatus } from '../enums.ts';
import type { ChatStore, DomainDeps } from '../ports.ts';
import { checkSessionReferences } from '../references.ts';
import { type Actor, canSeeSession, canWriteSession } from '../rights.ts';
import { isActive, pathBetween } from '../session-status.ts';
import type { Session } from '../types.ts';
import { CUSTOMER_TYPING, freeRank, persist, record, specialMessage, transition } from './life-cycle.ts';
import { retryOnConflict } from './retry.ts';

export function saveSession(deps: DomainDeps, actor: Actor, input: Session): Promise<Session> {
  return retryOnConflict(() => deps.store.transaction(async (store) => {
    await requireWritableTopic(store, actor, input.topicId);
    await checkSessionReferences(store, input);
    if (input.id === 0) return insertSession(deps, store, input, actor.id);
    const current = await store.sessions.byIdForUpdate(input.id);
    if (!current || !canSeeSession(actor, await store.topicAgents.get(current.topicId, actor.id))) {
      throw notFound(`Chat session ${input.id}`);
    }
    if (current.topicId !== input.topicId) await requireWritableTopic(store, actor, current.topicId);
    let next: Session = {
      ...input, sessionKey: current.sessionKey, initialQueuePos: current.initialQueuePos,
      flags: (input.flags & ChatSessionFlags.UserIsTyping) | (current.flags & CUSTOMER_TYPING),
    };
    const path = input.status === current.status ? [] : pathBetween(current.status, input.status);
    if (!path) throw invalid(`Status cannot change from ${statusName(current.status)} to ${statusName(input.status)}`);
    const now = deps.clock.now();
    if (path.length) next = path.reduce((s, event) => transition(s, event, now), { ...next, status: current.status });
    if (path.includes('pickUp')) next.userId ??= actor.id;
    // Dates the caller set explicitly win over the ones the events stamp.
    if (input.whenStarted?.getTime() !== current.whenStarted?.getTime()) next.whenStarted = input.whenStarted;
    if (input.whenEnded?.getTime() !== current.whenEnded?.getTime()) next.whenEnded = input.whenEnded;
    if (isActive(next.status) && next.userId !== null && (next.userId !== current.userId || next.rank <= 0)) {
      next.rank = await freeRank(store, next.userId);
    }
    if (next.status === ChatSessionStatus.InQueue && next.initialQueuePos === 0) {
      next.initialQueuePos = await queuePosition(store, next.topicId);
    }
    const saved = await persist(deps, store, current, next, actor.id);
    return path.includes('end')
      ? (await specialMessage(deps, store, saved, Special.ClosedByUser, `${actor.fullName} ended the chat`, actor.fullName, actor.id)).session
      : saved;
  }));
}

/** Inserts a new session, filling what the server owns; shared with CreateChatSessionForTopic and the visitor API. */
export async function insertSession(deps: DomainDeps, store: ChatStore, input: Session, actorId: number | null): Promise<Session> {
  const session: Session = {
    ...input,
    sessionKey: deps.keys.sessionKey(),
    initialQueuePos: input.status === ChatSessionStatus.InQueue ? await queuePosition(store, input.topicId) : 0,
    whenRequested: input.whenRequested ?? deps.clock.now(),
    rank: isActive(input.status) && input.userId !== null ? await freeRank(store, input.userId) : 0,
  };
  session.id = await store.sessions.insert(session);
  await record(store, 'chatsession.created', session, actorId, deps.clock.now());
  return (await specialMessage(deps, store, session, Special.NewSession, 'New chat session', '', actorId)).session;
}

/** Queued sessions + 1, counted with the topic's queue locked so concurrent newcomers get distinct positions. */
export async function queuePosition(store: ChatStore, topicId: number) {
  await store.topics.lockQueue(topicId);
  return (await store.sessions.countInQueue(topicId)) + 1;
}

async function requireWritableTopic(store: ChatStore, actor: Actor, topicId: number) {
  if (!(topicId > 0)) throw invalid('TopicId is required');
  if (!(await store.topics.byId(topicId))) throw invalid(`Chat topic ${topicId} does not exist`);
  if (!canWriteSession(actor, await store.topicAgents.get(topicId, actor.id))) {
    throw accessDenied(`You may not respond in chat topic ${topicId}`);
  }
}

const statusName = (status: number) => Object.entries(ChatSessionStatus).find(([, v]) => v === status)?.[0] ?? String(status);
