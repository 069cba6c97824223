// The visitor widget's entry point: the topic's face, then one view per session status (forms, chat, offline
// form, thanks). The session key lives in sessionStorage, so a reload resumes the chat; push keeps it live, and
// polling takes over while the stream is down (a GetSession now and then also tells the server the widget is open).
import { ApiError, currentKey, openVisitorStream, setSessionKey, visitor, visitorHeaders } from './api.js';
import { uploadFile } from '../shared/files.js';
import { createChat, hasEnded } from './chat.js';
import { h, fill } from '../shared/dom.js';
import { faqStep, offlineForm, preChatForm, startForm, text } from './forms.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const topicId = Number(params.get('topic'));

// Where the visitor is, for the agent: the embedding page tells it in the widget's URL (?page=&title=&referrer=) or
// by postMessage({ type: 'parley:page', url, title, referrer }); else the browser's own referrer of this frame (the
// page it sits on). Only text: the console shows it, never follows or runs it.
const page = { url: params.get('page') ?? document.referrer, title: params.get('title') ?? '', referrer: params.get('referrer') ?? '' };
window.addEventListener('message', (e) => {
  const d = e.data;
  if (!d || d.type !== 'parley:page') return;
  if (typeof d.url === 'string') page.url = d.url;
  if (typeof d.title === 'string') page.title = d.title;
  if (typeof d.referrer === 'string') page.referrer = d.referrer;
});
const pageContext = () => ({
  PageUrl: page.url.slice(0, 2048), PageTitle: page.title.slice(0, 512), Referrer: page.referrer.slice(0, 2048),
  BrowserLanguage: (navigator.language ?? '').slice(0, 35),
});
const storageKey = `parley.widget.${topicId}`;
const POLL_MS = 3000;
const ALIVE_MS = 15_000;

let topic;
let session;
let chat;
let view = '';
let draft = '';
let wantsOffline = false;
let stopStream = () => {};
let poller;
let alive;

function notify(message) {
  $('notice').textContent = message;
  $('notice').hidden = !message;
}

const attempt = (fn) => async (...args) => {
  try { notify(''); await fn(...args); return true; } catch (err) {
    if (err instanceof ApiError && err.status === 401 && session) { forget(); showStart(); notify('Your chat has expired. You can start a new one.'); return false; }
    notify(err.message);
    return false;
  }
};

