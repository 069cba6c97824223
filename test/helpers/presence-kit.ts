// Presence and the user list: GetChatPresence, SaveChatPresence, GetUserAgentList, and IsWithinOpeningHours
// (with a test clock), through the real HTTP stack on every database.
import assert from 'node:assert/strict';
import { type App, createApp, randomKeys } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { fillDemoData } from '../../src/demo/demo-data.ts';
import { openTestDatabase } from './databases.ts';
import { basic, call } from './test-app.ts';

export const SVE3 = basic('sve3', 'Sve3');

// The demo's topics, in the order demo-data inserts them into a fresh database.
export const SUPPORT = 1,
  SALES = 2,
  SWEDEN = 3,
  GERMANY = 4,
  BOT_LAB = 5;

export const PRESENCE_KEYS = ['UserId', 'DisplayName', 'OngoingChats', 'Present', 'ChatTopics', 'TableRight', 'FieldProperties'];

export const ITEM_KEYS = [
  'Id',
  'Name',
  'ToolTip',
  'Deleted',
  'Rank',
  'Type',
  'ChildItems',
  'IconHint',
  'ColorBlock',
  'ExtraInfo',
  'StyleHint',
  'FullName',
  'TableRight',
  'FieldProperties',
];

export const SELECT = { Mask: 'Select', Reason: '' };

export const UR = { Mask: 'UR', Reason: '' };

/** A polled list shows only the fields whose right differs from TableRight: on an updatable row, the server-owned ones. */
export const SERVER_OWNED_FIELDS = {
  UserId: { FieldRight: { Mask: 'Read', Reason: '[SR_PARLEY_FIELD_SERVER_OWNED]' }, FieldType: 'System.Int32', FieldLength: 0 },
  DisplayName: { FieldRight: { Mask: 'Read', Reason: '[SR_PARLEY_FIELD_SERVER_OWNED]' }, FieldType: 'System.String', FieldLength: 255 },
  OngoingChats: { FieldRight: { Mask: 'Read', Reason: '[SR_PARLEY_FIELD_SERVER_OWNED]' }, FieldType: 'System.Int32', FieldLength: 0 },
};

export type Res = Awaited<ReturnType<typeof call>>;

export function assertError(res: Res, status: number, type: string, message?: RegExp) {
  assert.equal(res.status, status, res.body);
  assert.equal(res.json.Error, true);
  assert.equal(res.json.ErrorType, type);
  if (message) assert.match(res.json.ErrorMessage, message);
}

export async function userIds(app: App) {
  const ids: Record<string, number> = {};
  for (const a of await app.store.associates.list()) ids[a.userName] = a.id;
  return ids;
}

export const presence = (app: App, auth: string, query?: string, headers?: Record<string, string>) => call(app, 'GetChatPresence', { auth, query, headers });

export const savePresence = (app: App, auth: string, list: unknown, query?: string) =>
  call(app, 'SaveChatPresence', { auth, body: { ChatPresence: list }, query });

export const userList = (app: App, auth: string, Flat: boolean, OnlyPresent: boolean, headers?: Record<string, string>, query?: string) =>
  call(app, 'GetUserAgentList', { auth, body: { Flat, OnlyPresent }, headers, query });

/** Present flags straight from the database, by user name. */
export const storedPresence = async (app: App) => Object.fromEntries((await app.store.associates.list()).map((a) => [a.userName, a.present]));

export const rowOf = (res: Res, userId: number) => res.json.find((p: any) => p.UserId === userId);

/** A Parley app whose clock the test sets, on a fresh database with the demo data. */
export async function startClockedApp(kind: 'sqlite' | 'postgres') {
  const testDb = await openTestDatabase(kind);
  const clock = {
    time: Date.now(),
    now() {
      return new Date(this.time);
    },
  };
  const config = loadConfig({ DATABASE_URL: testDb.url, PARLEY_TIMEZONE: 'Europe/Oslo', PARLEY_AUTH_CACHE_SECONDS: '30' });
  const app = await createApp(config, { clock, logger: false });
  await fillDemoData(app.store, clock.now(), randomKeys.sessionKey);
  return {
    ...app,
    clock,
    setTime: (iso: string) => {
      clock.time = Date.parse(iso);
    },
    async close() {
      await app.close();
      await testDb.drop();
    },
  };
}
