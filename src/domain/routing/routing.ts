// Routing: how a topic's queued chats reach its agents (Parley's own, beside SuperOffice's pick-up). The types, the
// storage port, and the defaults a topic has until its managers change them.
import type { Session } from '../types.ts';

/** manual: agents pick chats up (SuperOffice's way, the default); auto: Parley hands them out. */
export const ROUTING_MODES = ['manual', 'auto'] as const;
export type RoutingMode = (typeof ROUTING_MODES)[number];
/** assign: the chat becomes the agent's at once; offer: the agent has a few seconds to accept it. */
export const ROUTING_DELIVERIES = ['assign', 'offer'] as const;
export type RoutingDelivery = (typeof ROUTING_DELIVERIES)[number];

export interface RoutingAgent {
  associateId: number;
  /** Most chats at once this agent takes in this topic; null: the topic's default. */
  capacity: number | null;
  /** 1 is the primary team; a higher number gets chats only while every agent of the lower numbers is full. */
  priority: number;
}

export interface RoutingSettings {
  topicId: number;
  mode: RoutingMode;
  delivery: RoutingDelivery;
  offerSeconds: number;
  /** Missed offers in a row (declined or timed out) after which the agent is set away; 0: never. */
  awayAfterMissed: number;
  defaultCapacity: number;
  /** Whether an agent at capacity may still pick chats up by hand (PickUpChatSession). */
  pickUpOverCapacity: boolean;
  /** Whether an agent's active chats go back to the queue when the agent goes away. */
  returnChatsWhenAway: boolean;
  /** Agents with their own capacity or priority in this topic. */
  agents: RoutingAgent[];
}

export const defaultRoutingSettings = (topicId: number): RoutingSettings => ({
  topicId,
  mode: 'manual',
  delivery: 'assign',
  offerSeconds: 30,
  awayAfterMissed: 0,
  defaultCapacity: 3,
  pickUpOverCapacity: true,
  returnChatsWhenAway: false,
  agents: [],
});

export interface RoutingOffer {
  sessionId: number;
  associateId: number;
  topicId: number;
  offeredAt: Date;
  expiresAt: Date;
}

/** An agent who can respond in the topic and is present, as routing weighs them. */
export interface RoutingCandidate {
  associateId: number;
  /** Active chats (CustomerLast, UserLast) of every topic plus offers waiting for their answer. */
  load: number;
  capacity: number;
  priority: number;
  lastAssignedAt: Date | null;
  /** They declined (or let time out) the offer of this very session. */
  declined: boolean;
}

export type OfferOutcome = 'accepted' | 'declined' | 'timedOut' | 'withdrawn';

export interface RoutingSettingsRepository {
  /** The topic's settings (the defaults when none are stored). */
  get(topicId: number): Promise<RoutingSettings>;
  save(settings: RoutingSettings): Promise<void>;
  /** Of these topics, those that keep manual pick-up within capacity (pickUpOverCapacity off). */
  capacityBoundTopics(topicIds: readonly number[]): Promise<number[]>;
  /** True when some topic routes automatically (a router pass has nothing to do otherwise). */
  anyAuto(): Promise<boolean>;
  /** Each topic where the agent can respond, with its mode and the agent's capacity there (one query). */
  capacitiesOf(associateId: number): Promise<Array<{ topicId: number; mode: RoutingMode; capacity: number }>>;
}

export interface RoutingRepository {
  /**
   * Queued sessions of auto topics that no bot handles and nobody has been offered, oldest first; after `after` in
   * that order (the next page), leaving out `skipTopics`.
   */
  routable(limit: number, after?: Pick<Session, 'whenRequested' | 'id'>, skipTopics?: readonly number[]): Promise<Session[]>;
  /** The session locked for this transaction if it is still routable; undefined when it moved or another holds it. */
  claimRoutable(sessionId: number): Promise<Session | undefined>;
  /**
   * Present agents who can respond in the topic, their user rows locked (in id order) so that loads cannot change
   * under this transaction; with their load (the offer of `exceptSessionId` left out) and their capacity here.
   */
  candidates(topicId: number, sessionId: number, defaultCapacity: number): Promise<RoutingCandidate[]>;
  /** One agent as candidates() weighs them, locked, or undefined when they cannot respond in the topic. */
  candidate(topicId: number, associateId: number, sessionId: number, defaultCapacity: number): Promise<RoutingCandidate | undefined>;
  /** Active chats and open offers of each agent (absent: none). */
  loads(associateIds: readonly number[]): Promise<Map<number, number>>;
  insertOffer(offer: RoutingOffer): Promise<void>;
  offerFor(sessionId: number): Promise<RoutingOffer | undefined>;
  removeOffer(sessionId: number): Promise<boolean>;
  offersOf(associateId: number): Promise<RoutingOffer[]>;
  /** Offers past their time, those of agents no longer present or responding, and those of sessions no longer queued. */
  endedOffers(now: Date, limit: number): Promise<RoutingOffer[]>;
  nextExpiry(): Promise<Date | undefined>;
  /** The agent missed the offer of this session (declined it, or let time run out): it is not offered to them again. */
  recordDecline(sessionId: number, associateId: number, outcome: 'declined' | 'timedOut', at: Date): Promise<void>;
  /** The agent was given a chat now: they wait longest no more, and their missed offers in a row start again. */
  noteAssigned(associateId: number, at: Date): Promise<void>;
  /** One more missed offer in a row; the new count. */
  noteMissed(associateId: number): Promise<number>;
  resetMissed(associateId: number): Promise<void>;
  /** Active sessions of topics that return chats when their agent goes away, whose owner is away. */
  returnable(limit: number): Promise<Session[]>;
}

/** What routing tells the operator's metrics, after each change committed. */
export interface RoutingObserver {
  assigned(waitSeconds: number): void;
  offerEnded(outcome: OfferOutcome): void;
}
