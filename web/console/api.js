// The agent API as the console uses it: the web session (cookie + X-XSRF-TOKEN, never an Authorization header),
// JSON in and out, SuperOffice's error envelope turned into an ApiError.
const AGENT = '/api/v1/Agents/Chat/';
const AUTH = '/api/v1/Parley/Authentication/';

export class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

const readCookie = (name) => document.cookie.split('; ').find((c) => c.startsWith(`${name}=`))?.slice(name.length + 1);

let xsrf = readCookie('XSRF-TOKEN') ? decodeURIComponent(readCookie('XSRF-TOKEN')) : '';
let onSignedOut = () => {};

/** The token the push stream needs as ?xsrf= (EventSource cannot send headers). */
export const xsrfToken = () => xsrf;
/** Called whenever the server answers 401: the session ended or was never there. */
export const whenSignedOut = (fn) => { onSignedOut = fn; };

async function post(url, body, headers = {}) {
  const res = await fetch(url, {
    method: 'POST', credentials: 'same-origin', cache: 'no-store',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...(xsrf ? { 'X-XSRF-TOKEN': xsrf } : {}), ...headers },
    body: JSON.stringify(body ?? {}),
  });
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (res.status === 401 && !url.endsWith('/Session')) onSignedOut();
  if (!res.ok) throw new ApiError(res.status, data?.ErrorMessage ?? `${res.status} ${res.statusText}`);
  return res.headers.get('content-type')?.startsWith('text/csv') ? text : data;
}

/** POST /api/v1/Agents/Chat/<method> with a JSON body. */
export const agent = (method, body) => post(AGENT + method, body);

/** POST /api/v1/Parley/<area>/<method>: Parley's own methods (quick replies, notes). `raw`: texts as stored. */
export const parley = (area, method, body, { raw = false } = {}) => post(`/api/v1/Parley/${area}/${method}`, body, raw ? { 'SO-Language': 'x' } : {});

/** POST /api/v1/Parley/Reports/<name>, periods local to the browser's zone; `csv`: the CSV text instead of rows. */
export const report = (name, body, { csv = false } = {}) =>
  post(`/api/v1/Parley/Reports/${name}`, body, {
    'SO-TimeZone': Intl.DateTimeFormat().resolvedOptions().timeZone,
    'SO-Language': 'x',
    ...(csv ? { Accept: 'text/csv' } : {}),
  });

export async function login(userName, password) {
  const answer = await post(`${AUTH}Session`, { UserName: userName, Password: password });
  xsrf = answer.XsrfToken;
  return answer;
}

/** How this server lets people sign in (password; single sign-on when an OpenID provider is configured). */
export const signInMethods = () => post(`${AUTH}Methods`);

/** Who the web session belongs to, as the server knows it (never a name the page kept itself). */
export const currentUser = () => post(`${AUTH}CurrentUser`);

export async function logout() {
  try { await post(`${AUTH}Logout`); } finally { xsrf = ''; }
}
