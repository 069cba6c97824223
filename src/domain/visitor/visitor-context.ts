// Parley/Visitors/Context: what an agent sees beside a conversation: where the visitor is (page, referrer,
// browser, address), the CRM person and company the chat is linked to, and the customer's earlier chats (same
// e-mail address) in topics the agent may read.
import type { DomainDeps } from '../ports.ts';
import { type Actor, canSeeSession } from '../rights.ts';
import { sessionAccess } from '../sessions/session-access.ts';
import type { Contact, Person, Session, VisitorContext } from '../types.ts';
import { rolesOf } from '../views.ts';

const EARLIER = 10;

export interface VisitorContextView {
  session: Session;
  context: VisitorContext & { host: string };
  person: Person | undefined;
  contact: Contact | undefined;
  earlierChats: Session[];
}

export async function visitorContextOf(deps: DomainDeps, actor: Actor, sessionId: number): Promise<VisitorContextView> {
  const { store } = deps;
  const access = await sessionAccess(store, actor, sessionId, { lock: false, hidden: 'not-found', rules: [] });
  if (!access.granted) throw new Error('a policy without rules always grants');
  const { session } = access;
  const stored = await store.visitorContext.get(sessionId);
  const roles = await rolesOf(deps, actor);
  // Asked for more than shown: some may be in topics this agent cannot read.
  const earlier = await store.visitorContext.earlierChats(session.customerEmail, sessionId, EARLIER * 5);
  return {
    session,
    context: { pageUrl: '', pageTitle: '', referrer: '', language: '', userAgent: '', ...stored, host: session.customerHost },
    person: session.personId ? (await store.crm.persons([session.personId]))[0] : undefined,
    contact: session.contactId ? (await store.crm.contacts([session.contactId]))[0] : undefined,
    earlierChats: earlier.filter((s) => canSeeSession(actor, roles.get(s.topicId))).slice(0, EARLIER),
  };
}
