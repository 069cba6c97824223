// Webhooks end to end on SQLite and PostgreSQL, with real HTTP receivers on 127.0.0.1: chat events arrive after
// the API calls that made them, in order, once, signed; failures are retried in order; a hanging receiver never
// slows the API; rolled-back changes send nothing; and a bot answers (and hands over) through the agent API.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ChatMessageSpecialType, ChatMessageType } from '../../src/domain/enums.ts';
import { appendMessage, record } from '../../src/domain/sessions/life-cycle.ts';
import type { StoredEvent } from '../../src/storage/event.repository.ts';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { verifySignature } from '../../src/webhooks/signature.ts';
import { eventGuid, type WebhookPayload } from '../../src/webhooks/webhook-payload.ts';
import { addWebhook } from '../../src/webhooks/webhook-subscriptions.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { queuedSession } from '../helpers/factories.ts';
import { routingCall, routingTeam, saveRouting } from '../helpers/routing-kit.ts';
import { ADM0, call, startTestApp, TJE0, type TestApp } from '../helpers/test-app.ts';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  json: WebhookPayload;
  at: number;
}
type Answer = number | 'hang';

/** A webhook receiver: records every request; `answer` decides the status (or to never answer). */
async function startReceiver(answer: (n: number, r: Received) => Answer = () => 200, onRequest?: (r: Received) => void, delayMs = 0) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const r: Received = { headers: req.headers, body, json: JSON.parse(body), at: Date.now() };
      received.push(r);
      const a = answer(received.length, r);
      if (a !== 'hang') setTimeout(() => res.writeHead(a).end(), delayMs);
      onRequest?.(r);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 8000): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

