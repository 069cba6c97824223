// The web pages in headless Chromium against a real Parley with the demo data: a customer chats from the widget,
// agent tje0 answers from the console, everything arriving live through push; customer text stays text; the pages'
// security headers (strict CSP, the console unframeable, the widget frameable).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { ADM0, call, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';

const CHROMIUM = '/usr/bin/chromium';
const XSS = '<img src=x onerror=alert(1)>';

/** Chromium missing: a failure under CI=true, a visible skip locally (as PostgreSQL in databases.ts). */
function chromiumSkip(): string | false {
  if (existsSync(CHROMIUM)) return false;
  if (process.env.CI === 'true') throw new Error(`Chromium is required under CI but ${CHROMIUM} is missing (apt-get install chromium)`);
  return `Chromium not installed at ${CHROMIUM} (apt-get install chromium)`;
}

/** Parley on a real socket, pages and APIs from the one server. */
async function serve(app: TestApp) {
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  return { base: `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`, close: async () => {} };
}

/** Page errors and console errors (a CSP violation is one): the pages must run clean. */
function watch(page: Page) {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()} ${msg.location().url}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
  });
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  return problems;
}

describe('web pages', { skip: chromiumSkip() }, () => {
  let app: TestApp;
  let site: Awaited<ReturnType<typeof serve>>;
  let browser: Browser;
  before(async () => {
    app = await startTestApp();
    site = await serve(app);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    await app?.close();
  });

  test('security headers: strict CSP on both, the console unframeable, the widget frameable; / leads to the console', async () => {
    const consolePage = await fetch(`${site.base}/console/`);
    assert.equal(consolePage.status, 200);
    const csp = consolePage.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(consolePage.headers.get('x-frame-options'), 'DENY');
    const widget = await fetch(`${site.base}/widget/?topic=1`);
    assert.equal(widget.status, 200);
    assert.match(widget.headers.get('content-security-policy') ?? '', /script-src 'self'.*frame-ancestors \*/);
    assert.equal(widget.headers.get('x-frame-options'), null);
    for (const res of [consolePage, widget]) assert.doesNotMatch(await res.text(), /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
    const root = await fetch(`${site.base}/`, { redirect: 'manual' });
    assert.equal(root.status, 302);
    assert.equal(root.headers.get('location'), '/console/');
  });

  test('the widget works in an iframe on another site; the console refuses to be framed', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    // A customer's website on an origin of its own (another port), embedding both pages.
    const html = `<!doctype html><h1>Shop</h1><iframe id="w" src="${site.base}/widget/?topic=1"></iframe><iframe id="c" src="${site.base}/console/"></iframe>`;
    const shop = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html));
    await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
    try {
      await page.goto(`http://127.0.0.1:${(shop.address() as AddressInfo).port}/`);
      const widget = page.frameLocator('#w');
      await widget.locator('#title').filter({ hasText: 'Customer support' }).waitFor({ timeout: 10_000 });
      // The console's frame exists but holds no console (the sign-in form is in its static HTML, so a framed console
      // would show it at once): the browser refused it.
      const consoleFrame = await (await page.$('#c'))!.contentFrame();
      assert.ok(consoleFrame, 'the console iframe is there');
      await consoleFrame.waitForLoadState('load');
      assert.equal(await consoleFrame.locator('#login-form').count(), 0, 'the console does not render inside a frame');
      assert.equal(await widget.locator('#title').count(), 1, 'while the widget does');
    } finally {
      // Also when an assertion failed: a server left listening would keep the test process alive.
      await context.close();
      shop.closeAllConnections();
      shop.close();
    }
  });

  test("login CSRF: another site's form cannot log the browser in, and the console shows whom its session belongs to", { timeout: 60_000 }, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    // An attacker's page posts its own credentials to Parley as a form, hoping the victim's browser keeps the cookie.
    const html =
      `<!doctype html><form id="f" method="post" action="${site.base}/api/v1/Parley/Authentication/Session">` +
      '<input name="UserName" value="ann1"><input name="Password" value="Ann1"></form><script>document.getElementById("f").submit()</script>';
    const evil = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html));
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    try {
      const refused = page.waitForResponse((r) => r.url().endsWith('/Authentication/Session'));
      await page.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
      assert.equal((await refused).status(), 403, 'the cross-site log-in is refused');
      assert.equal(
        (await context.cookies(site.base)).find((c) => c.name === 'ParleySession'),
        undefined,
        'no session cookie was set',
      );

      // The victim logs in as tje0; the session is then swapped for ann1's behind the console's back.
      await page.goto(`${site.base}/console/`);
      await page.fill('#login-form input[name=user]', 'tje0');
      await page.fill('#login-form input[name=password]', 'Tje0');
      await page.click('#login-form button[type=submit]');
      await page.locator('#me', { hasText: 'Tor Jensen' }).waitFor();
      const ann = await call(app, '/api/v1/Parley/Authentication/Session', { body: { UserName: 'ann1', Password: 'Ann1' } });
      const cookie = (name: string) =>
        (ann.headers['set-cookie'] as string[])
          .find((c) => c.startsWith(`${name}=`))!
          .split(';')[0]
          .slice(name.length + 1);
      await context.addCookies(['ParleySession', 'XSRF-TOKEN'].map((name) => ({ name, value: cookie(name), url: site.base })));
      await page.reload();
      // The name shown is the one the server has for the session, not the one this browser typed.
      const ann1 = (await app.store.associates.byUserName('ann1'))!;
      await page.locator('#me', { hasText: ann1.fullName }).waitFor();
    } finally {
      await context.close();
      evil.closeAllConnections();
      evil.close();
    }
  });

  test("a bot's lines are drawn as the bot's, apart from the system's own lines, in the widget and the console", { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const customer = await context.newPage();
    const agent = await context.newPage();
    customer.setDefaultTimeout(10_000);
    agent.setDefaultTimeout(10_000);
    const problems = [...watch(customer), ...watch(agent)];
    try {
      // The demo's Bot lab (topic 5): a bot answers first.
      await customer.goto(`${site.base}/widget/?topic=5`);
      await customer.locator('#title', { hasText: 'Bot lab' }).waitFor();
      await customer.fill('input[name=CustomerName]', 'Bruno Bot');
      await customer.fill('textarea[name=Message]', 'Is anyone there?');
      await customer.click('form.w-form button[type=submit]');
      await customer.locator('.w-msg.mine', { hasText: 'Is anyone there?' }).waitFor();
      const bruno = (await call(app, 'ChatSessionsForUser', { auth: ADM0 })).json.find((x: any) => x.CustomerName === 'Bruno Bot');
      assert.equal(bruno.ChatbotIsActive, true);
      const said = await call(app, 'AddChatMessage', {
        auth: ADM0,
        body: { ChatSessionId: bruno.ChatSessionId, Message: { Type: 'Special', SpecialType: 'BotMessage', Message: 'I am the helper bot' } },
      });
      assert.equal(said.status, 200, said.body);

      const widgetLine = customer.locator('.w-msg.bot', { hasText: 'I am the helper bot' });
      await widgetLine.waitFor();
      assert.match((await widgetLine.locator('.w-meta').textContent()) ?? '', /Parley helper · Bot/);
      assert.equal(await customer.locator('.w-msg.system', { hasText: 'I am the helper bot' }).count(), 0);
      assert.ok((await customer.locator('.w-msg.system').count()) > 0, 'system lines are still there, drawn as such');

      await agent.goto(`${site.base}/console/`);
      await agent.fill('#login-form input[name=user]', 'adm0');
      await agent.fill('#login-form input[name=password]', 'Adm0');
      await agent.click('#login-form button[type=submit]');
      await agent.locator('.session', { hasText: 'Bruno Bot' }).first().click();
      const consoleLine = agent.locator('.messages .message.bot', { hasText: 'I am the helper bot' });
      await consoleLine.waitFor();
      assert.equal(await consoleLine.locator('.bot-label').textContent(), 'Bot');
      assert.equal(await consoleLine.locator('.author').textContent(), 'Parley helper');
      assert.equal(await agent.locator('.messages .system', { hasText: 'I am the helper bot' }).count(), 0);
      await agent.screenshot({ path: '/tmp/console-bot.png' });
      await customer.screenshot({ path: '/tmp/widget-bot.png' });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('a customer chats from the widget and agent tje0 answers from the console, all live', { timeout: 60_000 }, async () => {
    const agentContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const customerContext = await browser.newContext({ viewport: { width: 400, height: 640 }, locale: 'en-US' });
    const agent = await agentContext.newPage();
    const customer = await customerContext.newPage();
    agent.setDefaultTimeout(10_000);
    customer.setDefaultTimeout(10_000);
    const agentProblems = watch(agent);
    const customerProblems = watch(customer);
    let inboxLoads = 0;
    agent.on('request', (r) => {
      if (r.url().endsWith('/ChatSessionsForUser')) inboxLoads++;
    });

    // The agent signs in first and waits with the inbox open.
    await agent.goto(`${site.base}/console/`);
    await agent.locator('#login-form').waitFor();
    await agent.screenshot({ path: '/tmp/console-login.png' });
    await agent.fill('#login-form input[name=user]', 'tje0');
    await agent.fill('#login-form input[name=password]', 'Tje0');
    await agent.click('#login-form button[type=submit]');
    await agent.locator('#stream-state', { hasText: 'Live' }).waitFor();
    await agent.locator('#me', { hasText: 'Tor Jensen' }).waitFor();
    assert.equal(await agent.locator('#presence').isChecked(), true, 'tje0 is present in the demo data');
    assert.equal(inboxLoads, 1);

    // The customer opens the widget on Customer support and writes.
    await customer.goto(`${site.base}/widget/?topic=1`);
    await customer.locator('#title', { hasText: 'Customer support' }).waitFor();
    await customer.locator('input[name=consent]').waitFor();
    await customer.screenshot({ path: '/tmp/widget-start.png' });
    await customer.fill('input[name=CustomerName]', 'Wanda Widget');
    await customer.fill('textarea[name=Message]', 'Hello from the widget');
    await customer.check('input[name=consent]');
    await customer.click('form.w-form button[type=submit]');
    await customer.locator('.w-msg.mine', { hasText: 'Hello from the widget' }).waitFor();
    await customer.locator('.w-status', { hasText: 'queue' }).waitFor();

    // The session appears in the console's queue by push: the inbox is not loaded again.
    const queued = agent.locator('[data-group=queued] .session', { hasText: 'Wanda Widget' });
    await queued.waitFor();
    assert.equal(inboxLoads, 1, 'pushed, not polled');
    await queued.click();
    await agent.locator('.messages .from-customer', { hasText: 'Hello from the widget' }).waitFor();
    await agent.click('.conv-actions button:has-text("Pick up")');
    await agent.locator('[data-group=mine] .session', { hasText: 'Wanda Widget' }).waitFor();
    await agent.fill('.composer textarea', 'How can I help?');
    await agent.press('.composer textarea', 'Enter');
    await agent.locator('.messages .from-agent', { hasText: 'How can I help?' }).waitFor();

    // The reply reaches the widget live, with the agent's name.
    await customer.locator('.w-msg.theirs', { hasText: 'How can I help?' }).waitFor();
    await customer.locator('.w-status', { hasText: 'Tor Jensen' }).waitFor();
    // Shown to the customer, the reply counts as read (ReadByCustomer), pushed or polled.
    const wanda = (await call(app, 'ChatSessionsForUser', { auth: TJE0 })).json.find((s: any) => s.CustomerName === 'Wanda Widget');
    let read = false;
    for (let i = 0; i < 50 && !read; i++) {
      const messages = (await call(app, 'GetChatMessages', { auth: TJE0, body: { ChatSessionId: wanda.ChatSessionId, After: 0 } })).json;
      read = messages.find((m: any) => m.Message === 'How can I help?')?.ReadByCustomer === 1;
      if (!read) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(read, 'the agent sees the reply read');

    // Markup from a customer is shown as the characters it is, and creates no element.
    await customer.fill('.w-composer textarea', XSS);
    await customer.press('.w-composer textarea', 'Enter');
    const shown = agent.locator('.messages .from-customer .bubble').filter({ hasText: 'onerror' });
    await shown.waitFor();
    assert.equal(await shown.textContent(), XSS);
    assert.equal(await agent.locator('.messages img, #inbox img').count(), 0);
    assert.equal(await agent.locator('[data-group=mine] .session .snippet').filter({ hasText: 'onerror' }).textContent(), XSS);
    await agent.screenshot({ path: '/tmp/console.png' });
    await customer.screenshot({ path: '/tmp/widget.png' });

    // A reload resumes the chat from sessionStorage.
    await customer.reload();
    await customer.locator('.w-msg.theirs', { hasText: 'How can I help?' }).waitFor();

    // The agent closes the chat; the widget shows it ended and offers a rating.
    await agent.click('.conv-actions button:has-text("Close chat")');
    await agent.locator('[data-group=ended] .session', { hasText: 'Wanda Widget' }).waitFor();
    await customer.locator('.w-ended', { hasText: 'The chat has ended' }).waitFor();
    await customer.locator('.w-ended .star').first().waitFor();
    await customer.locator('.w-msg.system').nth(1).waitFor();
    assert.equal(await customer.locator('.w-composer').isVisible(), false);
    await customer.screenshot({ path: '/tmp/widget-ended.png' });

    assert.equal(inboxLoads, 1, 'every change arrived by push');

    // Presence is tje0's own switch; logging out ends the web session.
    await agent.click('label.presence');
    await agent.locator('#presence-label', { hasText: 'Away' }).waitFor();
    const presence = await call(app, 'GetChatPresence', { auth: TJE0 });
    assert.equal(presence.json.find((p: any) => p.DisplayName === 'Tor Jensen').Present, false);
    await agent.click('#logout');
    await agent.locator('#login-form').waitFor();
    const cookies = await agentContext.cookies();
    const xsrf = cookies.find((c) => c.name === 'XSRF-TOKEN')?.value ?? '';
    const session = cookies.find((c) => c.name === 'ParleySession')?.value ?? '';
    assert.ok(session, 'the browser still holds the cookie');
    const again = await fetch(`${site.base}/api/v1/Agents/Chat/ChatSessionsForUser`, {
      method: 'POST',
      headers: { cookie: `ParleySession=${session}; XSRF-TOKEN=${xsrf}`, 'x-xsrf-token': xsrf },
    });
    assert.equal(again.status, 401, 'the old web session no longer works');
    assert.deepEqual(agentProblems, []);
    assert.deepEqual(customerProblems, []);
    await agentContext.close();
    await customerContext.close();
  });
});
