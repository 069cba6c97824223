// The widget's forms: starting a chat (details the topic requires, consent), the pre-chat form, the FAQ step and
// the offline form. Each answers a <form> element; `onSubmit` gets the values as visitor API properties.
import { h } from '../shared/dom.js';

const FIELDS = [
  { flag: 'Name', name: 'CustomerName', label: 'Your name', type: 'text', autocomplete: 'name' },
  { flag: 'Email', name: 'CustomerEmail', label: 'E-mail', type: 'email', autocomplete: 'email' },
  { flag: 'Company', name: 'CustomerCompanyName', label: 'Company', type: 'text', autocomplete: 'organization' },
  { flag: 'Phone', name: 'CustomerPhone', label: 'Phone', type: 'tel', autocomplete: 'tel' },
];
// CountryId is SuperOffice's country id, the ISO 3166 numeric code.
const COUNTRIES = [['Denmark', 208], ['Finland', 246], ['Germany', 276], ['Netherlands', 528], ['Norway', 578], ['Sweden', 752],
  ['United Kingdom', 826], ['United States', 840]];

/** "Email, Name" (a .NET flags value) → Set of flag names. */
export const flagSet = (flags) => new Set(String(flags ?? '').split(',').map((f) => f.trim()).filter((f) => f && f !== 'None'));

/** A string the server did not translate (an [SR_...] resource) is no text for a customer. */
export const text = (value, fallback = '') => (value && !/^\[SR_[A-Z0-9_]+\]$/.test(value) ? value : fallback);

/** The customer-detail inputs: name and e-mail always, the rest when required; required ones marked. */
function detailFields(required, values = {}) {
  const shown = FIELDS.filter((f) => f.flag === 'Name' || f.flag === 'Email' || required.has(f.flag));
  const inputs = shown.map((f) => h('label', {},
    h('span', {}, f.label, required.has(f.flag) ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : ' (optional)'),
    h('input', { name: f.name, type: f.type, autocomplete: f.autocomplete, required: required.has(f.flag), value: values[f.name] ?? '', maxlength: '255' })));
  if (required.has('Country')) {
    inputs.push(h('label', {}, h('span', {}, 'Country', h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
      h('select', { name: 'CountryId', required: true }, h('option', { value: '' }, 'Choose…'),
        COUNTRIES.map(([name, id]) => h('option', { value: String(id) }, name)))));
  }
  return inputs;
}

function valuesOf(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || el.type === 'checkbox') continue;
    const v = el.value.trim();
    if (el.name === 'CountryId') { if (v) out.CountryId = Number(v); } else if (v) out[el.name] = v;
  }
  return out;
}

function formOf(children, label, onSubmit) {
  const button = h('button', { type: 'submit', class: 'primary' }, label);
  const form = h('form', { class: 'w-form' }, children, button);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    button.disabled = true;
    try { await onSubmit(valuesOf(form), form); } finally { button.disabled = false; }
  });
  return form;
}

const consentBox = (label) => h('label', { class: 'consent' }, h('input', { type: 'checkbox', name: 'consent', required: true }), h('span', {}, label));
const CONSENT = 'I agree that my details and messages are stored so that this chat can be answered.';

/** The first form: details, the question, consent. `onSubmit(values)` with Consented and Message set. */
export function startForm(topic, onSubmit) {
  const required = flagSet(topic.RequiredFields);
  const intro = text(topic.WelcomeMessage) || text(topic.Widget.WelcomeMessage) || 'Ask us anything. We usually answer within a few minutes.';
  return formOf([
    h('p', { class: 'intro' }, intro),
    topic.IsOpen ? null : h('p', { class: 'hint' }, 'Nobody is available to chat right now, but you can leave us a message.'),
    detailFields(required),
    h('label', {}, h('span', {}, 'How can we help?'), h('textarea', { name: 'Message', rows: '3', maxlength: '32000' })),
    topic.CollectConsent ? consentBox(CONSENT) : null,
  ], topic.IsOpen ? 'Start chat' : 'Continue', (values, form) => onSubmit({ ...values, ...(topic.CollectConsent ? { Consented: form.elements.consent.checked } : {}) }));
}

/** The pre-chat form a session may stop at (PreChatForm): the required details. */
export function preChatForm(topic, session, onSubmit) {
  return formOf([
    h('p', { class: 'intro' }, text(topic.Widget.PreFormMessage, 'Please tell us a little about yourself first.')),
    detailFields(flagSet(topic.RequiredFields), { CustomerName: session.CustomerName, CustomerEmail: session.CustomerEmail }),
  ], 'Continue', onSubmit);
}

/** The FAQ step (Faq): the customer may go on to the queue. */
export function faqStep(onLeave) {
  const button = h('button', { type: 'button', class: 'primary', onclick: onLeave }, 'I still want to chat');
  return h('div', { class: 'w-form' }, h('p', { class: 'intro' }, 'Perhaps our help pages answer your question already. If not, an agent will gladly help.'), button);
}

/** The offline form (OfflineForm, or waited long enough in the queue): leave a message that becomes a request. */
export function offlineForm(topic, session, draft, onSubmit) {
  return formOf([
    h('h2', {}, text(topic.Widget.OfflineHeader, 'Leave us a message')),
    h('p', { class: 'intro' }, text(topic.Widget.OfflineMessage, 'We will get back to you as soon as we can.')),
    detailFields(new Set([...flagSet(topic.Widget.OfflineFields), 'Email']), { CustomerName: session.CustomerName, CustomerEmail: session.CustomerEmail }),
    h('label', {}, h('span', {}, 'Your message'), h('textarea', { name: 'Message', rows: '4', required: true, maxlength: '32000' }, draft ?? '')),
    topic.OfflineCollectConsent ? consentBox(CONSENT) : null,
  ], 'Send message', (values, form) => onSubmit({ ...values, ...(topic.OfflineCollectConsent ? { Consented: form.elements.consent.checked } : {}) }));
}
