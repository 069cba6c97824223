// GetChatTranscript: the conversation as plain text or as an HTML fragment, times in the caller's zone and
// culture. Everything people wrote is escaped in HTML, so a customer cannot inject markup into an agent's page.
// A bot's lines are the bot's (its name, class "bot"), never drawn as the system's own ("***", class "system").
import { ChatMessageSpecialType, ChatMessageType } from '../enums.ts';
import type { DomainDeps } from '../ports.ts';
import type { Actor } from '../rights.ts';
import type { Message } from '../types.ts';
import { getMessages } from './get-messages.ts';
import { escapeHtml } from '../../lib/html.ts';

export interface TranscriptFormat {
  html: boolean;
  timeZone: string;
  culture: string | null;
  /** Translates the system's own lines (welcome, transferred, closed...); what people wrote is never translated. */
  translate?: (text: string) => string;
}

export async function getTranscript(deps: DomainDeps, actor: Actor, sessionId: number, format: TranscriptFormat): Promise<string> {
  return renderTranscript(await getMessages(deps, actor, sessionId, 0), format);
}

export function renderTranscript(messages: Message[], format: TranscriptFormat): string {
  let time: Intl.DateTimeFormat;
  try {
    time = new Intl.DateTimeFormat(format.culture ?? 'en', { timeZone: format.timeZone, dateStyle: 'short', timeStyle: 'short' });
  } catch {
    time = new Intl.DateTimeFormat('en', { timeZone: format.timeZone, dateStyle: 'short', timeStyle: 'short' });
  }
  const translate = format.translate;
  const lines = translate ? messages.map((m) => (m.specialType === ChatMessageSpecialType.None ? m : { ...m, message: translate(m.message) })) : messages;
  return format.html ? html(lines, time) : text(lines, time);
}

const BOT_LINES: readonly number[] = [ChatMessageSpecialType.BotMessage, ChatMessageSpecialType.Options];
const speaker = (m: Message) =>
  BOT_LINES.includes(m.specialType) ? 'bot' : m.type === ChatMessageType.ToUser ? 'customer' : m.type === ChatMessageType.Special ? 'system' : 'agent';

function text(messages: Message[], time: Intl.DateTimeFormat) {
  return messages
    .map((m) => (speaker(m) === 'system' ? `${time.format(m.whenPosted)} *** ${m.message}` : `${time.format(m.whenPosted)} ${m.author}: ${m.message}`))
    .join('\n');
}

function html(messages: Message[], time: Intl.DateTimeFormat) {
  const rows = messages.map((m) => {
    const who = speaker(m);
    const body = escapeHtml(m.message).replace(/\r?\n/g, '<br>');
    const author = who === 'system' ? '' : `<strong>${escapeHtml(m.author)}</strong>: `;
    return `<p class="${who}"><time datetime="${m.whenPosted.toISOString()}">${escapeHtml(time.format(m.whenPosted))}</time> ${author}${body}</p>`;
  });
  return `<div class="chat-transcript">${rows.join('')}</div>`;
}
