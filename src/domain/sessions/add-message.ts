// AddChatMessage (agents and bots): the session's owner writes to the customer; while a bot owns the session
// (ChatbotIsActive and no agent), anyone who can respond in the topic writes as the bot. Listeners never write.
import { accessDenied, conflict, invalid, notFound } from '../errors.ts';
import { enumName } from '../../lib/dotnet-flags.ts';
import { ChatMessageSpecialType as Special, ChatMessageType } from '../enums.ts';
import type { DomainDeps } from '../ports.ts';
import { type Actor, canSeeSession, canWriteSession } from '../rights.ts';
import { isEnded } from '../session-status.ts';
import type { Message } from '../types.ts';
import { appendMessage } from './life-cycle.ts';
import { retryOnConflict } from './retry.ts';

export interface NewAgentMessage { type: number; message: string; author: string; specialType: number; specialParam: string }

/**
 * The special types a caller may send: plain text (None), and what a bot sends (its answers, clickable options).
 * The others are the system's own lines (welcome, transferred, closed...): written by the server only, so a
 * conversation or transcript cannot be given events that never happened.
 */
export const SENDABLE_SPECIAL_TYPES: readonly number[] = [Special.None, Special.BotMessage, Special.Options];

export function addAgentMessage(deps: DomainDeps, actor: Actor, sessionId: number, input: NewAgentMessage): Promise<Message> {
  if (input.type !== ChatMessageType.ToCustomer && input.type !== ChatMessageType.Special) {
    throw invalid('Message.Type: agents write ToCustomer messages (or Special ones, for bots)');
  }
  if (!SENDABLE_SPECIAL_TYPES.includes(input.specialType)) {
    throw invalid(`Message.SpecialType ${enumName(input.specialType, Special)} is written by the system only; agents and bots send None, BotMessage or Options`);
  }
  if (input.type === ChatMessageType.Special && input.specialType === Special.None) {
    throw invalid('Message.Type Special needs a SpecialType (BotMessage or Options); plain text is ToCustomer');
  }
  if (!input.message.trim() && input.specialType === Special.None) throw invalid('Message.Message is empty');
  return retryOnConflict(() => deps.store.transaction(async (store) => {
    const session = await store.sessions.byIdForUpdate(sessionId);
    const role = session && (await store.topicAgents.get(session.topicId, actor.id));
    if (!session || !canSeeSession(actor, role)) throw notFound(`Chat session ${sessionId}`);
    const asBot = session.chatbotIsActive && session.userId === null && canWriteSession(actor, role);
    if (session.userId !== actor.id && !asBot) {
      throw accessDenied('Only the agent handling the session writes in it (listeners read only)');
    }
    if (isEnded(session.status)) throw conflict(`Chat session ${sessionId} has ended`);
    const topic = asBot ? await store.topics.byId(session.topicId) : undefined;
    const author = input.author.trim() || (asBot ? topic?.bot.botName || 'Bot' : actor.fullName);
    const { message } = await appendMessage(deps, store, session, { ...input, author, createdBy: actor.id }, 'agentMessage');
    return message;
  }));
}
