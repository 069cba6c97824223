// The quick-reply panel: the agent's own replies and those of the topics they manage, to add, change and remove.
// Texts are read as stored (multi-language values included), so saving never drops a language.
import { h, fill } from '../shared/dom.js';

/** `ops`: list() → replies (raw), save(reply) → reply, remove(id), scopes() → [{TopicId, Name}] (0: my own). */
export function createReplyManager(dialog, ops, onError) {
  const rows = h('ul', { class: 'reply-rows' });
  const form = h('form', { class: 'reply-form' });
  const fields = {
    id: h('input', { type: 'hidden', name: 'id', value: '0' }),
    scope: h('select', { name: 'scope', 'aria-label': 'For' }),
    shortcut: h('input', { name: 'shortcut', required: true, pattern: '[A-Za-z0-9\\-]{1,64}', placeholder: 'shortcut', 'aria-label': 'Shortcut' }),
    title: h('input', { name: 'title', required: true, maxlength: '255', placeholder: 'Title', 'aria-label': 'Title' }),
    text: h('textarea', { name: 'text', required: true, rows: '4', maxlength: '10000', 'aria-label': 'Text',
      placeholder: 'Text; {customer.name}, {customer.email}, {agent.name}, {topic.name} are filled in' }),
  };
  fill(form, fields.id, h('label', {}, 'For ', fields.scope), h('label', {}, '/', fields.shortcut), fields.title, fields.text,
    h('div', { class: 'reply-form-actions' }, h('button', { type: 'submit', class: 'primary' }, 'Save reply'),
      h('button', { type: 'button', onclick: () => edit() }, 'New')));
  fill(dialog, h('div', { class: 'dialog-head' }, h('h2', {}, 'Quick replies'), h('button', { type: 'button', onclick: () => dialog.close() }, 'Close')),
    rows, form);

  let scopes = [];
  function edit(r) {
    fields.id.value = String(r?.Id ?? 0);
    fields.scope.value = String(r?.TopicId ?? 0);
    fields.scope.disabled = !!r;
    fields.shortcut.value = r?.Shortcut ?? '';
    fields.title.value = r?.Title ?? '';
    fields.text.value = r?.Text ?? '';
    fields.shortcut.focus();
  }
  async function reload() {
    const replies = await ops.list();
    const kept = new Set(scopes.map((s) => s.TopicId));
    fill(rows, replies.filter((r) => kept.has(r.TopicId)).map((r) => h('li', { 'data-reply-id': r.Id },
      h('span', { class: 'reply-shortcut' }, `/${r.Shortcut}`), ' ', h('span', { class: 'reply-title' }, r.Title),
      h('span', { class: 'muted' }, ` · ${scopes.find((s) => s.TopicId === r.TopicId)?.Name ?? ''}`),
      h('button', { type: 'button', onclick: () => edit(r) }, 'Edit'),
      h('button', { type: 'button', class: 'danger', onclick: async () => {
        try { await ops.remove(r.Id); await reload(); } catch (err) { onError(err); }
      } }, 'Remove'))));
  }
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await ops.save({ Id: Number(fields.id.value), TopicId: Number(fields.scope.value), Shortcut: fields.shortcut.value.trim(), Title: fields.title.value, Text: fields.text.value });
      edit();
      await reload();
    } catch (err) { onError(err); }
  });

  return {
    async open() {
      scopes = await ops.scopes();
      fill(fields.scope, scopes.map((s) => h('option', { value: String(s.TopicId) }, s.Name)));
      edit();
      await reload();
      dialog.showModal();
    },
  };
}
