// The session life cycle as one table: from a status, an event leads to a status. Commands ask `next()`; an
// event a status does not list is refused, so every status change in Parley is one of these rows.
import { ChatSessionStatus as S } from './enums.ts';

export type SessionEvent =
  | 'showFaq' // the pre-chat form is done and the topic suggests FAQ answers first
  | 'enqueue' // wait for an agent: after the pre-chat form or FAQ, or a bot hands over (ResetChatSession)
  | 'offerOfflineForm' // closed, nobody present, or the queue waited too long: the customer gets the offline form
  | 'pickUp' // an agent answers a queued session
  | 'customerMessage' // the customer wrote
  | 'agentMessage' // the owner (or a bot) wrote
  | 'end' // the agent or the customer ended an active chat
  | 'leaveQueue' // the customer left (or vanished) before anyone answered
  | 'closeIdle' // nobody wrote for too long, or the customer's client stopped fetching
  | 'reopen' // the customer came back to a chat that had ended
  | 'submitOfflineForm' // the offline form was sent: a request (ticket) exists now
  | 'markDeleted' // retention: an ended session is marked for purging
  | 'remove'; // a manager deletes the session (DeleteChatSessionEntity), whatever its status

type Status = number;
const waiting: Status[] = [S.Invalid, S.PreChatForm, S.Faq, S.InQueue];
const active: Status[] = [S.CustomerLast, S.UserLast];
const ended: Status[] = [S.Finished, S.Closed, S.ClosedFromQueue, S.RequestPosted];

/** Rows: event → [from statuses, to status]. A `to` of 'same' keeps the status. */
const TABLE: Record<SessionEvent, Array<[Status[], Status | 'same']>> = {
  showFaq: [[[S.Invalid, S.PreChatForm], S.Faq]],
  enqueue: [[[S.Invalid, S.PreChatForm, S.Faq, S.InQueue, ...active], S.InQueue]],
  offerOfflineForm: [[[S.Invalid, S.PreChatForm, S.Faq, S.InQueue, S.OfflineForm, ...active], S.OfflineForm]],
  pickUp: [[[S.InQueue], S.CustomerLast]],
  customerMessage: [
    [waiting, 'same'],
    [active, S.CustomerLast],
    [[S.OfflineForm], 'same'],
  ],
  agentMessage: [[[S.Invalid, S.PreChatForm, S.Faq, S.InQueue, ...active], S.UserLast]],
  end: [[active, S.Finished]],
  leaveQueue: [[[S.Invalid, S.PreChatForm, S.Faq, S.InQueue, S.OfflineForm], S.ClosedFromQueue]],
  closeIdle: [[active, S.Closed]],
  reopen: [[[S.Finished, S.Closed], S.CustomerLast]],
  submitOfflineForm: [[[S.OfflineForm], S.RequestPosted]],
  markDeleted: [[ended, S.Deleted]],
  remove: [
    [[...waiting, S.OfflineForm, ...active, ...ended], S.Deleted],
    [[S.Deleted], 'same'],
  ],
};

/** The status after `event`, or undefined when the event is not allowed from `from`. */
export function next(from: Status, event: SessionEvent): Status | undefined {
  for (const [sources, to] of TABLE[event]) {
    if (sources.includes(from)) return to === 'same' ? from : to;
  }
  return undefined;
}

export const SESSION_EVENTS = Object.keys(TABLE) as SessionEvent[];
/** What a save may do to a status: everything but removing, which is DeleteChatSessionEntity's alone. */
const SAVE_EVENTS = SESSION_EVENTS.filter((e) => e !== 'remove');

/** Sessions an agent is working on: they hold a rank and count as ongoing chats. */
export const isActive = (status: Status) => active.includes(status);
export const isEnded = (status: Status) => ended.includes(status) || status === S.Deleted;
export const isWaiting = (status: Status) => waiting.includes(status);

/**
 * The events that turn `from` into `to`, for saves that set Status directly: one step when the table has one;
 * a pick-up followed by one more step otherwise (InQueue → UserLast is a pick-up and an answer). Undefined when
 * the life cycle has no such path (a Finished chat does not go back to the queue).
 */
export function pathBetween(from: Status, to: Status): SessionEvent[] | undefined {
  const picked = next(from, 'pickUp');
  const viaPickUp = (): SessionEvent[] | undefined => {
    if (picked === undefined) return undefined;
    if (picked === to) return ['pickUp'];
    const second = SAVE_EVENTS.find((e) => next(picked, e) === to);
    return second ? ['pickUp', second] : undefined;
  };
  // A save that makes a queued session active is an agent picking it up, even where the table has one step
  // (InQueue → UserLast is also a bot's answer, but bots answer through AddChatMessage, not by saving).
  if (isActive(to)) {
    const path = viaPickUp();
    if (path) return path;
  }
  const one = SAVE_EVENTS.find((e) => next(from, e) === to);
  return one ? [one] : viaPickUp();
}
