// Single sign-on for the console: OpenID Connect authorization code flow with PKCE (openid-client, a certified
// relying party). `begin` sends the browser to the provider with a fresh state, nonce and code verifier kept under
// a flow cookie; `finish` checks the answer against them (state, nonce, PKCE, the ID token's signature, issuer,
// audience and expiry), finds the Parley user the configured claim names, and leaves the web session to the caller.
import { createHash, randomBytes } from 'node:crypto';
import * as oidc from 'openid-client';
import type { OidcSettings } from '../config.ts';
import { auditActorOf, recordAudit } from '../domain/audit.ts';
import type { Clock } from '../domain/ports.ts';
import { type Actor, actorOf } from '../domain/rights.ts';
import type { ParleyStore } from '../storage/store.ts';

export const FLOW_COOKIE = 'ParleyOidcFlow';
export const SIGN_ON_PATH = '/auth/oidc/login';
export const CALLBACK_PATH = '/auth/oidc/callback';
/** How long a browser may spend at the provider (typing a password, a second factor) before the log-in lapses. */
const FLOW_MINUTES = 10;

/** A sign-on the provider or Parley refused; the message is for the person at the browser. */
export class SignOnRefused extends Error {}

const digest = (s: string) => createHash('sha256').update(s).digest('hex');

export class SingleSignOn {
  private config?: Promise<oidc.Configuration>;

  constructor(
    private readonly settings: OidcSettings,
    private readonly store: ParleyStore,
    private readonly clock: Clock,
  ) {}

  get displayName() {
    return this.settings.displayName;
  }

  /** The provider's metadata, fetched on first use; a failed fetch is tried again by the next log-in. */
  private provider(): Promise<oidc.Configuration> {
    this.config ??= (async () => {
      const issuer = new URL(this.settings.issuer);
      // Plain http only for a provider on this machine (development, tests); anywhere else it must be https.
      const local = issuer.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname);
      return oidc.discovery(issuer, this.settings.clientId, undefined, oidc.ClientSecretBasic(this.settings.clientSecret), {
        execute: local ? [oidc.allowInsecureRequests] : [],
      });
    })().catch((err) => {
      this.config = undefined;
      throw err;
    });
    return this.config;
  }

  /** Starts a log-in: the provider's URL to send the browser to, and the flow id for the flow cookie. */
  async begin(redirectUri: string): Promise<{ url: string; flowId: string; maxAgeSeconds: number }> {
    const config = await this.provider();
    const flow = { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier() };
    const flowId = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    await this.store.oidcFlows.removeExpired(now);
    await this.store.oidcFlows.insert(digest(flowId), { ...flow, redirectUri, expiresAt: new Date(now.getTime() + FLOW_MINUTES * 60_000) });
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: this.settings.scopes,
      state: flow.state,
      nonce: flow.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(flow.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, flowId, maxAgeSeconds: FLOW_MINUTES * 60 };
  }

  /**
   * Completes a log-in from the provider's redirect (`query`: the callback's query string) and the flow cookie.
   * Throws SignOnRefused when anything does not check out.
   */
  async finish(flowId: string | undefined, query: string, address: string): Promise<Actor> {
    const flow = flowId ? await this.store.oidcFlows.take(digest(flowId), this.clock.now()) : undefined;
    if (!flow) throw new SignOnRefused('This sign-in has expired or was already used; please sign in again');
    const config = await this.provider();
    const params = new URLSearchParams(query);
    const error = params.get('error');
    if (error) throw new SignOnRefused(`The identity provider refused: ${(params.get('error_description') ?? error).slice(0, 200)}`);
    let claims: Record<string, unknown>;
    try {
      const current = new URL(`${flow.redirectUri}?${query}`);
      const tokens = await oidc.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: flow.codeVerifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims();
      if (!idClaims) throw new SignOnRefused('The identity provider sent no ID token');
      claims = { ...idClaims };
      // Many providers keep profile claims for the UserInfo endpoint: asked only when the ID token lacks the claim.
      if (claims[this.settings.userClaim] === undefined) {
        claims = { ...(await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub)), ...claims };
      }
    } catch (err) {
      if (err instanceof SignOnRefused) throw err;
      // openid-client wraps oauth4webapi's error, whose message names what failed (the nonce, the state, the issuer...).
      const cause = (err as Error).cause;
      const detail = cause instanceof Error ? cause.message : (err as Error).message;
      throw new SignOnRefused(`The sign-in could not be verified: ${detail.slice(0, 200)}`);
    }
    return this.userFor(claims, address);
  }

  /** The Parley user for the provider's claims: bound by subject once, found by the configured claim the first time. */
  private async userFor(claims: Record<string, unknown>, address: string): Promise<Actor> {
    const subject = `${this.settings.issuer}|${String(claims.sub)}`;
    const bound = await this.store.associates.byOidcSubject(subject);
    if (bound) {
      if (bound.deleted) throw new SignOnRefused(`${bound.userName} can no longer sign in`);
      return actorOf(bound);
    }
    const claim = this.settings.userClaim;
    const value = claims[claim];
    if (typeof value !== 'string' || !value.trim()) throw new SignOnRefused(`The identity provider sent no '${claim}' to find the Parley user by`);
    // An address anyone can type into a profile is no proof of identity: only a verified one names a user.
    if (claim === 'email' && claims.email_verified !== true) throw new SignOnRefused('The identity provider has not verified this e-mail address');
    const userName = value.trim();
    return this.store.transaction(async (tx) => {
      const existing = await tx.associates.byUserName(userName);
      if (existing) {
        if (existing.deleted) throw new SignOnRefused(`${existing.userName} can no longer sign in`);
        if (!(await tx.associates.bindOidcSubject(existing.id, subject))) {
          throw new SignOnRefused(`${existing.userName} is bound to another identity at the provider`);
        }
        return actorOf(existing);
      }
      if (!this.settings.createUsers) throw new SignOnRefused(`There is no Parley user '${userName.slice(0, 100)}'; ask an administrator to add one`);
      const fullName = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 255) : userName;
      // Never an administrator, and no password: this user signs in through the provider only.
      const id = await tx.associates.insert({ userName: userName.slice(0, 255), fullName, passwordHash: null, isAdmin: false }, this.clock.now());
      await tx.associates.bindOidcSubject(id, subject);
      const created = await tx.associates.byId(id);
      if (!created) throw new Error('the user just added is missing');
      const actor = { ...actorOf(created), address };
      await recordAudit(tx, auditActorOf(actor), this.clock.now(), 'user.added', `user ${created.userName}`, null, {
        id,
        userName: created.userName,
        fullName,
        isAdmin: false,
        by: 'single sign-on',
      });
      return actor;
    });
  }
}