for (const { kind, skip } of await databaseKinds()) {
  describe(`webhooks on ${kind}`, { skip }, () => {
    let app: TestApp;
    const TIMEOUT_MS = 1000;

    before(async () => {
      app = await startTestApp({
        kind,
        // A long poll: deliveries below are woken by the commits themselves.
        env: {
          PARLEY_WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
          PARLEY_WEBHOOK_RETRY_BASE_MS: '100',
          PARLEY_WEBHOOK_RETRY_MAX_MS: '400',
          PARLEY_WEBHOOK_POLL_MS: '60000',
        },
      });
    });
    after(async () => {
      await app?.close();
    });

    const hook = async (url: string, events?: string[]) => {
      const { id, secret } = await addWebhook(app.store, { name: `hook for ${url}`, targetUrl: url, events }, new Date());
      const stored = (await app.store.webhooks.byId(id))!;
      return { id, secret, from: stored.deliveredUpTo, createdAt: stored.createdAt };
    };
    /** The outbox events after `from` of the types the hook takes: what it must receive, in this order. */
    const expected = async (from: number, types?: string[]): Promise<StoredEvent[]> =>
      (await app.store.events.after(from, 1000)).filter((e) => !types || types.includes(e.type));
    const newSession = async (auth = TJE0, topicId = 1) => {
      const res = await call(app, 'CreateChatSessionForTopic', { auth, body: { ChatTopicId: topicId } });
      assert.equal(res.status, 200, res.body);
      return res.json.ChatSessionId as number;
    };
    const tje0 = async () => (await app.store.associates.byUserName('tje0'))!.id;

    test('created, changed and message events arrive after the calls, in order, once each, signed', async () => {
      const rx = await startReceiver();
      try {
        const h = await hook(rx.url);
        const sessionId = await newSession();
        assert.equal((await call(app, 'PickUpChatSession', { auth: TJE0, body: { ChatSessionId: sessionId } })).json.Status, 'UserLast');
        assert.equal(
          (await call(app, 'AddChatMessage', { auth: TJE0, body: { ChatSessionId: sessionId, Message: { Message: 'Hello from tje0' } } })).status,
          200,
        );

        const want = await expected(h.from);
        assert.deepEqual([...new Set(want.map((e) => e.type))].sort(), ['chatsession.changed', 'chatsession.created', 'chatsession.message']);
        await until('every event', () => rx.received.length >= want.length);
        await sleep(300); // nothing more comes: each event once
        assert.deepEqual(
          rx.received.map((r) => [r.json.Event, r.json.PrimaryKey]),
          want.map((e) => [e.type, e.sessionId]),
        );
        assert.equal(new Set(rx.received.map((r) => r.json.EventId)).size, want.length, 'one EventId per event');

        const agent = await tje0();
        for (const r of rx.received) {
          assert.equal(verifySignature(r.body, h.secret, r.headers['x-superoffice-signature'] as string), true, 'signature');
          assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
          assert.equal(r.headers['x-superoffice-event'], r.json.Event);
          assert.equal(r.headers['x-superoffice-eventid'], r.json.EventId);
          assert.equal(r.headers['x-superoffice-retry'], '0');
          assert.match(r.json.EventId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
          assert.match(r.json.Timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
          assert.equal(r.json.Entity, 'chatsession');
          assert.equal(r.json.ContextIdentifier, 'Default');
          assert.equal(r.json.WebhookName, `hook for ${rx.url}`);
          assert.equal(r.json.ChangedByAssociateId, agent);
          assert.deepEqual(Object.keys(r.json), [
            'EventId',
            'Timestamp',
            'Changes',
            'Event',
            'PrimaryKey',
            'Entity',
            'ContextIdentifier',
            'ChangedByAssociateId',
            'WebhookName',
            'FieldValues',
          ]);
          for (const f of [
            'alertLevel',
            'chatbotIsactive',
            'consented',
            'contactId',
            'customerAlias',
            'customerId',
            'projectId',
            'rating',
            'saleId',
            'status',
            'ticketId',
            'topicId',
            'userId',
          ]) {
            assert.ok(f in r.json.FieldValues, `FieldValues.${f} of ${r.json.Event}`);
          }
          assert.equal(r.json.FieldValues.topicId, 1);
        }
        const [created] = rx.received;
        assert.equal(created.json.Event, 'chatsession.created');
        assert.deepEqual(created.json.Changes, []);
        assert.deepEqual(
          { ...created.json.FieldValues },
          {
            alertLevel: 0,
            chatbotIsactive: false,
            consented: false,
            contactId: 0,
            customerAlias: '',
            customerId: 0,
            projectId: 0,
            rating: 0,
            saleId: 0,
            status: 4,
            ticketId: 0,
            topicId: 1,
            userId: 0,
          },
        );
        const changed = rx.received.filter((r) => r.json.Event === 'chatsession.changed').map((r) => r.json);
        assert.deepEqual(
          changed.map((c) => [c.FieldValues['status.old'], c.FieldValues['status.new'], c.FieldValues.status]),
          [
            [4, 5, 5],
            [5, 6, 6],
          ],
        );
        assert.deepEqual(changed[0].Changes, ['chatSession.status', 'chatSession.userId']);
        assert.equal(changed[0].FieldValues.userId, agent);
        const hello = rx.received.map((r) => r.json).find((p) => p.FieldValues['chatMessage.message'] === 'Hello from tje0');
        assert.ok(hello, "the agent's message");
        assert.equal(hello.Event, 'chatsession.message');
        assert.equal(hello.FieldValues['chatMessage.type'], ChatMessageType.ToCustomer);
        assert.equal(hello.FieldValues['chatMessage.author'], 'Tor Jensen');
        assert.equal(hello.FieldValues['chatMessage.sessionId'], sessionId);
        assert.ok(hello.Changes.includes('chatMessage.message'));
        const stored = (await app.store.webhooks.byId(h.id))!;
        assert.equal(stored.deliveredUpTo, want[want.length - 1].id);
        assert.equal(stored.failures, 0);
        await app.store.webhooks.remove(h.id);
      } finally {
        await rx.close();
      }
    });

    test("a hook that names no events gets SuperOffice's three, not typing; typing only when asked for", async () => {
      const rx = await startReceiver();
      try {
        const h = await hook(rx.url);
        assert.deepEqual((await app.store.webhooks.byId(h.id))!.events, ['chatsession.created', 'chatsession.changed', 'chatsession.message']);
        const typing = await hook(rx.url, ['chatsession.typing']);
        assert.deepEqual((await app.store.webhooks.byId(typing.id))!.events, ['chatsession.typing']);
        await app.store.webhooks.remove(h.id);
        await app.store.webhooks.remove(typing.id);
        // The events webhooks may carry are their own list: alerts, presence, memberships, notes and routing settings
        // are push-only.
        for (const other of ['chatsession.alert', 'presence.changed', 'topic.agents', 'session.note', 'routing.settings', 'chatsession.nonsense']) {
          await assert.rejects(
            hook(rx.url, [other]),
            new RegExp(
              `Unknown webhook event ${other.replace('.', '\\.')} \\(known: chatsession\\.created, chatsession\\.changed, chatsession\\.message, chatsession\\.typing, chatsession\\.offered, chatsession\\.offer_ended, chatsession\\.assigned\\)`,
            ),
          );
        }
      } finally {
        await rx.close();
      }
    });

    test("routing's events reach a hook that asked for them: offered, declined, offered to the next, accepted, assigned", async () => {
      const rx = await startReceiver();
      const team = await routingTeam(app, 2);
      const [a, b] = team.agents;
      try {
        const h = await hook(rx.url, ['chatsession.offered', 'chatsession.offer_ended', 'chatsession.assigned']);
        assert.equal((await saveRouting(app, { TopicId: team.topicId, Mode: 'Auto', Delivery: 'Offer', OfferSeconds: 60 })).status, 200);
        const id = await queuedSession(app, team.topicId);
        await app.router.settle();
        assert.equal((await routingCall(app, 'DeclineOffer', a.auth, { ChatSessionId: id })).json, true);
        await app.router.settle();
        assert.equal((await routingCall(app, 'AcceptOffer', b.auth, { ChatSessionId: id })).status, 200);

        await until('five routing events', () => rx.received.length >= 5);
        await sleep(300); // nothing more: the hook takes no created, changed or message events
        const got = rx.received.map((r) => r.json);
        assert.deepEqual(
          got.map((p) => [p.Event, p.PrimaryKey]),
          (await expected(h.from, ['chatsession.offered', 'chatsession.offer_ended', 'chatsession.assigned'])).map((e) => [e.type, e.sessionId]),
        );
        assert.deepEqual(
          got.map((p) => [p.Event, p.FieldValues['offer.userId'] ?? p.FieldValues['assignment.userId'], p.FieldValues['offer.outcome'] ?? null]),
          [
            ['chatsession.offered', a.id, null],
            ['chatsession.offer_ended', a.id, 'declined'],
            ['chatsession.offered', b.id, null],
            ['chatsession.offer_ended', b.id, 'accepted'],
            ['chatsession.assigned', b.id, null],
          ],
        );
        const offered = got[0].FieldValues['offer.expiresAt'] as string;
        assert.match(offered, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        const secondsLeft = (Date.parse(offered) - Date.parse(got[0].Timestamp)) / 1000;
        assert.ok(secondsLeft > 55 && secondsLeft <= 60, `the offer runs OfferSeconds (60) from when it was made: ${secondsLeft}`);
        const assigned = got[4].FieldValues;
        assert.equal(assigned['assignment.byOffer'], true);
        assert.equal(typeof assigned['assignment.waitSeconds'], 'number');
        assert.equal(assigned.userId, b.id, 'the session now belongs to the agent who accepted');
        assert.equal(got[1].ChangedByAssociateId, a.id, 'the agent who declined made the change');
        for (const r of rx.received) assert.equal(verifySignature(r.body, h.secret, r.headers['x-superoffice-signature'] as string), true);
        await app.store.webhooks.remove(h.id);
      } finally {
        await saveRouting(app, { TopicId: team.topicId, Mode: 'Manual' });
        await rx.close();
      }
    });

    test('a hook gets only its events; a failing receiver gets the event again (same EventId), then the next ones in order', async () => {
      const rx = await startReceiver((n) => (n <= 2 ? 500 : 200));
      try {
        const types = ['chatsession.created', 'chatsession.message'];
        const h = await hook(rx.url, types);
        const first = await newSession();
        const second = await newSession();
        const want = await expected(h.from, types);
        assert.ok(want.length >= 4);
        await until('every event after the retries', () => rx.received.length >= want.length + 2);
        await sleep(300);
        const got = rx.received.map((r) => r.json);
        assert.equal(got.length, want.length + 2, 'two failed attempts, then each event once');
        assert.deepEqual(
          got.slice(0, 3).map((p) => p.EventId),
          [got[0].EventId, got[0].EventId, got[0].EventId],
          'the same event three times',
        );
        assert.deepEqual(
          rx.received.slice(0, 4).map((r) => r.headers['x-superoffice-retry']),
          ['0', '1', '2', '0'],
        );
        assert.deepEqual(
          got.slice(2).map((p) => [p.Event, p.PrimaryKey]),
          want.map((e) => [e.type, e.sessionId]),
        );
        assert.ok(!got.some((p) => p.Event === 'chatsession.changed'));
        assert.deepEqual([...new Set(got.map((p) => p.PrimaryKey))], [first, second]);
        // Back-off: 100 ms, then 200 ms (less a little for timer granularity).
        assert.ok(rx.received[1].at - rx.received[0].at >= 90, `first retry after ${rx.received[1].at - rx.received[0].at} ms`);
        assert.ok(rx.received[2].at - rx.received[1].at >= 180, `second retry after ${rx.received[2].at - rx.received[1].at} ms`);
        for (const r of rx.received) assert.equal(verifySignature(r.body, h.secret, r.headers['x-superoffice-signature'] as string), true);
        const stored = (await app.store.webhooks.byId(h.id))!;
        assert.deepEqual([stored.failures, stored.lastError, stored.nextAttemptAt], [0, null, null]);
        assert.equal(stored.deliveredUpTo >= want[want.length - 1].id, true);
        await app.store.webhooks.remove(h.id);
      } finally {
        await rx.close();
      }
    });

    test('a hanging or dead receiver never slows the API; its failures are recorded', async () => {
      const hanging = await startReceiver(() => 'hang');
      const dead = await startReceiver();
      const deadUrl = dead.url;
      await dead.close();
      try {
        const slow = await hook(hanging.url);
        const gone = await hook(deadUrl);
        const sessionId = await newSession();
        await until('the hanging receiver to be called', () => hanging.received.length >= 1);
        const started = performance.now();
        const picked = await call(app, 'PickUpChatSession', { auth: TJE0, body: { ChatSessionId: sessionId } });
        const wrote = await call(app, 'AddChatMessage', { auth: TJE0, body: { ChatSessionId: sessionId, Message: { Message: 'Still fast?' } } });
        const took = performance.now() - started;
        assert.equal(picked.status, 200);
        assert.equal(wrote.status, 200);
        assert.ok(took < TIMEOUT_MS / 2, `two API calls took ${Math.round(took)} ms while a receiver hangs`);
        assert.equal(hanging.received.length, 1, 'still hanging on the first event');

        const deadState = await until("the dead receiver's failure", async () => {
          const w = await app.store.webhooks.byId(gone.id);
          return w && w.failures >= 1 ? w : undefined;
        });
        assert.match(deadState.lastError ?? '', /ECONNREFUSED/);
        assert.ok(deadState.nextAttemptAt);
        assert.equal(deadState.deliveredUpTo, gone.from, 'nothing counted as delivered');
        const slowState = await until(
          'the time-out',
          async () => {
            const w = await app.store.webhooks.byId(slow.id);
            return w && w.failures >= 1 ? w : undefined;
          },
          TIMEOUT_MS * 4,
        );
        assert.equal(slowState.lastError, `no answer within ${TIMEOUT_MS} ms`);
        assert.equal(slowState.deliveredUpTo, slow.from);
        await app.store.webhooks.remove(slow.id);
        await app.store.webhooks.remove(gone.id);
      } finally {
        await hanging.close();
      }
    });

    test('nothing is sent for a change that rolled back', async () => {
      const rx = await startReceiver();
      try {
        const h = await hook(rx.url);
        const sessionId = await newSession();
        await assert.rejects(
          app.store.transaction(async (store) => {
            const session = (await store.sessions.byIdForUpdate(sessionId))!;
            await appendMessage(
              app.deps,
              store,
              session,
              {
                type: ChatMessageType.ToUser,
                message: 'ROLLED BACK',
                author: 'Customer',
                specialType: ChatMessageSpecialType.None,
                specialParam: '',
                createdBy: null,
              },
              'customerMessage',
            );
            throw new Error('changed my mind');
          }),
          /changed my mind/,
        );
        const later = await newSession();
        const want = await expected(h.from);
        assert.ok(want.every((e) => !JSON.stringify(e.payload).includes('ROLLED BACK')));
        await until("the later session's events", () => rx.received.length >= want.length);
        await sleep(300);
        assert.deepEqual(
          rx.received.map((r) => [r.json.Event, r.json.PrimaryKey]),
          want.map((e) => [e.type, e.sessionId]),
        );
        assert.ok(rx.received.some((r) => r.json.PrimaryKey === later));
        assert.ok(!rx.received.some((r) => r.body.includes('ROLLED BACK')));
        await app.store.webhooks.remove(h.id);
      } finally {
        await rx.close();
      }
    });

    test('events committed out of id order are delivered in id order, none skipped', {
      skip: kind === 'sqlite' && 'SQLite writes one transaction at a time',
    }, async () => {
      const rx = await startReceiver();
      try {
        const h = await hook(rx.url);
        const sessionId = await newSession();
        await until("the first session's events", async () => rx.received.length >= (await expected(h.from)).length);
        const before = rx.received.length;
        let release!: () => void;
        const gate = new Promise<void>((resolve) => {
          release = resolve;
        });
        let appended!: () => void;
        const isAppended = new Promise<void>((resolve) => {
          appended = resolve;
        });
        // A slow transaction takes the lower id, a quick one commits higher ids first.
        const slow = app.store.transaction(async (store) => {
          const session = (await store.sessions.byId(sessionId))!;
          await record(store, 'chatsession.changed', session, null, new Date(), { oldStatus: session.status, newStatus: session.status });
          appended();
          await gate;
        });
        await isAppended;
        const quick = await newSession();
        await sleep(600);
        assert.equal(rx.received.length, before, 'nothing passes the uncommitted lower id');
        release();
        await slow;
        const want = await expected(h.from);
        await until('every event', () => rx.received.length >= want.length);
        await sleep(300);
        assert.deepEqual(
          rx.received.map((r) => [r.json.Event, r.json.PrimaryKey]),
          want.map((e) => [e.type, e.sessionId]),
        );
        assert.equal(rx.received[before].json.Event, 'chatsession.changed');
        assert.equal(rx.received[before].json.PrimaryKey, sessionId);
        assert.equal(rx.received[rx.received.length - 1].json.PrimaryKey, quick);
        await app.store.webhooks.remove(h.id);
      } finally {
        await rx.close();
      }
    });

    test('two instances on one database deliver each event once, in order', { skip: kind === 'sqlite' && 'one process serves a SQLite file' }, async () => {
      const second = await createApp(
        loadConfig({
          DATABASE_URL: app.testDb.url,
          PARLEY_TIMEZONE: 'Europe/Oslo',
          PARLEY_SWEEP_SECONDS: '0',
          PARLEY_WEBHOOK_POLL_MS: '100',
        }),
        { logger: false },
      );
      // Answers come after a while, so each delivery is open long enough for the other instance to try the hook.
      const rx = await startReceiver(() => 200, undefined, 30);
      try {
        const h = await hook(rx.url);
        for (let i = 0; i < 4; i++) {
          await newSession();
          const res = await call(second, 'CreateChatSessionForTopic', { auth: TJE0, body: { ChatTopicId: 1 } });
          assert.equal(res.status, 200);
        }
        const want = await expected(h.from);
        await until('every event', () => rx.received.length >= want.length);
        await sleep(400);
        assert.deepEqual(
          rx.received.map((r) => r.json.EventId),
          want.map((e) => eventGuid({ id: h.id, createdAt: h.createdAt }, e.id)),
        );
        await app.store.webhooks.remove(h.id);
      } finally {
        await rx.close();
        await second.close();
      }
    });

    test('a bot answers customer messages through the agent API and hands over on "human"', async () => {
      await app.server.listen({ port: 0, host: '127.0.0.1' });
      const api = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}/api/v1/Agents/Chat`;
      const agentApi = (method: string, body: unknown) =>
        fetch(`${api}/${method}`, {
          method: 'POST',
          headers: { authorization: ADM0, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      let secret = '';
      const botSaw: WebhookPayload[] = [];
      const botDid: string[] = [];
      // The bot: a customer message on a session its bot still owns gets an answer; "human" hands it over.
      const bot = await startReceiver(
        (_, r) => (verifySignature(r.body, secret, r.headers['x-superoffice-signature'] as string) ? 200 : 401),
        (r) => {
          const p = r.json;
          botSaw.push(p);
          const f = p.FieldValues;
          if (p.Event !== 'chatsession.message' || f['chatMessage.type'] !== ChatMessageType.ToUser || !f.chatbotIsactive) return;
          const text = String(f['chatMessage.message']);
          const act = /\bhuman\b/i.test(text)
            ? agentApi('ResetChatSession', { ChatSessionId: p.PrimaryKey }).then((res) => `reset ${res.status}`)
            : agentApi('AddChatMessage', { ChatSessionId: p.PrimaryKey, Message: { Message: `You said: ${text}` } }).then((res) => `answered ${res.status}`);
          void act.then(
            (d) => botDid.push(d),
            (err) => botDid.push(`failed ${err}`),
          );
        },
      );
      try {
        const h = await hook(bot.url, ['chatsession.message']);
        secret = h.secret;
        const topics = (await call(app, 'ChatTopicsForUser', { auth: ADM0 })).json as Array<{ ChatTopicId: number; Name: string; BotEnabled: boolean }>;
        const lab = topics.find((t) => t.Name === 'Bot lab')!;
        assert.equal(lab.BotEnabled, true);
        // The customer's side: the visitor API, as the website widget calls it.
        const opened = await call(app, '/api/v1/Visitor/OpenSession', {
          body: { ChatTopicId: lab.ChatTopicId, Consented: true, CustomerName: 'Vera Visitor' },
        });
        assert.equal(opened.status, 200, opened.body);
        const key = opened.json.SessionKey as string;
        const sessionId = opened.json.Session.ChatSessionId as number;
        const visitor = (method: string, body: unknown) => call(app, `/api/v1/Visitor/${method}`, { body, headers: { 'x-session-key': key } });
        const customerSays = async (text: string) => assert.equal((await visitor('PostMessage', { Message: text })).status, 200);
        const customerSees = async () => (await visitor('GetMessages', { After: 0 })).json as Array<{ Type: string; Message: string; Author: string }>;
        const session = () => call(app, 'GetChatSessionEntity', { auth: ADM0, query: `chatSessionEntityId=${sessionId}` }).then((r) => r.json);
        const messages = () =>
          call(app, 'GetChatMessages', { auth: ADM0, body: { ChatSessionId: sessionId, After: 0 } }).then(
            (r) => r.json as Array<{ Type: string; Message: string; Author: string }>,
          );
        assert.deepEqual([(await session()).Status, (await session()).ChatbotIsActive], ['InQueue', true]);

        await customerSays('When are you open?');
        const answer = await until("the bot's answer", async () => (await customerSees()).find((m) => m.Message === 'You said: When are you open?'));
        assert.deepEqual([answer.Type, answer.Author], ['ToCustomer', 'Parley helper']);
        const answered = await session();
        assert.deepEqual([answered.Status, answered.ChatbotIsActive, answered.User?.AssociateId ?? null], ['UserLast', true, null]);

        await customerSays('Let me talk to a human, please');
        const handedOver = await until('the hand-over', async () => {
          const s = await session();
          return s.ChatbotIsActive === false ? s : undefined;
        });
        assert.equal(handedOver.Status, 'InQueue');
        // The server may show the reset before the bot has read its answer: wait for the bot's own account.
        await until("the bot's reset answered", () => botDid.length >= 2);
        assert.deepEqual(botDid, ['answered 200', 'reset 200']);

        await customerSays('Hello? Anyone?');
        await until('the bot to see the last message', () => botSaw.some((p) => p.FieldValues['chatMessage.message'] === 'Hello? Anyone?'));
        await sleep(300);
        assert.deepEqual(botDid, ['answered 200', 'reset 200'], 'the bot keeps quiet once it handed over');
        const bots = (await messages()).filter((m) => m.Author === 'Parley helper');
        assert.deepEqual(
          bots.map((m) => m.Message),
          ['You said: When are you open?'],
        );
        // The bot saw every message event (its own answer and the system line too), each signed and once.
        assert.equal(new Set(botSaw.map((p) => p.EventId)).size, botSaw.length);
        assert.ok(botSaw.every((p) => p.Event === 'chatsession.message' && p.PrimaryKey === sessionId));
        await app.store.webhooks.remove(h.id);
      } finally {
        await bot.close();
      }
    });
  });
}
