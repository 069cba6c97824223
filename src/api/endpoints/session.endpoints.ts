// Chat session entity methods: list, get, create default, save, delete, create for a topic.
import { Type } from '@sinclair/typebox';
import { ChatSessionSchema, sessionFromWire } from '../../carriers/chat-session.carrier.ts';
import { Int } from '../../carriers/kit.ts';
import { defaultSession } from '../../domain/defaults.ts';
import { createSessionForTopic } from '../../domain/sessions/create-session-for-topic.ts';
import { deleteSession } from '../../domain/sessions/delete-session.ts';
import { getSession } from '../../domain/sessions/get-session.ts';
import { saveSession } from '../../domain/sessions/save-session.ts';
import { sessionsForUser } from '../../domain/sessions/sessions-for-user.ts';
import { defineEndpoint, RequestBody } from '../endpoint.ts';
import { newSessionOut, sessionOut, sessionsOut, sessionsOutKept } from './present.ts';

export const sessionEndpoints = [
  defineEndpoint({
    name: 'ChatSessionsForUser',
    summary: 'Get all chat sessions which this user is a member of. Members means that you have at least one of: Can Respond, Notifications, Listen or Manager',
    rights: 'Any user; only sessions of topics where the caller holds a role',
    response: Type.Array(ChatSessionSchema),
    cached: 'caller',
    itemCache: true,
    handle: async (ctx) => (ctx.items ? sessionsOutKept(ctx, ctx.items) : sessionsOut(ctx, await sessionsForUser(ctx.deps, ctx.actor))),
  }),
  defineEndpoint({
    name: 'GetChatSessionEntity',
    summary: 'Gets a ChatSessionEntity object; null when it does not exist or the caller is not a member of its topic.',
    rights: "Members of the session's topic, administrators",
    query: { chatSessionEntityId: Int('The id of the session') },
    response: ChatSessionSchema,
    handle: async (ctx, { query }) => sessionOut(ctx, await getSession(ctx.deps, ctx.actor, query.chatSessionEntityId)),
  }),
  defineEndpoint({
    name: 'CreateDefaultChatSessionEntity',
    summary: 'Set default values into a new ChatSessionEntity.',
    rights: 'Any user',
    response: ChatSessionSchema,
    select: false,
    handle: async (ctx) => newSessionOut(ctx, defaultSession(ctx.deps.clock.now())),
  }),
  defineEndpoint({
    name: 'SaveChatSessionEntity',
    summary: 'Updates the existing ChatSessionEntity or creates a new one if the id is 0.',
    rights:
      "Agents who can respond in, or manage, the session's topic; administrators. User, TransferTo, ChatbotIsActive, TopicId (of a saved session), Rating, AlertLevel, CustomerConsented: managers of the topic (of both, for a move) and administrators (ignored for others)",
    body: ChatSessionSchema,
    response: ChatSessionSchema,
    select: false,
    // Properties left out keep the stored values, read inside the save's transaction.
    handle: async (ctx, { body }) =>
      sessionOut(ctx, await saveSession(ctx.deps, ctx.actor, body.ChatSessionId ?? 0, (stored) => sessionFromWire(body, stored))),
  }),
  defineEndpoint({
    name: 'DeleteChatSessionEntity',
    summary: 'Deletes the ChatSessionEntity.',
    rights: "Managers of the session's topic, administrators",
    query: { ChatSessionEntityId: Int('The id of the session to delete') },
    response: 'void',
    handle: (ctx, { query }) => deleteSession(ctx.deps, ctx.actor, query.ChatSessionEntityId),
  }),
  defineEndpoint({
    name: 'CreateChatSessionForTopic',
    summary: "Creates a new chat session on a topic, queued for the topic's agents.",
    rights: 'Agents who can respond in, or manage, the topic; administrators',
    body: RequestBody('CreateChatSessionForTopic', { ChatTopicId: Int('The topic') }),
    response: ChatSessionSchema,
    handle: async (ctx, { body }) => sessionOut(ctx, await createSessionForTopic(ctx.deps, ctx.actor, body.ChatTopicId)),
  }),
];
