// The body of a webhook delivery, shaped as SuperOffice's WebhookPayload for chat events (docs: automation/
// webhook "Receiving notifications" and reference "Chat events"): EventId, Timestamp, Changes, Event,
// PrimaryKey, Entity, ContextIdentifier, ChangedByAssociateId, WebhookName and FieldValues.
import { createHash } from 'node:crypto';
import type { WebhookEventType } from '../domain/events.ts';
import type { StoredEvent } from '../storage/event.repository.ts';
import type { Webhook } from '../storage/webhook.repository.ts';

export interface WebhookPayload {
  EventId: string;
  Timestamp: string;
  Changes: string[];
  Event: string;
  PrimaryKey: number;
  Entity: string;
  ContextIdentifier: string;
  ChangedByAssociateId: number;
  WebhookName: string;
  FieldValues: Record<string, string | number | boolean>;
}

/** SuperOffice's example message event lists these (CRMScript input names) as its Changes. */
const MESSAGE_CHANGES = [
  'chatSession.topicId',
  'chatSession.userId',
  'chatSession.customerId',
  'chatSession.customerName',
  'chatSession.customerEmail',
  'chatSession.companyName',
  'chatSession.customerPhone',
  'chatMessage.sessionId',
  'chatMessage.id',
  'chatMessage.message',
  'chatMessage.type',
  'chatMessage.specialType',
  'chatMessage.specialParam',
  'chatMessage.author',
];

/** On-site SuperOffice sends "Default" (Online sends the customer id, "Cust1234"); Parley is on-site. */
const CONTEXT_IDENTIFIER = 'Default';

/** 0 for "none", as SuperOffice writes a missing link. */
const id = (v: number | null | undefined) => v ?? 0;

/** The chat event `event` as delivered to `hook`. */
export function buildPayload(hook: Pick<Webhook, 'id' | 'name' | 'createdAt'>, event: Extract<StoredEvent, { type: WebhookEventType }>): WebhookPayload {
  const s = event.payload.session;
  // The field list of SuperOffice's Chat events page, under its names (camelCased chat_session columns).
  const fields: WebhookPayload['FieldValues'] = {
    alertLevel: s.alertLevel,
    chatbotIsactive: s.chatbotIsActive,
    consented: s.customerConsented,
    contactId: id(s.contactId),
    customerAlias: s.customerAlias,
    customerId: id(s.personId),
    projectId: id(s.projectId),
    rating: s.rating,
    saleId: id(s.saleId),
    status: s.status,
    ticketId: id(s.ticketId),
    topicId: s.topicId,
    userId: id(s.userId),
  };
  let changes: string[] = [];
  if (event.type === 'chatsession.changed') {
    const p = event.payload;
    const oldStatus = p.oldStatus ?? s.status;
    // The names SuperOffice's CRMScript chat triggers (which mirror the webhook) give the two values.
    fields['status.old'] = oldStatus;
    fields['status.new'] = p.newStatus ?? s.status;
    if (oldStatus !== s.status) changes.push('chatSession.status');
    if (p.oldUserId !== undefined && p.oldUserId !== s.userId) changes.push('chatSession.userId');
    if (p.oldTransferToId !== undefined && p.oldTransferToId !== s.transferToId) changes.push('chatSession.transferTo');
  } else if (event.type === 'chatsession.message') {
    const m = event.payload.message;
    changes = [...MESSAGE_CHANGES];
    Object.assign(fields, {
      'chatMessage.id': m.id,
      'chatMessage.sessionId': m.sessionId,
      'chatMessage.message': m.message,
      'chatMessage.type': m.type,
      'chatMessage.specialType': m.specialType,
      'chatMessage.specialParam': m.specialParam,
      'chatMessage.author': m.author,
    });
  } else if (event.type === 'chatsession.offered') {
    // Routing's events are Parley's own: their fields under Parley's names.
    Object.assign(fields, { 'offer.userId': event.payload.userId, 'offer.expiresAt': event.payload.expiresAt.toISOString() });
  } else if (event.type === 'chatsession.offer_ended') {
    Object.assign(fields, { 'offer.userId': event.payload.userId, 'offer.outcome': event.payload.outcome });
  } else if (event.type === 'chatsession.assigned') {
    const p = event.payload;
    Object.assign(fields, { 'assignment.userId': p.userId, 'assignment.waitSeconds': p.waitSeconds, 'assignment.byOffer': p.byOffer });
  }
  return {
    EventId: eventGuid(hook, event.id),
    Timestamp: event.createdAt.toISOString(),
    Changes: changes,
    Event: event.type,
    PrimaryKey: event.sessionId ?? s.id,
    Entity: 'chatsession',
    ContextIdentifier: CONTEXT_IDENTIFIER,
    ChangedByAssociateId: id(event.associateId),
    WebhookName: hook.name,
    FieldValues: fields,
  };
}

/**
 * A GUID for one event sent to one hook: the same on every attempt (SuperOffice keeps EventId across retries),
 * different for each hook. Name-based (RFC 9562 version 8 over SHA-256), so it needs no storage.
 */
export function eventGuid(hook: Pick<Webhook, 'id' | 'createdAt'>, eventId: number): string {
  const h = createHash('sha256').update(`parley-webhook:${hook.id}:${hook.createdAt.getTime()}:${eventId}`).digest();
  h[6] = (h[6] & 0x0f) | 0x80;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
