// Parley's own carriers for routing (not SuperOffice shapes): a topic's settings with its agents, an offer, and
// what the console shows an agent about their load.
import { Type } from '@sinclair/typebox';
import { ROUTING_DELIVERIES, ROUTING_MODES, type RoutingDelivery, type RoutingMode, type RoutingOffer } from '../domain/routing/routing.ts';
import { enumName } from '../lib/dotnet-flags.ts';
import type { RoutingSettingsView } from '../domain/routing/routing-settings.ts';
import type { RoutingStatus } from '../domain/routing/routing-status.ts';
import { Bool, DateTime, Enum, Int, Nullable, Plain, Str, verbatim, type WireObject } from './kit.ts';

/** The modes and deliveries as wire enums (names on the wire, as SuperOffice writes its enums): ROUTING_MODES order. */
export const RoutingModeEnum = { Manual: 0, Auto: 1 };
export const RoutingDeliveryEnum = { Assign: 0, Offer: 1 };
const modeName = (m: RoutingMode) => enumName(ROUTING_MODES.indexOf(m), RoutingModeEnum);
const deliveryName = (d: RoutingDelivery) => enumName(ROUTING_DELIVERIES.indexOf(d), RoutingDeliveryEnum);

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
    Mode: Enum('ParleyRoutingMode', RoutingModeEnum, "Manual (agents pick chats up, SuperOffice's way) or Auto (Parley hands them out)"),
    Delivery: Enum(
      'ParleyRoutingDelivery',
      RoutingDeliveryEnum,
      "Auto only: Assign (the chat is the agent's at once) or Offer (the agent accepts within OfferSeconds)",
    ),
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
  Mode: modeName(s.mode),
  Delivery: deliveryName(s.delivery),
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
        { TopicId: Int(), Mode: Enum('ParleyRoutingMode', RoutingModeEnum), Capacity: Int("The caller's capacity in this topic") },
        'A topic where the caller can respond.',
      ),
    ),
    Offers: Type.Array(RoutingOfferSchema),
  },
  "The caller's load, capacities and open offers.",
);

export const presentRoutingStatus = (s: RoutingStatus): WireObject => ({
  ActiveChats: s.load,
  Topics: s.topics.map((t) => ({ TopicId: t.topicId, Mode: modeName(t.mode), Capacity: t.capacity })),
  Offers: s.offers.map(presentOffer),
});
