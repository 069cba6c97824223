// The agent's workspace, Parley's own methods: quick replies (canned responses) and internal notes.
import { Type } from '@sinclair/typebox';
import { ChatSessionStatus } from '../../domain/enums.ts';
import { enumName } from '../../lib/dotnet-flags.ts';
import { ContactSchema, presentContact } from '../../carriers/contact.carrier.ts';
import { DateTime, Enum, Int, Nullable, Str, verbatim } from '../../carriers/kit.ts';
import { PersonSchema, presentPerson } from '../../carriers/person.carrier.ts';
import { visitorContextOf } from '../../domain/visitor/visitor-context.ts';
import { CannedResponseSchema, presentCannedResponse, presentNote, SessionNoteSchema } from '../../carriers/workspace.carrier.ts';
import { deleteCannedResponse } from '../../domain/canned-responses/delete-canned-response.ts';
import { listCannedResponses } from '../../domain/canned-responses/list-canned-responses.ts';
import { renderCannedResponse } from '../../domain/canned-responses/render-canned-response.ts';
import { saveCannedResponse } from '../../domain/canned-responses/save-canned-response.ts';
import { addNote } from '../../domain/notes/add-note.ts';
import { listNotes } from '../../domain/notes/list-notes.ts';
import { defineEndpoint, RequestBody } from '../endpoint.ts';
import { badRequest } from '../errors.ts';
import { languageOfIsoCode, translate } from '../i18n.ts';

const REPLIES = '/api/v1/Parley/CannedResponses/';
const NOTES = '/api/v1/Parley/Notes/';
const VISITORS = '/api/v1/Parley/Visitors/';
const READERS = "Members of the session's topic (listeners too), administrators";

