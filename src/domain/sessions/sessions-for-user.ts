// ChatSessionsForUser: the sessions of every topic where the caller holds any of the four roles.
import type { DomainDeps } from '../ports.ts';
import type { Actor } from '../rights.ts';
import type { Session } from '../types.ts';

export function sessionsForUser(deps: DomainDeps, actor: Actor): Promise<Session[]> {
  return deps.store.sessions.forMember(actor.id, endedAfter(deps));
}

/** The same sessions as row versions only, for a caller that keeps what it built from unchanged rows. */
export function sessionVersionsForUser(deps: DomainDeps, actor: Actor) {
  return deps.store.sessions.memberVersions(actor.id, endedAfter(deps));
}

/** Sessions ended longer ago than the recent hours are no longer listed. */
const endedAfter = (deps: DomainDeps) => (deps.recentSessionHours > 0 ? new Date(deps.clock.now().getTime() - deps.recentSessionHours * 3_600_000) : null);
