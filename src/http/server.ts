// The only place that knows Fastify: one POST route per registry entry handed to the pipeline, GET on the
// same URL describing the call, discovery, the OpenAPI document and its reference page.
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import type { StaticDocumentSpec } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { describeEndpoint, discovery, openApiDocument, VERSION } from '../api/describe.ts';
import { pathOf } from '../api/endpoint.ts';
import { ApiError } from '../api/errors.ts';
import { negotiateFormat } from '../api/negotiate.ts';
import { type ApiResponse, errorResponse, type PipelineServices, runEndpoint } from '../api/pipeline.ts';
import { endpoints } from '../api/registry.ts';
import { RateLimiter } from '../lib/rate-limit.ts';
import { FragmentCache } from '../api/fragment-cache.ts';
import { ResponseCache } from '../api/response-cache.ts';
import type { PushHub } from '../push/push-hub.ts';
import { registerPushRoutes } from './push-routes.ts';
import { type Authenticator, SESSION_COOKIE } from '../auth/authenticator.ts';
import type { Config } from '../config.ts';
import type { DomainDeps } from '../domain/ports.ts';
import { escapeHtml } from '../lib/html.ts';
import { encode } from '../api/output.ts';
import type { Metrics } from '../metrics.ts';
import { operations } from './operations.ts';
import { OpenCounts } from '../lib/open-counts.ts';
import { isOutageError } from '../storage/outage-watch.ts';
import { pages, securePage } from './pages.ts';
import { registerSignOnRoutes } from './sign-on-routes.ts';
import { registerAttachmentRoutes } from './attachment-routes.ts';
import type { SingleSignOn } from '../auth/single-sign-on.ts';
import type { ParleyStore } from '../storage/store.ts';
import { serializeRequest } from './log-request.ts';
import { DISCARD_MAX_BYTES, DISCARD_MAX_MS, discardRest, lingerBeforeClosing } from './discard-body.ts';

export interface ServerParts {
  config: Config;
  deps: DomainDeps;
  auth: Authenticator;
  /** Present when an OpenID provider is configured (PARLEY_OIDC_ISSUER). */
  signOn?: SingleSignOn;
  store: ParleyStore;
  /** false: no log; a stream: JSON lines written there (tests read them). */
  logger: boolean | { write(line: string): void };
  changeVersion: PipelineServices['changeVersion'];
  hub?: PushHub;
  metrics: Metrics;
  notReadyReason(): Promise<string | undefined>;
  isShuttingDown(): boolean;
  onRefused?(): void;
}

/** A caller's (or proxy's) X-Request-Id is kept when it is a plain token; otherwise each request gets a UUID. */
const REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;

