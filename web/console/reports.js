// The reports page: a range, topics and agents to pick; headline tiles, charts over time, per agent and of ratings,
// the weekday × hour heat map; each section downloadable as CSV. Figures come from Parley/Reports/*, which keeps
// each caller to what they may see (an agent: their own chats).
import { agent, ApiError, currentUser, report } from './api.js';

const $ = (id) => document.getElementById(id);
const charts = new Map();
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
let lastBody = null;

function notify(message) {
  $('notice').textContent = message;
  $('notice').hidden = false;
  setTimeout(() => { $('notice').hidden = true; }, 6000);
}

const isoDate = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
const dayAfter = (text) => { const d = new Date(`${text}T12:00:00`); d.setDate(d.getDate() + 1); return isoDate(d); };
const selected = (id) => [...$(id).selectedOptions].map((o) => Number(o.value));
const seconds = (s) => (s === null ? '–' : s < 90 ? `${Math.round(s)} s` : `${(s / 60).toFixed(1)} min`);

/** The request body from the form: To is inclusive on the page, exclusive in the API. */
function body() {
  return { From: $('from').value, To: dayAfter($('to').value), TopicIds: selected('topics'), AgentIds: selected('agents') };
}

function chart(id, config) {
  charts.get(id)?.destroy();
  charts.set(id, new window.Chart($(id), { ...config, options: { animation: false, responsive: true, ...config.options } }));
}

function tiles(s) {
  const items = [
    ['Requested', s.Requested], ['Answered', s.Answered], ['Missed', s.Missed], ['Offline requests', s.OfflineRequests],
    ['Transfers', s.Transfers], ['Bot only', s.BotOnly], ['Median wait', seconds(s.WaitMedian)],
    ['Median first response', seconds(s.FirstResponseMedian)], ['Median handling', seconds(s.HandlingMedian)],
    ['Average rating', s.RatingAverage ?? '–'],
  ];
  $('tiles').replaceChildren(...items.map(([label, value]) => {
    const tile = document.createElement('div');
    tile.className = 'tile';
    tile.dataset.measure = label;
    const b = document.createElement('b');
    b.textContent = String(value);
    const span = document.createElement('span');
    span.textContent = label;
    tile.append(b, span);
    return tile;
  }));
}

function table(id, head, rows) {
  const tr = (cells, tag) => {
    const row = document.createElement('tr');
    for (const c of cells) { const cell = document.createElement(tag); cell.textContent = String(c ?? '–'); row.append(cell); }
    return row;
  };
  $(id).replaceChildren(tr(head, 'th'), ...rows.map((r) => tr(r, 'td')));
}

function heatMap(cells) {
  const max = Math.max(1, ...cells.map((c) => c.Requested));
  const head = document.createElement('tr');
  head.append(document.createElement('th'), ...Array.from({ length: 24 }, (_, h) => { const th = document.createElement('th'); th.textContent = String(h); return th; }));
  const rows = DAYS.map((day, i) => {
    const row = document.createElement('tr');
    const th = document.createElement('th');
    th.textContent = day;
    row.append(th);
    for (const c of cells.filter((x) => x.Weekday === i + 1)) {
      const td = document.createElement('td');
      td.className = `h${Math.ceil((c.Requested / max) * 5)}`;
      td.title = `${day} ${c.Hour}:00 · ${c.Requested}`;
      td.textContent = c.Requested ? String(c.Requested) : '';
      row.append(td);
    }
    return row;
  });
  $('heat-map').replaceChildren(head, ...rows);
}

const label = (period, grouping) => (grouping === 'Hour' ? period.slice(0, 16).replace('T', ' ') : period.slice(0, 10));

