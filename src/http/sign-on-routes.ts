// The browser's way through single sign-on: /auth/oidc/login sends it to the provider, /auth/oidc/callback brings
// it back signed in (the same web session cookies as the password log-in) or with the reason it was refused, shown
// by the console's sign-in form.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Authenticator } from '../auth/authenticator.ts';
import { CALLBACK_PATH, FLOW_COOKIE, SIGN_ON_PATH, SignOnRefused, type SingleSignOn } from '../auth/single-sign-on.ts';
import { webSessionCookies } from '../auth/web-session-cookies.ts';
import { recordAudit } from '../domain/audit.ts';
import type { ParleyStore } from '../storage/store.ts';

interface SignOnParts {
  signOn: SingleSignOn;
  auth: Authenticator;
  store: ParleyStore;
  /** The callback URL registered at the provider; unset: this server's own, as the browser reached it. */
  redirectUrl: string | undefined;
  now(): Date;
}

// The flow cookie travels on the provider's redirect back, a cross-site navigation: SameSite=Lax, not Strict.
const flowCookie = (value: string, maxAge: number, protocol: string) =>
  `${FLOW_COOKIE}=${value}; HttpOnly; Path=/auth/oidc; SameSite=Lax; Max-Age=${maxAge}${protocol === 'https' ? '; Secure' : ''}`;

const CONSOLE = '/console/';

export function registerSignOnRoutes(app: FastifyInstance, parts: SignOnParts) {
  const callbackUrl = (req: FastifyRequest) => parts.redirectUrl ?? `${req.protocol}://${req.host}${CALLBACK_PATH}`;
  const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
  // Back to the sign-in form with the reason, in the fragment: it never reaches a server log or a Referer.
  const refused = (reply: FastifyReply, message: string) => noStore(reply).redirect(`${CONSOLE}#sign-on-error=${encodeURIComponent(message)}`);

  app.get(SIGN_ON_PATH, async (req, reply) => {
    try {
      const { url, flowId, maxAgeSeconds } = await parts.signOn.begin(callbackUrl(req));
      return noStore(reply)
        .header('set-cookie', flowCookie(flowId, maxAgeSeconds, req.protocol))
        .redirect(url);
    } catch (err) {
      req.log.warn({ err }, 'single sign-on could not start');
      return refused(reply, 'The identity provider cannot be reached; try again later');
    }
  });

  app.get(CALLBACK_PATH, async (req, reply) => {
    const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
    reply.header('set-cookie', flowCookie('', 0, req.protocol));
    let actor: Awaited<ReturnType<SingleSignOn['finish']>>;
    try {
      actor = await parts.signOn.finish(req.cookies[FLOW_COOKIE], query, req.ip);
    } catch (err) {
      if (!(err instanceof SignOnRefused)) throw err;
      req.log.info({ reason: err.message }, 'single sign-on refused');
      await recordAudit(parts.store, { actorId: null, actorName: '', address: req.ip }, parts.now(), 'login.failed', 'single sign-on', null, {
        reason: err.message,
      });
      return refused(reply, err.message);
    }
    const { session, xsrfToken, expires } = await parts.auth.issue.webSession(actor);
    return noStore(reply)
      .header('set-cookie', [flowCookie('', 0, req.protocol), ...webSessionCookies(session, xsrfToken, expires, req.protocol)])
      .redirect(CONSOLE);
  });
}
