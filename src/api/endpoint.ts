// What an endpoint declares: its name, inputs, result carrier, who may call it, and one call into the domain.
import { type Static, type TObject, type TOptional, type TProperties, type TSchema, Type } from '@sinclair/typebox';
import type { Authenticator, CallerCredentials } from '../auth/authenticator.ts';
import type { DomainDeps } from '../domain/ports.ts';
import type { Actor } from '../domain/rights.ts';
import type { Wire } from '../carriers/kit.ts';

/**
 * What a cached answer is built from: `caller`, only shared records (CRM, users' names and rights), the caller's
 * memberships and the topics where the caller holds a role; `database`, anything (the database-wide counter).
 */
export type ChangeScope = 'caller' | 'database';

/** What every handler gets, whoever calls. */
interface CallContext {
  deps: DomainDeps;
  auth: Authenticator;
  /** What the caller authenticated with (or sent), for the call that revokes it. */
  credentials: CallerCredentials;
  /**
   * The negotiated zone, culture and language (null: no translation), for the few results that are text with
   * dates or system lines in it (transcripts).
   */
  locale: {
    timeZone: string;
    culture: string | null;
    language: string | null;
    /** Resolves resources in text the system wrote (for results assembled as one string, like transcripts). */
    translate?: (text: string) => string;
  };
  /** The caller's address and protocol ('https' or 'http') as the server sees them, and its User-Agent. */
  client: { address: string; protocol: string; userAgent: string };
  /** An agent's JSON answer of an endpoint declared `itemCache`, while the cache is on. */
  items?: ItemEncoder;
}

/** An authenticated agent's call. */
export interface AgentContext extends CallContext {
  actor: Actor;
}
/** A log-in call: nobody is authenticated yet (the handler checks the credentials it is given). */
export type LoginContext = CallContext;
/** A visitor's call: the session key it sent (X-Session-Key); empty for the call that opens a session. */
export interface VisitorContext extends CallContext {
  visitorKey: string;
}

/**
 * Writes single items of a list answer as the answer would ($select, localized, JSON), keeping each under a key
 * the endpoint gives: the item's identity and every version its presented form depends on. The pipeline adds the
 * negotiated form to the key. Offered only for JSON answers of endpoints declared `itemCache`.
 */
export interface ItemEncoder {
  /** The item's text (UTF-8) kept under `key`, if any. */
  kept(key: string): Buffer | undefined;
  /** The item's text (UTF-8), kept under `key`. */
  encode(key: string, item: unknown): Buffer;
}

/** A list answer whose items are already written (ItemEncoder); the pipeline only puts them in brackets. */
export class EncodedItems {
  constructor(readonly items: readonly Buffer[]) {}
}

/** What the pipeline hands an endpoint, as the admission decided it. */
export type EndpointContext = ({ audience: 'agent' } & AgentContext) | ({ audience: 'login' } & LoginContext) | ({ audience: 'visitor' } & VisitorContext);

export type QuerySchemas = Record<string, TSchema>;
/** The decoded query: each declared parameter (all are required) as its schema's type. */
export type QueryOf<Q> = Q extends QuerySchemas ? { [K in keyof Q]: Static<Q[K]> } : Record<string, never>;
/**
 * The decoded body. A request body (RequestBody) arrives as declared; a carrier sent back for saving may leave out
 * any property, at any depth (left out keeps the stored value).
 */
export type BodyOf<B> = B extends TSchema ? (B extends RequestBodySchema ? Static<B> : Wire<Static<B>>) : undefined;

/** A file sent as a request's body (endpoints declared with `upload`). */
export interface UploadedFile {
  bytes: Buffer;
  /** The type the client claims (never trusted: the bytes are checked). */
  contentType: string;
  fileName: string;
}

export interface EndpointInput<Q = undefined, B = undefined> {
  query: QueryOf<Q>;
  body: BodyOf<B>;
  /** Present for endpoints declared with `upload`. */
  upload?: UploadedFile;
}

/** A result with extra response headers (cookies on log-in). */
export class Reply {
  constructor(
    readonly value: unknown,
    readonly headers: Record<string, string | string[]>,
  ) {}
}

