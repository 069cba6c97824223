// Small DOM helpers. Text from customers and agents only ever goes in through text nodes (never innerHTML),
// so a message like "<img onerror=...>" is shown as the characters it is.

/** h('button', { class: 'primary', onclick: fn }, 'Send'): an element with attributes, listeners and children. */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) if (child !== null && child !== undefined && child !== false) el.append(child);
  return el;
}

/** Replaces the children of `el`. */
export const fill = (el, ...children) => { el.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false)); };

/** "14:05" for today, "3 Dec 14:05" otherwise; '' for no date. */
export function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return d.toDateString() === new Date().toDateString() ? time : `${d.toLocaleDateString([], { day: 'numeric', month: 'short' })} ${time}`;
}
