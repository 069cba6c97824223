// Who may come in: agents authenticate (Basic, SoTicket, Bearer, cookie + XSRF; SO-AppToken), failed password
// log-ins limited per address and user name; visitors show the key of their session and are rate-limited per
// address, per session for writes, per address for new sessions.
import type { Authenticator, CallerCredentials } from '../auth/authenticator.ts';
import { LoginThrottled } from '../auth/login-throttle.ts';
import type { Actor } from '../domain/rights.ts';
import { unknownKey } from '../domain/visitor/visitor-session.ts';
import type { Endpoint } from './endpoint.ts';
import { ApiError, unauthorized } from './errors.ts';
import type { RateLimiter } from '../lib/rate-limit.ts';

export interface VisitorLimits {
  perAddress: RateLimiter;
  openPerAddress: RateLimiter;
  writesPerSession: RateLimiter;
  /** Log-in calls per address (agents' anonymous calls): counted before the body is read, so floods cost no parsing. */
  loginsPerAddress: RateLimiter;
}

/** Who came in, as the endpoint's audience decides: an agent, someone about to log in, or a visitor. */
export type Admitted =
  | { audience: 'agent'; actor: Actor; credentials: CallerCredentials }
  | { audience: 'login'; credentials: CallerCredentials }
  | { audience: 'visitor'; visitorKey: string; credentials: CallerCredentials };

export interface AdmissionRequest {
  header(name: string): string | undefined;
  cookies: Record<string, string | undefined>;
  address: string;
}

export interface Gatekeepers {
  auth: Authenticator;
  visitorLimits: VisitorLimits;
  /** True when a session with this key exists. */
  sessionKeyExists(key: string): Promise<boolean>;
}

export async function admit(
  endpoint: Pick<Endpoint, 'audience' | 'anonymous' | 'rateLimit' | 'sameOriginOnly'>,
  req: AdmissionRequest,
  gate: Gatekeepers,
  now: number,
): Promise<Admitted> {
  const limits = gate.visitorLimits;
  if (endpoint.sameOriginOnly) refuseCrossSite(req);
  const credentials: CallerCredentials = {
    authorization: req.header('authorization'),
    xsrfHeader: req.header('x-xsrf-token'),
    cookies: req.cookies,
    appToken: req.header('so-apptoken'),
    address: req.address,
  };
  if (endpoint.audience === 'visitor') {
    limit(limits.perAddress, `a:${req.address}`, now);
    if (endpoint.rateLimit === 'open') limit(limits.openPerAddress, `o:${req.address}`, now);
    // Visitors are callers too: a server that requires a registered application requires it of the widget.
    await gate.auth.checkAppToken(credentials.appToken);
    // Compared exactly: a key is a secret, and no variant of it (padded, re-cased) is the same secret.
    const visitorKey = req.header('x-session-key') ?? '';
    if (!endpoint.anonymous) {
      if (!visitorKey) throw unauthorized('X-Session-Key is required: the key OpenSession answered');
      // Checked before any input is read, as agent credentials are.
      if (visitorKey.length > 255 || !(await gate.sessionKeyExists(visitorKey))) throw unknownKey();
    }
    if (endpoint.rateLimit === 'write') limit(limits.writesPerSession, `w:${visitorKey}`, now);
    return { audience: 'visitor', visitorKey, credentials };
  }
  if (endpoint.anonymous) {
    limit(limits.loginsPerAddress, `l:${req.address}`, now);
    await gate.auth.checkAppToken(credentials.appToken);
    return { audience: 'login', credentials };
  }
  try {
    // A copy per call: the authenticator's answer is cached and shared between calls from anywhere.
    return { audience: 'agent', actor: { ...(await gate.auth.authenticate(credentials)), address: req.address }, credentials };
  } catch (err) {
    return rethrowThrottled(err);
  }
}

/** An authenticated agent (push streams); as `admit` for an agent endpoint. */
export async function admitAgent(req: AdmissionRequest, gate: Gatekeepers, now: number): Promise<{ actor: Actor; credentials: CallerCredentials }> {
  const admitted = await admit({ audience: 'agent' }, req, gate, now);
  if (admitted.audience !== 'agent') throw new Error('an agent endpoint admits agents only');
  return admitted;
}

/** A visitor with the key of an existing session (push streams). */
export async function admitVisitor(req: AdmissionRequest, gate: Gatekeepers, now: number): Promise<string> {
  const admitted = await admit({ audience: 'visitor' }, req, gate, now);
  if (admitted.audience !== 'visitor') throw new Error('a visitor endpoint admits visitors only');
  return admitted.visitorKey;
}

function limit(limiter: RateLimiter, key: string, now: number) {
  const r = limiter.take(key, now);
  if (!r.ok) throw tooManyRequests(`Too many requests; try again in ${r.retryAfterSeconds} s`, r.retryAfterSeconds);
}

const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  new ApiError(429, 'SoTooManyRequestsException', message, { 'Retry-After': String(retryAfterSeconds) });

/** A password log-in refused for too many failures answers 429 like the visitor limits; other errors pass. */
export function rethrowThrottled(err: unknown): never {
  if (err instanceof LoginThrottled) throw tooManyRequests(err.message, err.retryAfterSeconds);
  throw err;
}

/**
 * A browser tells where a request comes from: Fetch Metadata (`Sec-Fetch-Site`) where it sends it, else `Origin`,
 * whose host must be the one the request was sent to (the scheme is not compared: behind a TLS proxy Parley may
 * see plain HTTP). A page of another site is refused.
 */
function refuseCrossSite(req: AdmissionRequest) {
  const site = req.header('sec-fetch-site')?.toLowerCase();
  const origin = req.header('origin');
  const crossSite =
    site !== undefined ? site !== 'same-origin' && site !== 'none' : origin !== undefined && originHost(origin) !== req.header('host')?.toLowerCase();
  if (crossSite) throw new ApiError(403, 'SoAccessDeniedException', 'Browser log-ins are accepted from pages of this server only');
}

const originHost = (origin: string) => {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return undefined; // "null" (a sandboxed or file page) is no origin of ours
  }
};
