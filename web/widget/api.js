// The visitor API as the widget uses it: JSON, the session key in the X-Session-Key header (never a cookie),
// SuperOffice's error envelope turned into an ApiError.
export class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

let sessionKey = '';
// A server that requires a registered application (PARLEY_REQUIRE_APP_TOKEN) gets it from the widget's own URL.
const appToken = new URLSearchParams(location.search).get('appToken') ?? '';
export const setSessionKey = (key) => { sessionKey = key ?? ''; };
export const currentKey = () => sessionKey;
/** The headers every visitor call carries: the session key and, where the server requires one, the app token. */
export const visitorHeaders = () => ({ ...(sessionKey ? { 'X-Session-Key': sessionKey } : {}), ...(appToken ? { 'SO-AppToken': appToken } : {}) });

/** POST /api/v1/Visitor/<method>; answers the parsed body (undefined for 204). */
export async function visitor(method, body) {
  const res = await fetch(`/api/v1/Visitor/${method}`, {
    method: 'POST', cache: 'no-store',
    headers: {
      'Content-Type': 'application/json', Accept: 'application/json', ...visitorHeaders(),
    },
    body: JSON.stringify(body ?? {}),
  });
  const text = await res.text();
  let data;
  try { data = text ? JSON.parse(text) : undefined; } catch { data = undefined; }
  if (!res.ok) throw new ApiError(res.status, data?.ErrorMessage ?? `${res.status} ${res.statusText}`);
  return data;
}

/** Live updates for the session; `onState(live)` when the stream goes up or down. Answers a stop function. */
export function openVisitorStream(handlers, onState) {
  const app = appToken ? `&appToken=${encodeURIComponent(appToken)}` : '';
  const source = new EventSource(`/api/v1/Push/Visitor?key=${encodeURIComponent(sessionKey)}&language=${encodeURIComponent(navigator.language)}${app}`);
  source.addEventListener('open', () => onState(true));
  source.addEventListener('error', () => onState(false));
  for (const [name, fn] of Object.entries(handlers)) {
    source.addEventListener(name, (e) => {
      try { fn(JSON.parse(e.data)); } catch { /* a frame that is not JSON carries nothing for us */ }
    });
  }
  return () => source.close();
}
