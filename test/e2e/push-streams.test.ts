// Push streams over a real socket: what agents and visitors receive (and must not), credentials, heartbeats, a
// rolled-back change, presence and membership events. Resuming and ordering: push-resume.test.ts. The demo data
// these tests rely on, and the helpers they share: test/helpers/push-kit.ts.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { databaseKinds } from '../helpers/databases.ts';
import { sleep } from '../helpers/sse.ts';
import { ADM0, ANN1, call, DEU4, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';

import { VERTRIEB, NB_SERVER_OWNED, NB_WELCOME, wallTime, assertIncreasing, sessionOf, kit, listen } from '../helpers/push-kit.ts';

for (const { kind, skip } of await databaseKinds()) {
  describe(`Push streams on ${kind}`, { skip }, () => {
    let app: TestApp;
    let base = '';
    const k = kit(
      () => app,
      () => base,
    );
    before(async () => {
      app = await startTestApp({ kind, env: { PARLEY_PUSH_HEARTBEAT_SECONDS: '1' } });
      base = await listen(app);
    });
    afterEach(() => k.closeAll());
    after(async () => {
      k.closeAll();
      await app?.close();
    });

    test('an agent gets session.created, message.added and session.changed as carriers for its rights, in its language and time zone', async () => {
      const tje0 = await k.agentStream(TJE0, '?timezone=US-NY&language=nb');
      const adm0 = await k.agentStream(ADM0, '?timezone=US-NY&language=nb');
      assert.equal(tje0.status, 200);
      assert.match(tje0.headers.get('content-type') ?? '', /^text\/event-stream/);
      assert.equal(tje0.headers.get('cache-control'), 'no-cache, no-transform');

      const v = await k.openVisitor('My widget is blue');
      const created = await tje0.take((f) => f.event === 'session.created');
      assert.equal(created.json.Session.ChatSessionId, v.id);
      assert.equal(created.json.Session.Status, 'InQueue');
      const first = await tje0.take((f) => f.event === 'message.added' && f.json.Message.Message === 'My widget is blue');
      assert.equal(first.json.Session.ChatSessionId, v.id);
      assert.equal(first.json.Message.Type, 'ToUser');

      await k.post(v.key, 'Or green');
      await tje0.take((f) => f.event === 'message.added' && f.json.Message.Message === 'Or green');

      await k.agent(TJE0, 'PickUpChatSession', { ChatSessionId: v.id });
      const picked = await tje0.take((f) => f.event === 'session.changed' && f.json.NewStatus === 'CustomerLast');
      assert.equal(picked.json.OldStatus, 'InQueue');
      assert.equal(picked.json.Purged, false);
      assert.equal(picked.json.Session.User.AssociateId, await k.userId('tje0'));
      // The topic's welcome text is a resource: resolved in the stream's language.
      const welcome = await tje0.take((f) => f.event === 'message.added' && f.json.Message.SpecialType === 'Welcome');
      assert.equal(welcome.json.Message.Message, NB_WELCOME);
      await k.say(TJE0, v.id, 'Blue is fine');
      const last = await tje0.take((f) => f.event === 'message.added' && f.json.Message.Message === 'Blue is fine');
      assertIncreasing(tje0.frames);

      // The Session is the ChatSessionEntity carrier exactly as ChatSessionsForUser lists it, with the same
      // language and time zone, except the visitor's key, which the outbox never holds.
      const listed = (await k.agent(TJE0, 'ChatSessionsForUser', undefined, { 'SO-TimeZone': 'US-NY', 'SO-Language': 'nb' })).find(
        (s: any) => s.ChatSessionId === v.id,
      );
      assert.deepEqual(Object.keys(last.json.Session), Object.keys(listed));
      assert.equal(listed.SessionKey, '', 'the key is kept as a digest: only its creation answer showed it');
      assert.equal(last.json.Session.SessionKey, '');
      assert.deepEqual(last.json.Session, { ...listed, SessionKey: '' });
      assert.equal(last.json.Session.TableRight.Mask, 'URI', 'tje0 responds in Customer support');
      assert.equal(last.json.Session.FieldProperties.SessionKey.FieldRight.Reason, NB_SERVER_OWNED);
      assert.ok(!last.data.includes('[SR_'), 'every resource is resolved');
      const stored = (await app.store.sessions.byId(v.id))!;
      assert.match(last.json.Session.WhenRequested, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?$/, 'wall time without an offset');
      assert.equal(last.json.Session.WhenRequested.slice(0, 19), wallTime(stored.whenRequested!, 'America/New_York'));
      const message = (await app.store.messages.forSession(v.id, 0)).at(-1)!;
      assert.equal(last.json.Message.ChatMessageId, message.id);
      assert.equal(last.json.Message.WhenPosted.slice(0, 19), wallTime(message.whenPosted, 'America/New_York'));

      // The same event for a manager: its own right on the row.
      const managed = await adm0.take((f) => f.id === last.id);
      assert.equal(managed.json.Session.TableRight.Mask, 'FULL');
      assertIncreasing(adm0.frames);
    });

    test('an agent gets nothing about sessions of topics it is not a member of', async () => {
      const deu4 = await k.agentStream(DEU4);
      const tje0 = await k.agentStream(TJE0);
      const v = await k.openVisitor('Hello support');
      await k.post(v.key, 'Anyone there?');
      await k.agent(ANN1, 'PickUpChatSession', { ChatSessionId: v.id });
      await k.say(ANN1, v.id, 'Anne here');
      // A change in deu4's own topic comes after all of those, so once it arrives nothing else can be pending.
      const jonas = await k.demoSession(DEU4, 'Jonas');
      await k.say(DEU4, jonas, 'Das Angebot kommt heute');
      const mine = await deu4.take((f) => f.event === 'message.added' && f.json.Message.Message === 'Das Angebot kommt heute');
      assert.equal(mine.json.Session.TopicId, VERTRIEB);
      assert.equal(mine.json.Session.TableRight.Mask, 'FULL', 'deu4 manages Vertrieb');
      assert.deepEqual(
        deu4.frames.filter((f) => sessionOf(f) !== undefined && sessionOf(f) !== jonas).map((f) => `${f.id}:${f.event}`),
        [],
      );
      assert.ok(deu4.frames.every((f) => f.json?.Session === undefined || f.json.Session.TopicId === VERTRIEB));

      // tje0 saw the support session's events, and nothing of Vertrieb.
      await tje0.take((f) => f.event === 'message.added' && f.json.Message.Message === 'Anne here');
      assert.ok(tje0.frames.some((f) => f.event === 'session.created' && sessionOf(f) === v.id));
      await k.say(TJE0, await k.demoSession(TJE0, 'Lars Lund'), 'Photo received, thanks');
      await tje0.take((f) => f.json?.Message?.Message === 'Photo received, thanks');
      assert.ok(tje0.frames.every((f) => f.json?.Session === undefined || f.json.Session.TopicId !== VERTRIEB));
    });

    test('a visitor gets its own messages, the agent typing and its queue moving, and nothing of another visitor', async () => {
      const ahead = await k.openVisitor('I was here first');
      const me = await k.openVisitor('Me too');
      const other = await k.openVisitor('A third customer');
      const mine = await k.visitorStream(me.key, '?language=nb&timezone=UTC');
      const byQuery = await k.visitorStream(undefined, `?key=${encodeURIComponent(other.key)}`);
      assert.equal(mine.status, 200);
      assert.equal(mine.headers.get('access-control-allow-origin'), '*');
      assert.equal(byQuery.status, 200, 'the key may come as ?key= (EventSource sends no headers)');

      await k.post(me.key, 'Is anybody there?');
      const echoed = await mine.take((f) => f.event === 'message.added');
      assert.equal(echoed.json.Message.Message, 'Is anybody there?');
      assert.equal(echoed.json.Message.ChatSessionId, me.id);
      assert.equal(echoed.json.Session, undefined, 'a visitor gets the message, not the agent carrier');

      // The session ahead is answered: this visitor's queue position moves up.
      const position = (await k.visitor('GetSession', {}, me.key)).QueuePosition as number;
      await k.agent(TJE0, 'PickUpChatSession', { ChatSessionId: ahead.id });
      const moved = await mine.take((f) => f.event === 'session.changed');
      assert.equal(moved.json.Session.ChatSessionId, me.id);
      assert.equal(moved.json.Session.Status, 'InQueue');
      assert.equal(moved.json.Session.QueuePosition, position - 1);

      await k.agent(TJE0, 'PickUpChatSession', { ChatSessionId: me.id });
      const picked = await mine.take((f) => f.event === 'session.changed' && f.json.Session.Status !== 'InQueue');
      assert.equal(picked.json.Session.AgentName, 'Tor Jensen');
      const welcome = await mine.take((f) => f.event === 'message.added');
      assert.equal(welcome.json.Message.SpecialType, 'Welcome');
      assert.equal(welcome.json.Message.Message, NB_WELCOME);
      assert.match(welcome.json.Message.WhenPosted, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?$/);

      // The agent starts typing: the visitor's session says so.
      await k.agent(TJE0, 'SaveChatSessionEntity', { ChatSessionId: me.id, Flags: 'UserIsTyping' });
      const typing = await mine.take((f) => f.event === 'session.changed');
      assert.equal(typing.json.Session.AgentIsTyping, true);
      await k.say(TJE0, me.id, 'Hello, Tor here');
      await mine.take((f) => f.event === 'message.added' && f.json.Message.Message === 'Hello, Tor here');

      // The other visitor writes and is answered; this stream learns nothing of it.
      await k.post(other.key, 'Secret of the third customer');
      await byQuery.take((f) => f.event === 'message.added' && f.json.Message.Message === 'Secret of the third customer');
      await k.say(TJE0, me.id, 'Anything else?');
      await mine.take((f) => f.event === 'message.added' && f.json.Message.Message === 'Anything else?');
      assert.deepEqual(
        mine.frames.filter((f) => sessionOf(f) !== me.id).map((f) => f.data),
        [],
      );
      assert.ok(!mine.frames.some((f) => f.data.includes('Secret of the third customer')));
      assert.ok(byQuery.frames.every((f) => sessionOf(f) === other.id));
      assertIncreasing(mine.frames);
    });

    test('a change that rolls back publishes nothing', async () => {
      const ann1 = await k.agentStream(ANN1);
      const adm0 = await k.agentStream(ADM0);
      const lastBefore = await app.store.events.lastId();
      // Both rows are written in one transaction; the second fails (listed twice), so the first is undone too.
      const res = await call(app, 'UpdateChatTopicUserAgents', {
        auth: ADM0,
        body: {
          ChatTopicId: VERTRIEB,
          Useragents: [
            { User: { UserName: 'ann1' }, CanListen: true },
            { User: { UserName: 'ann1' }, CanRespond: true },
          ],
        },
      });
      assert.equal(res.status, 400, res.body);
      // A committed change afterwards is the marker: everything before it has been decided by then.
      await k.setPresent('ola2', true);
      const marker = await ann1.take((f) => f.event === 'presence.changed');
      await adm0.take((f) => f.id === marker.id);
      assert.deepEqual(
        ann1.frames.map((f) => f.event),
        ['presence.changed'],
      );
      assert.deepEqual(
        adm0.frames.map((f) => f.event),
        ['presence.changed'],
      );
      assert.deepEqual(
        (await app.store.events.after(lastBefore, 100)).map((e) => e.type),
        ['presence.changed'],
        'the outbox holds only the committed event',
      );
      await k.setPresent('ola2', false);
    });

    test('an event that cannot be prepared for a stream ends it with a resync, never a silent gap', async () => {
      const stream = await k.agentStream(TJE0);
      const other = await k.agentStream(DEU4);
      const associates = app.store.associates;
      const original = associates.byIds;
      // Loading the session's linked records fails once (a database hiccup while the frame is prepared).
      associates.byIds = async () => {
        associates.byIds = original;
        throw new Error('simulated database failure');
      };
      try {
        const v = await k.openVisitor('Prepared in vain');
        const resync = await stream.take((f) => f.event === 'resync');
        assert.match(resync.json.Reason, /reload/);
        await stream.ended;
        assert.ok(!stream.frames.some((f) => f.event === 'session.created' && sessionOf(f) === v.id));
      } finally {
        associates.byIds = original;
      }
      // The server goes on: a stream the failed event did not concern is untouched, and new streams work.
      const jonas = await k.demoSession(DEU4, 'Jonas');
      await k.say(DEU4, jonas, 'Still here');
      await other.take((f) => f.json?.Message?.Message === 'Still here');
      assert.ok(!other.frames.some((f) => f.event === 'resync'));
      const again = await k.agentStream(TJE0);
      const v2 = await k.openVisitor('After the hiccup');
      await again.take((f) => f.event === 'session.created' && sessionOf(f) === v2.id);
    });

    test('events that reach the hub together load their linked records once per kind, not once per event', async () => {
      const stream = await k.agentStream(TJE0);
      const v = await k.openVisitor('Many at once');
      await stream.take((f) => f.event === 'message.added' && sessionOf(f) === v.id);
      const session = await app.store.sessions.byId(v.id);
      assert.ok(session);
      const associates = app.store.associates;
      const original = associates.byIds;
      let loads = 0;
      associates.byIds = (ids) => {
        loads++;
        return original.call(associates, ids);
      };
      try {
        // Five events in one transaction: the hub reads them as one batch.
        await app.store.transaction(async (store) => {
          for (let i = 0; i < 5; i++) {
            await store.events.append({
              type: 'chatsession.typing',
              topicId: session.topicId,
              sessionId: session.id,
              associateId: null,
              createdAt: new Date(),
              payload: { session, customerIsTyping: i % 2 === 0, userIsTyping: false },
            });
          }
        });
        for (let i = 0; i < 5; i++) await stream.take((f) => f.event === 'session.typing' && sessionOf(f) === v.id);
        assert.equal(loads, 1);
      } finally {
        associates.byIds = original;
      }
    });

    test('heartbeats arrive on an idle stream', async () => {
      const idle = await k.agentStream(TJE0);
      await sleep(2500);
      assert.ok(idle.comments.filter((c) => c === 'heartbeat').length >= 2, `heartbeats: ${JSON.stringify(idle.comments)}`);
      assert.deepEqual(idle.frames, [], 'heartbeats are comments, not events');
      assert.equal(idle.isEnded(), false);
    });

    test('no credentials, wrong credentials and a bad Last-Event-ID answer with the JSON error envelope', async () => {
      const none = await k.agentStream(undefined);
      assert.equal(none.status, 401);
      assert.match(none.headers.get('content-type') ?? '', /^application\/json/);
      assert.deepEqual(Object.keys(JSON.parse(none.body!)).sort(), ['Error', 'ErrorMessage', 'ErrorSource', 'ErrorType']);
      assert.equal(JSON.parse(none.body!).Error, true);
      assert.equal(JSON.parse(none.body!).ErrorType, 'SoCredentialsException');
      const wrong = await k.agentStream(`Basic ${Buffer.from('tje0:wrong').toString('base64')}`);
      assert.equal(wrong.status, 401);
      const noKey = await k.visitorStream(undefined);
      assert.equal(noKey.status, 401);
      assert.equal(JSON.parse(noKey.body!).Error, true);
      const badKey = await k.visitorStream('not-a-session-key');
      assert.equal(badKey.status, 401);
      const badId = await k.agentStream(TJE0, '', { 'last-event-id': 'yesterday' });
      assert.equal(badId.status, 400);
      assert.equal(JSON.parse(badId.body!).ErrorType, 'SoBadRequestException');
      const badZone = await k.agentStream(TJE0, '?timezone=Mars/Olympus');
      assert.equal(badZone.status, 400);
    });

    test('a repeated query parameter counts with its last value, as in the API: never a 500', async () => {
      const v = await k.openVisitor('Twice');
      const visitor = await k.visitorStream(undefined, `?key=wrong&key=${encodeURIComponent(v.key)}&language=de&language=nb`);
      assert.equal(visitor.status, 200, visitor.body);
      assert.equal((await k.visitorStream(undefined, `?key=${encodeURIComponent(v.key)}&key=wrong`)).status, 401);
      const agent = await k.agentStream(TJE0, '?timezone=UTC&timezone=US-NY&lastEventId=1&lastEventId=');
      assert.equal(agent.status, 200, agent.body);
      // Names in any case, as the API's query parameters.
      assert.equal((await k.visitorStream(undefined, `?KEY=${encodeURIComponent(v.key)}&Language=nb`)).status, 200);
      assert.equal((await k.agentStream(TJE0, '?TimeZone=Mars')).status, 400, 'the zone was read, and refused');
    });

    test('the session cookie with ?xsrf= opens an agent stream; without the token it is refused', async () => {
      const login = await call(app, '/api/v1/Parley/Authentication/Session', { body: { UserName: 'tje0', Password: 'Tje0' } });
      assert.equal(login.status, 200, login.body);
      const cookies = ([] as string[]).concat(login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]);
      const xsrf = cookies.find((c) => c.startsWith('XSRF-TOKEN='))!.slice('XSRF-TOKEN='.length);
      const cookie = cookies.join('; ');
      const refused = await k.agentStream(undefined, '', { cookie });
      assert.equal(refused.status, 401);
      const stream = await k.agentStream(undefined, `?xsrf=${encodeURIComponent(xsrf)}`, { cookie });
      assert.equal(stream.status, 200);
      const v = await k.openVisitor('Cookie check');
      const created = await stream.take((f) => f.event === 'session.created');
      assert.equal(created.json.Session.ChatSessionId, v.id);
      assert.equal(created.json.Session.TableRight.Mask, 'URI');
    });

    test('SaveChatPresence reaches every agent as presence.changed', async () => {
      const deu4 = await k.agentStream(DEU4);
      const tje0 = await k.agentStream(TJE0);
      const ann1Id = await k.userId('ann1');
      const res = await call(app, 'SaveChatPresence', { auth: ANN1, body: { ChatPresence: [{ UserId: ann1Id, Present: false }] } });
      assert.equal(res.status, 204, res.body);
      for (const s of [deu4, tje0]) {
        const f = await s.take((x) => x.event === 'presence.changed');
        assert.deepEqual(f.json, { UserId: ann1Id, Present: false });
      }
      await k.setPresent('ann1', true);
      assert.deepEqual((await tje0.take((x) => x.event === 'presence.changed')).json, { UserId: ann1Id, Present: true });
    });

    test("AddChatTopicUserAgent tells the added user, whose stream then gets that topic's sessions", async () => {
      const ann1 = await k.agentStream(ANN1);
      const deu4 = await k.agentStream(DEU4);
      const jonas = await k.demoSession(DEU4, 'Jonas');
      await k.say(DEU4, jonas, 'Before ann1 joins');
      await deu4.take((f) => f.json?.Message?.Message === 'Before ann1 joins');
      await k.agent(ADM0, 'AddChatTopicUserAgent', { ChatTopicId: VERTRIEB, Useragent: { User: { UserName: 'ann1' }, CanListen: true } });
      const joined = await ann1.take((f) => f.event === 'topic.membership');
      assert.deepEqual(joined.json, { TopicId: VERTRIEB, UserId: await k.userId('ann1'), Removed: false });
      // The topic's members hear of it too.
      assert.deepEqual((await deu4.take((f) => f.event === 'topic.membership')).json, joined.json);
      await k.say(DEU4, jonas, 'After ann1 joined');
      const seen = await ann1.take((f) => f.event === 'message.added');
      assert.equal(seen.json.Message.Message, 'After ann1 joined');
      assert.equal(seen.json.Session.ChatSessionId, jonas);
      assert.equal(seen.json.Session.TableRight.Mask, 'Select', 'a listener reads');
      assert.ok(!ann1.frames.some((f) => f.data.includes('Before ann1 joins')));

      // Removed again: the member is told, and the topic's sessions stop reaching it.
      await k.agent(ADM0, 'DeleteChatTopicUserAgent', { ChatTopicId: VERTRIEB, Username: 'ann1' });
      const left = await ann1.take((f) => f.event === 'topic.membership');
      assert.equal(left.json.Removed, true);
      await k.say(DEU4, jonas, 'After ann1 left');
      await deu4.take((f) => f.json?.Message?.Message === 'After ann1 left');
      await k.setPresent('ola2', true);
      await ann1.take((f) => f.event === 'presence.changed');
      assert.ok(!ann1.frames.some((f) => f.data.includes('After ann1 left')));
      await k.setPresent('ola2', false);
    });
  });
}
