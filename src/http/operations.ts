// Operations endpoints and hooks: /health (the process serves), /ready (the database answers and is migrated, and
// the instance is not shutting down), /metrics (Prometheus text), request counting by route pattern, the request
// id echoed on every answer, and `Connection: close` on answers given while draining. Registered first and without
// encapsulation, so its hooks see every route.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { ApiError } from '../api/errors.ts';
import type { Metrics } from '../metrics.ts';

export interface OperationsOptions {
  metrics: Metrics;
  /** Why the instance should not take traffic now, or undefined when it may. */
  notReadyReason(): Promise<string | undefined>;
  /** Shutdown has begun: not ready, new requests refused, and keep-alive connections close after their answer. */
  isShuttingDown(): boolean;
  /** Told of each request refused because shutdown had begun. */
  onRefused?(): void;
  /** A readiness check slower than this answers 503 (a database that hangs is not ready). */
  readyTimeoutMs?: number;
}

/** The label of requests no route matched (unknown URLs must not each become a series). */
const UNMATCHED = 'unmatched';

/** The operations endpoints answer during shutdown too (a probe must see /ready turn 503). */
const OPERATIONS_URLS = new Set(['/health', '/ready', '/metrics']);

const operationsPlugin: FastifyPluginAsync<OperationsOptions> = async (
  app: FastifyInstance,
  { metrics, notReadyReason, isShuttingDown, onRefused, readyTimeoutMs = 5000 },
) => {
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    // A request arriving on an open keep-alive connection after SIGTERM runs nothing: 503 and the connection closes,
    // so the client (or proxy) may send it again elsewhere, rather than finding its connection reset.
    if (isShuttingDown() && !OPERATIONS_URLS.has(req.routeOptions.url ?? '')) {
      onRefused?.();
      throw new ApiError(503, 'SoServiceUnavailableException', 'This instance is shutting down; nothing was done, send the request again', {
        'Retry-After': '1',
      });
    }
  });
  app.addHook('onSend', async (_req, reply) => {
    if (isShuttingDown()) reply.header('connection', 'close');
  });
  app.addHook('onResponse', async (req, reply) => {
    metrics.observeRequest(req.method, req.routeOptions.url ?? UNMATCHED, reply.statusCode, reply.elapsedTime / 1000);
  });

  app.get('/health', async (_req, reply) => reply.header('cache-control', 'no-store').send({ Status: 'ok' }));

  app.get('/ready', async (req, reply) => {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve('database did not answer in time'), readyTimeoutMs);
    });
    let reason: string | undefined;
    try {
      reason = isShuttingDown() ? 'shutting down' : await Promise.race([notReadyReason(), timedOut]);
    } catch (err) {
      req.log.warn({ err }, 'readiness check failed');
      reason = 'readiness check failed';
    } finally {
      clearTimeout(timer);
    }
    reply.header('cache-control', 'no-store');
    return reason === undefined ? reply.send({ Status: 'ready' }) : reply.code(503).send({ Status: 'unavailable', Reason: reason });
  });

  app.get('/metrics', async (_req, reply) => {
    const text = await metrics.scrape();
    return reply.header('cache-control', 'no-store').type(metrics.contentType).send(text);
  });
};

// Fastify's documented marker (what fastify-plugin sets): the hooks apply to the whole server, not only this plugin.
(operationsPlugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

export const operations = operationsPlugin;
