// What an endpoint declares: its name, inputs, result carrier, who may call it, and one call into the domain.
import { type TProperties, type TSchema, Type } from '@sinclair/typebox';
import type { Authenticator, CallerCredentials } from '../auth/authenticator.ts';
import type { DomainDeps } from '../domain/ports.ts';
import type { Actor } from '../domain/rights.ts';

export interface EndpointContext {
  actor: Actor;
  deps: DomainDeps;
  auth: Authenticator;
  /** What the caller authenticated with, for the call that revokes it. */
  credentials: CallerCredentials;
  /**
   * The negotiated zone, culture and language (null: no translation), for the few results that are text with
   * dates or system lines in it (transcripts).
   */
  locale: {
    timeZone: string; culture: string | null; language: string | null;
    /** Resolves resources in text the system wrote (for results assembled as one string, like transcripts). */
    translate?: (text: string) => string;
  };
  /** Visitor calls: the session key the visitor sent (X-Session-Key); empty for agents. */
  visitorKey: string;
  /** The caller's address and protocol ('https' or 'http') as the server sees them. */
  client: { address: string; protocol: string };
}

export interface EndpointInput<B = any> { query: Record<string, any>; body: B }

/** A result with extra response headers (cookies on log-in). */
export class Reply {
  constructor(readonly value: unknown, readonly headers: Record<string, string | string[]>) {}
}

export interface Endpoint {
  name: string;
  /** Defaults to /api/v1/Agents/Chat/<name>. */
  path?: string;
  summary: string;
  /** Who may call it, in words, for the reference page. */
  rights: string;
  /** Query parameters, all required; names match case-insensitively. */
  query?: Record<string, TSchema>;
  body?: TSchema;
  /** The result schema; 'void' answers 204 No Content. */
  response: TSchema | 'void';
  /** Offers $select; defaults to true for results with properties. */
  select?: boolean;
  /** Log-in calls authenticate inside the handler. */
  anonymous?: boolean;
  /**
   * Sets cookies a browser will send back: only a page of Parley's own origin may call it (a cross-site form post
   * would otherwise log the victim's browser in as the attacker). Clients that are not browsers send neither
   * `Origin` nor `Sec-Fetch-Site` and are let through.
   */
  sameOriginOnly?: boolean;
  /** A polled list: answered from the response cache (and with 304 for If-None-Match) while no data changed. */
  cached?: boolean;
  /**
   * Brings inputs that mean the same to one form before the call (and before the response cache keys on them), so
   * a caller varying a meaningless detail gets one cached answer, not one per variant.
   */
  normalize?(body: any): unknown; // any: the body's type is the endpoint's own schema's
  /** Visitor endpoints authenticate with the session key, not as an agent; rate-limited per address. */
  audience?: 'agent' | 'visitor';
  /** A further limit on top of the per-address one: opening sessions (per address) or writing (per session). */
  rateLimit?: 'open' | 'write';
  handle(ctx: EndpointContext, input: EndpointInput): Promise<unknown>;
}

export const AGENT_BASE = '/api/v1/Agents/Chat/';

/**
 * $select applies to results with properties. 204 and bare-value results accept it and ignore it, as SuperOffice
 * offers it (pointlessly) there too; they do not advertise it.
 */
export const offersSelect = (e: Endpoint): boolean =>
  e.select !== false && e.response !== 'void' && (e.response.type === 'object' || e.response.type === 'array');
export const pathOf = (e: Endpoint) => e.path ?? `${AGENT_BASE}${e.name}`;

/** A request body object: the `required` properties must be present, the `optional` ones may be. */
export const RequestBody = (name: string, required: TProperties, optional: TProperties = {}) =>
  Type.Object({ ...required, ...Object.fromEntries(Object.entries(optional).map(([k, v]) => [k, Type.Optional(v)])) },
    { $id: `Chat_${name}Request`, additionalProperties: false, 'x-request': true });

export const defineEndpoint = (e: Endpoint) => e;
