// Single sign-on for the console against a real OpenID provider (oidc-provider, started here), in Chromium: the
// console's button, the provider's own sign-in and consent pages, back signed in; another state or nonce, an
// unknown user and a replayed answer refused; users created on first sign-on when allowed (never administrators);
// password log-in turned off for single sign-on users; log-out.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import Provider from 'oidc-provider';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { basic, call, startTestApp, type TestApp } from '../helpers/test-app.ts';

const CHROMIUM = '/usr/bin/chromium';

function chromiumSkip(): string | false {
  if (existsSync(CHROMIUM)) return false;
  if (process.env.CI === 'true') throw new Error(`Chromium is required under CI but ${CHROMIUM} is missing (apt-get install chromium)`);
  return `Chromium not installed at ${CHROMIUM} (apt-get install chromium)`;
}

/** The people the provider knows, by their subject (what its development sign-in form takes as "login"). */
const ACCOUNTS: Record<string, Record<string, unknown>> = {
  'sub-tje0': { preferred_username: 'tje0', name: 'Tor at the provider', email: 'tje0@example.org', email_verified: true },
  'sub-ann1': { preferred_username: 'ann1', name: 'Ann at the provider' },
  'sub-stranger': { preferred_username: 'stranger', name: 'Stranger' },
  'sub-newbie': { preferred_username: 'newbie', name: 'New Agent' },
};

/** An HTTP server whose handler is set once the provider exists (its issuer URL needs the port first). */
async function listen(): Promise<{ server: http.Server; url: string; handle(h: http.RequestListener): void }> {
  let handler: http.RequestListener = (_req, res) => res.writeHead(503).end();
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    handle: (h) => {
      handler = h;
    },
  };
}

async function serve(app: TestApp) {
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
}

