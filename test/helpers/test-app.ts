// A Parley app on a fresh test database with the demo data, driven in memory with inject() or over a socket.
import { type App, createApp, randomKeys } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { Clock } from '../../src/domain/ports.ts';
import { fillDemoData } from '../../src/demo/demo-data.ts';
import { openTestDatabase, type TestDatabase } from './databases.ts';

export interface TestApp extends App {
  testDb: TestDatabase;
  now: Date;
}

export async function startTestApp(
  options: { kind?: 'sqlite' | 'postgres'; env?: Record<string, string>; demo?: boolean; clock?: Clock; logger?: { write(line: string): void } } = {},
): Promise<TestApp> {
  const testDb = await openTestDatabase(options.kind ?? 'sqlite');
  // The sweeper runs only when a test asks (app.sweeper.runOnce()), so no rule fires behind a test's back.
  // Failed log-ins are not throttled unless a test asks: some send a wrong password to every endpoint.
  // Closing does not leave the test's keep-alive connections their linger (test/e2e/shutdown.test.ts covers it).
  const config = loadConfig({
    DATABASE_URL: testDb.url,
    PARLEY_TIMEZONE: 'Europe/Oslo',
    PARLEY_AUTH_CACHE_SECONDS: '30',
    PARLEY_SWEEP_SECONDS: '0',
    PARLEY_LOGIN_FAILURES_PER_MINUTE: '0',
    PARLEY_SHUTDOWN_LINGER_MS: '0',
    ...options.env,
  });
  const app = await createApp(config, { logger: options.logger ?? false, clock: options.clock });
  const now = options.clock?.now() ?? new Date();
  if (options.demo !== false) await fillDemoData(app.store, now, randomKeys.sessionKey);
  return {
    ...app,
    testDb,
    now,
    async close() {
      await app.close();
      await testDb.drop();
    },
  };
}

export const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
export const TJE0 = basic('tje0', 'Tje0');
export const ADM0 = basic('adm0', 'Adm0');
export const ANN1 = basic('ann1', 'Ann1');
export const OLA2 = basic('ola2', 'Ola2');
export const DEU4 = basic('deu4', 'Deu4');

/** POST an agent method in memory. */
export async function call(
  app: App,
  method: string,
  options: { auth?: string; body?: unknown; query?: string; headers?: Record<string, string>; rawBody?: string; contentType?: string } = {},
) {
  const headers: Record<string, string> = { ...(options.auth ? { authorization: options.auth } : {}), ...options.headers };
  let payload: string | undefined = options.rawBody;
  if (payload === undefined && options.body !== undefined) {
    payload = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  if (options.contentType) headers['content-type'] = options.contentType;
  const url = method.startsWith('/') ? method : `/api/v1/Agents/Chat/${method}${options.query ? `?${options.query}` : ''}`;
  const res = await app.server.inject({ method: 'POST', url, headers, payload });
  let json: any;
  try {
    json = res.body ? JSON.parse(res.body) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, body: res.body, json };
}
