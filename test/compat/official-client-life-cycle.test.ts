// Wire compatibility of the chat life cycle with SuperOffice's own TypeScript client, @superoffice/webapi, over a
// real socket: pick-up (one, first in queue), transfer, accept, reject, reset, and the message methods, through
// both overloads where the client has two. The client sends camelCase requests (string enum names, Dates) and
// converts answers into camelCase carriers with enums converted and Dates parsed; null answers stay null.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import type { WebApi } from '../helpers/webapi.ts';
import { defaultSession } from '../../src/domain/defaults.ts';
import { ChatMessageSpecialType as Special, ChatMessageType as MsgType, ChatSessionStatus as S } from '../../src/domain/enums.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { isDate, tracked as trackedClient } from '../helpers/official-client.ts';

// The ESM build of the client does not load under Node's ESM loader; its CommonJS build does.
const webapi = createRequire(import.meta.url)('@superoffice/webapi') as typeof WebApi;
const { ChatAgent, ChatSessionStatus, ChatMessageType, ChatMessageSpecialType, ETableRight } = webapi;

/** The client declares every carrier property optional; the tests read what Parley answered, so all is present. */
type Loaded<T> = T extends Date ? T : T extends Array<infer U> ? Array<Loaded<U>> : T extends object ? { [K in keyof T]-?: Loaded<NonNullable<T[K]>> } : T;
type ChatSessionEntity = Loaded<WebApi.ChatSessionEntity>;
type ChatMessage = Loaded<WebApi.ChatMessage>;

/** The nine methods this file covers; each must be called through the client below. */
const METHODS = [
  'pickUpChatSessionAsync',
  'pickUpFirstChatSessionAsync',
  'transferChatSessionAsync',
  'acceptChatSessionTransferAsync',
  'rejectChatSessionTransferAsync',
  'resetChatSessionAsync',
  'addChatMessageAsync',
  'getChatMessagesAsync',
  'getChatTranscriptAsync',
] as const;
const exercised = new Set<string>();

type Options = WebApi.WebApiRequestOptions;
/** The methods as the tests call them: both overloads, answers typed as Loaded (sessions may be null). */
interface Client {
  pickUpChatSessionAsync(id: number | WebApi.Chat_PickUpChatSessionRequest, o?: Options): Promise<ChatSessionEntity | null>;
  pickUpFirstChatSessionAsync(o?: Options): Promise<ChatSessionEntity | null>;
  transferChatSessionAsync(id: number, toAssociate: string, o?: Options): Promise<ChatSessionEntity | null>;
  transferChatSessionAsync(request: WebApi.Chat_TransferChatSessionRequest, o?: Options): Promise<ChatSessionEntity | null>;
  acceptChatSessionTransferAsync(id: number | WebApi.Chat_AcceptChatSessionTransferRequest, o?: Options): Promise<ChatSessionEntity | null>;
  rejectChatSessionTransferAsync(id: number | WebApi.Chat_RejectChatSessionTransferRequest, o?: Options): Promise<ChatSessionEntity | null>;
  resetChatSessionAsync(id: number | WebApi.Chat_ResetChatSessionRequest, o?: Options): Promise<ChatSessionEntity | null>;
  addChatMessageAsync(id: number, message: WebApi.ChatMessage, o?: Options): Promise<ChatMessage>;
  addChatMessageAsync(request: WebApi.Chat_AddChatMessageRequest, o?: Options): Promise<ChatMessage>;
  getChatMessagesAsync(id: number, after: number, o?: Options): Promise<ChatMessage[]>;
  getChatMessagesAsync(request: WebApi.Chat_GetChatMessagesRequest, o?: Options): Promise<ChatMessage[]>;
  getChatTranscriptAsync(id: number, html: boolean, o?: Options): Promise<string>;
  getChatTranscriptAsync(request: WebApi.Chat_GetChatTranscriptRequest, o?: Options): Promise<string>;
}

/** The client, recording which of its methods the tests call. */
const tracked = (agent: WebApi.ChatAgent) => trackedClient<Client>(agent, exercised);

const status = (e: any) => e?.response?.status;
const SUPPORT = 1,
  SALES = 2,
  BOT_LAB = 5;

