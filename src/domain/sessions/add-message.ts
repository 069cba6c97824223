// AddChatMessage (agents and bots): the session's owner writes to the customer; while a bot owns the session
// (ChatbotIsActive and no agent), anyone who can respond in the topic writes as the bot. Listeners never write.
// Bot lines (BotMessage, Options) only while a bot is active; the author is the writer's name or the bot's.
import { accessDenied, conflict, invalid } from '../errors.ts';
import { enumName } from '../../lib/dotnet-flags.ts';
import { ChatMessageSpecialType as Special, ChatMessageType } from '../enums.ts';
import type { DomainDeps } from '../ports.ts';
import { type Actor, canWriteSession, type Role } from '../rights.ts';
import { isEnded } from '../session-status.ts';
import type { Message, Session } from '../types.ts';
import { appendMessage } from './life-cycle.ts';
import { retryOnConflict } from './retry.ts';
import { requireSessionAccess, type StrictPolicy } from './session-access.ts';

/** What the caller sends; the author is not among it (an agent writes under their own name). */
export interface NewAgentMessage {
  type: number;
  message: string;
  specialType: number;
  specialParam: string;
}

/**
 * The special types a caller may send: plain text (None), and what a bot sends (its answers, clickable options).
 * The others are the system's own lines (welcome, transferred, closed...): written by the server only, so a
 * conversation or transcript cannot be given events that never happened.
 */
export const SENDABLE_SPECIAL_TYPES: readonly number[] = [Special.None, Special.BotMessage, Special.Options];

/** While a bot owns the session (ChatbotIsActive, no agent), anyone who can respond in the topic writes as the bot. */
const writesAsBot = (actor: Actor, role: Role | undefined, s: Session) => s.chatbotIsActive && s.userId === null && canWriteSession(actor, role);

const ADD_MESSAGE: StrictPolicy = {
  lock: true,
  rules: [
    {
      allows: ({ actor, role, session }) => session.userId === actor.id || writesAsBot(actor, role, session),
      otherwise: () => accessDenied('Only the agent handling the session writes in it (listeners read only)'),
    },
    { allows: ({ session }) => !isEnded(session.status), otherwise: (s) => conflict(`Chat session ${s.id} has ended`) },
  ],
};

export function addAgentMessage(deps: DomainDeps, actor: Actor, sessionId: number, input: NewAgentMessage): Promise<Message> {
  if (input.type !== ChatMessageType.ToCustomer && input.type !== ChatMessageType.Special) {
    throw invalid('Message.Type: agents write ToCustomer messages (or Special ones, for bots)');
  }
  if (!SENDABLE_SPECIAL_TYPES.includes(input.specialType)) {
    throw invalid(
      `Message.SpecialType ${enumName(input.specialType, Special)} is written by the system only; agents and bots send None, BotMessage or Options`,
    );
  }
  if (input.type === ChatMessageType.Special && input.specialType === Special.None) {
    throw invalid('Message.Type Special needs a SpecialType (BotMessage or Options); plain text is ToCustomer');
  }
  if (!input.message.trim() && input.specialType === Special.None) throw invalid('Message.Message is empty');
  return retryOnConflict(() =>
    deps.store.transaction(async (store) => {
      const { session, role } = await requireSessionAccess(store, actor, sessionId, ADD_MESSAGE);
      const botLine = input.specialType !== Special.None;
      if (botLine && !session.chatbotIsActive) {
        throw invalid(
          `Message.SpecialType ${enumName(input.specialType, Special)} is a bot's line: sent only while a bot is active in the session (ChatbotIsActive)`,
        );
      }
      // The author is who writes, never what the wire says: an agent by name, the bot by the topic's BotName.
      const asBot = botLine || writesAsBot(actor, role, session);
      const author = asBot ? (await store.topics.byId(session.topicId))?.bot.botName || 'Bot' : actor.fullName;
      const { message } = await appendMessage(deps, store, session, { ...input, author, createdBy: actor.id }, 'agentMessage');
      return message;
    }),
  );
}