export function buildServer({
  config,
  deps,
  auth,
  signOn,
  store,
  logger,
  changeVersion,
  hub,
  metrics,
  notReadyReason,
  isShuttingDown,
  onRefused,
}: ServerParts): FastifyInstance {
  const app = Fastify({
    logger: logger !== false && {
      level: config.logLevel,
      // Credentials never reach the log.
      redact: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-xsrf-token"]',
        'req.headers["so-apptoken"]',
        'req.headers["x-session-key"]',
        'res.headers["set-cookie"]',
      ],
      serializers: { req: serializeRequest },
      // A database outage is logged once (storage/outage-watch.ts), not again by every job that meets it.
      hooks: {
        logMethod(args, method, level) {
          if (level < 40 || !isOutageError((args[0] as { err?: unknown } | undefined)?.err)) method.apply(this, args);
        },
      },
      ...(logger === true ? {} : { stream: logger }),
    },
    bodyLimit: config.bodyLimitBytes,
    // A request (headers and body) must arrive within this: a body sent a byte at a time cannot hold a connection.
    // Push streams are answers, not requests: they stay open.
    requestTimeout: config.requestTimeoutMs,
    // Node 20 honours the timeout only when the server is created with it (Fastify sets it afterwards), and looks for
    // late requests every 30 s by default: look often enough for the timeout to mean what it says.
    http: { requestTimeout: config.requestTimeoutMs, connectionsCheckingInterval: Math.min(30_000, Math.max(250, config.requestTimeoutMs / 4)) },
    trustProxy: config.trustProxy,
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true },
    // The id is logged as reqId with every line of the request and echoed as X-Request-Id (operations.ts).
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // Shutting down closes idle keep-alive connections once they stayed unused (see app.ts), busy ones after their
    // answer; requests arriving meanwhile get the operations hook's 503 in the error envelope, not Fastify's own.
    forceCloseConnections: 'idle',
    return503OnClosing: false,
  });
  app.register(operations, { metrics, notReadyReason, isShuttingDown, onRefused });
  const services: PipelineServices = {
    deps,
    auth,
    serverTimeZone: config.timeZone,
    changeVersion,
    clock: deps.clock,
    responseCache: new ResponseCache(config.responseCacheSeconds * 1000, config.responseCacheEntries, config.responseCacheBytes, (hit) =>
      metrics.responseCacheLookup(hit),
    ),
    fragmentCache: new FragmentCache(config.itemCacheBytes, (hit) => metrics.itemCacheLookup(hit)),
    sessionKeyExists: async (key) => (await deps.store.sessions.byKey(key)) !== undefined,
    visitorLimits: {
      perAddress: new RateLimiter(config.visitorRequestsPerMinute),
      openPerAddress: new RateLimiter(config.visitorSessionsPerMinute),
      writesPerSession: new RateLimiter(config.visitorWritesPerMinute),
      loginsPerAddress: new RateLimiter(config.loginRequestsPerMinute),
    },
    logError: (err) => app.log.error({ err }, 'unexpected error'),
  };
  if (!config.trustProxy) limitConnectionsPerAddress(app, config.connectionsPerAddress);
  // The same services, logging an unexpected error with the request's id.
  const servicesFor = (req: FastifyRequest): PipelineServices => ({ ...services, logError: (err) => req.log.error({ err }, 'unexpected error') });

  // Bodies reach the pipeline as text: it parses JSON, XML and forms itself, so errors share one envelope.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.register(cookie);

  const send = (reply: FastifyReply, res: ApiResponse) => {
    reply.code(res.status).headers(res.headers);
    return res.body === undefined ? reply.send() : reply.send(res.body);
  };
  const acceptOf = (req: FastifyRequest) => {
    try {
      return negotiateFormat(req.headers.accept);
    } catch {
      return negotiateFormat(undefined);
    }
  };
  const answer = (req: FastifyRequest, reply: FastifyReply, value: unknown) => {
    const out = acceptOf(req);
    return reply.type(out.contentType).send(encode(value, out.format, undefined));
  };

  // The widget runs on customers' websites: the visitor API answers any origin. It uses no cookies (the session
  // key travels in a header), so allowing every origin exposes nothing a page could not ask for itself.
  app.addHook('onRequest', async (req, reply) => {
    if (!req.url.toLowerCase().startsWith('/api/v1/visitor/')) return;
    reply.header('access-control-allow-origin', '*');
    reply.header('access-control-allow-headers', 'Content-Type, Accept, Accept-Language, X-Session-Key');
    reply.header('access-control-allow-methods', 'POST, GET, OPTIONS');
    reply.header('access-control-max-age', '600');
  });
  app.options('/api/v1/Visitor/*', async (_req, reply) => reply.code(204).send());

  const apiRequest = (req: FastifyRequest, body: { rawBody?: string; rawBytes?: Buffer }) => ({
    headers: req.headers,
    query: req.query as Record<string, string>,
    rawBody: body.rawBody,
    rawBytes: body.rawBytes,
    cookies: req.cookies,
    address: req.ip,
    protocol: req.protocol ?? 'http',
  });
  for (const endpoint of endpoints) {
    app.get(pathOf(endpoint), async (req, reply) => answer(req, reply, describeEndpoint(endpoint)));
    if (endpoint.upload) continue;
    // Calls anyone may make before proving who they are get a small body: they cannot make the server parse a megabyte.
    const bodyLimit = endpoint.anonymous ? config.anonymousBodyLimitBytes : config.bodyLimitBytes;
    app.post(pathOf(endpoint), { bodyLimit }, async (req, reply) =>
      send(reply, await runEndpoint(endpoint, apiRequest(req, { rawBody: req.body as string | undefined }), servicesFor(req))),
    );
  }
  // Files: the body is bytes of any type, up to the largest file a chat takes.
  app.register(async (files) => {
    files.removeAllContentTypeParsers();
    files.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    const visitorUpload = endpoints.find((e) => e.upload && e.audience === 'visitor');
    for (const endpoint of endpoints.filter((e) => e.upload)) {
      files.post(pathOf(endpoint), { bodyLimit: config.attachmentMaxBytes }, async (req, reply) => {
        // The agents' upload also takes a visitor's file: with X-Session-Key and no agent credentials it is theirs.
        const byVisitor =
          endpoint.audience !== 'visitor' && visitorUpload && req.headers['x-session-key'] && !req.headers.authorization && !req.cookies[SESSION_COOKIE];
        const target = byVisitor ? visitorUpload : endpoint;
        return send(reply, await runEndpoint(target, apiRequest(req, { rawBytes: req.body as Buffer | undefined }), servicesFor(req)));
      });
    }
  });
  registerAttachmentRoutes(app, { deps, gate: services });

  if (signOn) {
    registerSignOnRoutes(app, { signOn, auth, store, redirectUrl: config.oidc?.redirectUrl, now: () => deps.clock.now() });
  }

  if (hub) {
    registerPushRoutes(app, {
      hub,
      deps,
      gate: services,
      serverTimeZone: config.timeZone,
      maxBufferBytes: config.pushMaxBufferBytes,
      recheckMs: config.pushRecheckSeconds * 1000,
      logError: services.logError,
      maxStreams: { perUser: config.pushStreamsPerUser, perVisitor: config.pushStreamsPerVisitor },
    });
  }

  app.get('/api', async (req, reply) => {
    const info = { v1: `${baseUrl(req)}/api/v1`, ...VERSION };
    // Browsers get a page, as SuperOffice's /api gives; API clients asking for JSON or XML get data.
    if (!/\btext\/html\b/.test(req.headers.accept ?? '')) return answer(req, reply, info);
    // The base URL comes from the Host header: escaped, a forged Host cannot put markup into the page.
    const rows = Object.entries(info)
      .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(String(v))}</td></tr>`)
      .join('');
    return reply
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><title>Parley API</title><h1>Parley API</h1><table>${rows}</table>` +
          `<p><a href="/api/v1/reference">Reference</a> · <a href="/api/v1/openapi.json">OpenAPI</a> · <a href="/api/v1">Endpoints</a></p>`,
      );
  });
  app.get('/api/v1', async (req, reply) => answer(req, reply, discovery(baseUrl(req))));
  app.get('/api/v1/openapi.json', async (_req, reply) => reply.send(openApiDocument()));
  // The document is plain JSON built from the endpoint declarations (and checked by the conformance test); the
  // plugin's OpenAPI typings are stricter than what a JSON builder can state.
  app.register(swagger, { mode: 'static', specification: { document: openApiDocument() as unknown as StaticDocumentSpec['document'] } });
  // The reference page gets the pages' headers: no framing, no script from elsewhere.
  app.register(async (reference) => {
    reference.addHook('onSend', async (_req, reply) => {
      securePage(reply, { inlineStyles: true });
    });
    await reference.register(swaggerUi, { routePrefix: '/api/v1/reference' });
  });
  // The agent console and the visitor widget: static pages on the public APIs.
  app.register(pages);

  app.setNotFoundHandler((req, reply) => {
    const known = endpoints.some((e) => pathOf(e).toLowerCase() === req.url.split('?')[0].toLowerCase().replace(/\/$/, ''));
    const err = known
      ? new ApiError(405, 'SoMethodNotAllowedException', `${req.method} is not allowed here; agent methods are called with POST`, { Allow: 'GET, POST' })
      : new ApiError(404, 'SoNotFoundException', `No endpoint at ${req.url.split('?')[0].slice(0, 200)}`);
    return send(reply, errorResponse(err, acceptOf(req), servicesFor(req)));
  });
  // A body over the limit is answered 413 only once the client stopped sending (bounded: discard-body.ts); answering
  // while it still sends and closing made fetch fail with EPIPE before it read the answer.
  const discardMs = config.requestTimeoutMs > 0 ? Math.min(DISCARD_MAX_MS, config.requestTimeoutMs / 2) : DISCARD_MAX_MS;
  app.setErrorHandler(async (error, req, reply) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status === 413) {
      reply.header('connection', 'close');
      if ((await discardRest(req.raw, DISCARD_MAX_BYTES, discardMs)) === 'cut') lingerBeforeClosing(req.raw);
    }
    const err =
      status === 413
        ? new ApiError(413, 'SoPayloadTooLargeException', `The request body is larger than ${req.routeOptions.bodyLimit ?? config.bodyLimitBytes} bytes`)
        : status === 415
          ? new ApiError(415, 'SoUnsupportedMediaTypeException', (error as Error).message)
          : status < 500
            ? new ApiError(status, 'SoBadRequestException', (error as Error).message)
            : error;
    return send(reply, errorResponse(err, acceptOf(req), servicesFor(req)));
  });
  return app;
}

/**
 * One address may hold so many connections at once; further ones are closed as they arrive. Behind a trusted proxy
 * every connection comes from the proxy, so the proxy must do this (nginx `limit_conn`).
 */
function limitConnectionsPerAddress(app: FastifyInstance, max: number) {
  if (max <= 0) return;
  const open = new OpenCounts(max);
  app.server.on('connection', (socket: Socket) => {
    const release = open.take(socket.remoteAddress ?? '');
    if (!release) socket.destroy();
    else socket.once('close', release);
  });
}

const baseUrl = (req: FastifyRequest) => `${req.protocol}://${req.host}`;
