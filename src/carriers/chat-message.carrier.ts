// ChatMessage (not a Carrier): one line of a conversation.
import { ChatMessageSpecialType, ChatMessageType } from '../domain/enums.ts';
import type { Message } from '../domain/types.ts';
import { enumName } from '../lib/dotnet-flags.ts';
import { DateTime, Enum, Int, Plain, Str, verbatim, type WireObject } from './kit.ts';

export const ChatMessageSchema = Plain(
  'ChatMessage',
  {
    ChatMessageId: Int('Primary key'),
    ChatSessionId: Int('The session'),
    Type: Enum('ChatMessageType', ChatMessageType, 'Direction: ToCustomer (agent or bot), ToUser (customer), Special'),
    Message: Str(32_000, 'The text'),
    Author: Str(255, 'Display name of the author'),
    ReadByCustomer: Int('1 when the customer has read it'),
    SpecialType: Enum('ChatMessageSpecialType', ChatMessageSpecialType),
    SpecialParam: Str(255, 'Parameter of the special type (for Options: a JSON array)'),
    WhenPosted: DateTime('When it was posted'),
  },
  'A message in a chat session.',
);

/** What people typed is shown verbatim; the system's own lines (welcome, closed...) may carry resources. */
export const presentMessage = (m: Message): WireObject => {
  const system = m.specialType !== ChatMessageSpecialType.None;
  return {
    ChatMessageId: m.id,
    ChatSessionId: m.sessionId,
    Type: enumName(m.type, ChatMessageType),
    Message: system ? m.message : verbatim(m.message),
    Author: verbatim(m.author),
    ReadByCustomer: m.readByCustomer,
    SpecialType: enumName(m.specialType, ChatMessageSpecialType),
    SpecialParam: m.specialParam,
    WhenPosted: m.whenPosted,
  };
};
