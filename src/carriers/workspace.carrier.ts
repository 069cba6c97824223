// Parley's own carriers for the agent's workspace: a quick reply and an internal note (not SuperOffice shapes).
import { Type } from '@sinclair/typebox';
import type { CannedResponse, SessionNote } from '../domain/types.ts';
import { DateTime, Int, Plain, Str, verbatim, type WireObject } from './kit.ts';

export const CannedResponseSchema = Plain(
  'ParleyCannedResponse',
  {
    Id: Int('Primary key (0: a new reply, on Save)'),
    Shortcut: Str(64, 'Letters, digits and "-"; unique per scope; typed after "/" in the console'),
    Title: Str(255),
    Text: Str(10_000, 'The reply; may be a multi-language value and hold {customer.name}, {customer.email}, {agent.name}, {topic.name}'),
    TopicId: Int("The topic whose reply it is; 0: the caller's own"),
    AssociateId: Int('The owner of a personal reply; 0 for a topic reply'),
    WhenUpdated: DateTime(),
  },
  'A quick reply (canned response).',
);

/** The text goes through the caller's language like topic texts (SO-Language: x answers it as stored). */
export const presentCannedResponse = (r: CannedResponse): WireObject => ({
  Id: r.id,
  Shortcut: r.shortcut,
  Title: verbatim(r.title),
  Text: r.text,
  TopicId: r.topicId,
  AssociateId: r.associateId,
  WhenUpdated: r.whenUpdated,
});

export const SessionNoteSchema = Plain(
  'ParleySessionNote',
  {
    NoteId: Int('Primary key'),
    ChatSessionId: Int(),
    Text: Str(10_000),
    AuthorId: Int('Who wrote it (0: a removed user)'),
    AuthorName: Str(255),
    Mentions: Type.Array(Int(), { description: 'The users the note mentioned (@username) and who were told' }),
    WhenPosted: DateTime(),
  },
  'An internal note on a chat session: agents only, never shown to the customer.',
);

export const presentNote = (n: SessionNote): WireObject => ({
  NoteId: n.id,
  ChatSessionId: n.sessionId,
  Text: verbatim(n.text),
  AuthorId: n.authorId ?? 0,
  AuthorName: verbatim(n.authorName),
  Mentions: n.mentions,
  WhenPosted: n.whenPosted,
});