/** The topic's colours, through CSS variables (the page's CSP allows no inline styles, but the CSSOM is fine). */
function applyTheme(w) {
  const root = document.documentElement.style;
  const set = (name, value) => { if (/^#[0-9a-f]{3,8}$/i.test(value ?? '')) root.setProperty(name, value); };
  set('--head', w.Color); set('--button', w.ButtonColor); set('--button-text', w.ButtonTextColor);
  set('--mine', w.CustMsgColor); set('--mine-text', w.CustMsgTextColor); set('--theirs', w.AgentMsgColor); set('--theirs-text', w.AgentMsgTextColor);
}

function forget() {
  stopLive();
  sessionStorage.removeItem(storageKey);
  setSessionKey('');
  session = undefined;
  chat = undefined;
  view = '';
  wantsOffline = false;
}

function showStart() {
  view = 'start';
  fill($('body'), startForm(topic, attempt(async (values) => {
    draft = values.Message ?? '';
    // Closed: the question goes into the offline form (sent once, with that form's consent), not into the chat.
    const { Message, ...details } = values;
    const opened = await visitor('OpenSession', { ChatTopicId: topicId, ...(topic.IsOpen ? values : details), ...pageContext() });
    sessionStorage.setItem(storageKey, opened.SessionKey);
    setSessionKey(opened.SessionKey);
    await enter(opened.Session);
  })));
}

/** Draws the view for the session's status; the chat view is built once and then only updated. */
function draw() {
  const s = session;
  const next = s.Status === 'PreChatForm' ? 'prechat' : s.Status === 'Faq' ? 'faq'
    : s.Status === 'OfflineForm' || (wantsOffline && s.Status === 'InQueue') ? 'offline' : s.Status === 'RequestPosted' ? 'posted' : 'chat';
  if (next === 'chat') {
    if (view !== 'chat') { fill($('body'), chat.root); chat.focus(); }
    chat.update(s);
  } else if (next !== view) {
    if (next === 'prechat') fill($('body'), preChatForm(topic, s, attempt(async (values) => setSession(await visitor('SubmitPreChat', values)))));
    if (next === 'faq') fill($('body'), faqStep(attempt(async () => setSession(await visitor('LeaveFaq')))));
    if (next === 'offline') fill($('body'), offlineForm(topic, s, draft, attempt(async (values) => setSession(await visitor('SubmitOfflineForm', values)))));
    if (next === 'posted') {
      fill($('body'), h('div', { class: 'w-form center' }, h('h2', {}, 'Thank you!'), h('p', {}, 'We have your message and will get back to you.'),
        h('button', { type: 'button', class: 'primary', onclick: () => { forget(); showStart(); } }, 'Start over')));
    }
  }
  view = next;
}

function setSession(s) {
  session = s;
  draw();
  if ((hasEnded(s) || s.Status === 'RequestPosted') && alive) {
    stopLive();
    // The closing line may come just after the status change, which ended the stream: fetch it once.
    attempt(async () => chat.addMessages(await visitor('GetMessages', { After: chat.lastMessageId })))();
  }
}

async function refresh() {
  setSession(await visitor('GetSession'));
  if (chat) chat.addMessages(await visitor('GetMessages', { After: chat.lastMessageId }));
}

function stopLive() {
  stopStream();
  stopStream = () => {};
  clearInterval(poller);
  clearInterval(alive);
  poller = alive = undefined;
}

function goLive() {
  stopLive();
  stopStream = openVisitorStream({
    'message.added': (d) => {
      chat.addMessages([d.Message]);
      // Handed out through GetMessages, what the agent wrote counts as read by the customer (ReadByCustomer).
      if (d.Message.Type === 'ToCustomer') visitor('GetMessages', { After: d.Message.ChatMessageId - 1 }).catch(() => {});
    },
    'session.changed': (d) => setSession(d.Session),
  }, (live) => {
    if (live && poller) { clearInterval(poller); poller = undefined; attempt(refresh)(); }
    if (!live && !poller) poller = setInterval(() => attempt(refresh)(), POLL_MS);
  });
  alive = setInterval(() => attempt(async () => setSession(await visitor('GetSession')))(), ALIVE_MS);
}

const chatOps = {
  send: attempt(async (message) => { chat.addMessages([await visitor('PostMessage', { Message: message })]); }),
  typing: (on) => visitor('Typing', { IsTyping: on }).catch(() => {}),
  end: attempt(async () => setSession(await visitor('End'))),
  rate: attempt(async (stars) => setSession(await visitor('Rate', { Rating: stars }))),
  restart: () => { forget(); showStart(); },
  offline: () => { wantsOffline = true; draw(); },
  sendFile: attempt(async (file, onProgress) => {
    await uploadFile('/api/v1/Visitor/UploadFile', file, visitorHeaders(), onProgress);
    chat.addMessages(await visitor('GetMessages', { After: chat.lastMessageId }));
  }),
  // An <img> or a link cannot send the key header: it goes in the address, as for the push stream.
  fileHref: (m) => `${m.SpecialParam}?key=${encodeURIComponent(currentKey())}`,
};

async function enter(s) {
  chat = createChat(topic, chatOps);
  view = '';
  setSession(s);
  chat.addMessages(await visitor('GetMessages', { After: 0 }));
  if (!hasEnded(s) && s.Status !== 'RequestPosted') goLive();
}

async function main() {
  if (!topicId) { fill($('body'), h('p', { class: 'center muted' }, 'This chat is not set up: the page needs ?topic=<id>.')); return; }
  try {
    topic = await visitor('GetTopic', { ChatTopicId: topicId });
  } catch (err) {
    fill($('body'), h('p', { class: 'center muted' }, err.status === 404 ? 'This chat is not available.' : `The chat could not be loaded: ${err.message}`));
    return;
  }
  document.title = topic.Name;
  $('title').textContent = topic.Name;
  $('subtitle').textContent = text(topic.BadgeHeader) || text(topic.Widget.WelcomeTitle);
  applyTheme(topic.Widget);
  const key = sessionStorage.getItem(storageKey);
  if (key) {
    setSessionKey(key);
    try {
      await enter(await visitor('GetSession'));
      return;
    } catch {
      forget();
    }
  }
  showStart();
}

main();
