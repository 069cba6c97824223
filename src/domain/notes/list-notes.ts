// Notes/List: a session's internal notes, oldest first, for whoever may read the session.
import type { DomainDeps } from '../ports.ts';
import type { Actor } from '../rights.ts';
import { sessionAccess } from '../sessions/session-access.ts';
import type { SessionNote } from '../types.ts';

export async function listNotes(deps: DomainDeps, actor: Actor, sessionId: number): Promise<SessionNote[]> {
  const access = await sessionAccess(deps.store, actor, sessionId, { lock: false, hidden: 'not-found', rules: [] });
  return access.granted ? deps.store.notes.forSession(sessionId) : [];
}
