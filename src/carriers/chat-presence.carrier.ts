// ChatPresence (a Carrier): a chat user's presence, ongoing chats and topics; the input of SaveChatPresence.
import { invalid } from '../domain/errors.ts';
import type { PresenceView } from '../domain/presence/get-chat-presence.ts';
import type { PresenceChange } from '../domain/presence/save-chat-presence.ts';
import { displayName } from '../domain/presence/users.ts';
import { ArrayOf, Bool, Carrier, Int, Str, type WireObject, type WireOf } from './kit.ts';
import { type FieldDetail, fieldProperties, tableRight } from './rights.carrier.ts';

export const ChatPresenceSchema = Carrier(
  'ChatPresence',
  {
    UserId: Int('The chat user: an associate id'),
    DisplayName: Str(255, "The user's full name"),
    OngoingChats: Int('Sessions the user has now in status CustomerLast or UserLast'),
    Present: Bool('Presence on (present) or off (away)'),
    ChatTopics: ArrayOf(Int(), 'Ids of the topics where the user holds any role'),
  },
  'Presence of a chat user, with their ongoing chats and topics.',
);

// Only Present is the caller's to change; ChatTopics is a list and has no field entry.
const SERVER_OWNED = new Set(['UserId', 'DisplayName', 'OngoingChats']);

export const presentChatPresence = (v: PresenceView, detail: FieldDetail = 'full'): WireObject => ({
  UserId: v.user.id,
  DisplayName: displayName(v.user),
  OngoingChats: v.ongoingChats,
  Present: v.user.present,
  ChatTopics: v.topicIds,
  TableRight: tableRight(v.tableRight),
  FieldProperties: fieldProperties(ChatPresenceSchema, v.tableRight, SERVER_OWNED, detail),
});

/** The decoded ChatPresence list of a SaveChatPresence body → the changes; only UserId and Present count. */
export function presenceFromWire(list: readonly WireOf<typeof ChatPresenceSchema>[] | null | undefined): PresenceChange[] {
  return (list ?? []).map((w, i) => {
    if (typeof w?.UserId !== 'number' || typeof w?.Present !== 'boolean') {
      throw invalid(`ChatPresence[${i}]: UserId and Present are required`);
    }
    return { userId: w.UserId, present: w.Present };
  });
}
