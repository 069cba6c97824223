// ChatSessionEntity: a chat conversation in one topic, as every session method answers it.
import { ChatSessionFlags, ChatSessionStatus, ETableRight } from '../domain/enums.ts';
import type { Session } from '../domain/types.ts';
import type { SessionView } from '../domain/views.ts';
import { enumName, formatFlags } from '../lib/dotnet-flags.ts';
import { AssociateSchema, presentAssociate } from './associate.carrier.ts';
import { ContactSchema, presentContact } from './contact.carrier.ts';
import { Bool, Carrier, DateTime, Enum, Flags, Int, pick, refId, Str, verbatim, type WireObject, type WireOf } from './kit.ts';
import { PersonSchema, presentPerson } from './person.carrier.ts';
import { ProjectSchema, presentProject } from './project.carrier.ts';
import { type FieldDetail, fieldProperties, tableRight } from './rights.carrier.ts';
import { presentSale, SaleSchema } from './sale.carrier.ts';
import { presentTicket, TicketSchema } from './ticket.carrier.ts';

export const ChatSessionSchema = Carrier(
  'ChatSessionEntity',
  {
    ChatSessionId: Int('The primary key (auto-incremented)'),
    TopicId: Int('The reference to the associated chat topic.'),
    User: AssociateSchema,
    Person: PersonSchema,
    CustomerAlias: Str(64, 'The alias for the customer.'),
    CustomerHost: Str(255, 'The hostname or IP address for the customer.'),
    CustomerName: Str(255, 'The name of customer, if provided'),
    CustomerEmail: Str(255, 'The email address of the customer, if provided'),
    CustomerPhone: Str(32, 'The phone number of the customer, if provided'),
    CustomerConsented: Bool('The customer consented when starting the session'),
    CustomerCompanyName: Str(255, 'The name of the customers company, if provided'),
    Status: Enum('ChatSessionStatus', ChatSessionStatus, 'Enum indicating the status for the session (pending, active, closed, etc).'),
    FirstMessage: Str(1024, 'A copy of the first message in the chat session'),
    LastMessage: Str(1024, 'A copy of the last message in the chat session'),
    WhenRequested: DateTime('When the session was requested by the customer.'),
    WhenStarted: DateTime('When the session was accepted by a user.'),
    WhenEnded: DateTime('When the session was ended.'),
    WhenIdle: DateTime('The last time anyone sent a message for this session.'),
    WhenFetched: DateTime("The last time the customer's client refetched the data. Used to detect 'dead' session."),
    SessionKey: Str(255, 'Key used to authenticate the session.'),
    InitialQueuePos: Int('The initial queue pos (i.e. the number of pending sessions + 1) when the session was requested.'),
    AlertLevel: Int('The alert level for this chat session.'),
    Rank: Int('Lowest possible unique number for active sessions for user. User for color index. Starting at 1.'),
    Flags: Flags('ChatSessionFlags', ChatSessionFlags, 'Various flags for the chat session'),
    Contact: ContactSchema,
    Project: ProjectSchema,
    Sale: SaleSchema,
    Ticket: TicketSchema,
    TransferTo: AssociateSchema,
    ChatbotIsActive: Bool('Indicates that a chatbot is active on the session.'),
    Rating: Int('Rating of this chat conversation given by the customer'),
  },
  'A chat conversation belonging to one topic.',
);

/** Written by the server only: saving a session leaves them as they are. */
const SERVER_OWNED = new Set(['ChatSessionId', 'SessionKey', 'InitialQueuePos', 'Rank']);
/**
 * Written through a save only by the topic's managers and administrators (save-session.ts): who has the chat (the
 * bot flag; User and TransferTo are nested carriers, which FieldProperties does not list), the topic of a saved
 * session, and what is the customer's (Rating, CustomerConsented) or the sweeper's (AlertLevel).
 */
const MANAGERS_ONLY = new Set(['TopicId', 'CustomerConsented', 'AlertLevel', 'ChatbotIsActive', 'Rating']);
/** A session not yet saved: whoever may create it picks its topic. */
const MANAGERS_ONLY_NEW = new Set([...MANAGERS_ONLY].filter((name) => name !== 'TopicId'));

