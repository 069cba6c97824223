// Which users the presence and user lists show, by which name, and in which order.
import type { Associate } from '../types.ts';

/** Retired users are neither chat agents nor transfer targets. */
export const activeUsers = (users: Associate[]) => users.filter((u) => !u.deleted);

/** The name lists show: the full name, or the user name when no full name was given. */
export const displayName = (u: Associate) => u.fullName.trim() || u.userName;

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** By display name, then user name and id, so equal names still come back in a stable order. */
export const byName = (a: Associate, b: Associate) =>
  collator.compare(displayName(a), displayName(b)) || collator.compare(a.userName, b.userName) || a.id - b.id;

export const compareNames = (a: string, b: string) => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
