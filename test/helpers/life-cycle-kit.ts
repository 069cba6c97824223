// The chat life cycle through the HTTP API: pick-up (one session, the first in the queue), transfers (offer,
// accept, reject, cancel, a manager's take-over), a bot's hand-over (ResetChatSession), messages, transcripts,
// where CreateChatSessionForTopic starts a session, and status changes made with SaveChatSessionEntity.
// Each group starts from a fresh demo database:
//   Customer support (1): tje0 and ann1 respond (both present), adm0 manages and listens. Queued: Kari (4 min
//     ago), Guest 2 (2 min). Active: Lars Lund (tje0, rank 1), Mia (ann1, rank 1), Petter (tje0, rank 2, being
//     transferred to ann1). Ended: Ingrid (Finished, tje0), Ole (Closed, ann1), ...
//   Salg (2): opening hours; ola2 responds and manages but is away; tje0 listens. Queued: Per Hansen. Active: Eva.
//   Support Sverige (3): sve3; tje0 notified. Queued: Lars Lund (5 min).   Vertrieb (4): deu4.
//   Bot lab (5): a bot ("Parley helper") answers first; adm0 responds and manages.
// Tests make the sessions they rely on with test/helpers/factories.ts; the demo's own sessions above still wait in
// the queues and hold ranks, so expectations about queue order, counts and ranks are computed from the data.
import assert from 'node:assert/strict';
import { defaultSession } from '../../src/domain/defaults.ts';
import { ChatMessageSpecialType, ChatMessageType } from '../../src/domain/enums.ts';
import { call, type TestApp, TJE0 } from './test-app.ts';

export const SUPPORT = 1,
  SALES = 2,
  SWEDEN = 3,
  BOT_LAB = 5;

export const OFFSET_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?[+-]\d\d:\d\d$/;

export async function userIds(app: TestApp) {
  const users: Record<string, number> = {};
  for (const a of await app.store.associates.list()) users[a.userName] = a.id;
  return users;
}

export const setPresent = (app: TestApp, userName: string, present: boolean) =>
  app.store.db
    .updateTable('associates')
    .set({ present: present ? 1 : 0 })
    .where('user_name', '=', userName)
    .execute();

export const ask = (method: string) => (app: TestApp, auth: string, id: number, headers?: Record<string, string>) =>
  call(app, method, { auth, body: { ChatSessionId: id }, headers });

export const pickUp = ask('PickUpChatSession');

export const accept = ask('AcceptChatSessionTransfer');

export const reject = ask('RejectChatSessionTransfer');

export const reset = ask('ResetChatSession');

export const pickUpFirst = (app: TestApp, auth: string) => call(app, 'PickUpFirstChatSession', { auth });

export const transfer = (app: TestApp, auth: string, id: number, to: string) =>
  call(app, 'TransferChatSession', { auth, body: { ChatSessionId: id, ToAssociate: to } });

export const getSession = async (app: TestApp, auth: string, id: number) =>
  (await call(app, 'GetChatSessionEntity', { auth, query: `chatSessionEntityId=${id}` })).json;

export const messages = (app: TestApp, auth: string, id: number, after = 0, headers?: Record<string, string>) =>
  call(app, 'GetChatMessages', { auth, body: { ChatSessionId: id, After: after }, headers });

export const write = (app: TestApp, auth: string, id: number, message: Record<string, unknown> | null) =>
  call(app, 'AddChatMessage', { auth, body: { ChatSessionId: id, Message: message } });

export const say = (app: TestApp, auth: string, id: number, text: string) => write(app, auth, id, { Type: 'ToCustomer', Message: text });

export const create = (app: TestApp, auth: string, topicId: number) => call(app, 'CreateChatSessionForTopic', { auth, body: { ChatTopicId: topicId } });

export const save = (app: TestApp, auth: string, body: Record<string, unknown>) => call(app, 'SaveChatSessionEntity', { auth, body });

/** A new queued session in Customer support (both responders present, open around the clock). */
export async function queued(app: TestApp) {
  const res = await create(app, TJE0, SUPPORT);
  assert.equal(res.json.Status, 'InQueue');
  return res.json.ChatSessionId as number;
}

/** A session stored directly, for states the API reaches only through the customer's side. */
export async function insertSession(app: TestApp, topicId: number, status: number, extra: Record<string, unknown> = {}) {
  return app.store.sessions.insert({
    ...defaultSession(new Date()),
    topicId,
    status,
    sessionKey: `k-${Math.random()}`,
    ...extra,
  });
}

export const customerWrites = (app: TestApp, sessionId: number, text: string, author = 'Customer', whenPosted = new Date()) =>
  app.store.messages.insert({
    sessionId,
    type: ChatMessageType.ToUser,
    message: text,
    author,
    readByCustomer: 0,
    specialType: ChatMessageSpecialType.None,
    specialParam: '',
    whenPosted,
    createdBy: null,
  });

export const specials = (list: any[], type: string) => list.filter((m) => m.SpecialType === type);
