// The agent console's entry point: sign-in, the inbox, presence, live updates (push; polling while the stream is
// down) and the actions on the open conversation. Every call goes through the public agent API.
import { agent, currentUser, login, logout, parley, signInMethods, whenSignedOut, xsrfToken } from './api.js';
import { createConversation } from './conversation.js';
import { createConversationActions } from './conversation-actions.js';
import { renderInbox } from './inbox.js';
import { createReplyManager } from './reply-manager.js';
import { createAlerts } from './alerts.js';
import { createOffers } from './offers.js';
import { canAnswer, customerName, isMine, isOfferedToMe } from './sessions.js';
import { openAgentStream } from './push.js';

const $ = (id) => document.getElementById(id);
const POLL_MS = 5000;

const state = { me: null, sessions: new Map(), topics: new Map(), selected: 0 };
let conversation;
let stopStream = () => {};
let poller;
let noticeTimer;

function notify(message) {
  const el = $('notice');
  el.textContent = message;
  el.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => { el.hidden = true; }, 6000);
}

/** Runs an action, showing its error instead of throwing; answers true when it worked. */
const attempt = (fn) => async (...args) => {
  try { await fn(...args); return true; } catch (err) { notify(err.message); return false; }
};

function render() {
  const waiting = renderInbox($('inbox'), state, (id) => attempt(open)(id));
  document.title = waiting ? `(${waiting}) Parley · Agent console` : 'Parley · Agent console';
}

// Changes that arrive while a full reload is on its way are newer than the list it brings: the reload keeps them.
let changes = 0;
const changedAt = new Map();

function upsert(session) {
  changedAt.set(session.ChatSessionId, ++changes);
  if (session.Status === 'Deleted') state.sessions.delete(session.ChatSessionId);
  else state.sessions.set(session.ChatSessionId, session);
  if (session.ChatSessionId === state.selected) {
    if (state.sessions.has(session.ChatSessionId)) conversation.update(session);
    else { state.selected = 0; conversation.clear(); }
  }
  render();
}

async function open(id) {
  const session = state.sessions.get(id);
  if (!session) return;
  state.selected = id;
  conversation.show(session);
  render();
  conversation.addMessages(await agent('GetChatMessages', { ChatSessionId: id, After: 0 }));
}

async function reloadInbox() {
  const asked = changes;
  const list = await agent('ChatSessionsForUser');
  const fresh = new Map(list.map((s) => [s.ChatSessionId, s]));
  for (const [id, at] of changedAt) {
    if (at <= asked) { changedAt.delete(id); continue; }
    const newer = state.sessions.get(id);
    if (newer) fresh.set(id, newer); else fresh.delete(id);
  }
  state.sessions = fresh;
  const selected = state.sessions.get(state.selected);
  if (selected) conversation.update(selected);
  else if (state.selected) { state.selected = 0; conversation.clear(); }
  render();
}

async function refreshMessages() {
  if (!conversation.id) return;
  conversation.addMessages(await agent('GetChatMessages', { ChatSessionId: conversation.id, After: conversation.lastMessageId }));
}

async function loadTopics() {
  const topics = await agent('ChatTopicsForUser?$select=ChatTopicId,Name');
  state.topics = new Map(topics.map((t) => [t.ChatTopicId, t.Name]));
}

function showPresence(present) {
  $('presence').checked = present;
  $('presence-label').textContent = present ? 'Available' : 'Away';
  $('presence').closest('label').classList.toggle('on', present);
}

const ops = createConversationActions({
  state, upsert, reloadInbox, refreshMessages, open, notify, attempt,
  addMessages: (messages) => conversation.addMessages(messages),
});

const alerts = createAlerts($('sound'), $('desktop-alerts'));

const offers = createOffers($('offers'), $('load'), {
  status: () => parley('Routing', 'Status'),
  accept: attempt(async (id) => {
    const session = await parley('Routing', 'AcceptOffer', { ChatSessionId: id });
    if (!session) { notify('That offer has moved on.'); return; }
    upsert(session);
    await open(id);
  }),
  decline: attempt((id) => parley('Routing', 'DeclineOffer', { ChatSessionId: id })),
  nameOf: (id) => (state.sessions.has(id) ? customerName(state.sessions.get(id)) : `Chat ${id}`),
});
let loadTimer;
/**
 * My chats starting, ending or moving change my load: asked again once things settle. Only then, and only while a
 * topic of mine routes automatically (the load is shown): every agent asking on every change would be a poll.
 */
