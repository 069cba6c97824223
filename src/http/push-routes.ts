// The push streams (server-sent events): GET /api/v1/Push/Agent with the agent's usual credentials, and
// GET /api/v1/Push/Visitor with the visitor's session key. EventSource cannot send headers, so the XSRF token,
// the session key, the language and the time zone may also come as query parameters. A reconnecting client sends
// Last-Event-ID (EventSource does) or `lastEventId`, and gets every event it missed, in order, once. An agent
// stream's credential is checked again now and then: once it is no longer valid the stream ends `unauthorized`.
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { admitAgent, admitVisitor, type Gatekeepers } from '../api/admission.ts';
import { param, withQueryCredentials } from './query-credentials.ts';
import { LoginThrottled } from '../auth/login-throttle.ts';
import { ApiError } from '../api/errors.ts';
import { negotiateLanguage, negotiateTimeZone } from '../api/negotiate.ts';
import { errorResponse } from '../api/pipeline.ts';
import { type PushLocale, PushRenderer } from '../api/push-renderer.ts';
import { DomainError } from '../domain/errors.ts';
import type { DomainDeps } from '../domain/ports.ts';
import { rolesOf } from '../domain/views.ts';
import { unknownKey } from '../domain/visitor/visitor-session.ts';
import { OpenCounts } from '../lib/open-counts.ts';
import type { PushConnection, PushHub } from '../push/push-hub.ts';

export interface PushParts {
  hub: PushHub;
  deps: DomainDeps;
  gate: Gatekeepers;
  serverTimeZone: string;
  maxBufferBytes: number;
  /** How often an agent stream's credential, user and roles are checked again. */
  recheckMs: number;
  /** Most streams open at once per agent (all its credentials and tabs together), and per visitor session. */
  maxStreams: { perUser: number; perVisitor: number };
  logError(err: unknown): void;
}

