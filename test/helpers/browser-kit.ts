// Headless Chromium against a Parley listening on a real socket: what every page test sets up first.
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium } from 'playwright-core';
import type { TestApp } from './test-app.ts';

export const CHROMIUM = '/usr/bin/chromium';

/** Chromium missing: a failure under CI=true, a visible skip locally. */
export function chromiumSkip(): string | false {
  if (existsSync(CHROMIUM)) return false;
  if (process.env.CI === 'true') throw new Error(`Chromium is required under CI but ${CHROMIUM} is missing (apt-get install chromium)`);
  return `Chromium not installed at ${CHROMIUM} (apt-get install chromium)`;
}

/** The app on a free port of 127.0.0.1 and a headless Chromium: the site's base URL and the browser. */
export async function openSite(app: TestApp): Promise<{ base: string; browser: Browser }> {
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
  return { base, browser: await chromium.launch({ executablePath: CHROMIUM, headless: true }) };
}
