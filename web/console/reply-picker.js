// The quick-reply picker of the composer: typing "/" (at the start or after a space) opens the replies that match
// what follows it; arrows move, Enter or a click inserts the reply rendered for this chat, Escape closes. Works with
// the keyboard alone. `load()` → replies for the open chat, `render(id)` → the text to insert.
import { h, fill } from '../shared/dom.js';

const TOKEN = /(^|\s)\/([\w-]*)$/;

export function createReplyPicker(input, { load, render, onError }) {
  const list = h('ul', { class: 'reply-picker', role: 'listbox', 'aria-label': 'Quick replies', hidden: true });
  let items = [];
  let active = 0;
  let token;
  // Each keystroke starts an update; only the newest may draw (an older one finishing late must not undo it).
  let latest = 0;

  const close = () => { latest++; list.hidden = true; items = []; token = undefined; };
  const draw = () => {
    fill(list, items.map((r, i) => h('li', {
      role: 'option', 'aria-selected': i === active ? 'true' : 'false', class: i === active ? 'active' : '',
      onmousedown: (e) => { e.preventDefault(); active = i; choose(); },
    }, h('span', { class: 'reply-shortcut' }, `/${r.Shortcut}`), ' ', h('span', { class: 'reply-title' }, r.Title))));
    list.hidden = !items.length;
  };

  async function update() {
    const before = input.value.slice(0, input.selectionStart);
    const m = TOKEN.exec(before);
    if (!m) return close();
    const mine = ++latest;
    const query = m[2].toLowerCase();
    const at = { start: before.length - m[2].length - 1, end: before.length };
    const replies = await load();
    if (mine !== latest) return;
    // The same query drawn again (a second input event, a late lookup) keeps the reply the arrows had reached.
    const kept = token && token.start === at.start && token.query === query ? items[active]?.Id : undefined;
    token = { ...at, query };
    items = replies.filter((r) => r.Shortcut.toLowerCase().startsWith(query) || r.Title.toLowerCase().includes(query)).slice(0, 8);
    active = Math.max(0, items.findIndex((r) => r.Id === kept));
    draw();
  }

  async function choose() {
    const reply = items[active];
    const at = token;
    close();
    if (!reply || !at) return;
    try {
      const text = await render(reply.Id);
      input.value = input.value.slice(0, at.start) + text + input.value.slice(at.end);
      const caret = at.start + text.length;
      input.setSelectionRange(caret, caret);
      input.focus();
    } catch (err) { onError(err); }
  }

  input.addEventListener('input', () => { update().catch(onError); });
  // Closed a moment after the box loses the focus (a click on a reply lands first), unless it has it again by then: the
  // box is disabled while a reply is sent, and a picker opened after that must not be closed by that old blur.
  input.addEventListener('blur', () => setTimeout(() => { if (document.activeElement !== input) close(); }, 150));
  input.addEventListener('keydown', (e) => {
    if (list.hidden) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      active = (active + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length;
      draw();
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault();
      e.stopImmediatePropagation(); // not a send
      choose();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      close();
    }
  });
  return { element: list, get isOpen() { return !list.hidden; }, close };
}