export function registerPushRoutes(app: FastifyInstance, parts: PushParts) {
  const renderer = new PushRenderer(parts.deps);
  parts.hub.prepareWith((events) => renderer.prepare(events));
  const backlog = new Backlog(parts.maxBufferBytes);
  const streams = { agent: new OpenCounts(parts.maxStreams.perUser), visitor: new OpenCounts(parts.maxStreams.perVisitor) };
  /** A place for one more stream of this agent or visitor (given back when it closes); a 429 past the limit. */
  const admitStream = (kind: 'agent' | 'visitor', key: string) => {
    const release = streams[kind].take(key);
    if (!release)
      throw new ApiError(429, 'SoTooManyRequestsException', `At most ${streams[kind].max} push streams may be open at once here; close one first`, {
        'Retry-After': '10',
      });
    return release;
  };

  // EventSource sends no headers of its own: credentials may come as query parameters.
  const request = withQueryCredentials;

  const locale = (req: FastifyRequest): PushLocale => {
    const h = (n: string) => (req.headers[n] as string | undefined) ?? undefined;
    return {
      language: negotiateLanguage(h('so-language') ?? param(req, 'language'), h('accept-language')),
      ...negotiateTimeZone(h('so-timezone') ?? param(req, 'timezone'), parts.serverTimeZone),
    };
  };

  /** The API's JSON error envelope for a stream refused before it began (EventSource shows no body, curl does). */
  const envelope = (err: unknown) => errorResponse(err, { format: 'json', contentType: 'application/json; charset=utf-8' }, { logError: parts.logError });

  const lastEventId = (req: FastifyRequest): number | undefined => {
    const raw = (req.headers['last-event-id'] as string | undefined) ?? param(req, 'lastEventId');
    if (raw === undefined || raw === '') return undefined;
    if (!/^\d{1,15}$/.test(raw)) throw new ApiError(400, 'SoBadRequestException', 'Last-Event-ID must be an event id');
    return Number(raw);
  };

  /**
   * Turns the reply into an event stream and hands the connection to the hub; `opened` gets a way to end it when its
   * credential no longer holds.
   */
  const stream = async (
    req: FastifyRequest,
    reply: FastifyReply,
    kind: 'agent' | 'visitor',
    viewer: Pick<PushConnection, 'concerns' | 'render'>,
    onClose: () => void,
    after: number | undefined,
    opened: (endUnauthorized: (err: Error) => void) => void = () => {},
  ) => {
    reply.hijack();
    const raw = reply.raw;
    const cors = kind === 'visitor' ? { 'access-control-allow-origin': '*' } : {};
    const conn: PushConnection = {
      kind,
      cursor: 0,
      concerns: viewer.concerns,
      render: viewer.render,
      open: (startId) => {
        raw.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
          ...cors,
        });
        // An id without data sets the client's Last-Event-ID and dispatches nothing (the EventSource rules).
        raw.write(`retry: 2000\nid: ${startId}\n: connected\n\n`);
      },
      write: (text) => {
        if (raw.destroyed || raw.writableEnded) return true;
        raw.write(text);
        backlog.watch(raw);
        return !backlog.over(raw);
      },
      end: () => raw.end(),
    };
    req.raw.on('close', () => {
      parts.hub.detach(conn);
      onClose();
    });
    // The client may have hung up while it was being admitted: that 'close' has come and gone already.
    if (raw.destroyed || req.raw.socket?.destroyed) {
      parts.hub.detach(conn);
      onClose();
      return;
    }
    /** Ends a stream not begun with the usual error envelope; false when it has begun (or is gone). */
    const refuse = (err: unknown) => {
      if (raw.destroyed || raw.writableEnded || raw.headersSent) return false;
      const res = envelope(err);
      raw.writeHead(res.status, { ...res.headers, ...cors }).end(res.body);
      return true;
    };
    opened((err) => {
      parts.hub.detach(conn);
      if (refuse(err) || raw.destroyed || raw.writableEnded) return;
      // A last frame without an id, so the client's Last-Event-ID stays the last event it got.
      raw.end(`event: unauthorized\ndata: ${JSON.stringify({ Reason: err.message })}\n\n`);
    });
    try {
      await parts.hub.attach(conn, after);
    } catch (err) {
      onClose();
      // Not begun: the envelope (a 503 while the database is unreachable). Begun: ended; the client resumes from the
      // last id it got.
      if (!refuse(err) && !raw.destroyed && !raw.writableEnded) raw.end();
    }
  };

  const fail = (_req: FastifyRequest, reply: FastifyReply, err: unknown) => {
    const res = envelope(err);
    return reply.code(res.status).headers(res.headers).send(res.body);
  };

  app.get('/api/v1/Push/Agent', async (req, reply) => {
    try {
      const { actor, credentials } = await admitAgent(request(req), parts.gate, parts.deps.clock.now().getTime());
      const viewer = { actor: actor, roles: await rolesOf(parts.deps, actor), locale: locale(req) };
      const after = lastEventId(req);
      const release = admitStream('agent', String(actor.id));
      let endUnauthorized: ((err: Error) => void) | undefined;
      // A stream outlives its log-in: now and then the credential is verified again as a call would be (a logout,
      // an expiry, a revoked token or a removed user ends the stream), and the user and its roles are reloaded.
      const since = parts.deps.clock.now();
      const recheck = async () => {
        try {
          viewer.actor = await parts.gate.auth.reverify(credentials, since);
        } catch (err) {
          if (err instanceof DomainError && err.code === 'unauthenticated') endUnauthorized?.(err);
          else if (!(err instanceof LoginThrottled)) parts.logError(err); // not the stream's fault: keep it, try later
          return;
        }
        viewer.roles = await rolesOf(parts.deps, viewer.actor);
      };
      const timer = setInterval(() => void recheck().catch(parts.logError), parts.recheckMs);
      timer.unref();
      await stream(
        req,
        reply,
        'agent',
        { concerns: (e) => renderer.concernsAgent(e, viewer), render: (e) => renderer.forAgent(e, viewer) },
        () => {
          clearInterval(timer);
          release();
        },
        after,
        (end) => {
          endUnauthorized = end;
        },
      );
    } catch (err) {
      if (!reply.sent) return fail(req, reply, err);
      parts.logError(err);
    }
  });

  app.get('/api/v1/Push/Visitor', async (req, reply) => {
    try {
      const r = request(req);
      const visitorKey = await admitVisitor(r, parts.gate, parts.deps.clock.now().getTime());
      const session = await parts.deps.store.sessions.byKey(visitorKey);
      if (!session) throw unknownKey();
      const viewer = { sessionId: session.id, topicId: session.topicId, locale: locale(req) };
      const after = lastEventId(req);
      const release = admitStream('visitor', String(session.id));
      await stream(
        req,
        reply,
        'visitor',
        { concerns: (e) => renderer.concernsVisitor(e, viewer), render: (e) => renderer.forVisitor(e, viewer) },
        release,
        after,
      );
    } catch (err) {
      if (!reply.sent) return fail(req, reply, err);
      parts.logError(err);
    }
  });
}

/**
 * Which streams have more unsent than the limit. A response corks its socket until the next tick, so right after a
 * write the frame always counts as unsent (a frame larger than the limit, or a burst of frames such as a replay,
 * would look like a client that stopped reading). Streams written to are therefore judged once the tick's writes
 * went out, and a stream found over the limit is cut at its next frame.
 */
class Backlog {
  private readonly written = new Set<ServerResponse>();
  private readonly behind = new WeakSet<ServerResponse>();
  private queued = false;

  constructor(private readonly maxBytes: number) {}

  watch(raw: ServerResponse) {
    this.written.add(raw);
    if (this.queued) return;
    this.queued = true;
    setImmediate(() => {
      this.queued = false;
      for (const r of this.written) {
        if (r.writableLength > this.maxBytes) this.behind.add(r);
        else this.behind.delete(r);
      }
      this.written.clear();
    });
  }

  over(raw: ServerResponse) {
    return this.behind.has(raw);
  }
}
