// The one catalogue of events: each type Parley records in the outbox, with its payload. Producers append them in
// the change's own transaction; consumers (push, webhooks, e-mail) narrow on `type` and get the payload's type.
// A session in a payload never carries its key (outboxSession): the outbox is kept a day and read by many.
import type { Message, Session, SessionNote } from './types.ts';

export interface EventPayloads {
  'chatsession.created': { session: Session };
  /** Status, owner or pending transfer changed; `purged`: the session is gone (deleted, or swept). */
  'chatsession.changed': {
    session: Session;
    oldStatus: number;
    newStatus: number;
    oldUserId?: number | null;
    oldTransferToId?: number | null;
    purged?: boolean;
  };
  'chatsession.message': { session: Session; message: Message };
  /** Typing flags only: news for the other side's screen. */
  'chatsession.typing': { session: Session; customerIsTyping: boolean; userIsTyping: boolean };
  /** The sweeper raised the unanswered-time alarm; `recipients` are the users to tell. */
  'chatsession.alert': { session: Session; alertLevel: number; recipients: number[]; reason: 'unansweredNewChat' | 'unansweredMessage' };
  /** Routing offered the session to `userId`, who has until `expiresAt` to accept it. */
  'chatsession.offered': { session: Session; userId: number; expiresAt: Date };
  /** The offer to `userId` ended: accepted, declined, timed out, or withdrawn (someone else took it, they went away). */
  'chatsession.offer_ended': { session: Session; userId: number; outcome: 'accepted' | 'declined' | 'timedOut' | 'withdrawn' };
  /** Routing gave the session to `userId` (directly, or by an accepted offer) after `waitSeconds` in the queue. */
  'chatsession.assigned': { session: Session; userId: number; waitSeconds: number; byOffer: boolean };
  'presence.changed': { userId: number; present: boolean };
  /** A user's roles in a topic changed (`removed`: they hold none any more). */
  'topic.agents': { topicId: number; userId: number; removed: boolean };
  /** A topic's routing settings were saved (capacities may have risen: the router looks again). */
  'routing.settings': { topicId: number };
  /** An internal note on a session: for agents' push streams only, never a visitor's, a webhook's or a mail's. */
  'session.note': { note: SessionNote };
}

export type EventType = keyof EventPayloads;

/** The events about one chat session: each payload carries the session as it is after the change. */
export type SessionEventType = { [T in EventType]: EventPayloads[T] extends { session: Session } ? T : never }[EventType];

export const SESSION_EVENT_TYPES = [
  'chatsession.created',
  'chatsession.changed',
  'chatsession.message',
  'chatsession.typing',
  'chatsession.alert',
  'chatsession.offered',
  'chatsession.offer_ended',
  'chatsession.assigned',
] as const satisfies readonly SessionEventType[];

/**
 * What a webhook may subscribe to: SuperOffice's three chat events, and typing and routing's offers and assignments
 * for receivers that ask for them. Alerts, presence and memberships are for the push streams of Parley's own console.
 */
export const WEBHOOK_EVENT_TYPES = [
  'chatsession.created',
  'chatsession.changed',
  'chatsession.message',
  'chatsession.typing',
  'chatsession.offered',
  'chatsession.offer_ended',
  'chatsession.assigned',
] as const satisfies readonly SessionEventType[];
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What a webhook gets when it names no events: SuperOffice's three, as its webhooks send. */
export const DEFAULT_WEBHOOK_EVENTS = ['chatsession.created', 'chatsession.changed', 'chatsession.message'] as const satisfies readonly WebhookEventType[];

interface EventEnvelope {
  topicId: number | null;
  sessionId: number | null;
  /** Who made the change (null: the customer or the system). */
  associateId: number | null;
  createdAt: Date;
}

/** One event, its payload typed by its `type`. */
export type OutboxEvent = { [T in EventType]: EventEnvelope & { type: T; payload: EventPayloads[T] } }[EventType];

/** An event as the outbox gives it back, with its id (the order of commits, and push streams' event id). */
export type StoredEvent = OutboxEvent & { id: number };

export const isSessionEvent = <E extends OutboxEvent>(e: E): e is Extract<E, { type: SessionEventType }> =>
  (SESSION_EVENT_TYPES as readonly string[]).includes(e.type);
export const isWebhookEvent = <E extends OutboxEvent>(e: E): e is Extract<E, { type: WebhookEventType }> =>
  (WEBHOOK_EVENT_TYPES as readonly string[]).includes(e.type);
