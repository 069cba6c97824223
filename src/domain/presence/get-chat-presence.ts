// GetChatPresence: every active user's presence, ongoing chats and topics, with the caller's right on each row.
// Three queries whatever the number of users: the users, the ongoing-chat counts, the memberships.
import type { DomainDeps } from '../ports.ts';
import { type Actor, presenceTableRight } from '../rights.ts';
import type { Associate, TopicAgent } from '../types.ts';
import { activeUsers } from './users.ts';

export interface PresenceView {
  user: Associate;
  /** Sessions the user owns in status CustomerLast or UserLast. */
  ongoingChats: number;
  /** Topics where the user holds any of the four roles, ascending. */
  topicIds: number[];
  tableRight: number;
}

export async function getChatPresence(deps: DomainDeps, actor: Actor): Promise<PresenceView[]> {
  const { store } = deps;
  const [users, ongoing, memberships] = await Promise.all([store.associates.list(), store.associates.ongoingChatCounts(), store.topicAgents.memberships()]);
  const topicsOf = byUser(memberships);
  const respondsIn = byUser(memberships.filter((m) => m.canRespond));
  const managed = new Set(memberships.filter((m) => m.associateId === actor.id && m.canManage).map((m) => m.topicId));
  return activeUsers(users).map((user) => {
    const topicIds = (topicsOf.get(user.id) ?? []).sort((a, b) => a - b);
    const tableRight = presenceTableRight(actor, user.id, managed, respondsIn.get(user.id) ?? []);
    return { user, ongoingChats: ongoing.get(user.id) ?? 0, topicIds, tableRight };
  });
}

function byUser(roles: TopicAgent[]): Map<number, number[]> {
  const topicsOf = new Map<number, number[]>();
  for (const m of roles) {
    const list = topicsOf.get(m.associateId);
    if (list) list.push(m.topicId);
    else topicsOf.set(m.associateId, [m.topicId]);
  }
  return topicsOf;
}
