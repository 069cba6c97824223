// SaveChatSessionEntity: creates (id 0) or updates a session in a topic where the caller may respond or manage.
// The server owns SessionKey, InitialQueuePos and Rank. Who has the chat (User, TransferTo, the bot flag, the topic)
// moves through pick-up, transfer and reset, and through a save only for the topic's managers and administrators,
// as do the customer's and the sweeper's fields; anyone else's values for them are ignored (managersOnly). A changed
// Status is one of the life cycle's events (session-status.ts) with its effects; a change the table does not allow
// is refused.
import { defaultSession } from '../defaults.ts';
import { accessDenied, invalid } from '../errors.ts';
import { enumName } from '../../lib/dotnet-flags.ts';
import { ChatMessageSpecialType as Special, ChatSessionFlags, ChatSessionStatus } from '../enums.ts';
import type { ChatStore, DomainDeps } from '../ports.ts';
import { namedUser } from '../existing.ts';
import { checkSessionReferences } from '../references.ts';
import { type Actor, canManageTopic, canSteerSession, canWriteSession, type Role } from '../rights.ts';
import { isActive, isEnded, pathBetween } from '../session-status.ts';
import type { Session } from '../types.ts';
import { requireOwnerFor, requireTransferTarget } from './hand-over.ts';
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
  return retryOnConflict(() =>
    deps.store.transaction(async (store) => {
      if (id === 0) return createSession(deps, store, actor, fromStored(defaultSession(deps.clock.now())));
      const { session: current, role } = await requireSessionAccess(store, actor, id, UPDATE);
      const input = fromStored(current);
      // Moving a session to another topic: the caller's role there decides too.
      const target = input.topicId === current.topicId ? role : await requireWritableTopic(store, actor, input.topicId);
      await checkSessionReferences(store, input);
      const manager = canManageTopic(actor, role) && canManageTopic(actor, target);
      const chosen = manager ? input : { ...input, ...managersOnly(current) };
      // Who wrote last (CustomerLast / UserLast) follows the messages: a save echoing an entity read before the
      // customer's newest message must not mark it answered. Another agent's chat is moved on (queued, ended) by that
      // agent or a manager only; a responder's Status for it is ignored like their User.
      const status = !canSteerSession(actor, role, current)
        ? current.status
        : WHO_WROTE_LAST.includes(current.status) && WHO_WROTE_LAST.includes(input.status)
          ? current.status
          : input.status;
      let next: Session = {
        ...chosen,
        status,
        sessionKey: current.sessionKey,
        initialQueuePos: current.initialQueuePos,
        rank: current.rank,
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
      if (manager) await checkHandOver(store, actor, current, next);
      const saved = await persist(deps, store, current, next, actor.id);
      return path.includes('end')
        ? (await specialMessage(deps, store, saved, Special.ClosedByUser, `${actor.fullName} ended the chat`, actor.fullName, actor.id)).session
        : saved;
    }),
  );
}

/** A new session through a save: any status (imports of past chats); a responder's active chat is the responder's. */
async function createSession(deps: DomainDeps, store: ChatStore, actor: Actor, input: Session): Promise<Session> {
  const role = await requireWritableTopic(store, actor, input.topicId);
  await checkSessionReferences(store, input);
  if (canManageTopic(actor, role)) {
    await checkHandOver(store, actor, undefined, input);
    return insertSession(deps, store, input, actor.id);
  }
  // As a pick-up through a save makes the caller the owner; nobody else is handed a chat, nor offered one, and the
  // managers' fields keep their defaults (as on updates).
  const userId = isActive(input.status) ? actor.id : null;
  return insertSession(deps, store, { ...input, ...managersOnly(defaultSession(deps.clock.now())), topicId: input.topicId, userId }, actor.id);
}

/**
 * What only the topic's managers (of both topics, when it moves) and administrators write through a save; anyone
 * else's values are ignored and these kept. Who has the chat moves through the life cycle's calls; Rating and
 * CustomerConsented are the customer's word (visitor API), AlertLevel the sweeper's.
 */
const managersOnly = (s: Session): Partial<Session> => ({
  topicId: s.topicId,
  userId: s.userId,
  transferToId: s.transferToId,
  chatbotIsActive: s.chatbotIsActive,
  rating: s.rating,
  alertLevel: s.alertLevel,
  customerConsented: s.customerConsented,
});

/**
 * A manager's save hands a chat over only as TransferChatSession would: a new owner (or the owner of a chat moved to
 * another topic) can respond in the topic, unless the manager takes it over; a new pending transfer goes to a
 * present agent who can respond there, of an active chat, not to its owner. An ended chat's owner is history.
 */
async function checkHandOver(store: ChatStore, actor: Actor, before: Session | undefined, after: Session) {
  const moved = before !== undefined && before.topicId !== after.topicId;
  const owner = after.userId;
  const newOwner = owner !== null && (moved || owner !== before?.userId) && owner !== actor.id;
  if (newOwner && !isEnded(after.status)) await requireOwnerFor(store, after.topicId, await namedUser(store, owner));
  if (after.transferToId === null || (!moved && after.transferToId === before?.transferToId)) return;
  const target = await namedUser(store, after.transferToId);
  if (!isActive(after.status)) throw invalid(`Chat session ${after.id} is not active: only active chats are transferred`);
  if (after.transferToId === after.userId) throw invalid(`${target.userName} already handles chat session ${after.id}`);
  await requireTransferTarget(store, after.topicId, target);
}

async function requireWritableTopic(store: ChatStore, actor: Actor, topicId: number): Promise<Role | undefined> {
  if (!(topicId > 0)) throw invalid('TopicId is required');
  if (!(await store.topics.byId(topicId))) throw invalid(`Chat topic ${topicId} does not exist`);
  const role = await store.topicAgents.get(topicId, actor.id);
  if (!canWriteSession(actor, role)) throw accessDenied(`You may not respond in chat topic ${topicId}`);
  return role;
}

const WHO_WROTE_LAST: readonly number[] = [ChatSessionStatus.CustomerLast, ChatSessionStatus.UserLast];