async function show() {
  const b = body();
  const grouping = $('grouping').value;
  const [summary, periods, agents, topics, hours] = await Promise.all([
    report('Summary', b),
    report('Periods', { ...b, Grouping: grouping }),
    report('Agents', b),
    report('Topics', b),
    report('BusiestHours', b),
  ]);
  lastBody = b;
  tiles(summary);
  const labels = periods.map((p) => label(p.Period, grouping));
  chart('volume-chart', {
    type: 'line',
    data: { labels, datasets: [['Requested', 'Requested'], ['Answered', 'Answered'], ['Missed', 'Missed']].map(([l, k]) => ({ label: l, data: periods.map((p) => p[k]) })) },
  });
  chart('times-chart', {
    type: 'line',
    data: { labels, datasets: [['Median wait (s)', 'WaitMedian'], ['Median first response (s)', 'FirstResponseMedian']].map(([l, k]) => ({ label: l, data: periods.map((p) => p[k]) })) },
  });
  const people = agents.filter((a) => a.AgentId !== 0);
  const bars = [['Answered', 'Answered'], ['Ratings', 'Ratings']];
  // Missed routing offers only where routing made offers: Manual topics would show two empty bars per agent.
  if (people.some((a) => a.OffersDeclined || a.OffersTimedOut)) bars.push(['Offers declined', 'OffersDeclined'], ['Offers timed out', 'OffersTimedOut']);
  chart('agents-chart', {
    type: 'bar',
    data: { labels: people.map((a) => a.AgentName), datasets: bars.map(([l, k]) => ({ label: l, data: people.map((a) => a[k]) })) },
  });
  table('agents-table', ['Agent', 'Chats', 'Answered', 'Median wait', 'Median first response', 'Median handling', 'Transfers', 'Rating', 'Offers declined', 'Offers timed out'],
    agents.map((a) => [a.AgentId ? a.AgentName : '(nobody answered)', a.Requested, a.Answered, seconds(a.WaitMedian), seconds(a.FirstResponseMedian), seconds(a.HandlingMedian), a.Transfers, a.RatingAverage, a.OffersDeclined, a.OffersTimedOut]));
  table('topics-table', ['Topic', 'Chats', 'Answered', 'Missed', 'Median wait', 'Rating'],
    topics.map((t) => [t.TopicName, t.Requested, t.Answered, t.Missed, seconds(t.WaitMedian), t.RatingAverage]));
  heatMap(hours);
  chart('ratings-chart', {
    type: 'bar',
    data: { labels: ['1', '2', '3', '4', '5'], datasets: [{ label: 'Ratings', data: [summary.Rating1, summary.Rating2, summary.Rating3, summary.Rating4, summary.Rating5] }] },
  });
  // Agents to pick from: those the caller may see figures of in this range.
  const picked = new Set(selected('agents'));
  if (!picked.size) {
    $('agents').replaceChildren(...people.map((a) => new Option(a.AgentName, String(a.AgentId))));
  }
  document.body.dataset.loaded = String(Date.now());
}

async function downloadCsv(name) {
  const b = lastBody ?? body();
  const text = await report(name, name === 'Periods' ? { ...b, Grouping: $('grouping').value } : b, { csv: true });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  a.download = `parley-${name.toLowerCase()}-${b.From}.csv`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

async function start() {
  let me;
  try {
    me = await currentUser();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) { $('signed-out').hidden = false; return; }
    throw err;
  }
  $('me').textContent = me.FullName || me.UserName;
  const topics = await agent('ChatTopicsForUser');
  const managed = topics.filter((t) => /U/.test(t.TableRight?.Mask ?? ''));
  $('scope').textContent = me.IsAdministrator ? 'All chats' : managed.length ? 'Chats of the topics you manage, and your own' : 'Your own chats';
  $('topics').replaceChildren(...topics.map((t) => new Option(t.Name, String(t.ChatTopicId))));
  const today = new Date();
  $('to').value = isoDate(today);
  $('from').value = isoDate(new Date(today.getFullYear(), today.getMonth(), today.getDate() - 29));
  $('report-view').hidden = false;
  $('filters').addEventListener('submit', (e) => { e.preventDefault(); show().catch((err) => notify(err.message)); });
  for (const button of document.querySelectorAll('[data-csv]')) {
    button.addEventListener('click', () => downloadCsv(button.dataset.csv).catch((err) => notify(err.message)));
  }
  await show();
}

start().catch((err) => notify(err.message));
