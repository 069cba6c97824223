// ChatSessionsForUser: the sessions of every topic where the caller holds any of the four roles.
import type { DomainDeps } from '../ports.ts';
import type { Actor } from '../rights.ts';
import type { Session } from '../types.ts';

export function sessionsForUser(deps: DomainDeps, actor: Actor): Promise<Session[]> {
  const endedAfter = deps.recentSessionHours > 0 ? new Date(deps.clock.now().getTime() - deps.recentSessionHours * 3_600_000) : null;
  return deps.store.sessions.forMember(actor.id, endedAfter);
}
