import { basic, call, type TestApp } from './test-app.ts';

export const SVE3 = basic('sve3', 'Sve3');

// The demo's topics, in the order demo-data inserts them into a fresh database.
// tje0: respond+notify on Support, listen on Salg, notify on Support Sverige; ola2 manages Salg; adm0 manages+listens Support.
export const SUPPORT = 1,
  SALES = 2,
  SWEDEN = 3,
  GERMANY = 4;

export const SESSION_KEYS = [
  'ChatSessionId',
  'TopicId',
  'User',
  'Person',
  'CustomerAlias',
  'CustomerHost',
  'CustomerName',
  'CustomerEmail',
  'CustomerPhone',
  'CustomerConsented',
  'CustomerCompanyName',
  'Status',
  'FirstMessage',
  'LastMessage',
  'WhenRequested',
  'WhenStarted',
  'WhenEnded',
  'WhenIdle',
  'WhenFetched',
  'SessionKey',
  'InitialQueuePos',
  'AlertLevel',
  'Rank',
  'Flags',
  'Contact',
  'Project',
  'Sale',
  'Ticket',
  'TransferTo',
  'ChatbotIsActive',
  'Rating',
  'TableRight',
  'FieldProperties',
];

export const OFFSET_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?[+-]\d\d:\d\d$/;

/** Ids of the demo's users and CRM records. */
export async function demoIds(app: TestApp) {
  const db = app.store.db;
  const users: Record<string, number> = {};
  for (const a of await app.store.associates.list()) users[a.userName] = a.id;
  const one = async (q: Promise<{ id: number } | undefined>) => (await q)!.id;
  return {
    users,
    kari: await one(db.selectFrom('persons').select('id').where('firstname', '=', 'Kari').executeTakeFirst()),
    nordic: await one(db.selectFrom('contacts').select('id').where('name', '=', 'Nordic Widgets AS').executeTakeFirst()),
    project: await one(db.selectFrom('projects').select('id').executeTakeFirst()),
    sale: await one(db.selectFrom('sales').select('id').executeTakeFirst()),
    ticket: await one(db.selectFrom('tickets').select('id').executeTakeFirst()),
  };
}

export const getSession = (app: TestApp, auth: string, id: number, headers?: Record<string, string>) =>
  call(app, 'GetChatSessionEntity', { auth, query: `chatSessionEntityId=${id}`, headers });

export const save = (app: TestApp, auth: string, body: unknown, headers?: Record<string, string>) =>
  call(app, 'SaveChatSessionEntity', { auth, body, headers });

export const countSessions = async (app: TestApp) => (await app.store.db.selectFrom('chat_sessions').select('id').execute()).length;
