// The visitor's own session: what GetSession shows, and how keys, rate limits and CORS guard it.
// The demo data these tests rely on, and the helpers they share: test/helpers/visitor-kit.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { databaseKinds } from '../helpers/databases.ts';
import { ADM0, call, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';

import { TestClock, SUPPORT, widgetKit, assertError, NO_LIMITS } from '../helpers/visitor-kit.ts';

for (const { kind, skip } of await databaseKinds()) {
  describe(`Visitor GetSession on ${kind}`, { skip }, () => {
    let app: TestApp;
    const clock = new TestClock();
    const w = widgetKit(() => app);
    before(async () => {
      app = await startTestApp({ kind, clock, env: NO_LIMITS });
    });
    after(async () => app?.close());

    test('QueuePosition counts the earlier queued sessions of the same topic and moves up as they are picked up', async () => {
      const topic = await w.newTopic({ WelcomeMessage: 'Hi, how can I help?' });
      const a = await w.open({ ChatTopicId: topic });
      clock.advanceSeconds(1);
      await w.open(); // another topic's queue does not count
      const b = await w.open({ ChatTopicId: topic });
      clock.advanceSeconds(1);
      const c = await w.open({ ChatTopicId: topic });
      assert.deepEqual(
        [a, b, c].map((o) => o.Session.QueuePosition),
        [1, 2, 3],
      );
      assert.deepEqual(await Promise.all([a, b, c].map(async (o) => (await w.getSession(o.SessionKey)).QueuePosition)), [1, 2, 3]);

      await w.pickUp(a.Session.ChatSessionId);
      const [pa, pb, pc] = await Promise.all([a, b, c].map((o) => w.getSession(o.SessionKey)));
      assert.equal(pa.QueuePosition, 0, 'not queued any more');
      assert.equal(pa.Status, 'UserLast', 'the welcome message answered');
      assert.equal((await w.messages(a.SessionKey)).at(-1).Message, 'Hi, how can I help?');
      assert.equal(pb.QueuePosition, 1);
      assert.equal(pc.QueuePosition, 2);
      // Leaving the queue moves the others up too.
      w.ok(await w.visitor('End', {}, b.SessionKey));
      assert.equal((await w.getSession(c.SessionKey)).QueuePosition, 1);
      assert.equal((await w.agentView(c.Session.ChatSessionId)).InitialQueuePos, 3, 'InitialQueuePos never changes');
    });

    test('sessions a bot is handling are not in the queue: InitialQueuePos, QueuePosition, {cque} and the queue length leave them out', async () => {
      const topic = await w.newTopic({ BotEnabled: true, TicketEnabled: true, UseQueueOfflineForm: true, OfflineFormQueueLength: 2 });
      const bots = [await w.open({ ChatTopicId: topic })];
      clock.advanceSeconds(1);
      bots.push(await w.open({ ChatTopicId: topic }));
      for (const b of bots) {
        assert.equal(b.Session.Status, 'InQueue');
        assert.equal((await w.agentView(b.Session.ChatSessionId)).ChatbotIsActive, true);
      }
      // The bot is switched off; the sessions it took stay with it, ahead of the newcomers.
      await w.saveTopic(topic, { BotEnabled: false, CustomQueueTextEnabled: true, CustomQueueText: 'You are number {cque}' });
      clock.advanceSeconds(1);
      const human = await w.open({ ChatTopicId: topic });
      assert.equal(human.Session.Status, 'InQueue', 'two bot sessions do not fill a queue of two');
      assert.equal(human.Session.QueuePosition, 1);
      assert.equal(human.Session.QueueMessage, 'You are number 1');
      assert.equal(human.Session.OfflineFormAvailable, false, 'one waiting for people');
      assert.equal((await w.getSession(human.SessionKey)).QueuePosition, 1);
      assert.equal((await w.agentView(human.Session.ChatSessionId)).InitialQueuePos, 1);
      clock.advanceSeconds(1);
      const second = await w.open({ ChatTopicId: topic });
      assert.equal(second.Session.Status, 'InQueue');
      assert.equal(second.Session.QueuePosition, 2);
      assert.equal((await w.agentView(second.Session.ChatSessionId)).InitialQueuePos, 2);
      assert.equal(second.Session.OfflineFormAvailable, true, 'now two wait for people');
    });

    test("AverageWaitSeconds is the topic's SecondsPrAccept; QueueMessage fills {cque} and {cavw} in the custom text", async () => {
      const topic = await w.newTopic();
      const first = await w.open({ ChatTopicId: topic });
      assert.equal(first.Session.AverageWaitSeconds, 0);
      assert.equal(first.Session.QueueMessage, '', 'no custom queue text');
      clock.advanceSeconds(150);
      await w.pickUp(first.Session.ChatSessionId);
      const stats = (await call(app, 'GetChatTopicEntity', { auth: ADM0, query: `chatTopicEntityId=${topic}` })).json;
      assert.equal(stats.SecondsPrAccept, 150);

      const second = await w.open({ ChatTopicId: topic });
      const third = await w.open({ ChatTopicId: topic });
      assert.equal((await w.getSession(third.SessionKey)).AverageWaitSeconds, 150);
      await w.saveTopic(topic, { CustomQueueTextEnabled: true, CustomQueueText: 'You are number {cque} in line; average wait {cavw} ({cque})' });
      assert.equal((await w.getSession(second.SessionKey)).QueueMessage, 'You are number 1 in line; average wait 00:03 (1)');
      assert.equal((await w.getSession(third.SessionKey)).QueueMessage, 'You are number 2 in line; average wait 00:03 (2)');
      // hh:mm with hours.
      await app.store.db.updateTable('chat_topics').set({ seconds_pr_accept: 3900 }).where('id', '=', topic).execute();
      const s = await w.getSession(third.SessionKey);
      assert.equal(s.AverageWaitSeconds, 3900);
      assert.equal(s.QueueMessage, 'You are number 2 in line; average wait 01:05 (2)');
      // Switched off: no queue text.
      await w.saveTopic(topic, { CustomQueueTextEnabled: false });
      assert.equal((await w.getSession(third.SessionKey)).QueueMessage, '');
    });

    test('AgentName after the pick-up, the first name only with UseAgentFirstname', async () => {
      const topic = await w.newTopic();
      const o = await w.open({ ChatTopicId: topic });
      assert.equal((await w.getSession(o.SessionKey)).AgentName, '');
      await w.pickUp(o.Session.ChatSessionId);
      const s = await w.getSession(o.SessionKey);
      assert.equal(s.AgentName, 'Tor Jensen');
      assert.ok(s.WhenStarted, 'started');
      await w.saveTopic(topic, { Widget: { UseAgentFirstname: true } });
      assert.equal((await w.getSession(o.SessionKey)).AgentName, 'Tor');
    });

    test("AgentIsTyping follows the agent's UserIsTyping flag; the agent's message clears it", async () => {
      const o = await w.open();
      const id = o.Session.ChatSessionId;
      await w.pickUp(id);
      assert.equal((await w.getSession(o.SessionKey)).AgentIsTyping, false);
      const typing = await w.saveSession({ ChatSessionId: id, Flags: 'UserIsTyping' });
      assert.equal(typing.status, 200, typing.body);
      assert.equal((await w.getSession(o.SessionKey)).AgentIsTyping, true);
      assert.equal((await w.agentSays(id, 'Here is your answer')).status, 200);
      assert.equal((await w.getSession(o.SessionKey)).AgentIsTyping, false);
    });

    test('reading the session or its messages updates WhenFetched, at most every 20 s', async () => {
      const o = await w.open();
      const id = o.Session.ChatSessionId;
      const fetched = async () => Date.parse((await w.agentView(id)).WhenFetched);
      const opened = clock.t;
      assert.equal(await fetched(), opened, 'opening counts');
      clock.advanceSeconds(10);
      await w.getSession(o.SessionKey);
      assert.equal(await fetched(), opened, '10 s later: not written');
      clock.advanceSeconds(15);
      await w.getSession(o.SessionKey);
      const second = clock.t;
      assert.equal(await fetched(), second, '25 s after the last write');
      clock.advanceSeconds(19);
      await w.messages(o.SessionKey);
      assert.equal(await fetched(), second);
      clock.advanceSeconds(1);
      await w.messages(o.SessionKey);
      assert.equal(await fetched(), clock.t, 'GetMessages counts too, 20 s after the last write');
    });
  });

  describe(`Visitor keys, limits and CORS on ${kind}`, { skip }, () => {
    let app: TestApp;
    const clock = new TestClock();
    const w = widgetKit(() => app);
    before(async () => {
      app = await startTestApp({ kind, clock, env: { PARLEY_VISITOR_SESSIONS_PER_MINUTE: '3', PARLEY_VISITOR_WRITES_PER_MINUTE: '5' } });
    });
    after(async () => app?.close());

    test('a missing or wrong X-Session-Key is a 401 before any input is read', async () => {
      const o = await w.open({}, '192.0.2.1');
      for (const key of [
        undefined,
        '',
        'wrong',
        `${o.SessionKey}x`,
        o.SessionKey.slice(0, -1),
        'k'.repeat(300),
        ` ${o.SessionKey}`,
        `${o.SessionKey} `,
        `${o.SessionKey}\t`,
      ]) {
        for (const [method, body] of [
          ['GetSession', {}],
          ['PostMessage', {}],
          ['PostMessage', { Message: 42 }],
          ['Rate', { Rating: 99 }],
          ['GetMessages', { After: 'x' }],
          ['SubmitPreChat', { CustomerEmail: 'bad' }],
          ['End', {}],
          ['Typing', {}],
          ['SubmitOfflineForm', {}],
        ] as const) {
          const res = await w.visitor(method, body, key);
          assertError(res, 401);
          assert.equal(res.json.ErrorType, 'SoCredentialsException', `${method} with ${key}`);
        }
      }
      // A malformed body with no key at all: still 401.
      const raw = await app.server.inject({
        method: 'POST',
        url: '/api/v1/Visitor/PostMessage',
        headers: { 'content-type': 'application/json' },
        payload: '{"Message":',
      });
      assert.equal(raw.statusCode, 401);
      assert.equal((await w.getSession(o.SessionKey)).Status, 'InQueue', 'the session itself is untouched');
      assert.deepEqual(
        (await w.messages(o.SessionKey)).filter((m: any) => m.SpecialType === 'None'),
        [],
      );
    });

    test('an unknown key is one 401, the same on the visitor API and the visitor push stream', async () => {
      const api = await w.visitor('GetSession', {}, 'no-such-key');
      const push = await app.server.inject({ method: 'GET', url: '/api/v1/Push/Visitor?key=no-such-key' });
      for (const res of [
        { status: api.status, headers: api.headers, body: api.body },
        { status: push.statusCode, headers: push.headers, body: push.body },
      ]) {
        assert.equal(res.status, 401);
        assert.equal(res.headers['www-authenticate'], 'Basic realm="SuperOffice Username or Ticket"');
        assert.equal(JSON.parse(res.body).ErrorMessage, 'Unknown or expired session key');
      }
    });

    test("one visitor's key reaches its own session only", async () => {
      const a = await w.open({ CustomerName: 'Alice', Message: 'alice question' }, '192.0.2.2');
      const b = await w.open({ CustomerName: 'Bob', Message: 'bob question' }, '192.0.2.2');
      assert.equal((await w.getSession(a.SessionKey)).ChatSessionId, a.Session.ChatSessionId);
      assert.equal((await w.getSession(b.SessionKey)).ChatSessionId, b.Session.ChatSessionId);
      w.ok(await w.post(a.SessionKey, 'for alice only'));
      const bobs = await w.messages(b.SessionKey);
      assert.ok(bobs.every((m: any) => m.ChatSessionId === b.Session.ChatSessionId));
      assert.ok(!bobs.some((m: any) => /alice/.test(m.Message)), "nothing of Alice's session");
      const alices = await w.messages(a.SessionKey);
      assert.ok(alices.every((m: any) => m.ChatSessionId === a.Session.ChatSessionId));
      assert.deepEqual(
        alices.filter((m: any) => m.SpecialType === 'None').map((m: any) => m.Message),
        ['alice question', 'for alice only'],
      );
      // Ending Alice's chat leaves Bob's alone.
      w.ok(await w.visitor('End', {}, a.SessionKey));
      assert.equal((await w.getSession(b.SessionKey)).Status, 'InQueue');
      // The answers never carry a key.
      assert.ok(!JSON.stringify(await w.getSession(b.SessionKey)).includes(b.SessionKey));
      // Nor does the outbox, kept a day and read by push streams and webhooks.
      const events = await app.store.db
        .selectFrom('outbox_events')
        .selectAll()
        .where('session_id', 'in', [a.Session.ChatSessionId, b.Session.ChatSessionId])
        .execute();
      assert.ok(events.length >= 4, `events were recorded: ${events.length}`);
      for (const key of [a.SessionKey, b.SessionKey]) assert.ok(!events.some((e) => JSON.stringify(e).includes(key)), 'a session key in the outbox');
    });

    test('the 4th OpenSession from one address within a minute is a 429 with Retry-After; the clock refills it', async () => {
      const address = '203.0.113.50';
      for (let i = 0; i < 3; i++) await w.open({}, address);
      const refused = await w.visitor('OpenSession', { ChatTopicId: SUPPORT, Consented: true }, undefined, { address });
      assertError(refused, 429);
      const retry = Number(refused.headers['retry-after']);
      assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 60, `Retry-After: ${refused.headers['retry-after']}`);
      assert.equal(retry, 20, 'one of 3 per minute comes back every 20 s');
      // Another address is not affected; the limited one may still use its session.
      await w.open({}, '203.0.113.51');
      assert.equal((await w.visitor('GetTopic', { ChatTopicId: SUPPORT }, undefined, { address })).status, 200);
      clock.advanceSeconds(retry - 1);
      assertError(await w.visitor('OpenSession', { ChatTopicId: SUPPORT, Consented: true }, undefined, { address }), 429);
      clock.advanceSeconds(1);
      await w.open({}, address);
    });

    test('the 6th write of a session within a minute is a 429; other sessions are not affected', async () => {
      const o = await w.open({}, '203.0.113.60');
      const other = await w.open({}, '203.0.113.60');
      for (let i = 1; i <= 5; i++) w.ok(await w.post(o.SessionKey, `message ${i}`));
      const refused = await w.post(o.SessionKey, 'message 6');
      assertError(refused, 429);
      assert.ok(Number(refused.headers['retry-after']) >= 1);
      assert.equal(refused.headers['retry-after'], '12');
      assert.equal((await w.visitor('Typing', { IsTyping: true }, o.SessionKey)).status, 429, 'typing is a write too');
      assert.equal((await w.getSession(o.SessionKey)).Status, 'InQueue', 'reading is not limited by writes');
      w.ok(await w.post(other.SessionKey, 'other session'));
      const texts = (await w.messages(o.SessionKey)).filter((m: any) => m.SpecialType === 'None').map((m: any) => m.Message);
      assert.deepEqual(texts, ['message 1', 'message 2', 'message 3', 'message 4', 'message 5']);
      clock.advanceSeconds(12);
      w.ok(await w.post(o.SessionKey, 'message 6'));
    });

    test('CORS: the visitor API answers any origin and allows X-Session-Key; agent URLs carry no CORS headers', async () => {
      const pre = await app.server.inject({
        method: 'OPTIONS',
        url: '/api/v1/Visitor/OpenSession',
        headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-session-key' },
      });
      assert.equal(pre.statusCode, 204);
      assert.equal(pre.headers['access-control-allow-origin'], '*');
      const allowed = String(pre.headers['access-control-allow-headers'])
        .split(',')
        .map((h) => h.trim().toLowerCase());
      assert.ok(allowed.includes('x-session-key'), String(pre.headers['access-control-allow-headers']));
      assert.ok(allowed.includes('content-type'));
      assert.match(String(pre.headers['access-control-allow-methods']), /POST/);
      assert.equal(pre.headers['access-control-allow-credentials'], undefined, 'no cookies');

      const topic = await w.visitor('GetTopic', { ChatTopicId: SUPPORT }, undefined, { headers: { origin: 'https://shop.example' } });
      assert.equal(topic.headers['access-control-allow-origin'], '*');
      const failed = await w.visitor('GetSession', {}, 'wrong', { headers: { origin: 'https://shop.example' } });
      assert.equal(failed.status, 401);
      assert.equal(failed.headers['access-control-allow-origin'], '*', 'errors are readable by the widget too');

      const agent = await call(app, 'GetChatPresence', { auth: TJE0, headers: { origin: 'https://evil.example' } });
      assert.equal(agent.status, 200);
      assert.equal(agent.headers['access-control-allow-origin'], undefined);
      const agentPre = await app.server.inject({
        method: 'OPTIONS',
        url: '/api/v1/Agents/Chat/GetChatPresence',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      assert.equal(agentPre.headers['access-control-allow-origin'], undefined);
      assert.equal(agentPre.headers['access-control-allow-headers'], undefined);
    });
  });
}