export const workspaceEndpoints = [
  defineEndpoint({
    name: 'CannedResponsesList',
    path: `${REPLIES}List`,
    summary:
      "The caller's quick replies: their own and those of every topic where they can respond or manage (with TopicId: that topic's and their own), by shortcut; Query filters on shortcut, title and text. Texts in the caller's language (SO-Language: x answers them as stored).",
    rights: 'Any user',
    body: RequestBody('CannedResponsesList', {}, { TopicId: Int('Only this topic (and your own)'), Query: Str(255, 'Text to look for') }),
    response: Type.Array(CannedResponseSchema),
    handle: async (ctx, { body }) => (await listCannedResponses(ctx.deps, ctx.actor, { topicId: body.TopicId, query: body.Query })).map(presentCannedResponse),
  }),
  defineEndpoint({
    name: 'CannedResponsesSave',
    path: `${REPLIES}Save`,
    summary: 'Adds (Id 0) or changes a quick reply; TopicId 0 makes it your own. Answers it as stored. A shortcut taken in the same scope is a 409.',
    rights: "A topic's replies: its managers and administrators; a personal reply: its owner",
    body: RequestBody('CannedResponsesSave', { CannedResponse: CannedResponseSchema }),
    response: CannedResponseSchema,
    handle: async (ctx, { body }) => {
      const r = body.CannedResponse;
      if (!r) throw badRequest('Body: CannedResponse is required');
      const saved = await saveCannedResponse(ctx.deps, ctx.actor, {
        id: r.Id ?? 0,
        shortcut: r.Shortcut ?? '',
        title: r.Title ?? '',
        text: r.Text ?? '',
        topicId: r.TopicId ?? 0,
      });
      return { ...presentCannedResponse(saved), Text: verbatim(saved.text) };
    },
  }),
  defineEndpoint({
    name: 'CannedResponsesDelete',
    path: `${REPLIES}Delete`,
    summary: 'Removes a quick reply; an unknown id changes nothing.',
    rights: "A topic's replies: its managers and administrators; a personal reply: its owner",
    body: RequestBody('CannedResponsesDelete', { Id: Int() }),
    response: 'void',
    handle: (ctx, { body }) => deleteCannedResponse(ctx.deps, ctx.actor, body.Id),
  }),
  defineEndpoint({
    name: 'CannedResponsesRender',
    path: `${REPLIES}Render`,
    summary:
      "A quick reply as it would be sent in a session: in the session topic's language, with {customer.name}, {customer.email}, {agent.name} and {topic.name} filled in.",
    rights: 'Whoever may use the reply (its owner, or agents who can respond in its topic), for a session they can read in that topic',
    body: RequestBody('CannedResponsesRender', { Id: Int('The quick reply'), ChatSessionId: Int('The session it is for') }),
    response: Type.String(),
    // Resolved for the session's language here; the caller's own language must not pick another.
    handle: async (ctx, { body }) =>
      verbatim(await renderCannedResponse(ctx.deps, ctx.actor, body.Id, body.ChatSessionId, (text, iso) => translate(text, languageOfIsoCode(iso)))),
  }),
  defineEndpoint({
    name: 'NotesList',
    path: `${NOTES}List`,
    summary: "A session's internal notes, oldest first. Notes are for colleagues: no visitor call, stream, transcript, mail or webhook ever shows them.",
    rights: READERS,
    body: RequestBody('NotesList', { ChatSessionId: Int() }),
    response: Type.Array(SessionNoteSchema),
    handle: async (ctx, { body }) => (await listNotes(ctx.deps, ctx.actor, body.ChatSessionId)).map(presentNote),
  }),
  defineEndpoint({
    name: 'NotesAdd',
    path: `${NOTES}Add`,
    summary:
      'Adds an internal note to a session. @username mentions a colleague who can read the session: they get a note.added event with MentionsMe on their push stream. Answers the stored note.',
    rights: READERS,
    body: RequestBody('NotesAdd', { ChatSessionId: Int(), Text: Str(10_000) }),
    response: SessionNoteSchema,
    handle: async (ctx, { body }) => presentNote(await addNote(ctx.deps, ctx.actor, body.ChatSessionId, body.Text)),
  }),
  defineEndpoint({
    name: 'VisitorsContext',
    path: `${VISITORS}Context`,
    summary:
      "Who the agent is talking to: the page the widget sat on when the chat began (URL, title), the referrer, the browser's language and user agent, the customer's address (CustomerHost), the CRM person and company the chat is linked to, and the customer's earlier chats (same e-mail address, newest first, at most 10) in topics the caller may read.",
    rights: READERS,
    body: RequestBody('VisitorsContext', { ChatSessionId: Int() }),
    response: Type.Object(
      {
        ChatSessionId: Int(),
        PageUrl: Str(2048),
        PageTitle: Str(512),
        Referrer: Str(2048),
        Language: Str(35),
        UserAgent: Str(512),
        Host: Str(255),
        Person: Nullable(PersonSchema),
        Contact: Nullable(ContactSchema),
        EarlierChats: Type.Array(
          Type.Object(
            {
              ChatSessionId: Int(),
              TopicId: Int(),
              Status: Enum('ChatSessionStatus', ChatSessionStatus),
              WhenRequested: DateTime(),
              FirstMessage: Str(),
            },
            { $id: 'ParleyEarlierChat' },
          ),
        ),
      },
      { $id: 'ParleyVisitorContext' },
    ),
    handle: async (ctx, { body }) => {
      const v = await visitorContextOf(ctx.deps, ctx.actor, body.ChatSessionId);
      // What the browser sent is shown as sent: never translated.
      return {
        ChatSessionId: v.session.id,
        PageUrl: verbatim(v.context.pageUrl),
        PageTitle: verbatim(v.context.pageTitle),
        Referrer: verbatim(v.context.referrer),
        Language: verbatim(v.context.language),
        UserAgent: verbatim(v.context.userAgent),
        Host: verbatim(v.context.host),
        Person: v.person ? presentPerson(v.person) : null,
        Contact: v.contact ? presentContact(v.contact) : null,
        EarlierChats: v.earlierChats.map((s) => ({
          ChatSessionId: s.id,
          TopicId: s.topicId,
          Status: enumName(s.status, ChatSessionStatus),
          WhenRequested: s.whenRequested,
          FirstMessage: verbatim(s.firstMessage),
        })),
      };
    },
  }),
];
