// GetChatSessionEntity: a session of a topic the caller is a member of; otherwise undefined (null on the wire),
// so a non-member cannot even learn that the id exists.
import type { DomainDeps } from '../ports.ts';
import { type Actor, canSeeSession } from '../rights.ts';
import type { Session } from '../types.ts';

export async function getSession(deps: DomainDeps, actor: Actor, id: number): Promise<Session | undefined> {
  const session = await deps.store.sessions.byId(id);
  if (!session) return undefined;
  return canSeeSession(actor, await deps.store.topicAgents.get(session.topicId, actor.id)) ? session : undefined;
}
