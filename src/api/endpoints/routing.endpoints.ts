// Routing, Parley's own methods: a topic's settings, the caller's load and offers, and the answer to an offer.
import { Type } from '@sinclair/typebox';
import { ChatSessionSchema } from '../../carriers/chat-session.carrier.ts';
import { Bool, Enum, Int, Nullable } from '../../carriers/kit.ts';
import {
  presentRoutingSettings,
  RoutingDeliveryEnum,
  RoutingModeEnum,
  presentRoutingStatus,
  RoutingSettingsSchema,
  RoutingStatusSchema,
} from '../../carriers/routing.carrier.ts';
import { acceptOffer, declineOffer } from '../../domain/routing/answer-offer.ts';
import { ROUTING_DELIVERIES, ROUTING_MODES } from '../../domain/routing/routing.ts';
import { getRoutingSettings, saveRoutingSettings } from '../../domain/routing/routing-settings.ts';
import { routingStatus } from '../../domain/routing/routing-status.ts';
import { defineEndpoint, RequestBody } from '../endpoint.ts';
import { sessionOut } from './present.ts';

const ROUTING = '/api/v1/Parley/Routing/';
const KEEPERS = "The topic's managers and administrators";

const AgentInput = Type.Object({ AgentId: Int(), Capacity: Type.Optional(Nullable(Int())), Priority: Type.Optional(Int()) }, { additionalProperties: true });

export const routingEndpoints = [
  defineEndpoint({
    name: 'RoutingGetSettings',
    path: `${ROUTING}GetSettings`,
    summary:
      "A topic's routing: Manual or Auto, Assign or Offer, capacities, and every agent who can respond there with their own capacity, priority and load.",
    rights: KEEPERS,
    body: RequestBody('RoutingGetSettings', { TopicId: Int() }),
    response: RoutingSettingsSchema,
    handle: async (ctx, { body }) => presentRoutingSettings(await getRoutingSettings(ctx.deps, ctx.actor, body.TopicId)),
  }),
  defineEndpoint({
    name: 'RoutingSaveSettings',
    path: `${ROUTING}SaveSettings`,
    summary:
      "Changes a topic's routing; properties left out keep their values. Agents, when given, replaces every agent's own Capacity and Priority (an agent left out takes the defaults). Answers the settings as stored.",
    rights: KEEPERS,
    body: RequestBody(
      'RoutingSaveSettings',
      { TopicId: Int() },
      {
        Mode: Enum('ParleyRoutingMode', RoutingModeEnum),
        Delivery: Enum('ParleyRoutingDelivery', RoutingDeliveryEnum),
        OfferSeconds: Int(),
        MissedOffersBeforeAway: Int(),
        DefaultCapacity: Int(),
        PickUpOverCapacity: Bool(),
        ReturnChatsWhenAway: Bool(),
        Agents: Type.Array(AgentInput, { maxItems: 1000 }),
      },
    ),
    response: RoutingSettingsSchema,
    handle: async (ctx, { body }) =>
      presentRoutingSettings(
        await saveRoutingSettings(ctx.deps, ctx.actor, {
          topicId: body.TopicId,
          mode: body.Mode === undefined ? undefined : ROUTING_MODES[body.Mode],
          delivery: body.Delivery === undefined ? undefined : ROUTING_DELIVERIES[body.Delivery],
          offerSeconds: body.OfferSeconds,
          awayAfterMissed: body.MissedOffersBeforeAway,
          defaultCapacity: body.DefaultCapacity,
          pickUpOverCapacity: body.PickUpOverCapacity,
          returnChatsWhenAway: body.ReturnChatsWhenAway,
          agents: body.Agents?.map((a) => ({ associateId: a.AgentId, capacity: a.Capacity ?? null, priority: a.Priority ?? 1 })),
        }),
      ),
  }),
  defineEndpoint({
    name: 'RoutingStatus',
    path: `${ROUTING}Status`,
    summary:
      "The caller's load (active chats plus open offers), their capacity and the mode of each topic where they can respond, and the offers waiting for their answer.",
    rights: 'Any user',
    response: RoutingStatusSchema,
    handle: async (ctx) => presentRoutingStatus(await routingStatus(ctx.deps, ctx.actor)),
  }),
  defineEndpoint({
    name: 'RoutingAcceptOffer',
    path: `${ROUTING}AcceptOffer`,
    summary:
      'Takes a chat offered to the caller: it becomes theirs, as PickUpChatSession does. Null when the offer has moved on (timed out, withdrawn, or someone took the chat).',
    rights: 'The agent the chat was offered to',
    body: RequestBody('RoutingAcceptOffer', { ChatSessionId: Int() }),
    response: ChatSessionSchema,
    handle: async (ctx, { body }) => sessionOut(ctx, await acceptOffer(ctx.deps, ctx.actor, body.ChatSessionId)),
  }),
  defineEndpoint({
    name: 'RoutingDeclineOffer',
    path: `${ROUTING}DeclineOffer`,
    summary:
      'Declines a chat offered to the caller: it is offered to the next agent, and counts as a missed offer. True when there was such an offer; false when it had moved on already.',
    rights: 'The agent the chat was offered to',
    body: RequestBody('RoutingDeclineOffer', { ChatSessionId: Int() }),
    response: Type.Boolean(),
    handle: (ctx, { body }) => declineOffer(ctx.deps, ctx.actor, body.ChatSessionId),
  }),
];
