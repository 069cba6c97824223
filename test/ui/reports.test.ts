// The reports page in headless Chromium: an administrator changes the range and sees the hand-built month's figures,
// downloads a section as CSV; an agent sees only their own chats. The page must run clean under the strict CSP.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ChatSessionStatus as S } from '../../src/domain/enums.ts';
import { chromiumSkip, openSite } from '../helpers/browser-kit.ts';
import { reportedSession } from '../helpers/factories.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

const SUPPORT = 1;
const SALES = 2;

function watch(page: Page) {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  return problems;
}

describe('reports page', { skip: chromiumSkip() }, () => {
  let app: TestApp;
  let base: string;
  let browser: Browser;
  let ids: Record<string, number>;
  before(async () => {
    app = await startTestApp();
    ids = Object.fromEntries((await app.store.associates.list()).map((a) => [a.userName, a.id]));
    // March 2024 (no demo data then): two chats of tje0, one of ann1, one missed, one offline request.
    await reportedSession(app, {
      topicId: SUPPORT,
      userId: ids.tje0,
      status: S.Finished,
      requested: '2024-03-04T08:00:00Z',
      started: 60,
      ended: 600,
      customerAt: [30],
      answersAt: [90],
      rating: 5,
    });
    await reportedSession(app, {
      topicId: SUPPORT,
      userId: ids.tje0,
      status: S.Finished,
      requested: '2024-03-05T08:00:00Z',
      started: 120,
      ended: 420,
      customerAt: [130],
      answersAt: [150],
      rating: 3,
    });
    await reportedSession(app, {
      topicId: SUPPORT,
      userId: ids.ann1,
      status: S.Finished,
      requested: '2024-03-05T13:00:00Z',
      started: 300,
      ended: 1200,
      rating: 4,
    });
    await reportedSession(app, { topicId: SUPPORT, userId: null, status: S.ClosedFromQueue, requested: '2024-03-06T13:00:00Z', ended: 200 });
    await reportedSession(app, { topicId: SALES, userId: null, status: S.RequestPosted, requested: '2024-03-07T10:00:00Z', ended: 60 });
    ({ base, browser } = await openSite(app));
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  async function openReports(user: string, password: string) {
    const context = await browser.newContext({ timezoneId: 'Europe/Oslo', acceptDownloads: true });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const problems = watch(page);
    await page.goto(`${base}/console/`);
    await page.fill('#login-form input[name=user]', user);
    await page.fill('#login-form input[name=password]', password);
    await page.click('#login-form button[type=submit]');
    await page.click('#open-reports');
    await page.waitForSelector('body[data-loaded]');
    // The range: March 2024.
    const loaded = await page.getAttribute('body', 'data-loaded');
    await page.fill('#from', '2024-03-01');
    await page.fill('#to', '2024-03-31');
    await page.click('#filters button[type=submit]');
    await page.waitForFunction((before) => document.body.dataset.loaded !== before, loaded);
    const tile = (name: string) => page.locator(`.tile[data-measure="${name}"] b`).textContent();
    return { context, page, problems, tile };
  }

  test('an administrator changes the range, sees the figures and charts, and downloads the per-agent CSV', { timeout: 90_000 }, async () => {
    const { context, page, problems, tile } = await openReports('adm0', 'Adm0');
    try {
      assert.equal(await tile('Requested'), '5');
      assert.equal(await tile('Answered'), '3');
      assert.equal(await tile('Missed'), '2');
      assert.equal(await tile('Offline requests'), '1');
      assert.equal(await tile('Average rating'), '4'); // (5 + 3 + 4) / 3
      assert.equal(await tile('Median wait'), '2.0 min'); // waits 60, 120, 300 s: the 2nd
      // Five chats in five different weekday × hour cells: each is the busiest (one chat), the other 163 are empty.
      assert.equal(await page.locator('#heat-map td.h5').count(), 5);
      assert.equal(await page.locator('#heat-map td.h0').count(), 163);
      assert.equal(await page.locator('#heat-map tr').nth(1).locator('td.h5').getAttribute('title'), 'Mon 9:00 · 1'); // 08:00 UTC is 09:00 in Oslo
      assert.ok(
        await page.evaluate(() => document.querySelectorAll('canvas').length === 4 && typeof (window as unknown as { Chart: unknown }).Chart === 'function'),
      );
      const rows = await page.locator('#agents-table tr').allTextContents();
      assert.equal(rows.length, 4, 'a header, Anne Berg, Tor Jensen, nobody');
      assert.match(rows[0], /Offers declinedOffers timed out$/, 'routing: missed offers per agent');
      const download = page.waitForEvent('download');
      await page.click('button[data-csv="Agents"]');
      const file = await (await download).path();
      const csv = readFileSync(file, 'utf8').split('\r\n');
      assert.match(csv[0], /^AgentId,AgentName,Requested,Answered,/);
      assert.match(csv[1], new RegExp(`^${ids.ann1},Anne Berg,1,1,`));
      assert.match(csv[2], new RegExp(`^${ids.tje0},Tor Jensen,2,2,`));
      assert.match(csv[3], /^0,,2,0,2,/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('an agent sees only their own figures', { timeout: 90_000 }, async () => {
    const { context, page, problems, tile } = await openReports('tje0', 'Tje0');
    try {
      assert.equal(await page.textContent('#scope'), 'Your own chats');
      assert.equal(await tile('Requested'), '2');
      assert.equal(await tile('Missed'), '0');
      const rows = await page.locator('#agents-table tr').allTextContents();
      assert.equal(rows.length, 2);
      assert.match(rows[1], /^Tor Jensen/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
