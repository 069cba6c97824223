// Internal notes on the open chat: for colleagues only, never the customer. `@username` tells a colleague.
import { h, fill, when } from '../shared/dom.js';

/** `ops`: list(sessionId) → notes, add(sessionId, text) → note. */
export function createNotes(ops, onError) {
  let sessionId = 0;
  let seen = new Set();
  const list = h('ol', { class: 'notes-list', 'aria-label': 'Internal notes' });
  const input = h('input', { name: 'note', placeholder: 'Add an internal note (only colleagues see it; @name to tell someone)', 'aria-label': 'Internal note', maxlength: '10000' });
  const form = h('form', { class: 'notes-form' }, input, h('button', { type: 'submit' }, 'Add note'));
  const el = h('section', { class: 'notes', 'aria-label': 'Notes' }, list, form);

  const append = (notes) => {
    for (const n of notes) {
      if (n.ChatSessionId !== sessionId || seen.has(n.NoteId)) continue;
      seen.add(n.NoteId);
      list.append(h('li', { class: 'note', 'data-note-id': n.NoteId },
        h('div', { class: 'meta' }, h('span', { class: 'author' }, n.AuthorName), h('span', { class: 'note-label' }, 'Note'), h('time', {}, when(n.WhenPosted))),
        h('div', { class: 'note-text' }, n.Text)));
    }
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text || !sessionId) return;
    try { append([await ops.add(sessionId, text)]); input.value = ''; } catch (err) { onError(err); }
  });

  return {
    element: el,
    async show(id) {
      sessionId = id; seen = new Set(); fill(list);
      try { append(await ops.list(id)); } catch (err) { onError(err); }
    },
    add(note) { append([note]); },
  };
}
