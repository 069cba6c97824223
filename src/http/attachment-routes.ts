// GET /api/v1/Parley/Attachments/File/<id>: a chat's file for an agent who may read the chat (their usual
// credentials; a page's <img> or link sends the web session cookie with ?xsrf=) or for its customer (?key= or
// X-Session-Key). Served so that it can never run in Parley's origin: nosniff, a sandboxing CSP, and as a download
// unless it is a raster image.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { admitAgent, admitVisitor, type Gatekeepers } from '../api/admission.ts';
import { errorResponse } from '../api/pipeline.ts';
import { negotiateFormat } from '../api/negotiate.ts';
import { type FileReader, readFile } from '../domain/attachments/read-file.ts';
import type { DomainDeps } from '../domain/ports.ts';
import { withQueryCredentials } from './query-credentials.ts';

interface AttachmentParts {
  deps: DomainDeps;
  gate: Gatekeepers & { logError(err: unknown): void };
}

const INLINE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp']);

/** RFC 6266: an ASCII fallback and the UTF-8 name, so no name can break out of the header. */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  // Control characters and non-ASCII never reach the header: the exact name travels percent-encoded in filename*.
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function registerAttachmentRoutes(app: FastifyInstance, parts: AttachmentParts) {
  const fail = (reply: FastifyReply, err: unknown, accept: string | undefined) => {
    let out = negotiateFormat(undefined);
    try {
      out = negotiateFormat(accept);
    } catch {
      // an Accept we cannot answer: the error in JSON
    }
    const res = errorResponse(err, out, parts.gate);
    return reply.code(res.status).headers(res.headers).send(res.body);
  };

  app.get<{ Params: { id: string } }>('/api/v1/Parley/Attachments/File/:id', async (req, reply) => {
    try {
      const id = /^\d{1,9}$/.test(req.params.id) ? Number(req.params.id) : 0;
      const request = withQueryCredentials(req);
      const now = parts.deps.clock.now().getTime();
      let reader: FileReader;
      if (request.header('x-session-key') && !request.header('authorization')) {
        const key = await admitVisitor(request, parts.gate, now);
        const session = await parts.deps.store.sessions.byKey(key);
        reader = { visitorSessionId: session?.id ?? -1 };
      } else {
        reader = { actor: (await admitAgent(request, parts.gate, now)).actor };
      }
      const { attachment, content } = await readFile(parts.deps, reader, id);
      const inline = INLINE.has(attachment.contentType);
      return reply
        .header('content-type', attachment.contentType)
        .header('content-length', String(content.length))
        .header('content-disposition', contentDisposition(inline ? 'inline' : 'attachment', attachment.name))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, no-store')
        .header('cross-origin-resource-policy', 'same-origin')
        .send(Buffer.from(content));
    } catch (err) {
      return fail(reply, err, req.headers.accept);
    }
  });
}
