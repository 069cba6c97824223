// The visitor API for the website widget: a customer opens a session on a topic and then reaches that session
// only, with the key it was given (header X-Session-Key).
import { Type } from '@sinclair/typebox';
import { ChatMessageSchema, presentMessage } from '../../carriers/chat-message.carrier.ts';
import { Bool, Int, Str, verbatim } from '../../carriers/kit.ts';
import {
  CustomerDetailsProps,
  detailsFromWire,
  OpenedSessionSchema,
  presentVisitorSession,
  presentVisitorTopic,
  VisitorSessionSchema,
  VisitorTopicSchema,
} from '../../carriers/visitor.carrier.ts';
import { conflict, notFound } from '../../domain/errors.ts';
import { isOpen } from '../../domain/sessions/initial-status.ts';
import { renderTranscript } from '../../domain/sessions/get-transcript.ts';
import { postCustomerMessage } from '../../domain/visitor/customer-message.ts';
import { mailTranscript } from '../../domain/visitor/mail-transcript.ts';
import { openSession } from '../../domain/visitor/open-session.ts';
import { readMessages } from '../../domain/visitor/read-messages.ts';
import { submitOfflineForm } from '../../domain/visitor/submit-offline-form.ts';
import { endChat, leaveFaq, rate, setTyping, submitPreChat } from '../../domain/visitor/visitor-commands.ts';
import { withVisitorSession } from '../../domain/visitor/visitor-session.ts';
import { touchFetched, visitorView } from '../../domain/visitor/visitor-view.ts';
import { defineVisitorEndpoint, type QuerySchemas, RequestBody, type VisitorContext, type VisitorEndpointSpec } from '../endpoint.ts';
import type { TSchema } from '@sinclair/typebox';
import type { ChatStore } from '../../domain/ports.ts';
import type { Session } from '../../domain/types.ts';

const BASE = '/api/v1/Visitor/';
const VISITOR = 'The visitor holding the session key';

/** Runs a visitor command on the caller's own session and answers the session as the widget sees it. */
const onOwnSession = (ctx: VisitorContext, work: (store: ChatStore, s: Session) => Promise<Session>) =>
  withVisitorSession(ctx.deps, ctx.visitorKey, async (store, s) => presentVisitorSession(await visitorView(store, await work(store, s), ctx.deps.clock.now())));

const visitor = <Q extends QuerySchemas | undefined = undefined, B extends TSchema | undefined = undefined>(
  name: string,
  e: Omit<VisitorEndpointSpec<Q, B>, 'name' | 'path' | 'audience' | 'rights'> & { rights?: string },
) => defineVisitorEndpoint<Q, B>({ rights: VISITOR, ...e, name: `Visitor${name}`, path: `${BASE}${name}`, audience: 'visitor' });

