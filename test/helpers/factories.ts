// Small factories: a test makes the session it needs, with the properties its assertions rely on, instead of
// finding a demo row by its customer name. Each stores one session through the store's repositories and returns
// its id. Times are recent: a conversation's lines are posted a second apart, ending a second ago.
import { randomBytes } from 'node:crypto';
import { defaultSession } from '../../src/domain/defaults.ts';
import { ChatMessageSpecialType, ChatMessageType, ChatSessionStatus as S } from '../../src/domain/enums.ts';
import type { Session } from '../../src/domain/types.ts';
import type { TestApp } from './test-app.ts';

/** One line of a conversation. */
export interface Line {
  type: number;
  author: string;
  text: string;
  special: number;
}

export const fromCustomer = (author: string, text: string): Line => ({ type: ChatMessageType.ToUser, author, text, special: ChatMessageSpecialType.None });

export const fromAgent = (author: string, text: string): Line => ({ type: ChatMessageType.ToCustomer, author, text, special: ChatMessageSpecialType.None });

/** A line the system wrote (Welcome, TransferedSession, ClosedByUser, ...). */
export const systemLine = (special: number, text: string, author = 'Parley'): Line => ({ type: ChatMessageType.Special, author, text, special });

/** The session's fields a factory leaves to its caller, and its conversation (`lines`, oldest first). */
export type SessionOptions = Partial<Omit<Session, 'id' | 'topicId' | 'status' | 'userId'>> & { lines?: readonly Line[] };

type Active = typeof S.CustomerLast | typeof S.UserLast;
type PreQueue = typeof S.PreChatForm | typeof S.Faq | typeof S.OfflineForm;
type Ended = typeof S.Finished | typeof S.Closed | typeof S.ClosedFromQueue | typeof S.RequestPosted | typeof S.Deleted;

const secondsBefore = (t: number, seconds: number) => new Date(t - seconds * 1000);

/** Adds lines to a session's conversation, a second apart and ending at `last`; the session row is left as it is. */
export async function addLines(app: TestApp, sessionId: number, lines: readonly Line[], last = new Date()) {
  for (const [i, line] of lines.entries()) {
    await app.store.messages.insert({
      sessionId,
      type: line.type,
      author: line.author,
      message: line.text,
      readByCustomer: line.type === ChatMessageType.ToUser ? 0 : 1,
      specialType: line.special,
      specialParam: '',
      whenPosted: secondsBefore(last.getTime(), lines.length - 1 - i),
      createdBy: null,
    });
  }
}

/** The lowest positive rank none of the agent's active sessions holds: the one a pick-up would give. */
export async function nextRank(app: TestApp, userId: number) {
  const taken = new Set(await app.store.sessions.activeRanks(userId));
  let rank = 1;
  while (taken.has(rank)) rank++;
  return rank;
}

async function make(app: TestApp, topicId: number, status: number, userId: number | null, started: boolean, ended: boolean, options: SessionOptions) {
  const { lines = [], ...fields } = options;
  const now = Date.now();
  const said = lines.filter((l) => l.type !== ChatMessageType.Special).map((l) => l.text);
  const id = await app.store.sessions.insert({
    ...defaultSession(secondsBefore(now, lines.length + 2)),
    topicId,
    status,
    userId,
    customerName: 'Customer',
    sessionKey: randomBytes(32).toString('base64url'),
    firstMessage: said[0] ?? '',
    lastMessage: said.at(-1) ?? '',
    whenStarted: started ? secondsBefore(now, lines.length + 1) : null,
    whenIdle: lines.length > 0 ? secondsBefore(now, 1) : null,
    whenEnded: ended ? new Date(now) : null,
    ...fields,
  });
  await addLines(app, id, lines, secondsBefore(now, 1));
  return id;
}

