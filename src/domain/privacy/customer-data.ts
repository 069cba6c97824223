// Personal-data requests (GDPR articles 15 and 17): everything Parley holds about a customer, found by e-mail
// address, handed out as one document, or erased everywhere. Administrators only; each request is in the audit trail
// (with a digest of the address, never the address itself, so the trail does not keep what was erased).
import { createHash } from 'node:crypto';
import { auditActorOf, recordAudit } from '../audit.ts';
import { accessDenied, invalid } from '../errors.ts';
import type { DomainDeps } from '../ports.ts';
import type { Actor } from '../rights.ts';
import { outboxSession, record } from '../sessions/life-cycle.ts';
import type { Attachment, Message, Person, Session, Ticket, VisitorContext } from '../types.ts';

/** What Parley holds about one customer. */
export interface CustomerData {
  email: string;
  /** Each session with its messages and where the visitor was (page, browser) when it began. */
  sessions: Array<{ session: Session; messages: Message[]; context: VisitorContext | null; files: Attachment[] }>;
  persons: Person[];
  tickets: Ticket[];
  /** Mail queued or sent to the address, or about their chats. */
  mail: Array<{ id: number; kind: string; recipientName: string; recipientAddress: string; subject: string; body: string; createdAt: Date }>;
}

/** How much an erasure removed or anonymised. */
export interface ErasedCounts {
  sessions: number;
  messages: number;
  persons: number;
  tickets: number;
  mail: number;
  events: number;
}

/** Finds and removes a customer's data; storage implements it over every table that can hold it. */
export interface CustomerDataRepository {
  find(email: string): Promise<CustomerData>;
  /** Deletes the customer's sessions (and messages, events and mail about them), anonymises their CRM rows. */
  erase(email: string): Promise<ErasedCounts>;
}

const MAX_EMAIL = 320;

function checked(actor: Actor, email: string): string {
  if (!actor.isAdmin) throw accessDenied('Only administrators handle personal-data requests');
  const e = email.trim();
  if (!e || e.length > MAX_EMAIL || !/^[^\s@]+@[^\s@]+$/.test(e)) throw invalid('Email must be an e-mail address');
  return e;
}

/** A stable reference to the address for the trail: the same request twice shows the same digest. */
const addressDigest = (email: string) => `sha256:${createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 16)}`;

export async function exportCustomerData(deps: DomainDeps, actor: Actor, email: string): Promise<CustomerData> {
  const address = checked(actor, email);
  return deps.store.transaction(async (store) => {
    const data = await store.customers.find(address);
    await recordAudit(store, auditActorOf(actor), deps.clock.now(), 'privacy.exported', `customer ${addressDigest(address)}`, null, {
      sessions: data.sessions.length,
      persons: data.persons.length,
    });
    return data;
  });
}

export async function eraseCustomerData(deps: DomainDeps, actor: Actor, email: string): Promise<ErasedCounts> {
  const address = checked(actor, email);
  return deps.store.transaction(async (store) => {
    const { sessions } = await store.customers.find(address);
    const counts = await store.customers.erase(address);
    // Open consoles drop the sessions, as after a purge; the event names no one (its snapshot is emptied).
    const now = deps.clock.now();
    for (const { session } of sessions) {
      await record(store, 'chatsession.changed', anonymous(session), actor.id || null, now, {
        purged: true,
        oldStatus: session.status,
        newStatus: session.status,
      });
    }
    await recordAudit(store, auditActorOf(actor), now, 'privacy.erased', `customer ${addressDigest(address)}`, null, { ...counts });
    return counts;
  });
}

const anonymous = (s: Session): Session => ({
  ...outboxSession(s),
  customerAlias: '',
  customerHost: '',
  customerName: '',
  customerEmail: '',
  customerPhone: '',
  customerCompanyName: '',
  firstMessage: '',
  lastMessage: '',
  personId: null,
});
