// The visitor's own moves after opening: finish the pre-chat form, skip the FAQ, type, rate, end the chat.
import { conflict, invalid } from '../errors.ts';
import { ChatMessageSpecialType as Special, ChatSessionStatus as S } from '../enums.ts';
import type { ChatStore, DomainDeps } from '../ports.ts';
import { topicOf } from '../existing.ts';
import { isActive, isEnded } from '../session-status.ts';
import type { Session, Topic } from '../types.ts';
import { CUSTOMER_TYPING, persist, specialMessage, transition } from '../sessions/life-cycle.ts';
import { isOpen, queueIsFull } from '../sessions/initial-status.ts';
import { queuePosition } from '../sessions/queue.ts';
import { type CustomerDetails, requireFields, withDetails } from './customer-details.ts';

/** Pre-chat form sent: the required fields must be there; then FAQ, queue or offline form, as at opening. */
export async function submitPreChat(deps: DomainDeps, store: ChatStore, session: Session, details: CustomerDetails): Promise<Session> {
  if (session.status !== S.PreChatForm) throw conflict('The pre-chat form is not open for this chat');
  const topic = await topicOf(store, session);
  requireFields(topic.widget.requiredFields, details);
  const filled = withDetails(session, details);
  if (!session.chatbotIsActive && topic.widget.autoFaqEnabled && (await isOpen(deps, store, topic, deps.clock.now()))) {
    return persist(deps, store, session, transition(filled, 'showFaq', deps.clock.now()), null);
  }
  return toQueue(deps, store, session, filled, topic);
}

/** The FAQ did not answer the question: on to the queue (or the offline form). */
export async function leaveFaq(deps: DomainDeps, store: ChatStore, session: Session): Promise<Session> {
  if (session.status !== S.Faq) throw conflict('The FAQ step is not open for this chat');
  return toQueue(deps, store, session, session, await topicOf(store, session));
}

async function toQueue(deps: DomainDeps, store: ChatStore, before: Session, session: Session, topic: Topic) {
  const now = deps.clock.now();
  const open = session.chatbotIsActive || ((await isOpen(deps, store, topic, now)) && !(await queueIsFull(store, topic)));
  if (!open) return persist(deps, store, before, transition(session, 'offerOfflineForm', now), null);
  const queued = transition(session, 'enqueue', now);
  if (queued.initialQueuePos === 0) queued.initialQueuePos = await queuePosition(store, session.topicId);
  return persist(deps, store, before, queued, null);
}

export async function setTyping(deps: DomainDeps, store: ChatStore, session: Session, typing: boolean): Promise<Session> {
  if (isEnded(session.status)) return session;
  const flags = typing ? session.flags | CUSTOMER_TYPING : session.flags & ~CUSTOMER_TYPING;
  if (flags === session.flags) return session;
  return persist(deps, store, session, { ...session, flags }, null);
}

/** Stars from 1 to 5, when the topic asks for ratings and an agent answered. */
export async function rate(store: ChatStore, session: Session, rating: number): Promise<Session> {
  const topic = await store.topics.byId(session.topicId);
  if (!topic?.widgetEnableRating) throw conflict('This topic does not ask for ratings');
  if (session.whenStarted === null) throw conflict('Nobody has answered this chat yet');
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) throw invalid('Rating is from 1 to 5');
  const rated = { ...session, rating };
  await store.sessions.update(rated);
  return rated;
}

/** The customer closes the chat: an active one is Finished, a waiting one ClosedFromQueue. */
export async function endChat(deps: DomainDeps, store: ChatStore, session: Session): Promise<Session> {
  if (isEnded(session.status)) return session;
  const now = deps.clock.now();
  const ended = transition(session, isActive(session.status) ? 'end' : 'leaveQueue', now);
  const saved = await persist(deps, store, session, ended, null);
  const who = session.customerName || 'The customer';
  return (await specialMessage(deps, store, saved, Special.ClosedByCustomer, `${who} ended the chat`, '', null)).session;
}