export const visitorEndpoints = [
  visitor('GetTopic', {
    summary: 'A topic as the widget shows it: texts, colours, forms, and whether a chat started now reaches an agent.',
    rights: 'Anyone',
    anonymous: true,
    body: RequestBody('VisitorGetTopic', { ChatTopicId: Int() }),
    response: VisitorTopicSchema,
    handle: async (ctx, { body }) => {
      const topic = await ctx.deps.store.topics.byId(body.ChatTopicId);
      if (!topic) throw notFound(`Chat topic ${body.ChatTopicId}`);
      return presentVisitorTopic(topic, await isOpen(ctx.deps, ctx.deps.store, topic, ctx.deps.clock.now()));
    },
  }),
  visitor('OpenSession', {
    summary:
      "Start a chat on a topic. Pre-chat fields are checked against the topic's RequiredFields; consent is required when the topic collects it (unless the chat starts at the offline form, which asks for it itself with OfflineCollectConsent). Answers the session key and the session.",
    rights: 'Anyone (rate-limited per address)',
    anonymous: true,
    rateLimit: 'open',
    body: RequestBody(
      'VisitorOpenSession',
      { ChatTopicId: Int() },
      {
        Consented: Bool(),
        Message: Str(32_000),
        ...CustomerDetailsProps,
        PageUrl: Str(2048, 'The page the widget sits on (agents see it beside the chat)'),
        PageTitle: Str(512, "That page's title"),
        Referrer: Str(2048, 'Where the visitor came to that page from'),
        BrowserLanguage: Str(35, "The browser's language (navigator.language)"),
      },
    ),
    response: OpenedSessionSchema,
    handle: async (ctx, { body }) => {
      const session = await openSession(ctx.deps, {
        topicId: body.ChatTopicId,
        consented: !!body.Consented,
        message: body.Message ?? '',
        host: ctx.client.address,
        ...detailsFromWire(body),
        context: {
          pageUrl: body.PageUrl ?? '',
          pageTitle: body.PageTitle ?? '',
          referrer: body.Referrer ?? '',
          language: body.BrowserLanguage ?? '',
          userAgent: ctx.client.userAgent,
        },
      });
      return { SessionKey: session.sessionKey, Session: presentVisitorSession(await visitorView(ctx.deps.store, session, ctx.deps.clock.now())) };
    },
  }),
  visitor('GetSession', {
    summary: "The visitor's session: status, queue position and average wait, the agent answering. Counts as the widget being alive.",
    response: VisitorSessionSchema,
    handle: (ctx) => onOwnSession(ctx, (store, s) => touchFetched(ctx.deps, store, s)),
  }),
  visitor('SubmitPreChat', {
    summary: 'Send the pre-chat form: the required fields must be filled; the chat then goes on to the FAQ, the queue or the offline form.',
    body: RequestBody('VisitorSubmitPreChat', {}, CustomerDetailsProps),
    response: VisitorSessionSchema,
    handle: (ctx, { body }) => onOwnSession(ctx, (store, s) => submitPreChat(ctx.deps, store, s, detailsFromWire(body))),
  }),
  visitor('LeaveFaq', {
    summary: 'The FAQ did not help: go on to the queue.',
    response: VisitorSessionSchema,
    handle: (ctx) => onOwnSession(ctx, (store, s) => leaveFaq(ctx.deps, store, s)),
  }),
  visitor('PostMessage', {
    summary: 'The customer writes. Writing to a chat that ended with an agent reopens it.',
    rateLimit: 'write',
    body: RequestBody('VisitorPostMessage', { Message: Str(32_000) }),
    response: ChatMessageSchema,
    handle: (ctx, { body }) =>
      withVisitorSession(ctx.deps, ctx.visitorKey, async (store, s) => presentMessage((await postCustomerMessage(ctx.deps, store, s, body.Message)).message)),
  }),
  visitor('GetMessages', {
    summary: "The messages of the visitor's session after a message id (0: all), oldest first; they now count as read by the customer.",
    body: RequestBody('VisitorGetMessages', { After: Int() }),
    response: Type.Array(ChatMessageSchema),
    handle: (ctx, { body }) =>
      withVisitorSession(ctx.deps, ctx.visitorKey, async (store, s) => {
        await touchFetched(ctx.deps, store, s);
        return (await readMessages(store, s, body.After)).map(presentMessage);
      }),
  }),
  visitor('Typing', {
    summary: 'The customer is (or stopped) typing.',
    rateLimit: 'write',
    body: RequestBody('VisitorTyping', { IsTyping: Bool() }),
    response: 'void',
    handle: (ctx, { body }) =>
      withVisitorSession(ctx.deps, ctx.visitorKey, async (store, s) => {
        await setTyping(ctx.deps, store, s, body.IsTyping);
      }),
  }),
  visitor('Rate', {
    summary: 'Rate the conversation, 1 to 5 stars, when the topic asks for ratings.',
    body: RequestBody('VisitorRate', { Rating: Int() }),
    response: VisitorSessionSchema,
    handle: (ctx, { body }) => onOwnSession(ctx, (store, s) => rate(store, s, body.Rating)),
  }),
  visitor('End', {
    summary: 'The customer ends the chat (or leaves the queue).',
    response: VisitorSessionSchema,
    handle: (ctx) => onOwnSession(ctx, (store, s) => endChat(ctx.deps, store, s)),
  }),
  visitor('GetTranscript', {
    summary: 'The conversation as text or HTML (all text escaped), when the topic offers transcripts.',
    body: RequestBody('VisitorGetTranscript', { Html: Bool() }),
    response: Type.String(),
    handle: (ctx, { body }) =>
      withVisitorSession(ctx.deps, ctx.visitorKey, async (store, s) => {
        const topic = await store.topics.byId(s.topicId);
        if (!topic?.widget.postTranscriptEnabled) throw conflict('This topic does not offer transcripts');
        return verbatim(renderTranscript(await store.messages.forSession(s.id, 0), { html: body.Html, ...ctx.locale }));
      }),
  }),
  visitor('MailTranscript', {
    summary:
      'E-mail the transcript to the customer once the chat has ended, when the topic offers transcripts and the server sends e-mail: to Email, else the address the chat has. Once per chat.',
    rateLimit: 'write',
    body: RequestBody('VisitorMailTranscript', {}, { Email: Str(254) }),
    response: VisitorSessionSchema,
    handle: (ctx, { body }) => onOwnSession(ctx, (store, s) => mailTranscript(ctx.deps, store, s, body.Email)),
  }),
  visitor('SubmitOfflineForm', {
    summary:
      "Leave a question when nobody can chat: creates a request (ticket) in the topic's category and priority. Consented is required when the topic has OfflineCollectConsent.",
    rateLimit: 'write',
    body: RequestBody('VisitorSubmitOfflineForm', { Message: Str(32_000) }, { Consented: Bool(), ...CustomerDetailsProps }),
    response: VisitorSessionSchema,
    handle: (ctx, { body }) =>
      onOwnSession(ctx, async (store, s) => (await submitOfflineForm(ctx.deps, store, s, detailsFromWire(body), body.Message, !!body.Consented)).session),
  }),
];
