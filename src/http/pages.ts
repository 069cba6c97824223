// The web pages: the agent console at /console/ and the embeddable visitor widget at /widget/, static files from
// web/ that use only the public APIs. A strict Content-Security-Policy (no inline script or style, API calls to this
// origin only); the console may not be framed, the widget is made to be.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

const WEB = fileURLToPath(new URL('../../web/', import.meta.url));

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
];

/**
 * The headers of every page Parley serves; `frameable` for the widget, which customers put in an iframe on their
 * sites; `inlineStyles` for the API reference (Swagger UI sets style attributes; its scripts are files all the same).
 */
export function securePage(reply: FastifyReply, { frameable = false, inlineStyles = false } = {}) {
  const csp = CSP.map((d) => (inlineStyles && d === "style-src 'self'" ? "style-src 'self' 'unsafe-inline'" : d));
  reply.header('content-security-policy', [...csp, frameable ? 'frame-ancestors *' : "frame-ancestors 'none'"].join('; '));
  if (!frameable) reply.header('x-frame-options', 'DENY');
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  // The files change with a deploy: the browser revalidates (ETag) rather than running a stale console.
  reply.header('cache-control', 'no-cache');
}

/** Each page in its own context, so its hook sets the headers of its own files only. */
function page(name: 'console' | 'widget' | 'shared', frameable: boolean) {
  return async (app: FastifyInstance) => {
    app.addHook('onSend', async (_req, reply) => {
      securePage(reply, { frameable });
    });
    await app.register(fastifyStatic, {
      root: `${WEB}${name}`,
      prefix: `/${name}/`,
      decorateReply: false,
      index: 'index.html',
      cacheControl: false,
      // One route per file, found at start: nothing outside web/ can ever be named.
      wildcard: false,
    });
  };
}

/** Browser libraries from node_modules, served from Parley's own origin (no CDN; the CSP stays 'self'). */
const VENDOR: Record<string, string> = {
  'chart.umd.min.js': join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js'),
};

async function vendor(app: FastifyInstance) {
  app.addHook('onSend', async (_req, reply) => {
    securePage(reply);
  });
  for (const [name, file] of Object.entries(VENDOR)) {
    const bytes = await readFile(file);
    app.get(`/vendor/${name}`, async (_req, reply) => reply.type('text/javascript; charset=utf-8').send(bytes));
  }
}

/** Register with `app.register(pages)`: the two pages, what they share, and `/` leading to the console. */
export async function pages(app: FastifyInstance) {
  await app.register(page('console', false));
  await app.register(page('widget', true));
  await app.register(page('shared', false)); // modules both pages import
  await app.register(vendor); // the charting library of the reports page
  app.get('/', async (_req, reply) => reply.redirect('/console/'));
}
