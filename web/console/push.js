// Live updates from GET /api/v1/Push/Agent (server-sent events). While the stream is down the console polls
// instead; a stream the server closed (e.g. 401) is opened again after a pause, resuming from the last event id.
const EVENTS = ['session.created', 'session.changed', 'message.added', 'session.typing', 'presence.changed', 'note.added', 'topic.membership', 'session.offered', 'session.offer_ended', 'session.assigned', 'routing.changed', 'resync', 'unauthorized'];
const REOPEN_MS = 10_000;

/**
 * Opens the agent stream. `handlers[event](data)` for each event; `onState(live)` when the stream goes up or
 * down (the caller polls while it is down, and reloads when it comes back). Returns a function that stops it.
 */
export function openAgentStream(token, handlers, onState) {
  let source;
  let lastId = '';
  let stopped = false;
  let reopen;
  const connect = () => {
    const resume = lastId ? `&lastEventId=${encodeURIComponent(lastId)}` : '';
    source = new EventSource(`/api/v1/Push/Agent?xsrf=${encodeURIComponent(token())}${resume}`, { withCredentials: true });
    source.addEventListener('open', () => onState(true));
    source.addEventListener('error', () => {
      onState(false);
      // CONNECTING: the browser retries by itself. CLOSED: it gave up (an error answer); try again later.
      if (source.readyState === EventSource.CLOSED && !stopped) reopen = setTimeout(connect, REOPEN_MS);
    });
    for (const name of EVENTS) {
      source.addEventListener(name, (e) => {
        if (e.lastEventId) lastId = e.lastEventId;
        let data = null;
        try { data = JSON.parse(e.data); } catch { return; }
        handlers[name]?.(data);
      });
    }
  };
  connect();
  return () => { stopped = true; clearTimeout(reopen); source?.close(); };
}
