// Proves who is calling: Basic user:password, SoTicket, Bearer (JWT from a trusted issuer, or a Parley API
// token), or a web-session cookie backed by X-XSRF-TOKEN. Also revokes them (credential-issuer.ts issues them).
import fs from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { DomainError } from '../domain/errors.ts';
import type { Clock } from '../domain/ports.ts';
import { type Actor, actorOf } from '../domain/rights.ts';
import type { Revocation } from '../storage/revocation-channel.ts';
import type { ParleyStore } from '../storage/store.ts';
import { LoginThrottle, LoginThrottled } from './login-throttle.ts';
import { recordAudit } from '../domain/audit.ts';
import { decoyHash, verifyPassword } from './passwords.ts';
import { CredentialIssuer } from './credential-issuer.ts';
import { digest, sameSecret } from './secrets.ts';
import type { AuthSettings } from './auth-settings.ts';
import { VerifiedCredentialCache } from './verified-cache.ts';

export interface CallerCredentials {
  authorization?: string;
  xsrfHeader?: string;
  cookies: Record<string, string | undefined>;
  appToken?: string;
  /** The client's address, for the limit on failed password log-ins. */
  address?: string;
}

export const SESSION_COOKIE = 'ParleySession';
export const XSRF_COOKIE = 'XSRF-TOKEN';

const MAX_THROTTLE_NOTES = 10_000;

const unauthenticated = (message: string) => new DomainError('unauthenticated', message);

/** Who a credential proved, and what bounds remembering it: its own expiry, and the digest a revocation names. */
interface Proof {
  actor: Actor;
  validUntil?: number;
  secretDigest?: string;
}

export class Authenticator {
  private readonly cache: VerifiedCredentialCache;
  /** Verifications under way, by credential digest: concurrent callers with the same credential share one. */
  private readonly verifying = new Map<string, Promise<Actor>>();
  private readonly throttle: LoginThrottle;
  /** When the trail may next note a throttled attempt, per address and user name. */
  private readonly throttleNoted = new Map<string, number>();
  private readonly jwks?: JWTVerifyGetKey;
  /** Set when an OpenID provider is configured: the console offers it beside the password (http/sign-on-routes.ts). */
  singleSignOn?: { displayName: string };
  /** Issues the credentials this authenticator verifies. */
  readonly issue: CredentialIssuer;

  constructor(
    private readonly store: ParleyStore,
    private readonly settings: AuthSettings,
    private readonly clock: Clock,
  ) {
    this.issue = new CredentialIssuer(store, settings, clock);
    this.cache = new VerifiedCredentialCache(settings.cacheSeconds * 1000);
    this.throttle = new LoginThrottle(settings.loginFailuresPerMinute);
    const jwt = settings.jwt;
    if (jwt?.jwksFile) this.jwks = createLocalJWKSet(JSON.parse(fs.readFileSync(jwt.jwksFile, 'utf8')));
    else if (jwt?.jwksUrl) this.jwks = createRemoteJWKSet(new URL(jwt.jwksUrl));
  }

  async authenticate(c: CallerCredentials): Promise<Actor> {
    await this.checkAppToken(c.appToken);
    if (c.authorization?.trim()) return this.fromAuthorization(c.authorization.trim(), c.address);
    const session = c.cookies[SESSION_COOKIE];
    if (session) return this.fromWebSession(session, c.xsrfHeader, c.cookies[XSRF_COOKIE]);
    throw unauthenticated('Authentication required: send Authorization (Basic, SoTicket or Bearer) or a session cookie with X-XSRF-TOKEN');
  }

  /**
   * Verifies again credentials that were accepted at `since` (a push stream that outlives its log-in). The same as
   * authenticate, except that a Basic user:password is not hashed again: the user must still exist and not have
   * changed the password since then (a password check per stream per minute would cost more than the streams).
   */
  async reverify(c: CallerCredentials, since: Date): Promise<Actor> {
    const header = c.authorization?.trim() ?? '';
    if (!/^basic /i.test(header)) return this.authenticate(c);
    await this.checkAppToken(c.appToken);
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const row = await this.store.associates.byUserNameRow(decoded.slice(0, Math.max(0, decoded.indexOf(':'))));
    const user = row && !row.deleted && new Date(row.credentials_changed).getTime() <= since.getTime() ? await this.store.associates.byId(row.id) : undefined;
    if (!user) throw unauthenticated('The user is gone, or the password changed');
    return actorOf(user);
  }

