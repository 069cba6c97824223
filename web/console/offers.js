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

  function add(id, expiresAt, name) {
    offers.set(id, { expiresAt: Date.parse(expiresAt), name });
    draw();
  }

  function remove(id) {
    if (offers.delete(id)) draw();
    refresh();
  }

  /** The load and the open offers as the server has them (coalesced: one call at a time). */
  function refresh() {
    refreshing ??= api.status().then((s) => {
      const auto = s.Topics.filter((t) => t.Mode === 'Auto');
      loadLabel.hidden = auto.length === 0;
      const capacity = Math.max(0, ...auto.map((t) => t.Capacity));
      loadLabel.textContent = `${s.ActiveChats} / ${capacity}`;
      loadLabel.title = `Chats you have (and chats offered to you) / the most you take at once`;
      offers.clear();
      for (const o of s.Offers) offers.set(o.ChatSessionId, { expiresAt: Date.parse(o.ExpiresAt), name: api.nameOf(o.ChatSessionId) });
      draw();
    }, () => {}).finally(() => { refreshing = undefined; });
    return refreshing;
  }

  return { add, remove, refresh, has: (id) => offers.has(id) };
}
