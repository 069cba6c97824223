// Beside the conversation: who the agent is talking to. The page the widget sat on, the referrer, the browser, the
// address, the linked CRM person and company, and the customer's earlier chats. All of it came from a browser or a
// customer: shown as text, and a page address is a link only when it is http(s).
import { h, fill, when } from '../shared/dom.js';

const isWebAddress = (url) => { try { return ['http:', 'https:'].includes(new URL(url).protocol); } catch { return false; } };
const address = (url) => (isWebAddress(url) ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, url) : url);

/** `ops`: context(sessionId) → the Visitors/Context answer; open(sessionId) opens an earlier chat. */
export function createVisitorPanel(ops, onError) {
  const body = h('dl', { class: 'visitor-facts' });
  const earlier = h('ul', { class: 'earlier-chats' });
  const el = h('details', { class: 'visitor-panel', open: true }, h('summary', {}, 'Visitor'), body, earlier);
  let shown = 0;

  const row = (label, value) => (value ? [h('dt', {}, label), h('dd', {}, value)] : []);
  return {
    element: el,
    async show(sessionId) {
      shown = sessionId;
      fill(body); fill(earlier);
      let c;
      try { c = await ops.context(sessionId); } catch (err) { onError(err); return; }
      if (shown !== sessionId) return; // another chat was opened meanwhile
      const person = c.Person ? [c.Person.Firstname, c.Person.Lastname].filter(Boolean).join(' ') : '';
      fill(body,
        row('Page', c.PageUrl && address(c.PageUrl)), row('Title', c.PageTitle), row('Came from', c.Referrer && address(c.Referrer)),
        row('Language', c.Language), row('Browser', c.UserAgent), row('Address', c.Host),
        row('CRM person', person), row('Company', c.Contact?.Name ?? ''));
      fill(earlier, c.EarlierChats.length ? [h('li', { class: 'muted' }, 'Earlier chats'), c.EarlierChats.map((s) => h('li', {},
        h('button', { type: 'button', class: 'link', onclick: () => ops.open(s.ChatSessionId) }, `${when(s.WhenRequested)} · ${s.Status}`),
        ' ', h('span', { class: 'muted' }, s.FirstMessage)))] : []);
    },
  };
}
