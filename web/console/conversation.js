// The conversation panel: one session's details, its messages (appended as they arrive, never redrawn), the
// actions this agent may take on it right now, and the reply box when the chat is mine.
import { h, fill, when } from '../shared/dom.js';
import { fileInputs, fileView, isFileMessage, progressLine } from '../shared/files.js';
import { createNotes } from './notes.js';
import { createReplyPicker } from './reply-picker.js';
import { createVisitorPanel } from './visitor-panel.js';
import { ACTIVE, customerName, isMe, isMine, isOfferedToMe, statusLabel } from './sessions.js';

const SIDE = { ToUser: 'from-customer', ToCustomer: 'from-agent', Special: 'system' };
/** What a bot sends: drawn as the bot's own bubble with a label, never as a line of the system's. */
const BOT_LINES = ['BotMessage', 'Options'];

/** While the agent types, the customer sees it; it lapses this long after the last key. */
const TYPING_IDLE_MS = 4000;

/**
 * `ops`: pickUp(id), send(id, text), transfer(id, userName), accept(id), reject(id), close(id),
 * transferTargets(session) → [{UserName, FullName}], replies(session) → quick replies, renderReply(replyId, id) → text,
 * typing(session, on), notes: {list(id), add(id, text)}, visitor: {context(id), open(id)}, showError(err). Each returns a promise; errors are shown by
 * the caller.
 */
