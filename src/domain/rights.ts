// Who may do what: membership in a topic (any of the four roles) and the row rights that follow from it.
import { ETableRight } from './enums.ts';
import type { Associate, TopicAgent } from './types.ts';

/** The authenticated caller, as the domain sees it. */
export interface Actor {
  id: number;
  userName: string;
  fullName: string;
  isAdmin: boolean;
  /** The address the call came from, as the server sees it (the audit trail notes it); absent outside a request. */
  address?: string;
}

export const actorOf = (a: Associate): Actor => ({ id: a.id, userName: a.userName, fullName: a.fullName, isAdmin: a.isAdmin });

export type Role = Pick<TopicAgent, 'canListen' | 'canRespond' | 'canManage' | 'canNotify'>;

/** A member holds at least one of Can Respond, Notifications, Listen or Manager. */
export const isMember = (role: Role | undefined): role is Role => !!role && (role.canListen || role.canRespond || role.canManage || role.canNotify);

export const canSeeTopic = (actor: Actor, role: Role | undefined) => actor.isAdmin || isMember(role);
export const canManageTopic = (actor: Actor, role: Role | undefined) => actor.isAdmin || !!role?.canManage;
export const canSeeSession = canSeeTopic;
export const canWriteSession = (actor: Actor, role: Role | undefined) => actor.isAdmin || !!role?.canManage || !!role?.canRespond;
export const canDeleteSession = canManageTopic;
/**
 * Whether the caller may move a session along its life cycle by hand (reset it, change its status through a
 * save): a bot's session, one nobody owns, the caller's own, or any as the topic's manager. Another agent's chat
 * is that agent's.
 */
export const canSteerSession = (actor: Actor, role: Role | undefined, s: { userId: number | null; chatbotIsActive: boolean }) =>
  s.chatbotIsActive || s.userId === null || s.userId === actor.id || canManageTopic(actor, role);

/** ETableRight mask of a session row for this caller. */
export function sessionTableRight(actor: Actor, role: Role | undefined): number {
  if (canDeleteSession(actor, role)) return ETableRight.FULL;
  if (canWriteSession(actor, role)) return ETableRight.URI;
  return canSeeSession(actor, role) ? ETableRight.Select : ETableRight.None;
}

/** ETableRight mask of a topic row for this caller: only administrators create and delete topics. */
export function topicTableRight(actor: Actor, role: Role | undefined): number {
  if (actor.isAdmin) return ETableRight.FULL;
  if (role?.canManage) return ETableRight.UR;
  return isMember(role) ? ETableRight.Select : ETableRight.None;
}

/**
 * Setting a user's chat presence: one's own always; another user's as an administrator, or as a manager of a topic
 * where that user can respond (a manager covering for an agent of theirs who left without signing off). Any other
 * role does not count: a manager may add anyone as a listener to their topic, which must not give them that
 * user's presence.
 */
export function canSetPresence(actor: Actor, userId: number, managedTopicIds: ReadonlySet<number>, userRespondsIn: readonly number[]): boolean {
  return actor.id === userId || actor.isAdmin || userRespondsIn.some((id) => managedTopicIds.has(id));
}

/** ETableRight mask of a ChatPresence row: read and update where the caller may set the presence, else read. */
export const presenceTableRight = (actor: Actor, userId: number, managedTopicIds: ReadonlySet<number>, userRespondsIn: readonly number[]) =>
  canSetPresence(actor, userId, managedTopicIds, userRespondsIn) ? ETableRight.UR : ETableRight.Select;
