// The agent's workspace in headless Chromium against a real Parley: the quick-reply picker with the keyboard alone,
// the panel to keep replies, internal notes (a mentioned colleague told; markup shown as text), and the agent's
// typing reaching the customer's widget, and routing's offers (a card with the seconds left; accept, decline; the
// agent's load in the top bar).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { defaultTopic, defaultTopicAgent } from '../../src/domain/defaults.ts';
import { queuedSession } from '../helpers/factories.ts';
import { saveRouting } from '../helpers/routing-kit.ts';
import { ADM0, ANN1, call, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';

const CHROMIUM = '/usr/bin/chromium';
const XSS = '<img src=x onerror="window.__xss=1">';
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

function chromiumSkip(): string | false {
  if (existsSync(CHROMIUM)) return false;
  if (process.env.CI === 'true') throw new Error(`Chromium is required under CI but ${CHROMIUM} is missing (apt-get install chromium)`);
  return `Chromium not installed at ${CHROMIUM} (apt-get install chromium)`;
}

describe("the agent's workspace in the console", { skip: chromiumSkip() }, () => {
  let app: TestApp;
  let base: string;
  let browser: Browser;
  before(async () => {
    app = await startTestApp({
      env: { PARLEY_VISITOR_REQUESTS_PER_MINUTE: '0', PARLEY_VISITOR_SESSIONS_PER_MINUTE: '0', PARLEY_VISITOR_WRITES_PER_MINUTE: '0' },
    });
    await app.server.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  const pageProblems = new WeakMap<Page, string[]>();

  /** The console signed in as `user`; `initScript` runs in the page first (fakes of the browser's own objects). */
  async function signIn(user: string, password: string, initScript?: string): Promise<Page> {
    const context = await browser.newContext();
    if (initScript) await context.addInitScript({ content: initScript });
    const page = await context.newPage();
    page.on('dialog', (d) => d.dismiss().catch(() => {}));
    // What went wrong in the page, for the message of a failing wait.
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));
    pageProblems.set(page, problems);
    await page.goto(`${base}/console/`);
    await page.fill('#login-form input[name=user]', user);
    await page.fill('#login-form input[name=password]', password);
    await page.click('#login-form button[type=submit]');
    await page.locator('#stream-state', { hasText: 'Live' }).waitFor();
    return page;
  }

  /** A chat from the visitor API, picked up by tje0 through the API; its key and id. */
  async function chatWith(name: string) {
    const open = await app.server.inject({
      method: 'POST',
      url: '/api/v1/Visitor/OpenSession',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ ChatTopicId: 1, Consented: true, CustomerName: name, CustomerEmail: 'c@example.org', Message: 'Hello there' }),
    });
    assert.equal(open.statusCode, 200, open.body);
    const { SessionKey, Session } = JSON.parse(open.body);
    const picked = await call(app, 'PickUpChatSession', { auth: TJE0, body: { ChatSessionId: Session.ChatSessionId } });
    assert.equal(picked.status, 200, picked.body);
    return { key: SessionKey as string, id: Session.ChatSessionId as number };
  }

  const visitorSession = async (key: string) =>
    JSON.parse(
      (
        await app.server.inject({
          method: 'POST',
          url: '/api/v1/Visitor/GetSession',
          headers: { 'content-type': 'application/json', 'x-session-key': key },
          payload: '{}',
        })
      ).body,
    );

  test('"/" opens the quick replies; arrows, Enter and Escape work without the mouse; the chosen one is filled in for this chat', async () => {
    const chat = await chatWith('Quinn Picker');
    const page = await signIn('tje0', 'Tje0');
    await page.locator('[data-group=mine] .session', { hasText: 'Quinn Picker' }).click();
    const box = page.locator('.composer textarea');
    const before = (await call(app, 'GetChatMessages', { auth: TJE0, body: { ChatSessionId: chat.id, After: 0 } })).json.length;
    await box.click();
    await page.keyboard.type('/');
    const picker = page.locator('.reply-picker');
    await picker.waitFor({ state: 'visible', timeout: 10_000 }).catch(async (err) => {
      const typed = await box.inputValue();
      const focused = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120));
      assert.fail(`${err.message}\nreply box: ${JSON.stringify(typed)}; focused: ${focused}; page: ${pageProblems.get(page)?.join(' | ')}`);
    });
    const options = await picker.locator('li .reply-shortcut').allTextContents();
    assert.ok(options.includes('/hello') && options.includes('/sig'), options.join(' '));
    assert.ok(!options.includes('/hei'), "Salg's replies are not tje0's to use");
    await page.keyboard.press('Escape');
    await picker.waitFor({ state: 'hidden' });
    // Where the keys go, said should the picker not reopen (seen once in CI: the reply box had lost the focus).
    const focusBefore = await page.evaluate(() => document.activeElement?.tagName);
    await page.keyboard.type('he');
    await picker.waitFor({ state: 'visible', timeout: 10_000 }).catch(async (err) => {
      const typed = await box.inputValue();
      const focused = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120));
      assert.fail(
        `${err.message}\nfocus before typing: ${focusBefore}; reply box: ${JSON.stringify(typed)}; focused: ${focused}; page: ${pageProblems.get(page)?.join(' | ')}`,
      );
    });
    assert.deepEqual(await picker.locator('li .reply-shortcut').allTextContents(), ['/hello']);
    await page.keyboard.press('Enter');
    await picker.waitFor({ state: 'hidden' });
    const expected = 'Hi Quinn Picker, this is Tor Jensen from Customer support. How can I help?';
    await page.waitForFunction((text) => (document.querySelector('.composer textarea') as HTMLTextAreaElement).value === text, expected);
    assert.equal(
      (await call(app, 'GetChatMessages', { auth: TJE0, body: { ChatSessionId: chat.id, After: 0 } })).json.length,
      before,
      'Enter chose, it did not send',
    );
    // Edited, then sent with Enter.
    await page.keyboard.type(' Welcome!');
    await page.keyboard.press('Enter');
    await page.locator('.messages .from-agent', { hasText: `${expected} Welcome!` }).waitFor();
    // The message shows before the send has returned: keys typed while the box is still disabled would be lost.
    await page.waitForFunction(() => {
      const box = document.querySelector('.composer textarea') as HTMLTextAreaElement;
      return !box.disabled && box.value === '' && document.activeElement === box;
    });

    // Several matches: ArrowDown moves to the next.
    await page.keyboard.type('/');
    await picker.waitFor({ state: 'visible' });
    // The list as it stays, past the picker's blur delay (150 ms): the box was disabled while the reply was sent, and
    // that blur must not close the picker opened since (it did, in CI, when ArrowDown came late). Then one key down.
    const shortcuts = () => picker.locator('li .reply-shortcut').allTextContents();
    let all = await shortcuts();
    for (let settled = false; !settled; ) {
      await new Promise((r) => setTimeout(r, 150));
      const again = await shortcuts();
      settled = JSON.stringify(again) === JSON.stringify(all);
      all = again;
    }
    assert.ok(all.length >= 2, all.join(' '));
    await page.keyboard.press('ArrowDown');
    assert.ok(await picker.isVisible(), 'still open');
    await picker.locator('li[aria-selected=true] .reply-shortcut', { hasText: all[1] }).waitFor({ timeout: 5000 });
    assert.equal(await picker.locator('li[aria-selected=true]').count(), 1, 'one reply selected');
    await page.keyboard.press('Escape');
    await page.close();
  });

  test("the agent's typing reaches the customer and stops when the reply is sent", async () => {
    const chat = await chatWith('Tara Typing');
    const page = await signIn('tje0', 'Tje0');
    await page.locator('[data-group=mine] .session', { hasText: 'Tara Typing' }).click();
    await page.locator('.composer textarea').focus();
    await page.keyboard.type('Let me check that');
    let seen = false;
    for (let i = 0; i < 50 && !seen; i++) {
      seen = (await visitorSession(chat.key)).AgentIsTyping === true;
      if (!seen) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(seen, 'the widget is told the agent is typing');
    await page.keyboard.press('Enter');
    await page.locator('.messages .from-agent', { hasText: 'Let me check that' }).waitFor();
    let stopped = false;
    for (let i = 0; i < 50 && !stopped; i++) {
      stopped = (await visitorSession(chat.key)).AgentIsTyping === false;
      if (!stopped) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(stopped, 'and told when it stops');
    await page.close();
  });

  test('internal notes: added in the console, shown to a mentioned colleague at once, markup shown as text; the customer sees nothing', async () => {
    const chat = await chatWith('Nora Notes');
    const tje0 = await signIn('tje0', 'Tje0');
    const ann1 = await signIn('ann1', 'Ann1');
    await tje0.locator('[data-group=mine] .session', { hasText: 'Nora Notes' }).click();
    await tje0.fill('.notes-form input', `@ann1 please look at this ${XSS}`);
    await tje0.click('.notes-form button[type=submit]');
    await tje0.locator('.note .note-text', { hasText: 'please look at this' }).waitFor();
    // ann1 is told by push, without opening the chat.
    await ann1.locator('#notice', { hasText: 'mentioned you in a note' }).waitFor();
    await ann1.locator('.session', { hasText: 'Nora Notes' }).click();
    const text = await ann1.locator('.note .note-text').first().textContent();
    assert.equal(text, `@ann1 please look at this ${XSS}`);
    for (const page of [tje0, ann1]) {
      assert.equal(await page.locator('.note img').count(), 0, 'no element from the note');
      assert.equal(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
    }
    const customerSees = JSON.stringify(
      JSON.parse(
        (
          await app.server.inject({
            method: 'POST',
            url: '/api/v1/Visitor/GetMessages',
            headers: { 'content-type': 'application/json', 'x-session-key': chat.key },
            payload: '{"After":0}',
          })
        ).body,
      ),
    );
    assert.ok(!customerSees.includes('please look at this'));
    await tje0.close();
    await ann1.close();
  });

  test('the quick-reply panel: add, change and remove one of my own; markup in a title is shown as text', async () => {
    const page = await signIn('ann1', 'Ann1');
    await page.click('#open-replies');
    const dialog = page.locator('#replies-dialog');
    await dialog.waitFor({ state: 'visible' });
    await dialog.locator('select[name=scope]').selectOption('0');
    await dialog.locator('input[name=shortcut]').fill('thx');
    await dialog.locator('input[name=title]').fill(`Thanks ${XSS}`);
    await dialog.locator('textarea[name=text]').fill('Thanks, {customer.name}!');
    await dialog.locator('button:has-text("Save reply")').click();
    const row = dialog.locator('.reply-rows li', { hasText: '/thx' });
    await row.waitFor();
    assert.equal(await row.locator('.reply-title').textContent(), `Thanks ${XSS}`);
    assert.equal(await dialog.locator('.reply-rows img').count(), 0);
    const ann1 = (await app.store.associates.byUserName('ann1'))?.id;
    const stored = (await app.store.cannedResponses.visible(ann1 ?? 0, [])).find((r) => r.shortcut === 'thx');
    assert.equal(stored?.text, 'Thanks, {customer.name}!');

    await row.locator('button:has-text("Edit")').click();
    await dialog.locator('textarea[name=text]').fill('Many thanks, {customer.name}!');
    await dialog.locator('button:has-text("Save reply")').click();
    for (let i = 0; i < 50; i++) {
      if ((await app.store.cannedResponses.byId(stored?.id ?? 0))?.text === 'Many thanks, {customer.name}!') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal((await app.store.cannedResponses.byId(stored?.id ?? 0))?.text, 'Many thanks, {customer.name}!');

    await dialog.locator('.reply-rows li', { hasText: '/thx' }).locator('button:has-text("Remove")').click();
    await dialog.locator('.reply-rows li', { hasText: '/thx' }).waitFor({ state: 'detached' });
    assert.equal(await app.store.cannedResponses.byId(stored?.id ?? 0), undefined);
    await page.close();

    // A topic's manager may keep its replies too: Salg is offered to ola2, not to ann1.
    assert.deepEqual(await scopesOf('ann1', 'Ann1'), ['My own']);
    assert.deepEqual(await scopesOf('ola2', 'Ola2'), ['My own', 'Salg']);
  });

  test("beside the chat: the visitor's page, browser and address, the CRM person, earlier chats; a javascript: page is text, not a link", async () => {
    // An earlier chat from the same address, and now one through the widget, on a page the host tells it about.
    await chatWith('Vera Visitor');
    const customer = await (await browser.newContext({ locale: 'nb-NO' })).newPage();
    await customer.goto(`${base}/widget/?topic=1&page=${encodeURIComponent('https://shop.example/cart?item=7')}&title=${encodeURIComponent('Your cart')}`);
    await customer.fill('input[name=CustomerName]', 'Vera Visitor');
    const email = customer.locator('input[name=CustomerEmail]');
    if (await email.count()) await email.fill('c@example.org');
    await customer.fill('textarea[name=Message]', 'Is shipping free?');
    await customer.check('input[name=consent]');
    await customer.click('form.w-form button[type=submit]');
    await customer.locator('.w-msg.mine', { hasText: 'Is shipping free?' }).waitFor();

    const page = await signIn('tje0', 'Tje0');
    await page.locator('[data-group=queued] .session', { hasText: 'Vera Visitor' }).first().click();
    const panel = page.locator('.visitor-panel');
    await panel.locator('dd a', { hasText: 'https://shop.example/cart?item=7' }).waitFor();
    const facts = Object.fromEntries(
      await panel.locator('.visitor-facts dt').evaluateAll((dts) => dts.map((dt) => [dt.textContent, dt.nextElementSibling?.textContent])),
    );
    assert.equal(facts.Title, 'Your cart');
    assert.equal(facts.Language, 'nb-NO');
    assert.match(facts.Browser ?? '', /Chrome/);
    assert.equal(facts.Address, '127.0.0.1');
    assert.equal(await panel.locator('dd a').first().getAttribute('rel'), 'noopener noreferrer');
    assert.ok((await panel.locator('.earlier-chats li').count()) >= 2, 'the earlier chat with the same address is listed');
    await customer.close();

    const tricked = await (await browser.newContext()).newPage();
    await tricked.goto(`${base}/widget/?topic=1&page=${encodeURIComponent('javascript:window.__xss=1')}&title=${encodeURIComponent(XSS)}`);
    await tricked.fill('input[name=CustomerName]', 'Mallory Page');
    await tricked.fill('textarea[name=Message]', 'hi');
    await tricked.check('input[name=consent]');
    await tricked.click('form.w-form button[type=submit]');
    await tricked.locator('.w-msg.mine', { hasText: 'hi' }).waitFor();
    await page.locator('[data-group=queued] .session', { hasText: 'Mallory Page' }).click();
    await panel.locator('dd', { hasText: 'javascript:window.__xss=1' }).waitFor();
    assert.equal(await panel.locator('a[href^="javascript"]').count(), 0, 'no javascript: link');
    assert.equal(await panel.locator('img').count(), 0, 'the title is text');
    await tricked.close();
    await page.close();
  });

  test('a shop page embedding the widget tells it where the visitor is by postMessage; the agent sees that page', async () => {
    const html = `<!doctype html><title>Checkout</title><h1>Checkout</h1>
      <iframe id="w" src="${base}/widget/?topic=1"></iframe>
      <script>document.getElementById('w').addEventListener('load', (e) => e.target.contentWindow.postMessage(
        { type: 'parley:page', url: location.href + '?step=pay', title: document.title, referrer: 'https://ads.example/spring' }, '*'));</script>`;
    const shop = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html));
    await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
    const shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}/`;
    const customer = await (await browser.newContext()).newPage();
    try {
      await customer.goto(shopUrl);
      const widget = customer.frameLocator('#w');
      await widget.locator('input[name=CustomerName]').fill('Paula Post');
      await widget.locator('textarea[name=Message]').fill('Can I pay by invoice?');
      await widget.locator('input[name=consent]').check();
      await widget.locator('form.w-form button[type=submit]').click();
      await widget.locator('.w-msg.mine', { hasText: 'Can I pay by invoice?' }).waitFor();
      const page = await signIn('tje0', 'Tje0');
      await page.locator('[data-group=queued] .session', { hasText: 'Paula Post' }).click();
      const panel = page.locator('.visitor-panel');
      await panel.locator('dd a', { hasText: `${shopUrl}?step=pay` }).waitFor();
      await panel.locator('dd', { hasText: 'https://ads.example/spring' }).waitFor();
      await panel.locator('dd', { hasText: 'Checkout' }).waitFor();
      await page.close();
    } finally {
      await customer.context().close();
      shop.closeAllConnections();
      shop.close();
    }
  });

  test('while the tab is hidden: a sound and a desktop notification for a new chat, an offered chat and a message; muting stops the sound', async () => {
    // The browser's notification and audio, and the tab's visibility, as the page sees them. A script as text: a
    // function would be sent as tsx compiled it, with helpers the page does not have.
    const page = await signIn(
      'tje0',
      'Tje0',
      `
        window.__alerts = [];
        window.__hidden = false;
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => window.__hidden });
        window.Notification = class {
          static permission = 'granted';
          static requestPermission = async () => 'granted';
          constructor(title, options) { window.__alerts.push({ kind: 'notification', title, body: options && options.body }); }
          close() {}
        };
        const RealAudio = window.AudioContext;
        window.AudioContext = class extends RealAudio {
          createOscillator() { window.__alerts.push({ kind: 'sound' }); return super.createOscillator(); }
        };`,
    );
    const alerts = () => page.evaluate(() => (window as unknown as { __alerts: Array<{ kind: string; title?: string; body?: string }> }).__alerts);
    const waitFor = async (what: string, check: (a: Array<{ kind: string; title?: string; body?: string }>) => boolean) => {
      for (let i = 0; i < 100; i++) {
        if (check(await alerts())) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.fail(`${what}: ${JSON.stringify(await alerts())}`);
    };

    // Visible: nothing to raise.
    const first = await chatWith('Seen Already');
    await page.locator('.session', { hasText: 'Seen Already' }).waitFor();
    assert.deepEqual(await alerts(), []);

    await page.evaluate(() => {
      (window as unknown as { __hidden: boolean }).__hidden = true;
    });
    const open = await app.server.inject({
      method: 'POST',
      url: '/api/v1/Visitor/OpenSession',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ ChatTopicId: 1, Consented: true, CustomerName: 'Hidden Hanna', Message: 'Anyone?' }),
    });
    assert.equal(open.statusCode, 200);
    await waitFor('a new chat', (a) => a.some((x) => x.kind === 'notification' && x.title === 'New chat waiting' && x.body === 'Hidden Hanna'));
    assert.ok((await alerts()).some((x) => x.kind === 'sound'));

    // A topic where tje0 only listens: its new chats are not his to pick up, and raise nothing (he still sees them).
    const topic = await call(app, 'SaveChatTopicEntity', { auth: ADM0, body: { ChatTopicId: 0, Name: 'Listened only' } });
    const listened = topic.json.ChatTopicId as number;
    for (const [user, roles] of [
      ['tje0', { CanListen: true, CanRespond: false }],
      ['ann1', { CanListen: false, CanRespond: true }],
    ] as const) {
      const id = (await app.store.associates.byUserName(user))?.id;
      const added = await call(app, 'AddChatTopicUserAgent', {
        auth: ADM0,
        body: { ChatTopicId: listened, Useragent: { TopicId: listened, User: { AssociateId: id }, CanManage: false, CanNotify: false, ...roles } },
      });
      assert.equal(added.status, 200, added.body);
    }
    await page.locator('#stream-state', { hasText: 'Live' }).waitFor();
    const lena = await app.server.inject({
      method: 'POST',
      url: '/api/v1/Visitor/OpenSession',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ ChatTopicId: listened, Consented: true, CustomerName: 'Listened Lena', Message: 'Hello?' }),
    });
    assert.equal(JSON.parse(lena.body).Session.Status, 'InQueue');
    await page.locator('.session', { hasText: 'Listened Lena' }).waitFor();
    assert.ok(!(await alerts()).some((x) => x.body === 'Listened Lena'), 'a listener is not called to a new chat');

    // A customer writes in my chat.
    const posted = await app.server.inject({
      method: 'POST',
      url: '/api/v1/Visitor/PostMessage',
      headers: { 'content-type': 'application/json', 'x-session-key': first.key },
      payload: JSON.stringify({ Message: 'Hello again' }),
    });
    assert.equal(posted.statusCode, 200, posted.body);
    await waitFor('a message', (a) => a.some((x) => x.kind === 'notification' && x.title === 'Seen Already wrote' && x.body === 'Hello again'));

    // Muted: notifications still, no sound. A colleague offers me a chat.
    await page.evaluate(() => {
      (window as unknown as { __hidden: boolean }).__hidden = false;
    });
    await page.click('#sound');
    assert.equal(await page.locator('#sound').textContent(), 'Sound off');
    await page.evaluate(() => {
      const w = window as unknown as { __hidden: boolean; __alerts: unknown[] };
      w.__alerts = [];
      w.__hidden = true;
    });
    const ann1 = await app.server.inject({
      method: 'POST',
      url: '/api/v1/Visitor/OpenSession',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ ChatTopicId: 1, Consented: true, CustomerName: 'Offered Olga', Message: 'Hi' }),
    });
    const olga = JSON.parse(ann1.body).Session.ChatSessionId;
    assert.equal((await call(app, 'PickUpChatSession', { auth: ANN1, body: { ChatSessionId: olga } })).status, 200);
    assert.equal((await call(app, 'TransferChatSession', { auth: ANN1, body: { ChatSessionId: olga, ToAssociate: 'tje0' } })).status, 200);
    await waitFor('an offered chat', (a) => a.some((x) => x.kind === 'notification' && x.title === 'A chat is offered to you'));
    assert.ok(!(await alerts()).some((x) => x.kind === 'sound'), 'muted');
    await page.context().close();
  });

  test('desktop notifications are asked for with the browser prompt, from a click', async () => {
    const page = await signIn(
      'tje0',
      'Tje0',
      `
        window.__asked = 0;
        window.Notification = class {
          static permission = 'default';
          static async requestPermission() { window.__asked++; this.permission = 'granted'; return 'granted'; }
        };`,
    );
    await page.locator('#desktop-alerts').waitFor({ state: 'visible' });
    await page.click('#desktop-alerts');
    await page.locator('#desktop-alerts').waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => (window as unknown as { __asked: number }).__asked), 1);
    await page.context().close();
  });

  test('files both ways: the paperclip, drag and drop, pasting an image; progress while sending; images as thumbnails, other files as cards; a refused type said so', async () => {
    const chat = await chatWith('Fred Files');
    const page = await signIn('tje0', 'Tje0');
    await page.locator('[data-group=mine] .session', { hasText: 'Fred Files' }).click();
    // The upload is held back a moment, so its progress line can be seen.
    await page.route('**/api/v1/Parley/Attachments/Upload*', async (route) => {
      await new Promise((r) => setTimeout(r, 400));
      await route.continue();
    });
    await page.locator('.composer input[type=file]').setInputFiles({ name: 'screen.png', mimeType: 'image/png', buffer: PNG });
    await page.locator('.uploads .upload progress').waitFor();
    const thumb = page.locator('.messages .from-agent img.file-thumb[alt="screen.png"]');
    await thumb.waitFor();
    await page.waitForFunction(() => (document.querySelector('img.file-thumb') as HTMLImageElement | null)?.naturalWidth === 1);
    await page.locator('.uploads .upload').waitFor({ state: 'detached' });

    // Dropped on the conversation: a PDF, shown as a card with its size.
    const dropped = await page.evaluateHandle((pdf) => {
      const dt = new DataTransfer();
      dt.items.add(new File([pdf], 'Invoice 7.pdf', { type: 'application/pdf' }));
      return dt;
    }, PDF.toString('latin1'));
    await page.locator('#conversation').dispatchEvent('drop', { dataTransfer: dropped });
    const card = page.locator('.messages a.file-card', { hasText: 'Invoice 7.pdf' });
    await card.waitFor();
    await card.locator('.file-size', { hasText: `${PDF.length} B` }).waitFor();

    // Pasted into the reply box: an image.
    await page.locator('.composer textarea').evaluate((el, png) => {
      const dt = new DataTransfer();
      dt.items.add(new File([Uint8Array.from(atob(png), (c) => c.charCodeAt(0))], 'pasted.png', { type: 'image/png' }));
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }, PNG.toString('base64'));
    await page.locator('.messages img.file-thumb[alt="pasted.png"]').waitFor();

    // An SVG: refused, said in the console and as a line in the chat.
    await page
      .locator('.composer input[type=file]')
      .setInputFiles({ name: 'logo.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') });
    await page.locator('#notice', { hasText: 'cannot be sent' }).waitFor();
    await page.locator('.messages .system', { hasText: 'logo.svg' }).waitFor();

    // The customer sees the agent's image in the widget, downloads it with their key, and sends one back.
    const customer = await (await browser.newContext()).newPage();
    await customer.goto(`${base}/widget/?topic=1`);
    await customer.evaluate((key) => sessionStorage.setItem('parley.widget.1', key), chat.key);
    await customer.reload();
    await customer.locator('.w-msg.theirs img.file-thumb[alt="screen.png"]').waitFor();
    await customer.waitForFunction(() => (document.querySelector('.w-msg.theirs img.file-thumb') as HTMLImageElement | null)?.naturalWidth === 1);
    await customer.locator('.w-composer input[type=file]').setInputFiles({ name: 'receipt.pdf', mimeType: 'application/pdf', buffer: PDF });
    await customer.locator('.w-msg.mine a.file-card', { hasText: 'receipt.pdf' }).waitFor();
    await page.locator('.messages .from-customer a.file-card', { hasText: 'receipt.pdf' }).waitFor();
    await customer.close();
    await page.close();
  });

  test('the keyboard alone: Alt+↓ and Alt+↑ move between chats, Enter sends, Shift+Enter makes a new line; a file name is text', async () => {
    const a = await chatWith('Kim Keys');
    await chatWith('Kai Keys');
    const page = await signIn('tje0', 'Tje0');
    await page.locator('.session', { hasText: 'Kim Keys' }).click();
    const title = () => page.locator('.conv-title').textContent();
    assert.equal(await title(), 'Kim Keys');
    const order = await page.locator('#inbox [data-session-id]').evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.sessionId));
    const at = order.indexOf(String(a.id));
    await page.keyboard.press('Alt+ArrowDown');
    await page.waitForFunction(
      (id) => document.querySelector('#inbox [aria-current="true"]')?.getAttribute('data-session-id') === id,
      order[(at + 1) % order.length],
    );
    await page.keyboard.press('Alt+ArrowUp');
    await page.waitForFunction(() => document.querySelector('.conv-title')?.textContent === 'Kim Keys');
    await page.locator('.composer textarea').focus();
    await page.keyboard.type('first line');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('second line');
    await page.keyboard.press('Enter');
    await page.locator('.messages .from-agent', { hasText: 'first line' }).waitFor();
    const sent = (await call(app, 'GetChatMessages', { auth: TJE0, body: { ChatSessionId: a.id, After: 0 } })).json;
    assert.ok(sent.some((m: { Message: string }) => m.Message === 'first line\nsecond line'));

    // A file whose name is markup: a card with the name as text.
    await page.locator('.composer input[type=file]').setInputFiles({ name: `${XSS}.pdf`, mimeType: 'application/pdf', buffer: PDF });
    await page.locator('.messages a.file-card .file-name', { hasText: `${XSS}.pdf` }).waitFor();
    assert.equal(await page.locator('.messages img:not(.file-thumb)').count(), 0);
    assert.equal(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
    await page.close();
  });

  test('routing offers a chat: a card counts down; Accept opens the chat, Decline lets it go; the top bar shows the load', async () => {
    const topicId = await app.store.topics.insert({ ...defaultTopic(), name: 'Routed desk', welcomeMessage: 'Hello from the routed desk' });
    const tje0 = (await app.store.associates.byUserName('tje0'))!.id;
    await app.store.topicAgents.upsert({ ...defaultTopicAgent(), topicId, associateId: tje0, canRespond: true });
    const saved = await saveRouting(app, { TopicId: topicId, Mode: 'Auto', Delivery: 'Offer', OfferSeconds: 120, DefaultCapacity: 50 });
    // tje0 has the chats earlier tests gave them: room for many more.
    assert.equal(saved.status, 200, saved.body);
    const page = await signIn('tje0', 'Tje0');
    const load = page.locator('#load');
    await load.waitFor({ state: 'visible' });
    const before = Number((await load.textContent())?.match(/^(\d+) \/ 50$/)?.[1]);
    assert.ok(Number.isInteger(before), `load label: ${await load.textContent()}`);

    const first = await queuedSession(app, topicId, { customerName: 'Olive Offered' });
    await app.router.settle();
    const card = page.locator('.offer', { hasText: 'Olive Offered' });
    await card.waitFor();
    const shown = Number((await card.locator('.countdown').textContent())?.replace(' s', ''));
    assert.ok(shown > 100 && shown <= 120, `countdown ${shown}`);
    await page.waitForFunction((was) => Number(document.querySelector('.offer .countdown')?.textContent?.replace(' s', '')) < was, shown);
    await page.waitForFunction((n) => document.querySelector('#load')?.textContent === `${n} / 50`, before + 1);
    await card.getByRole('button', { name: 'Accept' }).click();
    await page.waitForFunction(() => document.querySelector('.conv-title')?.textContent === 'Olive Offered');
    await card.waitFor({ state: 'detached' });
    assert.equal((await app.store.sessions.byId(first))?.userId, tje0);
    await page.locator('.messages', { hasText: 'Hello from the routed desk' }).waitFor();
    await page.waitForFunction((n) => document.querySelector('#load')?.textContent === `${n} / 50`, before + 1);

    const second = await queuedSession(app, topicId, { customerName: 'Dan Declined' });
    await app.router.settle();
    const next = page.locator('.offer', { hasText: 'Dan Declined' });
    await next.getByRole('button', { name: 'Decline' }).click();
    await next.waitFor({ state: 'detached' });
    assert.equal(await app.store.routing.offerFor(second), undefined);
    assert.equal((await app.store.sessions.byId(second))?.userId, null, 'declined: nobody else here, it waits');
    // Logging out of the console signs the agent off: routing offers them nothing more.
    assert.equal((await app.store.associates.byId(tje0))?.present, true);
    await page.click('#logout');
    await page.locator('#login-form').waitFor();
    assert.equal((await app.store.associates.byId(tje0))?.present, false);
    await saveRouting(app, { TopicId: topicId, Mode: 'Manual' });
    await page.close();
  });

  async function scopesOf(user: string, password: string) {
    const page = await signIn(user, password);
    await page.click('#open-replies');
    const options = await page.locator('#replies-dialog select[name=scope] option').allTextContents();
    await page.close();
    return options;
  }
});
