// What every session change shares: the status table applied with its side effects, ranks, messages that keep
// First/LastMessage and WhenIdle up to date, and the events recorded in the same transaction.
import { concurrentChange, conflict } from '../errors.ts';
import { ChatMessageSpecialType as Special, ChatMessageType, ChatSessionFlags } from '../enums.ts';
import type { ChatStore, DomainDeps } from '../ports.ts';
import { isActive, next, type SessionEvent } from '../session-status.ts';
import type { Message, Session } from '../types.ts';
import type { EventPayloads, OutboxEvent, SessionEventType } from '../events.ts';

/** Internal flag bit: the customer is typing. SuperOffice's wire Flags cannot show it (CustomerIsTyping is 0). */
export const CUSTOMER_TYPING = 2;

/** The session after `event`, with the fields the event implies; a conflict when the table does not allow it. */
export function transition(s: Session, event: SessionEvent, now: Date): Session {
  const status = next(s.status, event);
  if (status === undefined) throw conflict(`Chat session ${s.id} cannot ${event} in its current status`);
  const out: Session = { ...s, status };
  switch (event) {
    case 'pickUp':
      out.whenStarted = now;
      break;
    case 'end':
    case 'closeIdle':
    case 'leaveQueue':
    case 'submitOfflineForm':
      out.whenEnded = now;
      break;
    case 'reopen':
      out.whenEnded = null;
      break;
    case 'enqueue':
    case 'offerOfflineForm':
      // Back to waiting (a bot handing over): nobody owns it until someone picks it up.
      out.userId = null;
      break;
  }
  if (!isActive(status)) {
    out.rank = 0;
    out.transferToId = null;
    out.flags &= ~(ChatSessionFlags.UserIsTyping | CUSTOMER_TYPING);
  }
  return out;
}

/** The lowest positive rank the agent's active sessions leave free (reused as sessions end). */
export async function freeRank(store: ChatStore, userId: number): Promise<number> {
  const taken = new Set(await store.sessions.activeRanks(userId));
  let rank = 1;
  while (taken.has(rank)) rank++;
  return rank;
}

const truncate = (text: string, max: number) => (text.length > max ? text.slice(0, max) : text);

/**
 * Stores a message and what it means for the session: First/LastMessage copies, WhenIdle, the typing flag of
 * the side that wrote, and (for ordinary texts) the status event. Returns both.
 */
export async function appendMessage(
  deps: DomainDeps,
  store: ChatStore,
  session: Session,
  m: Pick<Message, 'type' | 'message' | 'author' | 'specialType' | 'specialParam'> & { createdBy: number | null },
  statusEvent?: SessionEvent,
): Promise<{ session: Session; message: Message }> {
  const now = deps.clock.now();
  const message: Message = {
    id: 0,
    sessionId: session.id,
    type: m.type,
    message: m.message,
    author: truncate(m.author, 255),
    readByCustomer: m.type === ChatMessageType.ToCustomer ? 0 : 1,
    specialType: m.specialType,
    specialParam: truncate(m.specialParam, 255),
    whenPosted: now,
    createdBy: m.createdBy,
  };
  message.id = await store.messages.insert(message);
  let s = statusEvent ? transition(session, statusEvent, now) : { ...session };
  // Only what people wrote is conversation; system lines (welcome, transferred, closed...) are not copied.
  if (m.specialType === Special.None) {
    if (!s.firstMessage) s.firstMessage = truncate(m.message, 1024);
    s.lastMessage = truncate(m.message, 1024);
    s.whenIdle = now;
    s.alertLevel = 0; // an answer or a new question resets the unanswered-time alarm
    s.flags &= m.type === ChatMessageType.ToUser ? ~CUSTOMER_TYPING : ~ChatSessionFlags.UserIsTyping;
  }
  s = await persist(deps, store, session, s, m.createdBy);
  await record(store, 'chatsession.message', s, m.createdBy, now, { message });
  return { session: s, message };
}

/** A system line in the conversation (welcome, transferred, closed, ...): shown to both sides. */
export function specialMessage(
  deps: DomainDeps,
  store: ChatStore,
  session: Session,
  specialType: number,
  text: string,
  author: string,
  createdBy: number | null,
  specialParam = '',
) {
  // The welcome message is the agent's first answer: the customer now waits for nobody (UserLast).
  const welcome = specialType === Special.Welcome;
  return appendMessage(
    deps,
    store,
    session,
    {
      type: welcome ? ChatMessageType.ToCustomer : ChatMessageType.Special,
      message: text,
      author,
      specialType,
      specialParam,
      createdBy,
    },
    welcome ? 'agentMessage' : undefined,
  );
}

/**
 * Writes `after` if the row still has `before`'s status, owner and pending transfer (compare-and-set), and
 * records chatsession.changed when the status moved. A lost race is a conflict; callers decide what it means.
 */
export async function persist(deps: DomainDeps, store: ChatStore, before: Session, after: Session, actorId: number | null): Promise<Session> {
  const ok = await store.sessions.update(after, { status: before.status, userId: before.userId, transferToId: before.transferToId });
  if (!ok) throw concurrentChange(`Chat session ${before.id} was changed by someone else; reload it`);
  if (before.status !== after.status || before.userId !== after.userId || before.transferToId !== after.transferToId) {
    await record(store, 'chatsession.changed', after, actorId, deps.clock.now(), {
      oldStatus: before.status,
      newStatus: after.status,
      oldUserId: before.userId,
      oldTransferToId: before.transferToId,
    });
  } else if (typing(before) !== typing(after)) {
    // Typing is news for the other side's screen only (push), not a change webhooks report.
    await record(store, 'chatsession.typing', after, actorId, deps.clock.now(), {
      customerIsTyping: (after.flags & CUSTOMER_TYPING) !== 0,
      userIsTyping: (after.flags & ChatSessionFlags.UserIsTyping) !== 0,
    });
  }
  return after;
}

const typing = (s: Session) => s.flags & (CUSTOMER_TYPING | ChatSessionFlags.UserIsTyping);

/** Appends a session event: the session (without its key) plus what the event type adds to it. */
export function record<T extends SessionEventType>(
  store: ChatStore,
  type: T,
  session: Session,
  actorId: number | null,
  now: Date,
  extra: Omit<EventPayloads[T], 'session'>,
) {
  return store.events.append({
    type,
    topicId: session.topicId,
    sessionId: session.id,
    associateId: actorId,
    createdAt: now,
    payload: { ...extra, session: outboxSession(session) },
  } as OutboxEvent); // one member of the union for this T: the compiler cannot pair a generic T with its payload
}

/** A session as events carry it: the key is the customer's credential, and the outbox (kept a day, read by push and webhooks) never holds it. */
export const outboxSession = (session: Session): Session => ({ ...session, sessionKey: '' });
