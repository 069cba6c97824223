// The two cookies of a console web session: the session itself (HttpOnly) and the XSRF token the page reads and
// sends back as X-XSRF-TOKEN. One place, for the password log-in and single sign-on alike.
import { SESSION_COOKIE, XSRF_COOKIE } from './authenticator.ts';

export function webSessionCookies(session: string, xsrfToken: string, expires: Date, protocol: string): string[] {
  // Secure only over HTTPS: a browser would not send a Secure cookie back over plain HTTP (local use, tests).
  const secure = protocol.toLowerCase() === 'https' ? '; Secure' : '';
  const attrs = `Path=/; SameSite=Strict; Expires=${expires.toUTCString()}${secure}`;
  return [`${SESSION_COOKIE}=${session}; HttpOnly; ${attrs}`, `${XSRF_COOKIE}=${xsrfToken}; ${attrs}`];
}