for (const { kind, skip } of await databaseKinds()) {
  describe(`the official client's life-cycle calls against Parley on ${kind}`, { skip }, () => {
    let app: TestApp;
    let baseUrl: string;
    let ids: Record<string, number>;
    const agentFor = (username: string, password: string, options: Record<string, unknown> = {}) =>
      tracked(new ChatAgent({ baseUrl, axiosConfig: { auth: { username, password } }, ...options }));
    let tje0: Client, ann1: Client, adm0: Client, deu4: Client;

    const demoSession = async (topicId: number, customerName: string) =>
      (
        await app.store.db
          .selectFrom('chat_sessions')
          .select('id')
          .where('topic_id', '=', topicId)
          .where('customer_name', '=', customerName)
          .orderBy('id')
          .executeTakeFirstOrThrow()
      ).id;
    const queued = (customerName: string, extra: Record<string, unknown> = {}) =>
      app.store.sessions.insert({
        ...defaultSession(new Date()),
        topicId: SUPPORT,
        status: S.InQueue,
        customerName,
        sessionKey: `c-${Math.random()}`,
        ...extra,
      });

    before(async () => {
      app = await startTestApp({ kind });
      await app.server.listen({ port: 0, host: '127.0.0.1' });
      baseUrl = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}/`;
      ids = Object.fromEntries((await app.store.associates.list()).map((a) => [a.userName, a.id]));
      // The first ChatAgent ever built becomes the client's global default options: build plain ones first.
      tje0 = agentFor('tje0', 'Tje0');
      ann1 = agentFor('ann1', 'Ann1');
      adm0 = agentFor('adm0', 'Adm0');
      deu4 = agentFor('deu4', 'Deu4');
    });
    after(async () => app?.close());

    test('pickUpFirstChatSessionAsync: the oldest queued session as a converted carrier; null once the queue is empty', async () => {
      const first = (await tje0.pickUpFirstChatSessionAsync())!;
      assert.equal(first.customerName, 'Kari Nordmann');
      assert.equal(first.status, ChatSessionStatus.UserLast);
      assert.equal(first.user.userName, 'tje0');
      assert.ok(isDate(first.whenStarted));
      assert.ok(isDate(first.whenRequested));
      assert.equal(first.rank, 3, 'tje0 holds ranks 1 and 2 already');
      assert.equal(first.transferTo, null);
      assert.equal(first.tableRight.mask, ETableRight.URI);
      assert.equal((await tje0.pickUpFirstChatSessionAsync())!.customerName, 'Guest 2');
      assert.equal(await tje0.pickUpFirstChatSessionAsync(), null);
      assert.equal(await deu4.pickUpFirstChatSessionAsync(), null, 'nothing queued in Vertrieb');
    });

    test('pickUpChatSessionAsync: both overloads; null when not queued; 403 for a listener', async () => {
      const a = await queued('Client A');
      const b = await queued('Client B');
      const picked = (await ann1.pickUpChatSessionAsync(a))!;
      assert.equal(picked.chatSessionId, a);
      assert.equal(picked.user.userName, 'ann1');
      assert.equal(picked.status, ChatSessionStatus.UserLast);
      assert.ok(isDate(picked.whenStarted));
      assert.equal(picked.rank, 2, 'ann1 holds rank 1 (Mia)');
      const viaRequest = (await ann1.pickUpChatSessionAsync({ chatSessionId: b }))!;
      assert.equal(viaRequest.rank, 3);
      assert.equal(await tje0.pickUpChatSessionAsync(a), null, 'no longer in the queue');
      assert.equal(await deu4.pickUpChatSessionAsync(await queued('Client C')), null, 'not a member');
      await assert.rejects(tje0.pickUpChatSessionAsync(await demoSession(SALES, 'Per Hansen')), (e) => status(e) === 403);
    });

    test('getChatMessagesAsync: converted messages, Dates parsed; after an id; the welcome translated with languageCode', async () => {
      const id = await queued('Client Welcome');
      await tje0.pickUpChatSessionAsync(id);
      const all = await tje0.getChatMessagesAsync(id, 0);
      const welcome = all.at(-1)!;
      assert.equal(welcome.specialType, ChatMessageSpecialType.Welcome);
      assert.equal(welcome.type, ChatMessageType.ToCustomer);
      assert.equal(welcome.author, 'Tor Jensen');
      assert.equal(welcome.message, '[SR_PARLEY_WELCOME]', 'no language: the resource raw');
      assert.equal(welcome.chatSessionId, id);
      assert.equal(typeof welcome.chatMessageId, 'number');
      assert.ok(isDate(welcome.whenPosted));
      const en = await tje0.getChatMessagesAsync({ chatSessionId: id, after: 0 }, { languageCode: 'en' });
      assert.equal(en.at(-1)!.message, 'Hi! How can we help you today?');
      const lars = await demoSession(SUPPORT, 'Lars Lund');
      const conversation = await tje0.getChatMessagesAsync(lars, 0);
      assert.deepEqual(
        conversation.map((m) => m.type),
        [ChatMessageType.Special, ChatMessageType.ToUser, ChatMessageType.ToCustomer, ChatMessageType.ToUser],
      );
      assert.deepEqual(
        conversation.map((m) => m.specialType),
        [ChatMessageSpecialType.Welcome, ChatMessageSpecialType.None, ChatMessageSpecialType.None, ChatMessageSpecialType.None],
      );
      const later = await tje0.getChatMessagesAsync(lars, conversation[1].chatMessageId);
      assert.deepEqual(
        later.map((m) => m.chatMessageId),
        conversation.slice(2).map((m) => m.chatMessageId),
      );
      await assert.rejects(deu4.getChatMessagesAsync(lars, 0), (e) => status(e) === 404);
    });

    test('addChatMessageAsync: a ChatMessage with string enums goes in, the stored one comes back converted', async () => {
      const lars = await demoSession(SUPPORT, 'Lars Lund');
      const sent = await tje0.addChatMessageAsync(lars, { type: ChatMessageType.ToCustomer, message: 'Sent from the official client' });
      assert.equal(typeof sent.chatMessageId, 'number');
      assert.ok(sent.chatMessageId > 0);
      assert.equal(sent.chatSessionId, lars);
      assert.equal(sent.type, ChatMessageType.ToCustomer);
      assert.equal(sent.specialType, ChatMessageSpecialType.None);
      assert.equal(sent.message, 'Sent from the official client');
      assert.equal(sent.author, 'Tor Jensen');
      assert.ok(isDate(sent.whenPosted));
      assert.ok(Math.abs(sent.whenPosted.getTime() - Date.now()) < 60_000);
      // The request overload, with a whole carrier as a client would build it (ids, dates and all: ignored).
      const full = await tje0.addChatMessageAsync({
        chatSessionId: lars,
        message: {
          chatMessageId: 0,
          chatSessionId: lars,
          type: ChatMessageType.ToCustomer,
          message: 'With every field',
          author: '',
          readByCustomer: 0,
          specialType: ChatMessageSpecialType.None,
          specialParam: '',
          whenPosted: new Date(0),
        },
      });
      assert.equal(full.message, 'With every field');
      assert.ok(full.whenPosted.getTime() > 0, 'the server stamps WhenPosted');
      assert.equal((await tje0.getChatMessagesAsync(lars, sent.chatMessageId)).at(-1)!.chatMessageId, full.chatMessageId);
      await assert.rejects(ann1.addChatMessageAsync(lars, { type: ChatMessageType.ToCustomer, message: 'not mine' }), (e) => status(e) === 403);
      await assert.rejects(tje0.addChatMessageAsync(lars, { type: ChatMessageType.ToUser, message: 'as the customer' }), (e) => status(e) === 400);
    });

    test('transferChatSessionAsync, rejectChatSessionTransferAsync, acceptChatSessionTransferAsync: both overloads', async () => {
      const lars = await demoSession(SUPPORT, 'Lars Lund');
      const offered = (await tje0.transferChatSessionAsync(lars, 'ann1'))!;
      assert.equal(offered.transferTo.userName, 'ann1');
      assert.equal(offered.user.userName, 'tje0');
      const rejected = (await ann1.rejectChatSessionTransferAsync(lars))!;
      assert.equal(rejected.transferTo, null);
      assert.equal(rejected.user.userName, 'tje0');
      assert.equal((await tje0.getChatMessagesAsync(lars, 0)).at(-1)!.specialType, ChatMessageSpecialType.TransferRejected);
      // By associate id, through the request overload; a caller who is not the owner changes nothing.
      const byId = (await tje0.transferChatSessionAsync({ chatSessionId: lars, toAssociate: String(ids.ann1) }))!;
      assert.equal(byId.transferTo.associateId, ids.ann1);
      const untouched = (await ann1.transferChatSessionAsync(lars, 'tje0'))!;
      assert.equal(untouched.transferTo.userName, 'ann1');
      await assert.rejects(tje0.transferChatSessionAsync(lars, 'adm0'), (e) => status(e) === 400, 'adm0 does not respond');
      // Accepting as someone else changes nothing; the receiver's accept moves the session.
      assert.equal((await tje0.acceptChatSessionTransferAsync(lars))!.user.userName, 'tje0');
      const accepted = (await ann1.acceptChatSessionTransferAsync({ chatSessionId: lars }))!;
      assert.equal(accepted.user.userName, 'ann1');
      assert.equal(accepted.transferTo, null);
      assert.equal(accepted.status, ChatSessionStatus.UserLast);
      assert.equal((await ann1.getChatMessagesAsync(lars, 0)).at(-1)!.specialType, ChatMessageSpecialType.TransferedSession);
      // The previous owner reads but no longer writes; nothing is pending any more.
      assert.ok((await tje0.getChatMessagesAsync(lars, 0)).length > 0);
      await assert.rejects(tje0.addChatMessageAsync(lars, { type: ChatMessageType.ToCustomer, message: 'me again' }), (e) => status(e) === 403);
      assert.equal((await ann1.rejectChatSessionTransferAsync({ chatSessionId: lars }))!.user.userName, 'ann1');
      // A manager takes over by naming themselves.
      const taken = (await adm0.transferChatSessionAsync(lars, 'adm0'))!;
      assert.equal(taken.user.userName, 'adm0');
      assert.equal(taken.transferTo, null);
    });

    test('resetChatSessionAsync: a bot hands over; the session is queued with the bot off', async () => {
      const bot = await app.store.sessions.insert({
        ...defaultSession(new Date()),
        topicId: BOT_LAB,
        status: S.UserLast,
        chatbotIsActive: true,
        customerName: 'Bot customer',
        sessionKey: `b-${Math.random()}`,
      });
      const reset = (await adm0.resetChatSessionAsync(bot))!;
      assert.equal(reset.status, ChatSessionStatus.InQueue);
      assert.equal(reset.chatbotIsActive, false);
      assert.equal(reset.user, null);
      const again = (await adm0.resetChatSessionAsync({ chatSessionId: bot }))!;
      assert.equal(again.status, ChatSessionStatus.InQueue);
      assert.equal(await deu4.resetChatSessionAsync(bot), null, 'not a member');
      await assert.rejects(tje0.resetChatSessionAsync(await demoSession(SALES, 'Eva')), (e) => status(e) === 403, 'a listener');
    });

    test("getChatTranscriptAsync: a plain string; HTML with the customer's markup escaped; times in the client's timezone", async () => {
      const posted = new Date('2026-01-15T12:00:00Z');
      const id = await queued('Transcript customer');
      await app.store.messages.insert({
        sessionId: id,
        type: MsgType.ToUser,
        message: '<img src=x onerror=alert(1)> hi',
        author: 'Transcript customer',
        readByCustomer: 0,
        specialType: Special.None,
        specialParam: '',
        whenPosted: posted,
        createdBy: null,
      });
      const text = await tje0.getChatTranscriptAsync(id, false, { timezone: 'US-NY' });
      assert.equal(typeof text, 'string');
      const ny = new Intl.DateTimeFormat('en', { timeZone: 'America/New_York', dateStyle: 'short', timeStyle: 'short' }).format(posted);
      assert.ok(text.includes(`${ny} Transcript customer: <img src=x onerror=alert(1)> hi`), text);
      const html = await tje0.getChatTranscriptAsync({ chatSessionId: id, html: true }, { timezone: 'UTC' });
      assert.equal(typeof html, 'string');
      assert.ok(html.startsWith('<div class="chat-transcript">'), html);
      assert.ok(!html.includes('<img'), html);
      assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt; hi'), html);
      await assert.rejects(deu4.getChatTranscriptAsync(id, false), (e) => status(e) === 404);
    });
  });
}

describe('coverage of the official client: the chat life cycle', () => {
  test('each of the nine methods was called through @superoffice/webapi', () => {
    const missing = METHODS.filter((m) => !exercised.has(m));
    assert.deepEqual(missing, [], `not exercised: ${missing.join(', ')}`);
  });
});
