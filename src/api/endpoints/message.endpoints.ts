// Message methods: write, read after an id, and the transcript.
import { Type } from '@sinclair/typebox';
import { ChatMessageSchema, presentMessage } from '../../carriers/chat-message.carrier.ts';
import { Bool, Int, verbatim } from '../../carriers/kit.ts';
import { ChatMessageSpecialType, ChatMessageType } from '../../domain/enums.ts';
import { addAgentMessage } from '../../domain/sessions/add-message.ts';
import { getMessages } from '../../domain/sessions/get-messages.ts';
import { getTranscript } from '../../domain/sessions/get-transcript.ts';
import { badRequest } from '../errors.ts';
import { defineEndpoint, RequestBody } from '../endpoint.ts';

const ChatSessionId = Int('The chat session');
const MEMBERS = "Members of the session's topic (listeners too), administrators";

export const messageEndpoints = [
  defineEndpoint({
    name: 'AddChatMessage',
    summary:
      "Add a message to a session: the session's agent writes to the customer (a bot, while it owns the session). SpecialType None, or BotMessage or Options while a bot is active; the system's own lines are a 400. Author is the writer's name (the bot's BotName), whatever the body says. Returns the stored message.",
    rights: 'The agent handling the session; while a bot owns it, agents who can respond in the topic',
    body: RequestBody('AddChatMessage', { ChatSessionId, Message: ChatMessageSchema }),
    response: ChatMessageSchema,
    handle: async (ctx, { body }) => {
      const m = body.Message;
      if (!m) throw badRequest('Body: Message is required');
      return presentMessage(
        await addAgentMessage(ctx.deps, ctx.actor, body.ChatSessionId, {
          type: m.Type ?? ChatMessageType.ToCustomer,
          message: m.Message ?? '',
          specialType: m.SpecialType ?? ChatMessageSpecialType.None,
          specialParam: m.SpecialParam ?? '',
        }),
      );
    },
  }),
  defineEndpoint({
    name: 'GetChatMessages',
    summary: 'Get the messages of a session after a message id (0: all), oldest first.',
    rights: MEMBERS,
    body: RequestBody('GetChatMessages', { ChatSessionId, After: Int('Only messages with a larger id') }),
    response: Type.Array(ChatMessageSchema),
    // Administrators read sessions of topics where they hold no role: those are outside their scope.
    cached: (actor) => (actor.isAdmin ? 'database' : 'caller'),
    // Every id is above 0: After -1, -2, ... all mean "from the start".
    normalize: (body) => ({ ...body, After: Math.max(0, body.After) }),
    handle: async (ctx, { body }) => (await getMessages(ctx.deps, ctx.actor, body.ChatSessionId, body.After)).map(presentMessage),
  }),
  defineEndpoint({
    name: 'GetChatTranscript',
    summary: 'The conversation as plain text, or as an HTML fragment with all text escaped; times in SO-TimeZone and SO-Culture.',
    rights: MEMBERS,
    body: RequestBody('GetChatTranscript', { ChatSessionId, Html: Bool('HTML instead of plain text') }),
    response: Type.String(),
    // Only the system's lines are translated (inside); the whole is verbatim, so what people wrote stays as written.
    handle: async (ctx, { body }) => verbatim(await getTranscript(ctx.deps, ctx.actor, body.ChatSessionId, { html: body.Html, ...ctx.locale })),
  }),
];
