// The one convention pipeline every endpoint runs through, in this order:
// negotiate Accept → authenticate → read language, culture and time zone → parse $select, query and body →
// handle → $select → localize dates and strings → encode JSON or XML. Errors leave the same way.
import type { TSchema } from '@sinclair/typebox';
import type { Authenticator } from '../auth/authenticator.ts';
import { type Admitted, admit, type VisitorLimits } from './admission.ts';
import type { DomainDeps } from '../domain/ports.ts';
import { parseBody } from './body.ts';
import { decode } from './decode.ts';
import { type ChangeScope, EncodedItems, type Endpoint, type ItemEncoder, offersSelect, Reply, type UploadedFile } from './endpoint.ts';
import { badRequest, toErrorResponse } from './errors.ts';
import { type Negotiated, negotiateCulture, negotiateLanguage, negotiateOutput, negotiateTimeZone, type OutputFormat } from './negotiate.ts';
import { encodeCsv } from './csv.ts';
import { translate } from './i18n.ts';
import { encode, localize } from './output.ts';
import type { FragmentCache } from './fragment-cache.ts';
import type { ResponseCache } from './response-cache.ts';
import { applySelect, parseSelect, type SelectTree } from './select.ts';

export interface ApiRequest {
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, string | string[] | undefined>;
  rawBody: string | undefined;
  /** The body as bytes, for the endpoints that take a file (`upload`). */
  rawBytes?: Buffer;
  cookies: Record<string, string | undefined>;
  /** The client's address (behind a trusted proxy, the forwarded one). */
  address: string;
  /** 'https' or 'http' as the client used it (behind a trusted proxy, X-Forwarded-Proto). */
  protocol: string;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body?: string | Buffer;
}

export interface PipelineServices {
  deps: DomainDeps;
  auth: Authenticator;
  serverTimeZone: string;
  responseCache: ResponseCache;
  /** List items kept as written JSON, for endpoints declared `itemCache`. */
  fragmentCache?: FragmentCache;
  /** The version of what answers of this scope are built from, for this caller (see ResponseCache). */
  changeVersion(scope: ChangeScope, associateId: number): Promise<string>;
  clock: { now(): Date };
  visitorLimits: VisitorLimits;
  sessionKeyExists(key: string): Promise<boolean>;
  logError(err: unknown): void;
}

const header = (req: ApiRequest, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
};

const JSON_ERROR = { format: 'json' as const, contentType: 'application/json; charset=utf-8' };

export async function runEndpoint(endpoint: Endpoint, req: ApiRequest, services: PipelineServices): Promise<ApiResponse> {
  let out: { format: OutputFormat; contentType: string } = JSON_ERROR;
  try {
    out = negotiateOutput(header(req, 'accept'), !!endpoint.csv);
    const admitted = await admit(
      endpoint,
      {
        header: (name) => header(req, name),
        cookies: req.cookies,
        address: req.address,
      },
      services,
      services.clock.now().getTime(),
    );
    const negotiated = negotiate(req, out, services.serverTimeZone);
    const responseSchema = endpoint.response === 'void' ? undefined : endpoint.response;
    const selectText = queryValue(req.query, '$select');
    const select = offersSelect(endpoint) ? parseSelect(selectText, responseSchema) : undefined;
    const query = decodeQuery(endpoint, req, negotiated.timeZone);
    const decoded = endpoint.body && !endpoint.upload ? decodeBody(endpoint.body, req, negotiated.timeZone) : undefined;
    const upload = endpoint.upload ? uploadOf(req) : undefined;
    const body = decoded && endpoint.normalize ? endpoint.normalize(decoded) : decoded;

    // Polled lists: read the version before building, so a write racing with us only makes this answer stale.
    const cache = endpoint.cached && services.responseCache.enabled ? services.responseCache : undefined;
    let cacheKey = '';
    let version = '';
    const notModified = (etag: string) =>
      header(req, 'if-none-match')
        ?.split(',')
        .some((t) => t.trim() === etag) ?? false;
    if (cache) {
      // The decoded body (not its spelling) belongs to the key: GetChatMessages answers per session and id.
      cacheKey = [
        endpoint.name,
        admitted.audience === 'agent' ? admitted.actor.id : '',
        negotiated.contentType,
        negotiated.language,
        negotiated.culture,
        negotiated.timeZone,
        negotiated.offsetStyle,
        selectText ?? '',
        JSON.stringify(body ?? null),
      ].join('|');
      version = await changeVersionOf(endpoint, admitted, services);
      const hit = cache.get(cacheKey, version, services.clock.now().getTime());
      if (hit && notModified(hit.etag)) return { status: 304, headers: { etag: hit.etag } };
      if (hit)
        return { status: 200, headers: { 'content-type': hit.contentType, 'content-language': negotiated.language ?? 'x', etag: hit.etag }, body: hit.body };
    }

    const language = negotiated.language;
    const items =
      endpoint.itemCache && admitted.audience === 'agent' && negotiated.format === 'json' && services.fragmentCache?.enabled
        ? itemEncoder(services.fragmentCache, endpoint.name, negotiated, selectText ?? '', select)
        : undefined;
    let result = await endpoint.handle(
      {
        ...admitted,
        items,
        deps: services.deps,
        auth: services.auth,
        client: { address: req.address, protocol: req.protocol, userAgent: header(req, 'user-agent') ?? '' },
        locale: {
          timeZone: negotiated.timeZone,
          culture: negotiated.culture,
          language,
          translate: language ? (text: string) => translate(text, language) : undefined,
        },
      },
      { query, body, upload },
    );
    let extraHeaders: Record<string, string | string[]> = {};
    if (result instanceof Reply) {
      extraHeaders = result.headers;
      result = result.value;
    }
    if (endpoint.response === 'void') return { status: 204, headers: extraHeaders };
    let text: string | Buffer;
    if (result instanceof EncodedItems) {
      // Each item went through $select, localize and JSON already (ItemEncoder): the same text as the list's.
      text = jsonArray(result.items);
    } else {
      const selected = select && result !== null ? applySelect(result, select) : result;
      const localized = localize(selected, negotiated);
      if (negotiated.format === 'csv') {
        extraHeaders = { ...extraHeaders, 'content-disposition': `attachment; filename="${endpoint.name}.csv"` };
      }
      text =
        negotiated.format === 'csv'
          ? encodeCsv(localized, responseSchema, select && new Set(select.keys()))
          : encode(localized, negotiated.format, responseSchema);
    }
    if (cache) {
      const fresh = cache.set(cacheKey, version, text, negotiated.contentType, services.clock.now().getTime());
      if (notModified(fresh.etag)) return { status: 304, headers: { etag: fresh.etag } };
      text = fresh.body;
      extraHeaders = { ...extraHeaders, etag: fresh.etag };
    }
    return {
      status: 200,
      headers: { 'content-type': negotiated.contentType, 'content-language': negotiated.language ?? 'x', ...extraHeaders },
      body: text,
    };
  } catch (err) {
    // A CSV download's error is the usual JSON envelope: there is no CSV form of it.
    return errorResponse(err, out.format === 'csv' ? JSON_ERROR : { format: out.format, contentType: out.contentType }, services);
  }
}

