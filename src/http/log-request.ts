// How a request appears in the log: Fastify's fields, with the values of credential query parameters masked.
// Push streams take the session key (?key=), the XSRF token (?xsrf=) and the application token (?appToken=) in the
// URL because EventSource cannot send headers; the URL is logged, so those values must not be.
import type { FastifyRequest } from 'fastify';

const SECRET_PARAMETERS = new Set(['key', 'xsrf', 'apptoken']);
const MASK = '[Redacted]';

/** The URL with the value of every secret parameter masked, whatever the case or percent-encoding of its name. */
export function maskSecretParameters(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const masked = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      return SECRET_PARAMETERS.has(decodedName(name)) ? `${name}=${MASK}` : pair;
    });
  return `${url.slice(0, q)}?${masked.join('&')}`;
}

function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' ')).trim().toLowerCase();
  } catch {
    return name.toLowerCase();
  }
}

/** Fastify's default request serializer, except for the URL. */
export const serializeRequest = (req: FastifyRequest) => ({
  method: req.method,
  url: maskSecretParameters(req.url),
  version: [req.headers?.['accept-version']].flat()[0],
  host: req.host,
  remoteAddress: req.ip,
  remotePort: req.socket?.remotePort,
});
