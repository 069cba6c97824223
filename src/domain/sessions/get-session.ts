// GetChatSessionEntity: a session of a topic the caller is a member of; otherwise undefined (null on the wire),
// so a non-member cannot even learn that the id exists.
import type { DomainDeps } from '../ports.ts';
import type { Actor } from '../rights.ts';
import type { Session } from '../types.ts';
import { type AccessPolicy, sessionAccess } from './session-access.ts';

const READ: AccessPolicy = { lock: false, hidden: 'null', rules: [] };

export async function getSession(deps: DomainDeps, actor: Actor, id: number): Promise<Session | undefined> {
  const access = await sessionAccess(deps.store, actor, id, READ);
  return access.granted ? access.session : access.answer;
}
