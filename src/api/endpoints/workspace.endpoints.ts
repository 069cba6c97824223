// The agent's workspace, Parley's own methods: quick replies (canned responses) and internal notes.
import { Type } from '@sinclair/typebox';
import { Int, Str, verbatim } from '../../carriers/kit.ts';
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
];
