// The response cache per scope: a write in a topic leaves the cached polls of callers without a role there as they
// were (hits), and every change a member must see reaches them on their next poll; across two instances on
// PostgreSQL too. Writes go straight to the database where they stand for another process or instance.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type App, createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { ChatSessionStatus } from '../../src/domain/enums.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { activeSession } from '../helpers/factories.ts';
import { GERMANY, SUPPORT } from '../helpers/sessions-kit.ts';
import { ADM0, call, DEU4, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';

/** The response cache's hit and miss counts, from /metrics. */
async function lookups(app: App) {
  const text = (await app.server.inject({ method: 'GET', url: '/metrics' })).body;
  const count = (result: string) => Number(new RegExp(`^parley_response_cache_lookups_total\\{result="${result}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return { hit: count('hit'), miss: count('miss') };
}

/** One poll, and whether the response cache answered it. */
async function poll(app: App, auth: string, method = 'ChatSessionsForUser', body?: unknown) {
  const before = await lookups(app);
  const res = await call(app, method, { auth, body });
  assert.equal(res.status, 200, res.body);
  const after = await lookups(app);
  assert.equal(after.hit + after.miss, before.hit + before.miss + 1, 'one lookup per poll');
  return { json: res.json, hit: after.hit > before.hit };
}

/** Polls until cached (the first poll after a change builds), then gives the cached answer. */
async function warm(app: App, auth: string, method = 'ChatSessionsForUser', body?: unknown) {
  await poll(app, auth, method, body);
  const again = await poll(app, auth, method, body);
  assert.ok(again.hit, `${method} is cached once built`);
  return again.json;
}

const sessionIn = (list: any[], id: number) => list.find((s: any) => s.ChatSessionId === id);

for (const { kind, skip } of await databaseKinds()) {
  describe(`response cache per scope on ${kind}`, { skip }, () => {
    let app: TestApp;
    let deu4: number;
    let tje0: number;
    /** An active chat of deu4's in Vertrieb, where tje0 and adm0 hold no role. */
    let chat: number;
    before(async () => {
      app = await startTestApp({ kind });
      deu4 = (await app.store.associates.byUserName('deu4'))!.id;
      tje0 = (await app.store.associates.byUserName('tje0'))!.id;
      chat = await activeSession(app, GERMANY, deu4, { customerName: 'Scoped' });
    });
    after(async () => app?.close());

    test('writes in a topic leave the cached polls of those without a role there as they were', async () => {
      const polls = [
        ['ChatSessionsForUser', undefined],
        ['ChatTopicsForUser', undefined],
        ['GetChatMessages', { ChatSessionId: (await warm(app, TJE0)).find((s: any) => s.TopicId === SUPPORT).ChatSessionId, After: 0 }],
      ] as const;
      for (const [method, body] of polls) await warm(app, TJE0, method, body);
      const writes = {
        'a message': () => call(app, 'AddChatMessage', { auth: DEU4, body: { ChatSessionId: chat, Message: { Message: 'Guten Tag' } } }),
        'a new session': () => app.store.db.insertInto('chat_sessions').values({ topic_id: GERMANY, status: ChatSessionStatus.InQueue }).execute(),
        'a status change': () => app.store.db.updateTable('chat_sessions').set({ status: ChatSessionStatus.UserLast }).where('id', '=', chat).execute(),
        'a topic rename': () => app.store.db.updateTable('chat_topics').set({ description: 'Neu' }).where('id', '=', GERMANY).execute(),
        "another user's role there": () =>
          app.store.topicAgents.upsert({ topicId: GERMANY, associateId: deu4, canListen: true, canRespond: true, canManage: true, canNotify: false }),
        "another user's presence": () => call(app, 'SaveChatPresence', { auth: DEU4, body: { ChatPresence: [{ UserId: deu4, Present: true }] } }),
      };
      for (const [what, write] of Object.entries(writes)) {
        await write();
        for (const [method, body] of polls) assert.ok((await poll(app, TJE0, method, body)).hit, `${method} after ${what}`);
      }
    });

    test('every change a member must see reaches them on their next poll', async () => {
      const sessions = async () => {
        const p = await poll(app, DEU4);
        assert.equal(p.hit, false, 'built anew');
        return p.json;
      };
      await warm(app, DEU4);
      await call(app, 'AddChatMessage', { auth: DEU4, body: { ChatSessionId: chat, Message: { Message: 'Neue Nachricht' } } });
      assert.equal(sessionIn(await sessions(), chat).LastMessage, 'Neue Nachricht', 'a message');

      await warm(app, DEU4);
      const added = (
        await app.store.db
          .insertInto('chat_sessions')
          .values({ topic_id: GERMANY, status: ChatSessionStatus.InQueue })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
      assert.ok(sessionIn(await sessions(), Number(added)), 'a new session');

      await warm(app, DEU4);
      await app.store.db.updateTable('chat_sessions').set({ status: ChatSessionStatus.CustomerLast }).where('id', '=', chat).execute();
      assert.equal(sessionIn(await sessions(), chat).Status, 'CustomerLast', 'a status change');

      await warm(app, DEU4);
      await app.store.db.updateTable('associates').set({ full_name: 'Dieter D.' }).where('id', '=', deu4).execute();
      assert.equal(sessionIn(await sessions(), chat).User.FullName, 'Dieter D.', "an agent's name");

      await warm(app, DEU4, 'ChatTopicsForUser');
      await app.store.db.updateTable('chat_topics').set({ name: 'Vertrieb neu' }).where('id', '=', GERMANY).execute();
      const topics = await poll(app, DEU4, 'ChatTopicsForUser');
      assert.equal(topics.hit, false);
      assert.equal(topics.json.find((t: any) => t.ChatTopicId === GERMANY).Name, 'Vertrieb neu', 'a topic rename');

      const messages = { ChatSessionId: chat, After: 0 };
      await warm(app, DEU4, 'GetChatMessages', messages);
      await app.store.messages.insert({
        sessionId: chat,
        type: 1,
        message: 'Noch eine Frage',
        author: 'Kunde',
        readByCustomer: 1,
        specialType: 0,
        specialParam: '',
        whenPosted: new Date(),
        createdBy: null,
      });
      assert.equal((await poll(app, DEU4, 'GetChatMessages', messages)).json.at(-1).Message, 'Noch eine Frage', 'a message written elsewhere');
    });

    test('a move to another topic reaches the members of both; a role added or removed reaches the caller', async () => {
      await warm(app, DEU4);
      await warm(app, TJE0);
      await app.store.db.updateTable('chat_sessions').set({ topic_id: SUPPORT }).where('id', '=', chat).execute();
      const left = await poll(app, DEU4);
      assert.equal(left.hit, false);
      assert.equal(sessionIn(left.json, chat), undefined, 'gone from the old topic');
      const arrived = await poll(app, TJE0);
      assert.equal(arrived.hit, false);
      assert.equal(sessionIn(arrived.json, chat).TopicId, SUPPORT, 'there in the new topic');
      await app.store.db.updateTable('chat_sessions').set({ topic_id: GERMANY }).where('id', '=', chat).execute();

      await warm(app, TJE0);
      await warm(app, TJE0, 'ChatTopicsForUser');
      await app.store.topicAgents.upsert({ topicId: GERMANY, associateId: tje0, canListen: true, canRespond: false, canManage: false, canNotify: false });
      assert.ok(sessionIn((await poll(app, TJE0)).json, chat), 'a role added: the topic’s sessions');
      assert.ok(
        (await poll(app, TJE0, 'ChatTopicsForUser')).json.some((t: any) => t.ChatTopicId === GERMANY),
        'and the topic',
      );
      await warm(app, TJE0);
      await app.store.db.deleteFrom('chat_topic_agents').where('topic_id', '=', GERMANY).where('associate_id', '=', tje0).execute();
      assert.equal(sessionIn((await poll(app, TJE0)).json, chat), undefined, 'a role removed');
    });

    test('polls racing with writes never keep a stale answer: once the writes stop, the next poll shows the last', async () => {
      for (let round = 0; round < 10; round++) {
        const writer = async () => {
          for (let i = 0; i < 10; i++) {
            await app.store.db
              .updateTable('chat_sessions')
              .set({ last_message: `race ${round}.${i}` })
              .where('id', '=', chat)
              .execute();
          }
        };
        const poller = async () => {
          for (let i = 0; i < 10; i++) await call(app, 'ChatSessionsForUser', { auth: DEU4 });
        };
        await Promise.all([writer(), poller(), poller()]);
        const last = await call(app, 'ChatSessionsForUser', { auth: DEU4 });
        assert.equal(sessionIn(last.json, chat).LastMessage, `race ${round}.9`, `round ${round}`);
      }
    });

    test('an administrator reading a topic where they hold no role, and presence, follow the whole database', async () => {
      const messages = { ChatSessionId: chat, After: 0 };
      await warm(app, ADM0, 'GetChatMessages', messages);
      await app.store.db
        .insertInto('chat_messages')
        .values({ session_id: chat, type: 1, message: 'Für den Admin', author: 'Kunde', when_posted: new Date().toISOString() })
        .execute();
      const read = await poll(app, ADM0, 'GetChatMessages', messages);
      assert.equal(read.hit, false);
      assert.equal(read.json.at(-1).Message, 'Für den Admin');

      await warm(app, TJE0, 'GetChatPresence');
      await app.store.associates.setPresent(deu4, false);
      const presence = await poll(app, TJE0, 'GetChatPresence');
      assert.equal(presence.hit, false);
      assert.equal(presence.json.find((p: any) => p.UserId === deu4).Present, false, "another user's presence");
    });
  });
}

for (const { kind, skip } of await databaseKinds()) {
  if (kind !== 'postgres') continue;
  describe('response cache per scope across two instances on postgres', { skip }, () => {
    let a: TestApp;
    let b: App;
    before(async () => {
      a = await startTestApp({ kind });
      b = await createApp(
        loadConfig({ DATABASE_URL: a.testDb.url, PARLEY_TIMEZONE: 'Europe/Oslo', PARLEY_SWEEP_SECONDS: '0', PARLEY_SHUTDOWN_LINGER_MS: '0' }),
        {
          logger: false,
        },
      );
    });
    after(async () => {
      await b?.close();
      await a?.close();
    });

    test('a write through instance A reaches a poll on instance B, and leaves the polls of those without a role there cached', async () => {
      const deu4 = (await a.store.associates.byUserName('deu4'))!.id;
      const chat = await activeSession(a, GERMANY, deu4, { customerName: 'Across' });
      await warm(b, DEU4);
      await warm(b, TJE0);
      await call(a, 'AddChatMessage', { auth: DEU4, body: { ChatSessionId: chat, Message: { Message: 'Über A' } } });
      const seen = await poll(b, DEU4);
      assert.equal(seen.hit, false);
      assert.equal(sessionIn(seen.json, chat).LastMessage, 'Über A');
      assert.ok((await poll(b, TJE0)).hit, 'tje0 holds no role in Vertrieb');
      await warm(b, DEU4);
      await call(a, 'SaveChatSessionEntity', { auth: DEU4, body: { ChatSessionId: chat, Status: 'UserLast' } });
      assert.equal(sessionIn((await poll(b, DEU4)).json, chat).Status, 'UserLast', 'a status change through A');
    });
  });
}