  private async fromAuthorization(header: string, address: string | undefined): Promise<Actor> {
    const space = header.indexOf(' ');
    const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
    const value = space < 0 ? '' : header.slice(space + 1).trim();
    if (!value) throw unauthenticated(`Authorization '${scheme.slice(0, 20)}' carries no credentials`);
    const key = digest(`${scheme} ${value}`);
    const now = this.clock.now().getTime();
    const cached = this.cache.get(key, now);
    if (cached) {
      // Verified again before it expires, off the request's path; should that fail, the next call verifies anew.
      if (this.cache.dueForRefresh(key, now) && !this.verifying.has(key)) {
        this.verifyOnce(key, scheme, value, address).catch(() => this.cache.delete(key));
      }
      return cached;
    }
    return this.verifyOnce(key, scheme, value, address);
  }

  /**
   * Pollers sharing a credential (one agent's tabs, an integration's workers) all miss the cache together: one of
   * them verifies it, the others wait for that answer instead of hashing the same password again (and spending
   * log-in attempts of the throttle meanwhile).
   */
  private verifyOnce(key: string, scheme: string, value: string, address: string | undefined): Promise<Actor> {
    const under = this.verifying.get(key);
    if (under) return under;
    // A logout or a user change meanwhile drops the entry: this answer, read before it, is then not remembered.
    const pending: Promise<Actor> = this.verify(scheme, value, address)
      .then(({ actor, ...proof }) => {
        if (this.verifying.get(key) === pending) this.cache.set(key, actor, this.clock.now().getTime(), proof);
        return actor;
      })
      .finally(() => {
        if (this.verifying.get(key) === pending) this.verifying.delete(key);
      });
    this.verifying.set(key, pending);
    return pending;
  }

  private async verify(scheme: string, value: string, address: string | undefined): Promise<Proof> {
    switch (scheme) {
      case 'basic':
        return { actor: await this.fromBasic(value, address) };
      case 'soticket':
        return this.fromStored('ticket', value, 'SoTicket');
      case 'bearer':
        return value.split('.').length === 3 ? this.fromJwt(value) : this.fromStored('api-token', value, 'Bearer token');
      default:
        throw unauthenticated(`Authorization scheme '${scheme.slice(0, 20)}' is not supported; use Basic, SoTicket or Bearer`);
    }
  }

  private async fromBasic(value: string, address: string | undefined): Promise<Actor> {
    if (!this.settings.basicEnabled) throw unauthenticated('Basic authentication is turned off on this server');
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw unauthenticated('Basic credentials must be base64 of user:password');
    const actor = await this.login(decoded.slice(0, colon), decoded.slice(colon + 1), address);
    if (!actor) throw unauthenticated('Unknown user name or wrong password');
    return actor;
  }

  /**
   * Checks a user name and password; undefined when they do not match. Throws LoginThrottled, without checking,
   * when the address or the name has used up its failures.
   */
  async login(userName: string, password: string, address?: string): Promise<Actor | undefined> {
    let forgive: () => void;
    try {
      forgive = this.throttle.reserve(address, userName, this.clock.now().getTime());
    } catch (err) {
      if (err instanceof LoginThrottled) await this.auditThrottled(userName, address);
      throw err;
    }
    let actor: Actor | undefined;
    try {
      actor = await this.checkPassword(userName, password);
    } catch (err) {
      forgive(); // the database failed, not the caller
      throw err;
    }
    if (actor) forgive();
    else await this.auditLogin('login.failed', userName, address);
    return actor;
  }

  /**
   * A throttled address keeps knocking, each refusal costing nothing: the trail notes the first refusal of each
   * address and name per minute, so a flood cannot turn into a flood of writes.
   */
  private async auditThrottled(userName: string, address: string | undefined) {
    const now = this.clock.now().getTime();
    const key = `${address ?? ''} ${userName.toLowerCase().slice(0, 256)}`;
    const until = this.throttleNoted.get(key);
    if (until !== undefined && until > now) return;
    if (this.throttleNoted.size >= MAX_THROTTLE_NOTES) {
      for (const [k, u] of this.throttleNoted) if (u <= now) this.throttleNoted.delete(k);
      if (this.throttleNoted.size >= MAX_THROTTLE_NOTES) this.throttleNoted.clear();
    }
    this.throttleNoted.set(key, now + 60_000);
    await this.auditLogin('login.throttled', userName, address);
  }

  private auditLogin(kind: 'login.failed' | 'login.throttled', userName: string, address: string | undefined) {
    // The name tried is what an operator looks for; the password never reaches the trail.
    return recordAudit(this.store, { actorId: null, actorName: userName, address: address ?? '' }, this.clock.now(), kind, `user ${userName}`, null, null);
  }

  private async checkPassword(userName: string, password: string): Promise<Actor | undefined> {
    const row = userName.length <= 255 ? await this.store.associates.byUserNameRow(userName) : undefined;
    if (!row || row.deleted) {
      await verifyPassword(await decoyHash(), password); // same cost as a real check
      return undefined;
    }
    if (!(await verifyPassword(row.password_hash, password))) return undefined;
    // Told only to someone who knows the password: to anyone else it is a wrong password like any other.
    if (row.oidc_subject && this.settings.ssoUsersPasswordLogin === false) {
      throw unauthenticated(`${row.user_name} signs in with single sign-on; password log-in is turned off for single sign-on users`);
    }
    const user = await this.store.associates.byId(row.id);
    return user && actorOf(user);
  }

