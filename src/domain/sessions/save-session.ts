// SaveChatSessionEntity: creates (id 0) or updates a session in a topic where the caller may respond or manage.
// The server owns SessionKey, InitialQueuePos and Rank. Who has the chat is the life cycle's business: the owner
// (User), the pending transfer (TransferTo) and the bot flag move through pick-up, transfer and reset, and through
// a save only for the topic's managers and administrators; anyone else's values for them are ignored. A changed
// Status is one of the life cycle's events (session-status.ts) with its effects, e.g. Finished ends the chat; a
// change the table does not allow is refused.
import { defaultSession } from '../defaults.ts';
import { accessDenied, invalid } from '../errors.ts';
import { enumName } from '../../lib/dotnet-flags.ts';
import { ChatMessageSpecialType as Special, ChatSessionFlags, ChatSessionStatus } from '../enums.ts';
import type { ChatStore, DomainDeps } from '../ports.ts';
import { checkSessionReferences } from '../references.ts';
import { type Actor, canManageTopic, canSteerSession, canWriteSession, type Role } from '../rights.ts';
import { isActive, pathBetween } from '../session-status.ts';
import type { Session } from '../types.ts';
import { insertSession } from './insert-session.ts';
import { CUSTOMER_TYPING, freeRank, persist, specialMessage, transition } from './life-cycle.ts';
import { queuePosition } from './queue.ts';
import { retryOnConflict } from './retry.ts';
import { MAY_RESPOND, requireSessionAccess, type StrictPolicy } from './session-access.ts';

const UPDATE: StrictPolicy = { lock: true, rules: [MAY_RESPOND] };

/**
 * Saves session `id` (0: a new one) as `fromStored` makes it out of the stored session (a default one when new).
 * The stored session is read inside the transaction, with the row locked: properties the caller left out keep
 * the values they have now, so a save cannot quietly undo a transfer or an accept that committed meanwhile.
 */
export function saveSession(deps: DomainDeps, actor: Actor, id: number, fromStored: (stored: Session) => Session): Promise<Session> {
  return retryOnConflict(() => deps.store.transaction(async (store) => {
    if (id === 0) return createSession(deps, store, actor, fromStored(defaultSession(deps.clock.now())));
    const { session: current, role } = await requireSessionAccess(store, actor, id, UPDATE);
    const input = fromStored(current);
    // Moving a session to another topic: the caller's role there decides too.
    const target = input.topicId === current.topicId ? role : await requireWritableTopic(store, actor, input.topicId);
    await checkSessionReferences(store, input);
    const manager = canManageTopic(actor, role) && canManageTopic(actor, target);
    const chosen = manager ? input : {
      ...input, userId: current.userId, transferToId: current.transferToId, chatbotIsActive: current.chatbotIsActive,
    };
    // Who wrote last (CustomerLast / UserLast) follows the messages: a save echoing an entity read before the
    // customer's newest message must not mark it answered. Another agent's chat is moved on (queued, ended) by that
    // agent or a manager only; a responder's Status for it is ignored like their User.
    const status = !canSteerSession(actor, role, current) ? current.status
      : WHO_WROTE_LAST.includes(current.status) && WHO_WROTE_LAST.includes(input.status) ? current.status : input.status;
    let next: Session = {
      ...chosen, status, sessionKey: current.sessionKey, initialQueuePos: current.initialQueuePos, rank: current.rank,
      flags: (input.flags & ChatSessionFlags.UserIsTyping) | (current.flags & CUSTOMER_TYPING),
    };
    const path = status === current.status ? [] : pathBetween(current.status, status);
    if (!path) throw invalid(`Status cannot change from ${enumName(current.status, ChatSessionStatus)} to ${enumName(status, ChatSessionStatus)}`);
    const now = deps.clock.now();
    if (path.length) next = path.reduce((s, event) => transition(s, event, now), { ...next, status: current.status });
    if (path.includes('pickUp')) next.userId ??= actor.id;
    // Dates the caller set explicitly win over the ones the events stamp.
    if (input.whenStarted?.getTime() !== current.whenStarted?.getTime()) next.whenStarted = input.whenStarted;
    if (input.whenEnded?.getTime() !== current.whenEnded?.getTime()) next.whenEnded = input.whenEnded;
    if (next.userId === null) next.rank = 0;
    else if (isActive(next.status) && (next.userId !== current.userId || next.rank <= 0)) next.rank = await freeRank(store, next.userId);
    if (next.status === ChatSessionStatus.InQueue && next.initialQueuePos === 0) {
      next.initialQueuePos = await queuePosition(store, next.topicId);
    }
    const saved = await persist(deps, store, current, next, actor.id);
    return path.includes('end')
      ? (await specialMessage(deps, store, saved, Special.ClosedByUser, `${actor.fullName} ended the chat`, actor.fullName, actor.id)).session
      : saved;
  }));
}

/** A new session through a save: any status (imports of past chats); a responder's active chat is the responder's. */
async function createSession(deps: DomainDeps, store: ChatStore, actor: Actor, input: Session): Promise<Session> {
  const role = await requireWritableTopic(store, actor, input.topicId);
  await checkSessionReferences(store, input);
  if (canManageTopic(actor, role)) return insertSession(deps, store, input, actor.id);
  // As a pick-up through a save makes the caller the owner; nobody else is handed a chat, nor offered one, and the
  // bot flag is the managers' (as on updates).
  const userId = isActive(input.status) ? actor.id : null;
  return insertSession(deps, store, { ...input, userId, transferToId: null, chatbotIsActive: false }, actor.id);
}

async function requireWritableTopic(store: ChatStore, actor: Actor, topicId: number): Promise<Role | undefined> {
  if (!(topicId > 0)) throw invalid('TopicId is required');
  if (!(await store.topics.byId(topicId))) throw invalid(`Chat topic ${topicId} does not exist`);
  const role = await store.topicAgents.get(topicId, actor.id);
  if (!canWriteSession(actor, role)) throw accessDenied(`You may not respond in chat topic ${topicId}`);
  return role;
}

const WHO_WROTE_LAST: readonly number[] = [ChatSessionStatus.CustomerLast, ChatSessionStatus.UserLast];
