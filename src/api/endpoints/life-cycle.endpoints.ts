// Session life-cycle methods: pick up, transfer (offer, accept, reject), and the bot's hand-over.
import { ChatSessionSchema } from '../../carriers/chat-session.carrier.ts';
import { Int, Str } from '../../carriers/kit.ts';
import { acceptTransfer } from '../../domain/sessions/accept-transfer.ts';
import { pickUpFirstSession, pickUpSession } from '../../domain/sessions/pick-up-session.ts';
import { rejectTransfer } from '../../domain/sessions/reject-transfer.ts';
import { resetSession } from '../../domain/sessions/reset-session.ts';
import { transferSession } from '../../domain/sessions/transfer-session.ts';
import { defineEndpoint, RequestBody } from '../endpoint.ts';
import { sessionOut } from './present.ts';

const ChatSessionId = Int('The chat session');
const RESPONDERS = "Agents who can respond in, or manage, the session's topic; administrators";

export const lifeCycleEndpoints = [
  defineEndpoint({
    name: 'PickUpChatSession',
    summary: "Answer a queued session: assign it to the caller and send the topic's welcome message. Returns null if the session was not in the queue.",
    rights: RESPONDERS,
    body: RequestBody('PickUpChatSession', { ChatSessionId }),
    response: ChatSessionSchema,
    handle: async (ctx, { body }) => sessionOut(ctx, await pickUpSession(ctx.deps, ctx.actor, body.ChatSessionId)),
  }),
  defineEndpoint({
    name: 'PickUpFirstChatSession',
    summary: "Answer the first session in the queue of the caller's topics (oldest first); null when the queue is empty.",
    rights: RESPONDERS,
    response: ChatSessionSchema,
    handle: async (ctx) => sessionOut(ctx, await pickUpFirstSession(ctx.deps, ctx.actor)),
  }),
  defineEndpoint({
    name: 'TransferChatSession',
    summary:
      'Offer the session to another present agent (user name or associate id). If the session does not belong to the caller, nothing happens; managers may transfer any session, and take it over by naming themselves.',
    rights: "The session's owner; managers of its topic",
    body: RequestBody('TransferChatSession', { ChatSessionId, ToAssociate: Str(255, 'Associate user name or associate id') }),
    response: ChatSessionSchema,
    handle: async (ctx, { body }) => sessionOut(ctx, await transferSession(ctx.deps, ctx.actor, body.ChatSessionId, body.ToAssociate)),
  }),
  defineEndpoint({
    name: 'AcceptChatSessionTransfer',
    summary:
      'Accept a transfer offered to the caller: the caller becomes the owner. Nothing happens without such a transfer, or when the caller can no longer respond in the topic.',
    rights: 'The agent the transfer is offered to, while able to respond in the topic',
    body: RequestBody('AcceptChatSessionTransfer', { ChatSessionId }),
    response: ChatSessionSchema,
    handle: async (ctx, { body }) => sessionOut(ctx, await acceptTransfer(ctx.deps, ctx.actor, body.ChatSessionId)),
  }),
  defineEndpoint({
    name: 'RejectChatSessionTransfer',
    summary: 'Decline a transfer offered to the caller, or (called by the owner or a manager) cancel the offer. Nothing happens without a pending transfer.',
    rights: "The agent the transfer is offered to; the session's owner; managers of its topic, administrators",
    body: RequestBody('RejectChatSessionTransfer', { ChatSessionId }),
    response: ChatSessionSchema,
    handle: async (ctx, { body }) => sessionOut(ctx, await rejectTransfer(ctx.deps, ctx.actor, body.ChatSessionId)),
  }),
  defineEndpoint({
    name: 'ResetChatSession',
    summary:
      'Put the session back in the queue (or the offline form when no agent is present) and turn the bot off: a bot hands over to people. A chat without the bot is reset only by its owner or a manager; for anyone else nothing happens.',
    rights: "While a bot handles the session, agents who can respond in its topic; otherwise the session's owner, managers of its topic, administrators",
    body: RequestBody('ResetChatSession', { ChatSessionId }),
    response: ChatSessionSchema,
    handle: async (ctx, { body }) => sessionOut(ctx, await resetSession(ctx.deps, ctx.actor, body.ChatSessionId)),
  }),
];