  private async fromStored(kind: 'ticket' | 'api-token', secret: string, what: string): Promise<Proof> {
    const secretDigest = digest(secret);
    const found = await this.store.credentials.findLive(kind, secretDigest, this.clock.now());
    const user = found?.associateId ? await this.store.associates.byId(found.associateId) : undefined;
    if (!user || user.deleted) throw unauthenticated(`${what} is unknown, expired or revoked`);
    return { actor: actorOf(user), validUntil: found?.expiresAt?.getTime(), secretDigest };
  }

  private async fromJwt(token: string): Promise<Proof> {
    const jwt = this.settings.jwt;
    if (!jwt || !this.jwks) throw unauthenticated('This server accepts no JWT bearer tokens (no issuer configured)');
    let claim: unknown;
    let validUntil: number | undefined;
    try {
      // A token without exp would be valid forever: it is refused, as one for another audience is.
      const { payload } = await jwtVerify(token, this.jwks, { issuer: jwt.issuer, audience: jwt.audience, requiredClaims: ['exp'] });
      claim = payload[jwt.userClaim];
      validUntil = (payload.exp as number) * 1000;
    } catch (e) {
      throw unauthenticated(`Bearer token rejected: ${(e as Error).message.slice(0, 120)}`);
    }
    const ref = typeof claim === 'number' ? String(claim) : typeof claim === 'string' ? claim : '';
    const user = /^\d+$/.test(ref) ? await this.store.associates.byId(Number(ref)) : ref ? await this.store.associates.byUserName(ref) : undefined;
    if (!user || user.deleted) throw unauthenticated(`Bearer token names no known user (claim '${jwt.userClaim}')`);
    return { actor: actorOf(user), validUntil };
  }

  private async fromWebSession(session: string, xsrfHeader: string | undefined, xsrfCookie: string | undefined): Promise<Actor> {
    const found = await this.store.credentials.findLive('web-session', digest(session), this.clock.now());
    if (!found?.xsrfToken) throw unauthenticated('The session has ended; log in again');
    // The header proves the page could read our cookie: it must match the cookie and the session's token.
    if (!xsrfHeader || !xsrfCookie || !sameSecret(xsrfHeader, xsrfCookie) || !sameSecret(xsrfHeader, found.xsrfToken)) {
      throw unauthenticated('X-XSRF-TOKEN is missing or does not match the XSRF-TOKEN cookie');
    }
    const user = found.associateId ? await this.store.associates.byId(found.associateId) : undefined;
    if (!user || user.deleted) throw unauthenticated('The session user no longer exists');
    return actorOf(user);
  }

  /** SO-AppToken: a registered application when given; required when the server says so. */
  async checkAppToken(token: string | undefined): Promise<undefined> {
    if (!token?.trim()) {
      if (this.settings.requireAppToken) throw unauthenticated('SO-AppToken is required on this server');
      return;
    }
    const app = await this.store.credentials.findLive('app-token', digest(token.trim()), this.clock.now());
    if (!app) throw unauthenticated('SO-AppToken is not a registered application token');
  }

  /** Revokes the ticket, API token or web session a call was made with; the cache forgets it at once. */
  async revokeCaller(c: CallerCredentials): Promise<void> {
    const cookie = c.cookies[SESSION_COOKIE];
    const header = c.authorization?.trim() ?? '';
    const space = header.indexOf(' ');
    const scheme = header.slice(0, space).toLowerCase();
    const secret = header.slice(space + 1).trim();
    if (space > 0 && (scheme === 'soticket' || scheme === 'bearer')) {
      // Revoked first, forgotten then: a check starting in between would find it still live and remember it.
      await this.store.credentials.revokeByHash(digest(secret));
      this.cache.delete(digest(`${scheme} ${secret}`));
      this.verifying.delete(digest(`${scheme} ${secret}`));
    } else if (!header && cookie) {
      await this.store.credentials.revokeByHash(digest(cookie));
    }
  }

  forgetUser(associateId: number) {
    this.cache.forgetUser(associateId);
    this.verifying.clear(); // whose they are is known only once they finish: none of them is remembered
  }

  /** A revocation committed by any process sharing the database (see storage/revocation-channel.ts). */
  revoked(r: Revocation) {
    if ('associateId' in r) return this.forgetUser(r.associateId);
    this.cache.forgetSecret(r.secretDigest);
    this.verifying.clear();
  }

  /** Revocations may have gone unheard (the channel was down): nothing remembered is trusted any more. */
  missedSome() {
    this.cache.clear();
    this.verifying.clear();
  }
}
