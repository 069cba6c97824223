// The inbox: every session ChatSessionsForUser lists, grouped (my chats, queue, colleagues, ended), newest activity
// first within a group. Clicking one opens it in the conversation panel.
import { h, fill, when } from '../shared/dom.js';
import { customerName, GROUPS, groupOf, isOfferedToMe, isMine } from './sessions.js';

const lastActivity = (s) => Date.parse(s.WhenIdle ?? s.WhenStarted ?? s.WhenRequested ?? 0) || 0;

function item(s, state, onOpen) {
  const badges = [];
  if (isOfferedToMe(s, state.me)) badges.push(h('span', { class: 'badge warn' }, 'Transfer to you'));
  if (isMine(s, state.me) && s.Status === 'CustomerLast') badges.push(h('span', { class: 'badge alert' }, 'Your turn'));
  if (s.ChatbotIsActive) badges.push(h('span', { class: 'badge' }, 'Bot'));
  if (s.AlertLevel > 0) badges.push(h('span', { class: 'badge alert' }, 'Waiting long'));
  const owner = groupOf(s, state.me) === 'others' && s.User ? ` · ${s.User.FullName || s.User.UserName}` : '';
  return h('li', {},
    h('button', {
      type: 'button', class: `session${s.ChatSessionId === state.selected ? ' selected' : ''}`,
      'data-session-id': s.ChatSessionId, 'aria-current': s.ChatSessionId === state.selected ? 'true' : null,
      onclick: () => onOpen(s.ChatSessionId),
    },
    h('span', { class: 'session-top' }, h('strong', { class: 'name' }, customerName(s)), h('time', { class: 'muted' }, when(lastActivity(s) ? new Date(lastActivity(s)).toISOString() : null))),
    h('span', { class: 'session-sub muted' }, `${state.topics.get(s.TopicId) ?? `Topic ${s.TopicId}`}${owner}`),
    h('span', { class: 'snippet' }, s.LastMessage || s.FirstMessage || '—'),
    badges.length ? h('span', { class: 'badges' }, badges) : null));
}

/** Draws the inbox into `el` from `state.sessions`; answers how many chats want attention (queue + my turn). */
export function renderInbox(el, state, onOpen) {
  const groups = new Map(GROUPS.map((g) => [g.id, []]));
  for (const s of state.sessions.values()) groups.get(groupOf(s, state.me))?.push(s);
  const sections = GROUPS.map((g) => {
    const list = groups.get(g.id).sort((a, b) => lastActivity(b) - lastActivity(a));
    return h('section', { class: `group group-${g.id}`, 'data-group': g.id },
      h('h2', {}, g.title, h('span', { class: 'count' }, String(list.length))),
      list.length ? h('ul', {}, list.map((s) => item(s, state, onOpen))) : h('p', { class: 'muted none' }, 'Nothing here'));
  });
  fill(el, sections);
  return groups.get('queued').length + groups.get('mine').filter((s) => s.Status === 'CustomerLast' || isOfferedToMe(s, state.me)).length;
}
