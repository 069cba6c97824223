// Parley's own log-in calls (outside the SuperOffice agent space): get a SoTicket, open a web session, log out.
import { Type } from '@sinclair/typebox';
import { SIGN_ON_PATH } from '../../auth/single-sign-on.ts';
import { webSessionCookies } from '../../auth/web-session-cookies.ts';
import { DomainError } from '../../domain/errors.ts';
import { DateTime, Str } from '../../carriers/kit.ts';
import { rethrowThrottled } from '../admission.ts';
import { defineEndpoint, defineLoginEndpoint, type LoginContext, Reply, RequestBody } from '../endpoint.ts';

const BASE = '/api/v1/Parley/Authentication/';
const Credentials = { UserName: Str(255), Password: Str(1024) };

async function login(ctx: LoginContext, body: { UserName: string; Password: string }) {
  const actor = await ctx.auth.login(body.UserName, body.Password, ctx.client.address).catch(rethrowThrottled);
  if (!actor) throw new DomainError('unauthenticated', 'Unknown user name or wrong password');
  return actor;
}

export const authEndpoints = [
  defineLoginEndpoint({
    name: 'Ticket',
    path: `${BASE}Ticket`,
    summary: 'Log in with user name and password; answers a SoTicket ("7T:...") for the Authorization: SOTicket header.',
    rights: 'Anyone with a user name and password',
    anonymous: true,
    body: RequestBody('Ticket', Credentials),
    response: Type.Object({ Ticket: Str(), Expires: DateTime() }, { $id: 'TicketResponse' }),
    select: false,
    handle: async (ctx, { body }) => {
      const { ticket, expires } = await ctx.auth.issue.ticket(await login(ctx, body));
      return { Ticket: ticket, Expires: expires };
    },
  }),
  defineLoginEndpoint({
    name: 'Session',
    path: `${BASE}Session`,
    summary: 'Log in for a browser: sets the session cookie and the XSRF-TOKEN cookie; send the token back as X-XSRF-TOKEN.',
    rights: 'Anyone with a user name and password, from a page of this server (a cross-site request is a 403)',
    anonymous: true,
    sameOriginOnly: true,
    body: RequestBody('Session', Credentials),
    response: Type.Object({ XsrfToken: Str(), Expires: DateTime() }, { $id: 'SessionResponse' }),
    select: false,
    handle: async (ctx, { body }) => {
      const { session, xsrfToken, expires } = await ctx.auth.issue.webSession(await login(ctx, body));
      return new Reply({ XsrfToken: xsrfToken, Expires: expires }, { 'set-cookie': webSessionCookies(session, xsrfToken, expires, ctx.client.protocol) });
    },
  }),
  defineLoginEndpoint({
    name: 'Methods',
    path: `${BASE}Methods`,
    summary:
      'How one may sign in to this server: with a password, and with single sign-on when an OpenID provider is configured (the browser goes to SingleSignOnUrl).',
    rights: 'Anyone',
    anonymous: true,
    response: Type.Object(
      { Password: Type.Boolean(), SingleSignOn: Type.Boolean(), SingleSignOnName: Str(), SingleSignOnUrl: Str() },
      { $id: 'SignInMethodsResponse' },
    ),
    select: false,
    handle: async (ctx) => {
      const sso = ctx.auth.singleSignOn;
      return { Password: true, SingleSignOn: !!sso, SingleSignOnName: sso?.displayName ?? '', SingleSignOnUrl: sso ? SIGN_ON_PATH : '' };
    },
  }),
  defineEndpoint({
    name: 'CurrentUser',
    path: `${BASE}CurrentUser`,
    summary: 'Who the credentials of this call belong to: the console shows this, never a name it kept itself.',
    rights: 'Any authenticated caller',
    response: Type.Object(
      {
        AssociateId: Type.Integer(),
        UserName: Str(),
        FullName: Str(),
        IsAdministrator: Type.Boolean(),
      },
      { $id: 'CurrentUserResponse' },
    ),
    handle: async ({ actor }) => ({ AssociateId: actor.id, UserName: actor.userName, FullName: actor.fullName, IsAdministrator: actor.isAdmin }),
  }),
  defineEndpoint({
    name: 'Logout',
    path: `${BASE}Logout`,
    summary: 'Revokes the credential this call was made with (SoTicket, API token or web session).',
    rights: 'Any authenticated caller',
    response: 'void',
    handle: (ctx) => ctx.auth.revokeCaller(ctx.credentials),
  }),
];