/** A session waiting at the end of the topic's queue, requested now unless `whenRequested` says otherwise. */
export async function queuedSession(app: TestApp, topicId: number, options: SessionOptions = {}) {
  const initialQueuePos = (await app.store.sessions.countInQueue(topicId)) + 1;
  return make(app, topicId, S.InQueue, null, false, false, { initialQueuePos, ...options });
}

/** A chat the owner is having, with the owner's lowest free rank: CustomerLast unless `status` says UserLast. */
export async function activeSession(app: TestApp, topicId: number, ownerId: number, options: SessionOptions & { status?: Active } = {}) {
  const { status = S.CustomerLast, ...rest } = options;
  return make(app, topicId, status, ownerId, true, false, { rank: await nextRank(app, ownerId), ...rest });
}

/** An active chat (see activeSession) whose owner has offered it to `toId`, who has not answered yet. */
export const transferOffered = (app: TestApp, topicId: number, ownerId: number, toId: number, options: SessionOptions & { status?: Active } = {}) =>
  activeSession(app, topicId, ownerId, { transferToId: toId, ...options });

/** A chat that is over: ended now, without a rank; started if it had an owner. */
export const endedSession = (app: TestApp, topicId: number, ownerId: number | null, status: Ended, options: SessionOptions = {}) =>
  make(app, topicId, status, ownerId, ownerId !== null, true, options);

/** A session that has not reached the queue: at the pre-chat form, the FAQ suggestions or the offline form. */
export const preQueueSession = (app: TestApp, topicId: number, status: PreQueue, options: SessionOptions = {}) =>
  make(app, topicId, status, null, false, false, options);

const at = (iso: string, plusSeconds: number) => new Date(Date.parse(iso) + plusSeconds * 1000);

/** A session as reports see it: times in seconds after the request (`requested`, UTC ISO text). */
export interface Reported {
  topicId: number;
  userId: number | null;
  status: number;
  requested: string;
  /** Seconds after the request. */
  started?: number;
  ended?: number;
  customerAt?: number[];
  answersAt?: number[];
  transfers?: number;
  botLines?: number;
  rating?: number;
}

/**
 * A session with exactly the facts reports read: request, pick-up and end times, customer and agent lines at given
 * seconds after the request, transfer and bot lines, a rating. A Welcome line at the pick-up (not an answer).
 */
export async function reportedSession(app: TestApp, b: Reported) {
  const requested = at(b.requested, 0);
  const id = await app.store.sessions.insert({
    ...defaultSession(requested),
    topicId: b.topicId,
    userId: b.userId,
    status: b.status,
    customerName: 'Customer',
    sessionKey: randomBytes(32).toString('base64url'),
    whenRequested: requested,
    whenStarted: b.started === undefined ? null : at(b.requested, b.started),
    whenEnded: b.ended === undefined ? null : at(b.requested, b.ended),
    rating: b.rating ?? 0,
  });
  const line = async (type: number, special: number, seconds: number, createdBy: number | null) =>
    app.store.messages.insert({
      sessionId: id,
      type,
      author: 'x',
      message: 'x',
      readByCustomer: 1,
      specialType: special,
      specialParam: '',
      whenPosted: at(b.requested, seconds),
      createdBy,
    });
  if (b.started !== undefined) await line(ChatMessageType.Special, ChatMessageSpecialType.Welcome, b.started, b.userId);
  for (const s of b.customerAt ?? []) await line(ChatMessageType.ToUser, ChatMessageSpecialType.None, s, null);
  for (const s of b.answersAt ?? []) await line(ChatMessageType.ToCustomer, ChatMessageSpecialType.None, s, b.userId);
  for (let i = 0; i < (b.transfers ?? 0); i++) await line(ChatMessageType.Special, ChatMessageSpecialType.TransferedSession, (b.started ?? 0) + 1, b.userId);
  for (let i = 0; i < (b.botLines ?? 0); i++) await line(ChatMessageType.Special, ChatMessageSpecialType.BotMessage, i + 1, null);
  return id;
}
