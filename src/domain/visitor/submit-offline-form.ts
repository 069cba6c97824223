// The offline form: the customer leaves a question; with TicketEnabled a request (ticket) is created in the
// topic's category and priority and linked to the session, which becomes RequestPosted. From the queue the form
// is offered after OfflineFormTimeLimit minutes, or when the queue is OfflineFormQueueLength long or longer.
import { conflict, invalid } from '../errors.ts';
import { ChatMessageSpecialType as Special, ChatMessageType, ChatSessionStatus as S, TicketBaseStatus, TicketOrigin } from '../enums.ts';
import type { ChatStore, DomainDeps } from '../ports.ts';
import { topicOf } from '../existing.ts';
import type { Session, Topic } from '../types.ts';
import { appendMessage, persist, transition } from '../sessions/life-cycle.ts';
import { type CustomerDetails, requireFields, withDetails } from './customer-details.ts';

export async function submitOfflineForm(deps: DomainDeps, store: ChatStore, session: Session, details: CustomerDetails, text: string, consented: boolean) {
  const topic = await topicOf(store, session);
  if (!topic.ticketEnabled) throw conflict('This topic takes no offline requests');
  // The request is stored with the customer's details: the form asks for consent when the topic says so.
  if (topic.offlineCollectConsent && !consented && !session.customerConsented) {
    throw invalid("Consented: this topic stores offline requests only with the customer's consent");
  }
  const now = deps.clock.now();
  let current = session;
  if (current.status === S.InQueue && (await offlineFormOfferedFromQueue(store, topic, current, now))) {
    current = await persist(deps, store, current, transition(current, 'offerOfflineForm', now), null);
  }
  if (current.status !== S.OfflineForm) throw conflict('The offline form is not open for this chat');
  requireFields(topic.widget.offlineFields, details);
  if (!text.trim()) throw invalid('Message: the question is required');
  const filled = withDetails(current, details);
  const person = filled.personId === null && filled.customerEmail ? await store.crm.personByEmail(filled.customerEmail) : undefined;
  const ticketId = await store.crm.insertTicket({
    title: text.trim().split('\n')[0].slice(0, 80),
    createdAt: now,
    lastChanged: now,
    baseStatus: TicketBaseStatus.Active,
    origin: TicketOrigin.Chat,
    categoryId: topic.ticketCategoryId,
    priorityId: topic.ticketPriorityId,
    personId: filled.personId ?? person?.id ?? null,
    ownedBy: null,
    createdBy: null,
    author: filled.customerName || filled.customerEmail,
    fromAddress: filled.customerEmail,
  });
  const { session: withMessage } = await appendMessage(deps, store, current, {
    type: ChatMessageType.ToUser,
    message: text,
    author: filled.customerName || 'Customer',
    specialType: Special.None,
    specialParam: '',
    createdBy: null,
  });
  const posted = {
    ...transition(withDetails(withMessage, details), 'submitOfflineForm', now),
    ticketId,
    personId: filled.personId ?? person?.id ?? null,
    customerConsented: withMessage.customerConsented || consented,
  };
  return { session: await persist(deps, store, withMessage, posted, null), ticketId };
}

/** With UseQueueOfflineForm, a queued customer may leave a request instead after the limit or past the length. */
export async function offlineFormOfferedFromQueue(store: ChatStore, topic: Topic, s: Session, now: Date) {
  if (!topic.useQueueOfflineForm) return false;
  const waitedMinutes = s.whenRequested ? (now.getTime() - s.whenRequested.getTime()) / 60_000 : 0;
  if (topic.offlineFormTimeLimit > 0 && waitedMinutes >= topic.offlineFormTimeLimit) return true;
  return topic.offlineFormQueueLength > 0 && (await store.sessions.countInQueue(topic.id)) >= topic.offlineFormQueueLength;
}
