// GetUserAgentList: the users that can be assigned to topics, flat or grouped by user group, optionally only
// those who are present. Any user may ask: it is the list transfers and topic administration pick from.
import type { DomainDeps } from '../ports.ts';
import type { Actor } from '../rights.ts';
import type { Associate } from '../types.ts';
import { activeUsers, byName, compareNames } from './users.ts';

/** A user group; `name` null gathers the users without a group. */
export interface UserGroup {
  id: number;
  name: string | null;
  users: Associate[];
}

export type UserAgentList = { flat: true; users: Associate[] } | { flat: false; groups: UserGroup[] };

export interface UserAgentListOptions {
  flat: boolean;
  onlyPresent: boolean;
}

export async function getUserAgentList(deps: DomainDeps, _actor: Actor, options: UserAgentListOptions): Promise<UserAgentList> {
  const all = activeUsers(await deps.store.associates.list()).sort(byName);
  const shown = options.onlyPresent ? all.filter((u) => u.present) : all;
  if (options.flat) return { flat: true, users: shown };
  return { flat: false, groups: groupUsers(all, shown) };
}

/**
 * Groups have no ids of their own (they are a name on the user), so they are numbered -1, -2, ... in name order,
 * the group-less last, counted over every active user: a group keeps its id when OnlyPresent leaves others out.
 * Groups left without users are dropped.
 */
function groupUsers(all: Associate[], shown: Associate[]): UserGroup[] {
  const key = (u: Associate) => u.groupName.trim();
  const names = [...new Set(all.map(key))].sort((a, b) => (a === '' ? 1 : b === '' ? -1 : compareNames(a, b)));
  const members = new Map<string, Associate[]>();
  for (const u of shown) {
    const list = members.get(key(u));
    if (list) list.push(u);
    else members.set(key(u), [u]);
  }
  return names.map((name, i) => ({ id: -(i + 1), name: name === '' ? null : name, users: members.get(name) ?? [] })).filter((g) => g.users.length > 0);
}