const refreshLoad = (...sessions) => {
  if ($('load').hidden || !sessions.some((s) => s && isMine(s, state.me))) return;
  clearTimeout(loadTimer);
  loadTimer = setTimeout(() => offers.refresh(), 300);
};

const pushHandlers = {
  'session.created': (d) => {
    // A new chat alerts those who may pick it up, not those who only listen in its topic.
    if (d.Session.Status === 'InQueue' && !d.Session.ChatbotIsActive && canAnswer(d.Session)) alerts.raise('New chat waiting', customerName(d.Session), `chat-${d.Session.ChatSessionId}`);
    upsert(d.Session);
  },
  'session.changed': (d) => {
    const before = state.sessions.get(d.Session.ChatSessionId);
    if (isOfferedToMe(d.Session, state.me) && !(before && isOfferedToMe(before, state.me))) {
      alerts.raise('A chat is offered to you', customerName(d.Session), `chat-${d.Session.ChatSessionId}`);
    } else if (d.Session.Status === 'InQueue' && before && before.Status !== 'InQueue' && !d.Session.ChatbotIsActive && canAnswer(d.Session)) {
      alerts.raise('New chat waiting', customerName(d.Session), `chat-${d.Session.ChatSessionId}`);
    }
    upsert(d.Purged ? { ...d.Session, Status: 'Deleted' } : d.Session);
    refreshLoad(d.Session, before);
  },
  'message.added': (d) => {
    if (d.Message.Type === 'ToUser' && isMine(d.Session, state.me)) alerts.raise(`${customerName(d.Session)} wrote`, d.Message.Message, `chat-${d.Session.ChatSessionId}`);
    upsert(d.Session);
    if (d.Message.ChatSessionId === conversation.id) conversation.addMessages([d.Message]);
  },
  'session.typing': (d) => { if (d.Session.ChatSessionId === conversation.id) conversation.setTyping(d.CustomerIsTyping); },
  'presence.changed': (d) => { if (d.UserId === state.me.id) showPresence(d.Present); },
  'note.added': (d) => {
    if (d.Note.ChatSessionId === conversation.id) conversation.addNote(d.Note);
    else if (d.MentionsMe) {
      const s = state.sessions.get(d.Note.ChatSessionId);
      notify(`${d.Note.AuthorName} mentioned you in a note${s ? ` on the chat with ${s.CustomerName || 'a customer'}` : ''}.`);
    }
  },
  'session.offered': (d) => {
    upsert(d.Session);
    if (d.UserId !== state.me.id) return;
    offers.add(d.Session.ChatSessionId, d.ExpiresAt, customerName(d.Session));
    alerts.raise('A chat is offered to you', customerName(d.Session), `chat-${d.Session.ChatSessionId}`);
    offers.refresh();
  },
  'session.offer_ended': (d) => { if (d.UserId === state.me.id) offers.remove(d.Session.ChatSessionId); },
  'session.assigned': (d) => {
    upsert(d.Session);
    if (d.UserId !== state.me.id || d.ByOffer) return;
    alerts.raise('A chat was given to you', customerName(d.Session), `chat-${d.Session.ChatSessionId}`);
    offers.refresh();
  },
  'routing.changed': () => offers.refresh(),
  'topic.membership': () => attempt(async () => { await loadTopics(); await reloadInbox(); })(),
  resync: () => attempt(async () => { await reloadInbox(); await refreshMessages(); })(),
  // The server re-checks the stream's credential now and then: logged out elsewhere, expired or revoked.
  unauthorized: () => showLogin('Your session has ended. Please sign in again.'),
};

/** The stream went up or down: poll while it is down; catch up once when it comes back. */
function streamState(live) {
  $('stream-state').textContent = live ? 'Live' : 'Reconnecting…';
  $('stream-state').classList.toggle('down', !live);
  if (live && poller) {
    clearInterval(poller);
    poller = undefined;
    attempt(async () => { await reloadInbox(); await refreshMessages(); await offers.refresh(); })();
  } else if (!live && !poller) {
    poller = setInterval(() => attempt(async () => { await reloadInbox(); await refreshMessages(); })(), POLL_MS);
  }
}

function stopLive() {
  stopStream();
  stopStream = () => {};
  clearInterval(poller);
  poller = undefined;
}

