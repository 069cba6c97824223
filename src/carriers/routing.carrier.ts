// Parley's own carriers for routing (not SuperOffice shapes): a topic's settings with its agents, an offer, and
// what the console shows an agent about their load.
import { Type } from '@sinclair/typebox';
import type { RoutingOffer } from '../domain/routing/routing.ts';
import type { RoutingSettingsView } from '../domain/routing/routing-settings.ts';
import type { RoutingStatus } from '../domain/routing/routing-status.ts';
import { Bool, DateTime, Int, Nullable, Plain, Str, verbatim, type WireObject } from './kit.ts';

/** Wire names of the modes and deliveries (enum names, as SuperOffice writes its enums). */
export const MODE_NAMES = { manual: 'Manual', auto: 'Auto' } as const;
export const DELIVERY_NAMES = { assign: 'Assign', offer: 'Offer' } as const;

export const RoutingAgentSchema = Plain(
  'ParleyRoutingAgent',
  {
    AgentId: Int('The user (associate id); must be able to respond in the topic'),
    Name: Str(255, 'Read only'),
    Capacity: Nullable(Int('Most chats at once this agent takes here; null: the topic default')),
    Priority: Int('1: the primary team; higher numbers get chats only while every agent of lower numbers is full'),
    ActiveChats: Int('Read only: active chats (all topics) plus offers waiting for an answer'),
    Present: Bool('Read only'),
  },
  'An agent as routing weighs them in one topic.',
);

export const RoutingSettingsSchema = Plain(
  'ParleyRoutingSettings',
  {
    TopicId: Int(),
    Mode: Str(10, "Manual (agents pick chats up, SuperOffice's way) or Auto (Parley hands them out)"),
    Delivery: Str(10, "Auto only: Assign (the chat is the agent's at once) or Offer (the agent accepts within OfferSeconds)"),
    OfferSeconds: Int('How long an offer waits for an answer (5-600)'),
    MissedOffersBeforeAway: Int('Missed offers in a row (declined or timed out) that set the agent away; 0: never'),
    DefaultCapacity: Int('Most active chats an agent takes at once, unless their own Capacity says otherwise (1-100)'),
    PickUpOverCapacity: Bool('Whether an agent at capacity may still pick chats up by hand'),
    ReturnChatsWhenAway: Bool("Whether an agent's active chats go back to the queue when they go away"),
    Agents: Type.Array(RoutingAgentSchema, { description: 'Everyone who can respond in the topic' }),
  },
  "A topic's routing.",
);

export const presentRoutingSettings = (s: RoutingSettingsView): WireObject => ({
  TopicId: s.topicId,
  Mode: MODE_NAMES[s.mode],
  Delivery: DELIVERY_NAMES[s.delivery],
  OfferSeconds: s.offerSeconds,
  MissedOffersBeforeAway: s.awayAfterMissed,
  DefaultCapacity: s.defaultCapacity,
  PickUpOverCapacity: s.pickUpOverCapacity,
  ReturnChatsWhenAway: s.returnChatsWhenAway,
  Agents: s.agents.map((a) => ({
    AgentId: a.associateId,
    Name: verbatim(a.fullName),
    Capacity: a.capacity,
    Priority: a.priority,
    ActiveChats: a.load,
    Present: a.present,
  })),
});

export const RoutingOfferSchema = Plain(
  'ParleyRoutingOffer',
  { ChatSessionId: Int(), TopicId: Int(), AgentId: Int(), WhenOffered: DateTime(), ExpiresAt: DateTime() },
  'A queued chat offered to an agent, waiting for their answer.',
);

export const presentOffer = (o: RoutingOffer): WireObject => ({
  ChatSessionId: o.sessionId,
  TopicId: o.topicId,
  AgentId: o.associateId,
  WhenOffered: o.offeredAt,
  ExpiresAt: o.expiresAt,
});

export const RoutingStatusSchema = Plain(
  'ParleyRoutingStatus',
  {
    ActiveChats: Int('Active chats (all topics) plus offers waiting for an answer'),
    Topics: Type.Array(
      Plain(
        'ParleyRoutingTopicLoad',
        { TopicId: Int(), Mode: Str(10), Capacity: Int("The caller's capacity in this topic") },
        'A topic where the caller can respond.',
      ),
    ),
    Offers: Type.Array(RoutingOfferSchema),
  },
  "The caller's load, capacities and open offers.",
);

export const presentRoutingStatus = (s: RoutingStatus): WireObject => ({
  ActiveChats: s.load,
  Topics: s.topics.map((t) => ({ TopicId: t.topicId, Mode: MODE_NAMES[t.mode], Capacity: t.capacity })),
  Offers: s.offers.map(presentOffer),
});
