// Presence and the user list: GetChatPresence, SaveChatPresence, GetUserAgentList; and IsWithinOpeningHours.
import { Type } from '@sinclair/typebox';
import { ChatPresenceSchema, presenceFromWire, presentChatPresence } from '../../carriers/chat-presence.carrier.ts';
import { Bool, Int } from '../../carriers/kit.ts';
import { MDOListItemSchema, presentUserAgentList } from '../../carriers/mdo-list-item.carrier.ts';
import { getChatPresence } from '../../domain/presence/get-chat-presence.ts';
import { saveChatPresence } from '../../domain/presence/save-chat-presence.ts';
import { getUserAgentList } from '../../domain/presence/user-agent-list.ts';
import { isTopicOpen } from '../../domain/topics/is-topic-open.ts';
import { defineEndpoint, RequestBody } from '../endpoint.ts';

export const presenceEndpoints = [
  defineEndpoint({
    name: 'GetChatPresence',
    summary: 'Get the chat presence status for all chat users.',
    rights: "Any user; each row's TableRight says whether the caller may change that presence",
    response: Type.Array(ChatPresenceSchema),
    // Every user's presence, chats and topics: any change anywhere may show.
    cached: 'database',
    // A polled list: field rights only where they differ from TableRight.
    handle: async (ctx) => (await getChatPresence(ctx.deps, ctx.actor)).map((v) => presentChatPresence(v, 'exceptions')),
  }),
  defineEndpoint({
    name: 'SaveChatPresence',
    summary: 'Save the chat presence for specified users; only UserId and Present are used.',
    rights: "Any user for their own presence; another user's: administrators and managers of a topic where that user can respond",
    body: RequestBody('SaveChatPresence', { ChatPresence: Type.Array(ChatPresenceSchema, { description: 'The users and their presence' }) }),
    response: 'void',
    handle: (ctx, { body }) => saveChatPresence(ctx.deps, ctx.actor, presenceFromWire(body.ChatPresence)),
  }),
  defineEndpoint({
    name: 'GetUserAgentList',
    summary: 'Get the list of users that can be assigned to chat topics, flat or grouped by user group.',
    rights: 'Any user',
    body: RequestBody('GetUserAgentList', {
      Flat: Bool('Return a flat list instead of grouping by user group'),
      OnlyPresent: Bool('Only users whose presence is on'),
    }),
    response: Type.Array(MDOListItemSchema),
    handle: async (ctx, { body }) => presentUserAgentList(await getUserAgentList(ctx.deps, ctx.actor, { flat: body.Flat, onlyPresent: body.OnlyPresent })),
  }),
  defineEndpoint({
    name: 'IsWithinOpeningHours',
    summary: "Check if we are right now within the opening hours of the given topic, in the topic's time zone.",
    rights: 'Any user',
    body: RequestBody('IsWithinOpeningHours', { ChatTopicId: Int('The id of the topic to check') }),
    response: Type.Boolean({ description: 'True when open now, or when the topic does not use opening hours' }),
    // A bare boolean: $select is accepted and ignored, so it is not offered.
    select: false,
    handle: (ctx, { body }) => isTopicOpen(ctx.deps, ctx.actor, body.ChatTopicId),
  }),
];