/** Single items written as the whole JSON answer would write them, kept per negotiated form (FragmentCache). */
function itemEncoder(cache: FragmentCache, endpointName: string, n: Negotiated, selectText: string, select: SelectTree | undefined): ItemEncoder {
  const form = `${endpointName}|${n.language}|${n.timeZone}|${n.offsetStyle}|${selectText}|`;
  return {
    kept: (key) => cache.get(form + key),
    encode(key, item) {
      const text = Buffer.from(JSON.stringify(localize(select ? applySelect(item, select) : item, n) ?? null));
      cache.set(form + key, text);
      return text;
    },
  };
}

const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');

/** `[a,b,…]` from items already written as JSON: what JSON.stringify writes for the list of them. */
function jsonArray(items: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [OPEN];
  for (const [i, item] of items.entries()) {
    if (i > 0) parts.push(COMMA);
    parts.push(item);
  }
  parts.push(CLOSE);
  return Buffer.concat(parts);
}

/** Only an agent's answers are scoped to what that agent sees; anyone else's to the whole database. */
function changeVersionOf(endpoint: Endpoint, admitted: Admitted, services: PipelineServices) {
  if (admitted.audience !== 'agent') return services.changeVersion('database', 0);
  const scope = typeof endpoint.cached === 'function' ? endpoint.cached(admitted.actor) : (endpoint.cached ?? 'database');
  return services.changeVersion(scope, admitted.actor.id);
}

export function errorResponse(err: unknown, out: { format: 'json' | 'xml'; contentType: string }, services: Pick<PipelineServices, 'logError'>): ApiResponse {
  const { status, headers, envelope, unexpected } = toErrorResponse(err);
  if (unexpected) services.logError(err);
  return {
    status,
    headers: { 'content-type': out.contentType, ...headers },
    body: encode(envelope, out.format, ERROR_SCHEMA),
  };
}

const ERROR_SCHEMA = { $id: 'Error', type: 'object', properties: {} } as unknown as TSchema;

function negotiate(req: ApiRequest, out: { format: OutputFormat; contentType: string }, serverZone: string): Negotiated {
  const language = negotiateLanguage(header(req, 'so-language'), header(req, 'accept-language'));
  return {
    ...out,
    language,
    culture: negotiateCulture(header(req, 'so-culture'), language),
    ...negotiateTimeZone(header(req, 'so-timezone'), serverZone),
  };
}

/** A query parameter by name in any case; a repeated one counts with its last value. */
export function queryValue(query: ApiRequest['query'], name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(query)) {
    if (k.toLowerCase() === lower) return Array.isArray(v) ? v[v.length - 1] : v;
  }
  return undefined;
}

function decodeQuery(endpoint: Endpoint, req: ApiRequest, timeZone: string) {
  const query: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(endpoint.query ?? {})) {
    const raw = queryValue(req.query, name);
    if (raw === undefined || raw === '') throw badRequest(`Query parameter '${name}' is required`);
    query[name] = decode(schema, raw, { timeZone }, name);
  }
  return query;
}

/** A file sent as the body: its bytes, the type the client claims, and its name (X-File-Name, percent-encoded if not ASCII). */
function uploadOf(req: ApiRequest): UploadedFile {
  const raw = header(req, 'x-file-name') ?? '';
  let fileName = raw;
  try {
    fileName = decodeURIComponent(raw);
  } catch {
    // not percent-encoded after all: the name as sent
  }
  return { bytes: req.rawBytes ?? Buffer.alloc(0), contentType: header(req, 'content-type') ?? '', fileName };
}

function decodeBody(schema: TSchema, req: ApiRequest, timeZone: string) {
  const parsed = parseBody(req.rawBody, header(req, 'content-type'));
  const value = parsed === undefined ? {} : parsed;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest('The request body must be an object');
  const decoded = decode(schema, value, { timeZone }) as Record<string, unknown>;
  if (schema['x-request']) {
    const missing = ((schema.required ?? []) as string[]).filter((k) => decoded[k] === undefined);
    if (missing.length) throw badRequest(`Body: ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} required`);
  }
  return decoded;
}
