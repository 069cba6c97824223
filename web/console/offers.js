// Routing in the console: chats offered to this agent (a card each, with the seconds left, Accept and Decline) and
// the agent's load against their capacity in the top bar ("2 / 3"). Offers come by push (session.offered, ended by
// session.offer_ended) and from Parley/Routing/Status when the console starts or catches up.
import { fill, h } from '../shared/dom.js';

export function createOffers(container, loadLabel, api) {
  const offers = new Map(); // ChatSessionId → { expiresAt, name }
  let ticker;
  let refreshing;

  function draw() {
    container.hidden = offers.size === 0;
    fill(container, [...offers].map(([id, offer]) => h('div', { class: 'offer', 'data-session-id': id },
      h('div', { class: 'offer-text' }, h('strong', {}, 'Chat offered to you'), h('span', {}, offer.name)),
      h('span', { class: 'countdown', title: 'Seconds left to accept' }, `${Math.max(0, Math.ceil((offer.expiresAt - Date.now()) / 1000))} s`),
      h('button', { type: 'button', class: 'primary', onclick: () => api.accept(id).finally(() => remove(id)) }, 'Accept'),
      h('button', { type: 'button', onclick: () => api.decline(id).finally(() => remove(id)) }, 'Decline'),
    )));
    if (offers.size && !ticker) ticker = setInterval(tick, 1000);
    if (!offers.size) { clearInterval(ticker); ticker = undefined; }
  }

  function tick() {
    for (const [id, offer] of offers) if (offer.expiresAt <= Date.now()) offers.delete(id);
    draw();
  }

  // Pushed changes are newer than a Status answer that was on its way meanwhile: a refresh keeps them.
  let changes = 0;
  const changedAt = new Map(); // ChatSessionId → change number of its last push

  function add(id, expiresAt, name) {
    changedAt.set(id, ++changes);
    offers.set(id, { expiresAt: Date.parse(expiresAt), name });
    draw();
  }

  function remove(id) {
    changedAt.set(id, ++changes);
    if (offers.delete(id)) draw();
    refresh();
  }

  /** The load and the open offers as the server has them: one call at a time, once more if asked meanwhile. */
  let again = false;
  function refresh() {
    if (refreshing) { again = true; return refreshing; }
    const asked = changes;
    refreshing = api.status().then((s) => {
      const auto = s.Topics.filter((t) => t.Mode === 'Auto');
      loadLabel.hidden = auto.length === 0;
      const capacity = Math.max(0, ...auto.map((t) => t.Capacity));
      loadLabel.textContent = `${s.ActiveChats} / ${capacity}`;
      loadLabel.title = 'Chats you have (and chats offered to you) / the most you take at once';
      const fresh = new Map(s.Offers.map((o) => [o.ChatSessionId, { expiresAt: Date.parse(o.ExpiresAt), name: api.nameOf(o.ChatSessionId) }]));
      for (const [id, at] of changedAt) {
        if (at <= asked) { changedAt.delete(id); continue; }
        if (offers.has(id)) fresh.set(id, offers.get(id)); else fresh.delete(id);
      }
      offers.clear();
      for (const [id, offer] of fresh) offers.set(id, offer);
      draw();
    }, () => {}).finally(() => {
      refreshing = undefined;
      if (again) { again = false; refresh(); }
    });
    return refreshing;
  }

  return { add, remove, refresh, has: (id) => offers.has(id) };
}