/** What every endpoint declares, whoever may call it. */
interface EndpointDeclaration<Q, B> {
  name: string;
  /** Defaults to /api/v1/Agents/Chat/<name>. */
  path?: string;
  summary: string;
  /** Who may call it, in words, for the reference page. */
  rights: string;
  /** Query parameters, all required; names match case-insensitively. */
  query?: Q;
  body?: B;
  /** The result schema; 'void' answers 204 No Content. */
  response: TSchema | 'void';
  /** Offers $select; defaults to true for results with properties. */
  select?: boolean;
  /**
   * Sets cookies a browser will send back: only a page of Parley's own origin may call it (a cross-site form post
   * would otherwise log the victim's browser in as the attacker). Clients that are not browsers send neither
   * `Origin` nor `Sec-Fetch-Site` and are let through.
   */
  sameOriginOnly?: boolean;
  /** Also answers `Accept: text/csv`: the result, a row or a list of flat rows, one CSV line per row. */
  csv?: boolean;
  /**
   * A polled list: answered from the response cache (and with 304 for If-None-Match) while nothing it is built
   * from changed. The scope says what that is, for this caller (see ChangeScope).
   */
  cached?: ChangeScope | ((actor: Actor) => ChangeScope);
  /** The handler may keep its list's items as written JSON (AgentContext.items). */
  itemCache?: boolean;
  /**
   * Brings inputs that mean the same to one form before the call (and before the response cache keys on them), so
   * a caller varying a meaningless detail gets one cached answer, not one per variant.
   */
  normalize?(body: BodyOf<B>): BodyOf<B>;
  /** The body is a file (any Content-Type, up to PARLEY_ATTACHMENT_MAX_BYTES), handed over as `upload`. */
  upload?: boolean;
  /** A further limit on top of the per-address one: opening sessions (per address) or writing (per session). */
  rateLimit?: 'open' | 'write';
}

/** Called by an authenticated agent (the default). */
export interface AgentEndpointSpec<Q, B> extends EndpointDeclaration<Q, B> {
  audience?: 'agent';
  anonymous?: false;
  handle(ctx: AgentContext, input: EndpointInput<Q, B>): Promise<unknown>;
}
/** A log-in call: authenticates inside the handler. */
export interface LoginEndpointSpec<Q, B> extends EndpointDeclaration<Q, B> {
  audience?: 'agent';
  anonymous: true;
  handle(ctx: LoginContext, input: EndpointInput<Q, B>): Promise<unknown>;
}
/** The visitor API: authenticates with the session key (none for `anonymous`, the call that opens one). */
export interface VisitorEndpointSpec<Q, B> extends EndpointDeclaration<Q, B> {
  audience: 'visitor';
  anonymous?: boolean;
  handle(ctx: VisitorContext, input: EndpointInput<Q, B>): Promise<unknown>;
}

/** An endpoint as the pipeline, the registry and the reference page see it: inputs checked by its own schemas. */
export interface Endpoint extends Omit<EndpointDeclaration<QuerySchemas, TSchema>, 'normalize'> {
  audience?: 'agent' | 'visitor';
  anonymous?: boolean;
  normalize?(body: unknown): unknown;
  handle(ctx: EndpointContext, input: { query: Record<string, unknown>; body: unknown; upload?: UploadedFile }): Promise<unknown>;
}

export const AGENT_BASE = '/api/v1/Agents/Chat/';

/**
 * $select applies to results with properties. 204 and bare-value results accept it and ignore it, as SuperOffice
 * offers it (pointlessly) there too; they do not advertise it.
 */
export const offersSelect = (e: Endpoint): boolean =>
  e.select !== false && e.response !== 'void' && (e.response.type === 'object' || e.response.type === 'array');
export const pathOf = (e: Endpoint) => e.path ?? `${AGENT_BASE}${e.name}`;

/** A request body's schema (as opposed to a carrier sent back): its type is exactly what it declares. */
type RequestBodySchema = { readonly 'x-request': true };

/** A request body object: the `required` properties must be present, the `optional` ones may be. */
export const RequestBody = <R extends TProperties, O extends TProperties = Record<never, never>>(name: string, required: R, optional?: O) =>
  Type.Object(
    { ...required, ...Object.fromEntries(Object.entries(optional ?? {}).map(([k, v]) => [k, Type.Optional(v)])) },
    { $id: `Chat_${name}Request`, additionalProperties: false, 'x-request': true },
  ) as unknown as TObject<Flat<R & { [K in keyof O]: TOptional<O[K]> }>> & RequestBodySchema;
type Flat<T> = { [K in keyof T]: T[K] };

/*
 * Declaring an endpoint types its handler's context by its audience and its input by its own query and body schemas.
 * These are the one place the types are erased for the pipeline: it decodes the input against those same schemas and
 * builds the context the audience names (see pipeline.ts), which is what makes the casts below hold.
 */
type Q0 = QuerySchemas | undefined;
type B0 = TSchema | undefined;

/** An agent method (the default audience). */
export const defineEndpoint = <Q extends Q0 = undefined, B extends B0 = undefined>(e: AgentEndpointSpec<Q, B>): Endpoint => e as unknown as Endpoint;
/** A log-in method: anonymous, authenticates inside its handler. */
export const defineLoginEndpoint = <Q extends Q0 = undefined, B extends B0 = undefined>(e: LoginEndpointSpec<Q, B>): Endpoint => e as unknown as Endpoint;
/** A visitor method. */
export const defineVisitorEndpoint = <Q extends Q0 = undefined, B extends B0 = undefined>(e: VisitorEndpointSpec<Q, B>): Endpoint => e as unknown as Endpoint;