describe('single sign-on (OpenID Connect) in the console', { skip: chromiumSkip() }, () => {
  let idp: Awaited<ReturnType<typeof listen>>;
  let app: TestApp; // users must exist already; password log-in stays on
  let strict: TestApp; // creates users on first sign-on; single sign-on users may not use passwords
  let base: string;
  let strictBase: string;
  let browser: Browser;

  before(async () => {
    idp = await listen();
    const oidcEnv = (extra: Record<string, string>) => ({
      PARLEY_OIDC_ISSUER: idp.url,
      PARLEY_OIDC_CLIENT_ID: 'parley',
      PARLEY_OIDC_CLIENT_SECRET: 'parley-client-secret',
      PARLEY_OIDC_NAME: 'Test IdP',
      ...extra,
    });
    app = await startTestApp({ env: oidcEnv({}) });
    strict = await startTestApp({ env: oidcEnv({ PARLEY_OIDC_CREATE_USERS: 'true', PARLEY_OIDC_PASSWORD_LOGIN: 'false' }) });
    base = await serve(app);
    strictBase = await serve(strict);
    const provider = new Provider(idp.url, {
      clients: [
        {
          client_id: 'parley',
          client_secret: 'parley-client-secret',
          redirect_uris: [`${base}/auth/oidc/callback`, `${strictBase}/auth/oidc/callback`],
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      ],
      claims: { openid: ['sub'], profile: ['preferred_username', 'name'], email: ['email', 'email_verified'] },
      async findAccount(_ctx, id) {
        const claims = ACCOUNTS[id];
        if (!claims) return undefined;
        return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
      },
      cookies: { keys: ['a key for the test provider'] },
    });
    idp.handle(provider.callback());
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--disable-background-networking'] });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await strict?.close();
    await new Promise((resolve) => idp?.server.close(resolve));
  });

  /** The provider's development sign-in and consent pages, as a person would fill them. */
  async function atProvider(page: Page, subject: string) {
    await page.waitForURL((u) => u.href.startsWith(idp.url));
    await page.fill('input[name=login]', subject);
    await page.fill('input[name=password]', 'anything');
    await page.click('button[type=submit]');
    // Consent the first time for this browser and client: either the consent page shows, or the browser leaves.
    const consent = page.locator('button:has-text("Continue")');
    const next = await Promise.race([
      consent.waitFor({ state: 'visible' }).then(() => 'consent' as const),
      page.waitForURL((u) => !u.href.startsWith(idp.url)).then(() => 'left' as const),
    ]);
    if (next === 'consent') await consent.click();
  }

  async function signOn(context: BrowserContext, site: string, subject: string) {
    const page = await context.newPage();
    await page.goto(`${site}/console/`);
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await atProvider(page, subject);
    await page.waitForURL(`${site}/console/**`);
    return page;
  }

  const cookiesOf = async (context: BrowserContext, site: string) =>
    Object.fromEntries((await context.cookies(site)).map((c) => [c.name, c.value])) as Record<string, string>;

  test('sign in through the provider: back in the console as the matching Parley user, bound to that identity; log-out ends the session', async () => {
    const context = await browser.newContext();
    const page = await signOn(context, base, 'sub-tje0');
    await page.locator('#app-view').waitFor({ state: 'visible' });
    const me = await app.store.associates.byUserName('tje0');
    assert.equal(await page.locator('#me').textContent(), me?.fullName, "the Parley user's own name, not the provider's");
    const bound = await app.store.db.selectFrom('associates').select('oidc_subject').where('user_name', '=', 'tje0').executeTakeFirstOrThrow();
    assert.equal(bound.oidc_subject, `${idp.url}|sub-tje0`);
    const cookies = await cookiesOf(context, base);
    assert.ok(cookies.ParleySession && cookies['XSRF-TOKEN']);
    assert.equal(cookies.ParleyOidcFlow ?? '', '', 'the flow cookie is spent');
    const asBrowser = { cookie: `ParleySession=${cookies.ParleySession}; XSRF-TOKEN=${cookies['XSRF-TOKEN']}`, 'x-xsrf-token': cookies['XSRF-TOKEN'] };
    const current = await call(app, '/api/v1/Parley/Authentication/CurrentUser', { headers: asBrowser });
    assert.equal(current.json.UserName, 'tje0');

    await page.click('#logout');
    await page.locator('#login-view').waitFor({ state: 'visible' });
    assert.equal((await call(app, '/api/v1/Parley/Authentication/CurrentUser', { headers: asBrowser })).status, 401, 'the session is revoked');
    await context.close();
  });

  test('an answer with another state is refused: the console says why, nobody is signed in, the trail notes it', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/console/`);
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await page.waitForURL((u) => u.href.startsWith(idp.url));
    // While the browser is at the provider, the state Parley expects changes: the provider's answer carries another.
    await app.store.db.updateTable('oidc_flows').set({ state: 'another-state' }).execute();
    await atProvider(page, 'sub-ann1');
    await page.locator('#login-error').waitFor({ state: 'visible' });
    assert.match((await page.locator('#login-error').textContent()) ?? '', /could not be verified.*state/i);
    assert.equal((await cookiesOf(context, base)).ParleySession, undefined);
    assert.equal(
      (await app.store.associates.byUserName('ann1')) &&
        (await app.store.db.selectFrom('associates').select('oidc_subject').where('user_name', '=', 'ann1').executeTakeFirstOrThrow()).oidc_subject,
      null,
    );
    const [entry] = await app.store.audit.list({ kind: 'login.failed', limit: 1 });
    assert.equal(entry.subject, 'single sign-on');
    assert.match(String(entry.after?.reason), /state/);
    await context.close();
  });

  test('an ID token for another nonce is refused', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/console/`);
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await page.waitForURL((u) => u.href.startsWith(idp.url));
    // While the browser is at the provider, the nonce Parley expects changes: the token that comes back names another.
    await app.store.db.updateTable('oidc_flows').set({ nonce: 'another-nonce' }).execute();
    await atProvider(page, 'sub-ann1');
    await page.locator('#login-error').waitFor({ state: 'visible' });
    assert.match((await page.locator('#login-error').textContent()) ?? '', /nonce/i);
    assert.equal((await cookiesOf(context, base)).ParleySession, undefined);
    await context.close();
  });

  test('an identity with no Parley user is refused when users are not created; a flow cannot be replayed', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    let callback = '';
    page.on('request', (r) => {
      if (r.url().includes('/auth/oidc/callback')) callback = r.url();
    });
    await page.goto(`${base}/console/`);
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await atProvider(page, 'sub-stranger');
    await page.locator('#login-error').waitFor({ state: 'visible' });
    assert.match((await page.locator('#login-error').textContent()) ?? '', /no Parley user 'stranger'/);
    assert.equal(await app.store.associates.byUserName('stranger'), undefined);
    // The same callback again (a code and state seen in a log, say): the flow was used up.
    await page.goto(callback);
    await page.locator('#login-error').waitFor({ state: 'visible' });
    assert.match((await page.locator('#login-error').textContent()) ?? '', /expired or was already used/);
    await context.close();
  });

  test('where allowed, the first sign-on creates the user (not an administrator); password log-in is off for single sign-on users only', async () => {
    const context = await browser.newContext();
    const page = await signOn(context, strictBase, 'sub-newbie');
    await page.locator('#app-view').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#me').textContent(), 'New Agent');
    const created = await strict.store.associates.byUserName('newbie');
    assert.ok(created);
    assert.equal(created.isAdmin, false);
    const [added] = await strict.store.audit.list({ kind: 'user.added', limit: 1 });
    assert.equal(added.subject, 'user newbie');

    const other = await browser.newContext();
    const tje0 = await signOn(other, strictBase, 'sub-tje0');
    await tje0.locator('#app-view').waitFor({ state: 'visible' });
    const refused = await call(strict, 'ChatTopicsForUser', { auth: basic('tje0', 'Tje0') });
    assert.equal(refused.status, 401);
    assert.match(refused.json.ErrorMessage, /single sign-on/);
    assert.equal((await call(strict, 'ChatTopicsForUser', { auth: basic('ann1', 'Ann1') })).status, 200, 'users who never signed on keep their password');
    assert.equal((await call(app, 'ChatTopicsForUser', { auth: basic('tje0', 'Tje0') })).status, 200, 'the other server allows both');
    await other.close();
    await context.close();
  });

  test('Methods tells the console what to offer; without a provider configured there is no single sign-on', async () => {
    const methods = await call(app, '/api/v1/Parley/Authentication/Methods', { body: {} });
    assert.deepEqual(methods.json, { Password: true, SingleSignOn: true, SingleSignOnName: 'Test IdP', SingleSignOnUrl: '/auth/oidc/login' });
    const plain = await startTestApp();
    try {
      const none = await call(plain, '/api/v1/Parley/Authentication/Methods', { body: {} });
      assert.deepEqual(none.json, { Password: true, SingleSignOn: false, SingleSignOnName: '', SingleSignOnUrl: '' });
      assert.equal((await plain.server.inject({ method: 'GET', url: '/auth/oidc/login' })).statusCode, 404);
    } finally {
      await plain.close();
    }
  });
});