export function presentSession(v: SessionView, detail: FieldDetail = 'full'): WireObject {
  const s = v.session;
  return {
    ChatSessionId: s.id,
    TopicId: s.topicId,
    User: presentAssociate(v.user),
    Person: presentPerson(v.person),
    CustomerAlias: verbatim(s.customerAlias),
    CustomerHost: verbatim(s.customerHost),
    CustomerName: verbatim(s.customerName),
    CustomerEmail: verbatim(s.customerEmail),
    CustomerPhone: verbatim(s.customerPhone),
    CustomerConsented: s.customerConsented,
    CustomerCompanyName: verbatim(s.customerCompanyName),
    Status: enumName(s.status, ChatSessionStatus),
    FirstMessage: verbatim(s.firstMessage),
    LastMessage: verbatim(s.lastMessage),
    WhenRequested: s.whenRequested,
    WhenStarted: s.whenStarted,
    WhenEnded: s.whenEnded,
    WhenIdle: s.whenIdle,
    WhenFetched: s.whenFetched,
    // The key is the visitor's only credential: read-only members (listeners, notified agents) would be able to
    // write as the customer with it, so only those who may change the session see it.
    SessionKey: v.tableRight & ETableRight.Update ? s.sessionKey : '',
    InitialQueuePos: s.initialQueuePos,
    AlertLevel: s.alertLevel,
    Rank: s.rank,
    // Only UserIsTyping goes out: the customer's typing bit (CUSTOMER_TYPING) has no SuperOffice name.
    Flags: formatFlags(s.flags & ChatSessionFlags.UserIsTyping, ChatSessionFlags),
    Contact: presentContact(v.contact),
    Project: presentProject(v.project),
    Sale: presentSale(v.sale),
    Ticket: presentTicket(v.ticket),
    TransferTo: presentAssociate(v.transferTo),
    ChatbotIsActive: s.chatbotIsActive,
    Rating: s.rating,
    TableRight: tableRight(v.tableRight),
    FieldProperties: fieldProperties(ChatSessionSchema, v.tableRight, SERVER_OWNED, detail, s.id === 0 ? MANAGERS_ONLY_NEW : MANAGERS_ONLY),
  };
}

/**
 * A decoded ChatSessionEntity body → the session to save; absent fields keep the stored session's values. Rank,
 * SessionKey and InitialQueuePos are the server's and are not read; who may change User, TransferTo and
 * ChatbotIsActive is the domain's decision (saveSession).
 */
export function sessionFromWire(w: WireOf<typeof ChatSessionSchema>, base: Session): Session {
  return {
    id: pick(w.ChatSessionId, base.id),
    topicId: pick(w.TopicId, base.topicId),
    userId: w.User === undefined ? base.userId : refId(w.User, 'AssociateId'),
    personId: w.Person === undefined ? base.personId : refId(w.Person, 'PersonId'),
    customerAlias: pick(w.CustomerAlias, base.customerAlias),
    customerHost: pick(w.CustomerHost, base.customerHost),
    customerName: pick(w.CustomerName, base.customerName),
    customerEmail: pick(w.CustomerEmail, base.customerEmail),
    customerPhone: pick(w.CustomerPhone, base.customerPhone),
    customerConsented: pick(w.CustomerConsented, base.customerConsented),
    customerCompanyName: pick(w.CustomerCompanyName, base.customerCompanyName),
    status: pick(w.Status, base.status),
    firstMessage: pick(w.FirstMessage, base.firstMessage),
    lastMessage: pick(w.LastMessage, base.lastMessage),
    whenRequested: pick(w.WhenRequested, base.whenRequested),
    whenStarted: pick(w.WhenStarted, base.whenStarted),
    whenEnded: pick(w.WhenEnded, base.whenEnded),
    whenIdle: pick(w.WhenIdle, base.whenIdle),
    whenFetched: pick(w.WhenFetched, base.whenFetched),
    sessionKey: base.sessionKey,
    initialQueuePos: base.initialQueuePos,
    alertLevel: pick(w.AlertLevel, base.alertLevel),
    rank: base.rank,
    flags: pick(w.Flags, base.flags),
    contactId: w.Contact === undefined ? base.contactId : refId(w.Contact, 'ContactId'),
    projectId: w.Project === undefined ? base.projectId : refId(w.Project, 'ProjectId'),
    saleId: w.Sale === undefined ? base.saleId : refId(w.Sale, 'SaleId'),
    ticketId: w.Ticket === undefined ? base.ticketId : refId(w.Ticket, 'TicketId'),
    transferToId: w.TransferTo === undefined ? base.transferToId : refId(w.TransferTo, 'AssociateId'),
    chatbotIsActive: pick(w.ChatbotIsActive, base.chatbotIsActive),
    rating: pick(w.Rating, base.rating),
  };
}