function showLogin(message) {
  stopLive();
  $('app-view').hidden = true;
  $('login-view').hidden = false;
  $('login-error').hidden = !message;
  $('login-error').textContent = message ?? '';
  $('login-form').elements.user.focus();
}

async function start() {
  // The identity is the server's: whoever the session cookie belongs to, whatever this browser typed or kept.
  const me = await currentUser();
  state.me = { userName: me.UserName, id: me.AssociateId, fullName: me.FullName };
  state.selected = 0;
  conversation.clear();
  await loadTopics();
  const presence = await agent('GetChatPresence');
  showPresence(!!presence.find((p) => p.UserId === state.me.id)?.Present);
  $('me').textContent = state.me.fullName;
  await reloadInbox();
  await offers.refresh();
  $('login-view').hidden = true;
  $('app-view').hidden = false;
  stopStream = openAgentStream(xsrfToken, pushHandlers, streamState);
}

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = e.currentTarget;
  const userName = form.elements.user.value.trim();
  try {
    await login(userName, form.elements.password.value);
  } catch (err) {
    showLogin(err.status === 401 ? 'Unknown user name or wrong password.' : err.message);
    return;
  }
  form.elements.password.value = '';
  attempt(start)();
});

$('presence').addEventListener('change', async (e) => {
  const present = e.currentTarget.checked;
  const ok = await attempt(() => agent('SaveChatPresence', { ChatPresence: [{ UserId: state.me.id, Present: present }] }))();
  showPresence(ok ? present : !present);
});

$('logout').addEventListener('click', async () => {
  stopLive();
  // Signing off means not taking chats: routing stops offering this agent chats (and may return theirs to the queue).
  if ($('presence').checked) await attempt(() => agent('SaveChatPresence', { ChatPresence: [{ UserId: state.me.id, Present: false }] }))();
  await attempt(logout)();
  showLogin();
});

const replyManager = createReplyManager($('replies-dialog'), {
  list: () => parley('CannedResponses', 'List', {}, { raw: true }),
  save: (reply) => parley('CannedResponses', 'Save', { CannedResponse: reply }),
  remove: (id) => parley('CannedResponses', 'Delete', { Id: id }),
  // My own list, and the topics I manage (administrators: every topic they see).
  async scopes() {
    const topics = await agent('ChatTopicsForUser?$select=ChatTopicId,Name,TableRight');
    // A topic's replies are kept by those who may update the topic (ETableRight with the Update bit).
    const managed = topics.filter((t) => /\b(Update|UR|URI|UDR|FULL)\b/.test(t.TableRight?.Mask ?? ''));
    return [{ TopicId: 0, Name: 'My own' }, ...managed.map((t) => ({ TopicId: t.ChatTopicId, Name: t.Name }))];
  },
}, (err) => notify(err.message));
$('open-replies').addEventListener('click', () => attempt(() => replyManager.open())());

// Alt+↓ / Alt+↑: the next or previous chat in the inbox, without the mouse.
document.addEventListener('keydown', (e) => {
  if (!e.altKey || (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') || $('app-view').hidden) return;
  const ids = [...$('inbox').querySelectorAll('[data-session-id]')].map((el) => Number(el.dataset.sessionId));
  if (!ids.length) return;
  e.preventDefault();
  const at = ids.indexOf(state.selected);
  const next = at < 0 ? 0 : (at + (e.key === 'ArrowDown' ? 1 : ids.length - 1)) % ids.length;
  attempt(open)(ids[next]);
});

whenSignedOut(() => showLogin('Your session has ended. Please sign in again.'));
conversation = createConversation($('conversation'), state, ops);

// Single sign-on, when the server offers it: a link to the provider beside the password form.
signInMethods().then((m) => {
  if (!m.SingleSignOn) return;
  $('sign-on-name').textContent = m.SingleSignOnName;
  $('sign-on').href = m.SingleSignOnUrl;
  $('sign-on').hidden = false;
}, () => {});

// Back from the provider with a refusal: its reason, shown once (the fragment is dropped from the address bar).
const signOnError = new URLSearchParams(location.hash.slice(1)).get('sign-on-error');
if (signOnError) history.replaceState(null, '', location.pathname);

// A reload (or the way back from single sign-on) keeps the web session (cookie): carry on without asking again.
if (signOnError) showLogin(signOnError);
else if (xsrfToken()) start().catch(() => showLogin());
else showLogin();
