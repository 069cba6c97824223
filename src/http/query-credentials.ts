// Requests a browser makes without headers of its own (EventSource, <img src>, a download link) may carry their
// credentials as query parameters instead: the XSRF token, a visitor's session key, the application token. Masked in
// the log (log-request.ts).
import type { FastifyRequest } from 'fastify';
import type { AdmissionRequest } from '../api/admission.ts';
import { queryValue } from '../api/pipeline.ts';

/** A query parameter as the API reads one: any case, the last value of a repeated one. */
export const param = (req: FastifyRequest, name: string) => queryValue(req.query as Record<string, string | string[] | undefined>, name);

const QUERY_FALLBACK: Record<string, string> = { 'x-xsrf-token': 'xsrf', 'x-session-key': 'key', 'so-apptoken': 'appToken' };

/** The request as admission reads it: each credential header, else its query parameter. */
export function withQueryCredentials(req: FastifyRequest): AdmissionRequest {
  const header = (name: string) => {
    const v = req.headers[name];
    return (Array.isArray(v) ? v[0] : v) ?? (QUERY_FALLBACK[name] === undefined ? undefined : param(req, QUERY_FALLBACK[name]));
  };
  return { header, cookies: req.cookies, address: req.ip };
}
