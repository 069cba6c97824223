// Maps chat_sessions and chat_messages rows to Session and Message records and back.
import type { Message, Session } from '../domain/types.ts';
import { fromDbFlag as flag, fromDbInstant as instant, toDbFlag as bit, toDbInstant as dbInstant } from './dialect.ts';
import type { ChatMessageRow, ChatSessionRow, NewChatSessionRow } from './schema.ts';

export const sessionFromRow = (r: ChatSessionRow): Session => ({
  id: r.id, topicId: r.topic_id, userId: r.user_id, personId: r.person_id, customerAlias: r.customer_alias,
  customerHost: r.customer_host, customerName: r.customer_name, customerEmail: r.customer_email,
  customerPhone: r.customer_phone, customerConsented: flag(r.customer_consented),
  customerCompanyName: r.customer_company_name, status: r.status, firstMessage: r.first_message,
  lastMessage: r.last_message, whenRequested: instant(r.when_requested), whenStarted: instant(r.when_started),
  whenEnded: instant(r.when_ended), whenIdle: instant(r.when_idle), whenFetched: instant(r.when_fetched),
  // Only the digest is stored: the key itself is known once, to whoever created the session.
  sessionKey: '', initialQueuePos: r.initial_queue_pos, alertLevel: r.alert_level, rank: r.rank,
  flags: r.flags, contactId: r.contact_id, projectId: r.project_id, saleId: r.sale_id, ticketId: r.ticket_id,
  transferToId: r.transfer_to_id, chatbotIsActive: flag(r.chatbot_is_active), rating: r.rating,
});

/** The row of a session, without its key: that is written once, as a digest, when the session is inserted. */
export const sessionToRow = (s: Omit<Session, 'id'>): NewChatSessionRow => ({
  topic_id: s.topicId, user_id: s.userId, person_id: s.personId, customer_alias: s.customerAlias,
  customer_host: s.customerHost, customer_name: s.customerName, customer_email: s.customerEmail,
  customer_phone: s.customerPhone, customer_consented: bit(s.customerConsented),
  customer_company_name: s.customerCompanyName, status: s.status, first_message: s.firstMessage,
  last_message: s.lastMessage, when_requested: dbInstant(s.whenRequested), when_started: dbInstant(s.whenStarted),
  when_ended: dbInstant(s.whenEnded), when_idle: dbInstant(s.whenIdle), when_fetched: dbInstant(s.whenFetched),
  initial_queue_pos: s.initialQueuePos, alert_level: s.alertLevel, rank: s.rank,
  flags: s.flags, contact_id: s.contactId, project_id: s.projectId, sale_id: s.saleId, ticket_id: s.ticketId,
  transfer_to_id: s.transferToId, chatbot_is_active: bit(s.chatbotIsActive), rating: s.rating,
});

export const messageFromRow = (r: ChatMessageRow): Message => ({
  id: r.id, sessionId: r.session_id, type: r.type, message: r.message, author: r.author,
  readByCustomer: r.read_by_customer, specialType: r.special_type, specialParam: r.special_param,
  whenPosted: instant(r.when_posted) as Date, createdBy: r.created_by,
});
