// What the console knows about a chat session: which inbox group it belongs in for me, how to name it and its
// status. Pure functions of the ChatSessionEntity carrier, shared by the inbox and the conversation.
export const ACTIVE = ['CustomerLast', 'UserLast'];
const ENDED = ['Finished', 'Closed', 'ClosedFromQueue', 'RequestPosted'];
const HIDDEN = ['Invalid', 'Deleted'];

export const GROUPS = [
  { id: 'mine', title: 'My chats' },
  { id: 'queued', title: 'Queue' },
  { id: 'others', title: 'Colleagues' },
  { id: 'ended', title: 'Ended' },
];

const STATUS_LABELS = {
  PreChatForm: 'Filling in the form', Faq: 'Reading the FAQ', OfflineForm: 'At the offline form', InQueue: 'Waiting in queue',
  CustomerLast: 'Customer waiting for an answer', UserLast: 'Answered', Finished: 'Ended', Closed: 'Closed',
  RequestPosted: 'Left a request', ClosedFromQueue: 'Left the queue', Deleted: 'Deleted', Invalid: 'Invalid',
};
export const statusLabel = (status) => STATUS_LABELS[status] ?? status;

/** Whether an associate carrier (or null) is me, by user name. */
export const isMe = (associate, me) => !!associate?.UserName && associate.UserName.toLowerCase() === me.userName.toLowerCase();

/** Whether I may answer in the session (its TableRight has the Update bit: responders and managers; not listeners). */
export const canAnswer = (s) => /\b(Update|UR|URI|UDR|FULL)\b/.test(s.TableRight?.Mask ?? '');

export const isMine = (s, me) => isMe(s.User, me) && ACTIVE.includes(s.Status);
export const isOfferedToMe = (s, me) => isMe(s.TransferTo, me) && ACTIVE.includes(s.Status);

/** The inbox group of a session, or undefined when the inbox does not show it. */
export function groupOf(s, me) {
  if (HIDDEN.includes(s.Status)) return undefined;
  if (s.Status === 'InQueue') return 'queued';
  if (ENDED.includes(s.Status)) return 'ended';
  if (isMine(s, me) || isOfferedToMe(s, me)) return 'mine';
  return 'others';
}

export const customerName = (s) => s.CustomerName || s.CustomerAlias || s.Person?.FullName || `Guest ${s.ChatSessionId}`;