export function createConversation(el, state, ops) {
  let session;
  let seen = new Set();
  let actionsKey = '';
  const head = h('header', { class: 'conv-head' });
  const actions = h('div', { class: 'conv-actions' });
  const list = h('ol', { class: 'messages', 'aria-label': 'Messages' });
  const typing = h('p', { class: 'typing muted', hidden: true }, 'The customer is typing…');
  const input = h('textarea', { name: 'reply', rows: '3', placeholder: 'Write a reply… (Enter sends, Shift+Enter a new line, / quick replies, Alt+↑↓ other chats)', 'aria-label': 'Reply' });
  // Created before the composer's own keys: with the picker open, Enter chooses a reply instead of sending.
  let replies;
  const picker = createReplyPicker(input, {
    load: () => (replies ??= ops.replies(session).catch((err) => { replies = undefined; throw err; })),
    render: (replyId) => ops.renderReply(replyId, session.ChatSessionId),
    onError: ops.showError,
  });
  const uploads = h('div', { class: 'uploads' });
  // A file to the open chat: shown under way, then as the message it became.
  const sendFile = async (file) => {
    if (!session) return;
    const line = progressLine(file.name || 'image');
    uploads.append(line.el);
    try { await ops.sendFile(session.ChatSessionId, file, line.set); } catch (err) { ops.showError(err); } finally { line.done(); }
  };
  const attach = fileInputs(el, input, sendFile);
  const composer = h('form', { class: 'composer' }, attach, h('div', { class: 'composer-input' }, picker.element, input), h('button', { type: 'submit', class: 'primary' }, 'Send'));
  const notes = createNotes(ops.notes, ops.showError);
  const visitorPanel = createVisitorPanel(ops.visitor, ops.showError);

  // The agent's typing, told once when it starts and once when it stops (idle, sent, or another chat opened).
  let typingOn = false;
  let typingTimer;
  const stopTyping = () => {
    clearTimeout(typingTimer);
    if (typingOn && session) { typingOn = false; ops.typing(session, false); }
  };
  input.addEventListener('input', () => {
    if (!session || composer.hidden) return;
    if (!typingOn && input.value.trim()) { typingOn = true; ops.typing(session, true); }
    clearTimeout(typingTimer);
    typingTimer = setTimeout(stopTyping, TYPING_IDLE_MS);
  });

  const submit = async () => {
    const text = input.value.trim();
    if (!text || !session) return;
    input.disabled = true;
    stopTyping();
    try {
      await ops.send(session.ChatSessionId, text);
      input.value = '';
    } finally {
      input.disabled = false;
      input.focus();
    }
  };
  composer.addEventListener('submit', (e) => { e.preventDefault(); submit(); });
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); submit(); } });

  const button = (label, fn, cls = '') => h('button', { type: 'button', class: cls, onclick: fn }, label);

  function actionsFor(s) {
    const id = s.ChatSessionId;
    if (s.Status === 'InQueue' && !s.ChatbotIsActive) return ['pickup', [button('Pick up', () => ops.pickUp(id), 'primary')]];
    if (isOfferedToMe(s, state.me)) {
      const from = s.User?.FullName || s.User?.UserName || 'A colleague';
      return ['offered', [h('span', { class: 'offer' }, `${from} wants to hand this chat to you.`),
        button('Accept', () => ops.accept(id), 'primary'), button('Reject', () => ops.reject(id))]];
    }
    if (isMine(s, state.me) && s.TransferTo) {
      return ['offering', [h('span', { class: 'offer' }, `Offered to ${s.TransferTo.FullName || s.TransferTo.UserName}…`),
        button('Cancel transfer', () => ops.reject(id))]];
    }
    if (isMine(s, state.me)) {
      const select = h('select', { 'aria-label': 'Transfer to' }, h('option', { value: '' }, 'Transfer to…'));
      ops.transferTargets(s).then((agents) => {
        for (const a of agents) select.append(h('option', { value: a.UserName }, a.FullName || a.UserName));
        if (!agents.length) select.append(h('option', { value: '', disabled: true }, 'No colleague present'));
      }).catch(() => {});
      const transfer = button('Transfer', () => select.value && ops.transfer(id, select.value));
      return ['mine', [h('span', { class: 'transfer' }, select, transfer), button('Close chat', () => ops.close(id), 'danger')]];
    }
    return ['none', []];
  }

  function drawHead(s) {
    const facts = [s.CustomerEmail, s.CustomerPhone, s.CustomerCompanyName, state.topics.get(s.TopicId)].filter(Boolean).join(' · ');
    const owner = s.User ? (isMe(s.User, state.me) ? 'you' : s.User.FullName || s.User.UserName) : '';
    fill(head,
      h('div', {}, h('h1', { class: 'conv-title' }, customerName(s)), h('p', { class: 'muted' }, facts)),
      h('div', { class: 'conv-status' }, h('span', { class: `status status-${s.Status}` }, statusLabel(s.Status)),
        owner ? h('span', { class: 'muted' }, ` · with ${owner}`) : null));
    const [key, nodes] = actionsFor(s);
    const fullKey = `${s.ChatSessionId}:${key}:${s.TransferTo?.UserName ?? ''}`;
    if (fullKey !== actionsKey) { actionsKey = fullKey; fill(actions, nodes); }
    composer.hidden = !(isMine(s, state.me) && ACTIVE.includes(s.Status));
    if (composer.hidden) typing.hidden = true;
  }

  function messageItem(m) {
    const bot = BOT_LINES.includes(m.SpecialType);
    const side = bot ? 'from-agent' : SIDE[m.Type] ?? 'system';
    if (m.SpecialType === 'IllegalFileType') {
      return h('li', { class: 'message system', 'data-message-id': m.ChatMessageId }, h('span', {}, `A file of a type this chat does not take was refused: ${m.Message}`), h('time', {}, when(m.WhenPosted)));
    }
    if (side === 'system' && !isFileMessage(m)) return h('li', { class: 'message system', 'data-message-id': m.ChatMessageId }, h('span', {}, m.Message), h('time', {}, when(m.WhenPosted)));
    return h('li', { class: `message ${side}${bot ? ' bot' : ''}`, 'data-message-id': m.ChatMessageId },
      h('div', { class: 'meta' }, h('span', { class: 'author' }, m.Author || (side === 'from-customer' ? customerName(session) : 'Agent')),
        bot ? h('span', { class: 'bot-label' }, 'Bot') : null, h('time', {}, when(m.WhenPosted))),
      h('div', { class: 'bubble' }, isFileMessage(m) ? fileView(m, ops.fileHref(m)) : m.Message));
  }

  return {
    get id() { return session?.ChatSessionId ?? 0; },
    /** The id of the newest message shown: GetChatMessages asks for those after it. */
    get lastMessageId() { return seen.size ? Math.max(...seen) : 0; },
    show(s) {
      stopTyping();
      session = s; seen = new Set(); actionsKey = ''; replies = undefined;
      picker.close();
      list.replaceChildren();
      typing.hidden = true;
      fill(el, head, actions, visitorPanel.element, list, typing, notes.element, uploads, composer);
      drawHead(s);
      notes.show(s.ChatSessionId);
      visitorPanel.show(s.ChatSessionId);
      if (!composer.hidden) input.focus();
    },
    /** A note pushed for the open chat. */
    addNote(note) { notes.add(note); },
    update(s) { if (session && s.ChatSessionId === session.ChatSessionId) { session = s; drawHead(s); } },
    addMessages(messages) {
      const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
      for (const m of messages) {
        if (m.ChatSessionId !== session?.ChatSessionId || seen.has(m.ChatMessageId)) continue;
        seen.add(m.ChatMessageId);
        list.append(messageItem(m));
        if (m.Type === 'ToUser') typing.hidden = true;
      }
      if (atBottom || messages.length) list.scrollTop = list.scrollHeight;
    },
    setTyping(on) { typing.hidden = !on || composer.hidden; },
    clear() { stopTyping(); session = undefined; fill(el, h('div', { class: 'empty muted' }, 'Pick a chat from the inbox.')); },
  };
}
