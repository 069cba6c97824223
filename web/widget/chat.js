// The conversation as the customer sees it: where they stand (queue position, who answers, typing), the
// messages (appended as they arrive), the message box, and once it ended the rating and a new start.
import { h, fill, when } from '../shared/dom.js';
import { fileInputs, fileView, isFileMessage, progressLine } from '../shared/files.js';
import { text } from './forms.js';

const ENDED = ['Finished', 'Closed', 'ClosedFromQueue', 'Deleted', 'Invalid'];
export const hasEnded = (session) => ENDED.includes(session.Status);
const SIDE = { ToUser: 'mine', ToCustomer: 'theirs', Special: 'system' };
/** What a bot sends: the bot's own bubble with a label, never a line of the system's. */
const BOT_LINES = ['BotMessage', 'Options'];

/**
 * `ops`: send(text) → boolean, typing(on), end(), rate(stars), restart(), offline() (leave a message instead),
 * sendFile(file, onProgress), fileHref(message).
 */
export function createChat(topic, ops) {
  const seen = new Set();
  const status = h('p', { class: 'w-status', 'aria-live': 'polite' });
  const list = h('ol', { class: 'w-messages', 'aria-label': 'Messages' });
  const input = h('textarea', { name: 'message', rows: '2', placeholder: 'Write a message…', 'aria-label': 'Message', maxlength: '32000' });
  const send = h('button', { type: 'submit', class: 'primary', 'aria-label': 'Send' }, 'Send');
  const uploads = h('div', { class: 'w-uploads' });
  const composer = h('form', { class: 'w-composer' });
  const attach = fileInputs(composer, input, async (file) => {
    const line = progressLine(file.name || 'image');
    uploads.append(line.el);
    try { await ops.sendFile(file, line.set); } finally { line.done(); }
  });
  fill(composer, attach, input, send);
  const endButton = h('button', { type: 'button', class: 'link', onclick: () => ops.end() }, 'End chat');
  const offlineLink = h('button', { type: 'button', class: 'link', hidden: true, onclick: () => ops.offline() }, 'Leave a message instead');
  const footer = h('div', { class: 'w-footer' }, offlineLink, endButton);
  const ended = h('div', { class: 'w-ended', hidden: true });
  const root = h('div', { class: 'w-chat' }, status, list, ended, uploads, composer, footer);
  let typingTimer;
  let typingSent = false;
  let ratedKey = '';

  const stopTyping = () => {
    clearTimeout(typingTimer);
    if (typingSent) { typingSent = false; ops.typing(false); }
  };
  input.addEventListener('input', () => {
    if (!typingSent && input.value.trim()) { typingSent = true; ops.typing(true); }
    clearTimeout(typingTimer);
    typingTimer = setTimeout(stopTyping, 4000);
  });
  const submit = async () => {
    const value = input.value.trim();
    if (!value) return;
    clearTimeout(typingTimer);
    typingSent = false;
    send.disabled = true;
    if (await ops.send(value)) input.value = '';
    send.disabled = false;
    input.focus();
  };
  composer.addEventListener('submit', (e) => { e.preventDefault(); submit(); });
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); submit(); } });

  function statusText(s) {
    if (hasEnded(s)) return 'The chat has ended.';
    if (s.Status === 'InQueue') {
      const queue = text(s.QueueMessage) || (s.QueuePosition > 0 ? `You are number ${s.QueuePosition} in the queue.` : 'Waiting for an agent…');
      return `${queue} An agent will be with you shortly.`;
    }
    if (s.AgentIsTyping && s.AgentName) return `${s.AgentName} is typing…`;
    if (s.AgentName) return `You are chatting with ${s.AgentName}.`;
    return 'Connected.';
  }

  function drawEnded(s) {
    const key = `${s.Status}:${s.CanRate}:${s.Rating}`;
    if (key === ratedKey) return;
    ratedKey = key;
    const parts = [h('p', { class: 'w-ended-title' }, 'The chat has ended. Thank you for contacting us!')];
    if (s.Rating > 0) parts.push(h('p', { class: 'muted' }, `You rated this chat ${s.Rating} of 5.`));
    else if (s.CanRate) {
      parts.push(h('p', {}, text(topic.WidgetRatingText, 'How did we do?')),
        h('div', { class: 'stars', role: 'group', 'aria-label': 'Rating' },
          [1, 2, 3, 4, 5].map((n) => h('button', { type: 'button', class: 'star', 'aria-label': `${n} of 5`, title: `${n} of 5`, onclick: () => ops.rate(n) }, '★'))));
    }
    parts.push(h('button', { type: 'button', class: 'primary', onclick: () => ops.restart() }, 'Start a new chat'));
    fill(ended, parts);
  }

  function messageItem(m) {
    const bot = BOT_LINES.includes(m.SpecialType);
    const side = bot ? 'theirs' : SIDE[m.Type] ?? 'system';
    if (m.SpecialType === 'IllegalFileType') return h('li', { class: 'w-msg system', 'data-message-id': m.ChatMessageId }, `This file could not be sent: ${m.Message}`);
    if (side === 'system') return h('li', { class: 'w-msg system', 'data-message-id': m.ChatMessageId }, m.Message);
    return h('li', { class: `w-msg ${side}${bot ? ' bot' : ''}`, 'data-message-id': m.ChatMessageId },
      h('div', { class: 'w-bubble' }, isFileMessage(m) ? fileView(m, ops.fileHref(m)) : m.Message),
      h('div', { class: 'w-meta' }, side === 'mine' ? 'You' : m.Author, bot ? h('span', { class: 'w-bot-label' }, ' · Bot') : null, ' · ', when(m.WhenPosted)));
  }

  return {
    root,
    get lastMessageId() { return seen.size ? Math.max(...seen) : 0; },
    update(s) {
      status.textContent = statusText(s);
      status.classList.toggle('queued', s.Status === 'InQueue');
      const over = hasEnded(s);
      composer.hidden = over;
      footer.hidden = over;
      ended.hidden = !over;
      offlineLink.hidden = !(s.Status === 'InQueue' && s.OfflineFormAvailable && topic.TicketEnabled);
      if (over) { stopTyping(); drawEnded(s); } else ratedKey = '';
    },
    addMessages(messages) {
      for (const m of messages) {
        if (seen.has(m.ChatMessageId)) continue;
        seen.add(m.ChatMessageId);
        list.append(messageItem(m));
      }
      list.scrollTop = list.scrollHeight;
    },
    focus() { if (!composer.hidden) input.focus(); },
  };
}
