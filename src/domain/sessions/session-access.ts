// One access check at the top of every session command: find the session (locked for writers), load the caller's
// role in its topic, and apply the command's rules in order. A rule that does not hold ends the call the way
// SuperOffice ends that call: null on the wire, an error, or the session handed back unchanged.
import { accessDenied, type DomainError, notFound } from '../errors.ts';
import type { ChatStore } from '../ports.ts';
import { type Actor, canSeeSession, canWriteSession, type Role } from '../rights.ts';
import type { Session } from '../types.ts';

/** What the caller knows when a rule is judged. */
export interface Access {
  actor: Actor;
  session: Session;
  role: Role | undefined;
  store: ChatStore;
}

/** How a refused call ends: `null` (as an unknown id), the session `unchanged`, or the error made here, thrown. */
export type Refusal = 'null' | 'unchanged' | ((session: Session) => DomainError);

export interface AccessRule {
  allows: (a: Access) => boolean | Promise<boolean>;
  otherwise: Refusal;
}

export interface AccessPolicy {
  /** Writers lock the row for their transaction, so what the rules saw still holds when they write. */
  lock: boolean;
  /** An unknown session, or one of a topic where the caller holds no role: its existence never leaks. */
  hidden: 'null' | 'not-found';
  rules: readonly AccessRule[];
}

/** A rule whose refusal is an error: commands that name a session and answer a message or nothing use only these. */
export interface StrictRule extends AccessRule {
  otherwise: (session: Session) => DomainError;
}

/** The rule most writers share: a role that lets the caller respond in the session's topic (listeners only read). */
export const MAY_RESPOND: StrictRule = {
  allows: ({ actor, role }) => canWriteSession(actor, role),
  otherwise: (s) => accessDenied(`You may not respond in chat topic ${s.topicId}`),
};

export type AccessResult =
  | { granted: true; session: Session; role: Role | undefined }
  | { granted: false; outcome: 'null'; answer: undefined }
  | { granted: false; outcome: 'unchanged'; answer: Session };

export async function sessionAccess(store: ChatStore, actor: Actor, sessionId: number, policy: AccessPolicy): Promise<AccessResult> {
  const session = policy.lock ? await store.sessions.byIdForUpdate(sessionId) : await store.sessions.byId(sessionId);
  const role = session && (await store.topicAgents.get(session.topicId, actor.id));
  if (!session || !canSeeSession(actor, role)) {
    if (policy.hidden === 'not-found') throw notFound(`Chat session ${sessionId}`);
    return { granted: false, outcome: 'null', answer: undefined };
  }
  for (const rule of policy.rules) {
    if (await rule.allows({ actor, session, role, store })) continue;
    if (rule.otherwise === 'null') return { granted: false, outcome: 'null', answer: undefined };
    if (rule.otherwise === 'unchanged') return { granted: false, outcome: 'unchanged', answer: session };
    throw rule.otherwise(session);
  }
  return { granted: true, session, role };
}

export interface StrictPolicy {
  lock: boolean;
  rules: readonly StrictRule[];
}

/** The session and role for a command whose every refusal is an error (an unknown or hidden session is a 404). */
export async function requireSessionAccess(store: ChatStore, actor: Actor, sessionId: number, policy: StrictPolicy) {
  const access = await sessionAccess(store, actor, sessionId, { ...policy, hidden: 'not-found' });
  // Strict rules and 'not-found' leave no refusal that answers; this only guards against a future edit.
  if (!access.granted) throw new Error(`Access to chat session ${sessionId} answered ${access.outcome} under a strict policy`);
  return access;
}
