// The visitor chatting: messages, typing, rating, ending and transcripts.
// The demo data these tests rely on, and the helpers they share: test/helpers/visitor-kit.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { databaseKinds } from '../helpers/databases.ts';
import { ANN1, call, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';

import { TestClock, CUSTOMER_TYPING_BIT, type Answer, widgetKit, assertError, NO_LIMITS } from '../helpers/visitor-kit.ts';

for (const { kind, skip } of await databaseKinds()) {
  describe(`Visitor messages, typing, rating, ending and transcripts on ${kind}`, { skip }, () => {
    let app: TestApp;
    const clock = new TestClock();
    const w = widgetKit(() => app);
    before(async () => {
      app = await startTestApp({ kind, clock, env: NO_LIMITS });
    });
    after(async () => app?.close());

    test("PostMessage and GetMessages(After): the customer's text verbatim, also when it looks like a resource", async () => {
      const o = await w.open({ CustomerName: 'Verbatim' });
      const en = { 'accept-language': 'en' };
      const first = w.ok(await w.post(o.SessionKey, 'hello there', en));
      assert.equal(first.Type, 'ToUser');
      assert.equal(first.Message, 'hello there');
      assert.equal(first.Author, 'Verbatim');
      assert.equal(first.ChatSessionId, o.Session.ChatSessionId);
      const second = w.ok(await w.post(o.SessionKey, '[SR_PARLEY_WELCOME]', en));
      assert.equal(second.Message, '[SR_PARLEY_WELCOME]');
      assert.ok(second.ChatMessageId > first.ChatMessageId);
      const later = await w.messages(o.SessionKey, first.ChatMessageId, en);
      assert.deepEqual(
        later.map((m: any) => [m.ChatMessageId, m.Message]),
        [[second.ChatMessageId, '[SR_PARLEY_WELCOME]']],
      );
      const all = await w.messages(o.SessionKey, 0, en);
      assert.deepEqual(
        all.filter((m: any) => m.SpecialType === 'None').map((m: any) => m.Message),
        ['hello there', '[SR_PARLEY_WELCOME]'],
      );
      assert.deepEqual(await w.messages(o.SessionKey, second.ChatMessageId), []);
      const s = await w.getSession(o.SessionKey);
      assert.equal(s.Status, 'InQueue', 'writing while waiting keeps the status');
      const agent = await w.agentView(o.Session.ChatSessionId);
      assert.equal(agent.FirstMessage, 'hello there');
      assert.equal(agent.LastMessage, '[SR_PARLEY_WELCOME]');
    });

    test('what the visitor was given counts as read: the agent sees ReadByCustomer turn 1; polling writes nothing', async () => {
      const o = await w.open({ Message: 'Anyone there?' });
      const id = o.Session.ChatSessionId;
      await w.pickUp(id);
      assert.equal((await w.agentSays(id, 'Yes, Tor here')).status, 200);
      const agentRead = async () => {
        const res = await call(app, 'GetChatMessages', { auth: TJE0, body: { ChatSessionId: id, After: 0 } });
        assert.equal(res.status, 200, res.body);
        return (res.json as any[]).filter((m) => m.Type === 'ToCustomer');
      };
      const sent = await agentRead();
      assert.deepEqual(
        sent.map((m) => [m.SpecialType, m.ReadByCustomer]),
        [
          ['Welcome', 0],
          ['None', 0],
        ],
        'not read yet',
      );

      const given = await w.messages(o.SessionKey);
      assert.deepEqual(
        given.filter((m: any) => m.Type === 'ToCustomer').map((m: any) => m.ReadByCustomer),
        [1, 1],
      );
      assert.deepEqual(
        (await agentRead()).map((m) => m.ReadByCustomer),
        [1, 1],
        'the agent sees them read',
      );

      const version = await app.store.dataVersion();
      await w.messages(o.SessionKey);
      await w.messages(o.SessionKey, sent[1].ChatMessageId);
      assert.equal(await app.store.dataVersion(), version, 'nothing unread: no write');

      const next = w.ok(await w.agentSays(id, 'Anything else?'));
      assert.equal((await agentRead()).at(-1).ReadByCustomer, 0);
      const after = await w.messages(o.SessionKey, next.ChatMessageId - 1);
      assert.deepEqual(
        after.map((m: any) => [m.ChatMessageId, m.ReadByCustomer]),
        [[next.ChatMessageId, 1]],
      );
      assert.deepEqual(
        (await agentRead()).map((m) => m.ReadByCustomer),
        [1, 1, 1],
      );
    });

    test('an empty message is a 400', async () => {
      const o = await w.open();
      assertError(await w.post(o.SessionKey, ''), 400, /Message/);
      assertError(await w.post(o.SessionKey, '   \n '), 400, /Message/);
      assertError(await w.visitor('PostMessage', {}, o.SessionKey), 400, /Message/);
    });

    test('after the agent answered, the customer writing makes the chat CustomerLast', async () => {
      const o = await w.open({ Message: 'Anyone?' });
      const id = o.Session.ChatSessionId;
      await w.pickUp(id);
      assert.equal((await w.agentSays(id, 'Yes, how can I help?')).status, 200);
      assert.equal((await w.getSession(o.SessionKey)).Status, 'UserLast');
      w.ok(await w.post(o.SessionKey, 'My widget is broken'));
      assert.equal((await w.getSession(o.SessionKey)).Status, 'CustomerLast');
      const agent = await w.agentView(id);
      assert.equal(agent.Status, 'CustomerLast');
      assert.equal(agent.LastMessage, 'My widget is broken');
      const texts = (await w.messages(o.SessionKey)).filter((m: any) => m.SpecialType === 'None').map((m: any) => [m.Type, m.Message]);
      assert.deepEqual(texts, [
        ['ToUser', 'Anyone?'],
        ['ToCustomer', 'Yes, how can I help?'],
        ['ToUser', 'My widget is broken'],
      ]);
    });

    test('writing to a Finished chat reopens it for its owner; to a ClosedFromQueue one is a 409', async () => {
      const o = await w.open({ CustomerName: 'Returner' });
      const id = o.Session.ChatSessionId;
      await w.pickUp(id);
      const ended = await w.saveSession({ ChatSessionId: id, Status: 'Finished' });
      assert.equal(ended.status, 200, ended.body);
      assert.equal((await w.getSession(o.SessionKey)).Status, 'Finished');
      w.ok(await w.post(o.SessionKey, 'One more thing'));
      const agent = await w.agentView(id);
      assert.equal(agent.Status, 'CustomerLast');
      assert.equal(agent.User?.AssociateId, await w.userId('tje0'), 'the owner keeps it');
      assert.equal(agent.WhenEnded, null);
      assert.ok(agent.Rank > 0, 'an active chat again, with a rank');
      const list = await w.messages(o.SessionKey);
      const reopened = list.findIndex((m: any) => m.SpecialType === 'ReopenedByCustomer');
      const text = list.findIndex((m: any) => m.Message === 'One more thing');
      assert.ok(reopened >= 0 && reopened < text, 'a ReopenedByCustomer line before the message');
      assert.equal((await w.agentSays(id, 'Welcome back')).status, 200, 'the owner writes again');

      const gone = await w.open();
      w.ok(await w.visitor('End', {}, gone.SessionKey));
      assert.equal((await w.getSession(gone.SessionKey)).Status, 'ClosedFromQueue');
      assertError(await w.post(gone.SessionKey, 'Hello?'), 409);
    });

    test('writing to a Finished chat whose agent is away queues it for whoever is there', async () => {
      const o = await w.open({ CustomerName: 'Later' });
      const id = o.Session.ChatSessionId;
      await w.pickUp(id);
      assert.equal((await w.saveSession({ ChatSessionId: id, Status: 'Finished' })).status, 200);
      const initial = (await w.agentView(id)).InitialQueuePos;
      await w.setPresent('tje0', false);
      try {
        w.ok(await w.post(o.SessionKey, 'Back again'));
        const agent = await w.agentView(id);
        assert.equal(agent.Status, 'InQueue');
        assert.equal(agent.User, null, 'nobody has it until someone picks it up');
        assert.equal(agent.Rank, 0);
        assert.equal(agent.WhenEnded, null);
        assert.equal(agent.InitialQueuePos, initial, 'InitialQueuePos never changes');
        assert.ok(Date.parse(agent.WhenRequested) >= Date.parse(agent.WhenStarted), 'it waits from now, behind those already waiting');
        assert.ok((await w.messages(o.SessionKey)).some((m: any) => m.SpecialType === 'ReopenedByCustomer'));
        assert.equal((await w.getSession(o.SessionKey)).Status, 'InQueue');
      } finally {
        await w.setPresent('tje0', true);
      }
      // ann1 (present, responds in the topic) takes it from the queue.
      const picked = await call(app, 'PickUpChatSession', { auth: ANN1, body: { ChatSessionId: id } });
      assert.equal(picked.json?.User?.UserName, 'ann1');
    });

    test("Typing answers 204; the agent's Flags never show it, and the customer's message clears it", async () => {
      const o = await w.open();
      const id = o.Session.ChatSessionId;
      await w.pickUp(id);
      const idle = (await w.agentView(id)).Flags;
      const typing = await w.visitor('Typing', { IsTyping: true }, o.SessionKey);
      assert.equal(typing.status, 204, typing.body);
      assert.equal(typing.body, '');
      assert.equal((await app.store.sessions.byId(id))!.flags & CUSTOMER_TYPING_BIT, CUSTOMER_TYPING_BIT, 'kept internally');
      assert.equal((await w.agentView(id)).Flags, idle, 'SuperOffice has no way to say the customer types');
      const listed = (await call(app, 'ChatSessionsForUser', { auth: TJE0 })).json.find((s: any) => s.ChatSessionId === id);
      assert.equal(listed.Flags, idle);
      // The agent types too: Flags shows exactly that.
      assert.equal((await w.saveSession({ ChatSessionId: id, Flags: 'UserIsTyping' })).status, 200);
      assert.equal((await w.agentView(id)).Flags, 'UserIsTyping');
      assert.equal((await app.store.sessions.byId(id))!.flags & CUSTOMER_TYPING_BIT, CUSTOMER_TYPING_BIT, "the agent's save keeps the customer's bit");
      assert.equal((await w.agentSays(id, 'Take your time')).status, 200);
      w.ok(await w.post(o.SessionKey, 'Done typing'));
      assert.equal((await app.store.sessions.byId(id))!.flags & CUSTOMER_TYPING_BIT, 0, 'sending clears it');
      // Typing false clears it as well.
      assert.equal((await w.visitor('Typing', { IsTyping: true }, o.SessionKey)).status, 204);
      assert.equal((await w.visitor('Typing', { IsTyping: false }, o.SessionKey)).status, 204);
      assert.equal((await app.store.sessions.byId(id))!.flags & CUSTOMER_TYPING_BIT, 0);
    });

    test('Rate: 1 to 5 stars once an agent answered, on topics that ask for ratings; the agent sees it', async () => {
      const o = await w.open();
      const id = o.Session.ChatSessionId;
      assert.equal((await w.getSession(o.SessionKey)).CanRate, false);
      assertError(await w.visitor('Rate', { Rating: 4 }, o.SessionKey), 409);
      await w.pickUp(id);
      assert.equal((await w.getSession(o.SessionKey)).CanRate, true);
      for (const rating of [0, 6, -1]) assertError(await w.visitor('Rate', { Rating: rating }, o.SessionKey), 400, /Rating/);
      assertError(await w.visitor('Rate', { Rating: 'five' }, o.SessionKey), 400, /Rating/);
      assert.equal((await w.agentView(id)).Rating, 0, 'refused ratings store nothing');
      const rated = w.ok(await w.visitor('Rate', { Rating: 4 }, o.SessionKey));
      assert.equal(rated.Rating, 4);
      assert.equal((await w.agentView(id)).Rating, 4);
      // After the end, too (the widget asks then).
      w.ok(await w.visitor('End', {}, o.SessionKey));
      assert.equal(w.ok(await w.visitor('Rate', { Rating: 5 }, o.SessionKey)).Rating, 5);
      assert.equal((await w.agentView(id)).Rating, 5);

      const noRatings = await w.newTopic();
      const n = await w.open({ ChatTopicId: noRatings });
      await w.pickUp(n.Session.ChatSessionId);
      assert.equal((await w.getSession(n.SessionKey)).CanRate, false);
      assertError(await w.visitor('Rate', { Rating: 3 }, n.SessionKey), 409);
      assert.equal((await w.agentView(n.Session.ChatSessionId)).Rating, 0);
    });

    test('End: an active chat is Finished (ClosedByCustomer), a waiting one ClosedFromQueue; the agent then gets 409', async () => {
      const o = await w.open({ CustomerName: 'Leaver' });
      const id = o.Session.ChatSessionId;
      await w.pickUp(id);
      const ended = w.ok(await w.visitor('End', {}, o.SessionKey));
      assert.equal(ended.Status, 'Finished');
      assert.ok(ended.WhenEnded);
      const agent = await w.agentView(id);
      assert.equal(agent.Status, 'Finished');
      assert.equal(agent.Rank, 0);
      assert.equal((await w.messages(o.SessionKey)).at(-1).SpecialType, 'ClosedByCustomer');
      assertError((await w.agentSays(id, 'Are you still there?')) as Answer, 409);
      // Ending twice changes nothing.
      assert.equal(w.ok(await w.visitor('End', {}, o.SessionKey)).Status, 'Finished');
      assert.equal((await w.messages(o.SessionKey)).filter((m: any) => m.SpecialType === 'ClosedByCustomer').length, 1);

      const waiting = await w.open();
      const left = w.ok(await w.visitor('End', {}, waiting.SessionKey));
      assert.equal(left.Status, 'ClosedFromQueue');
      assert.equal(left.QueuePosition, 0);
      assert.equal((await w.agentView(waiting.Session.ChatSessionId)).Status, 'ClosedFromQueue');
      assert.equal(
        (await call(app, 'PickUpChatSession', { auth: TJE0, body: { ChatSessionId: waiting.Session.ChatSessionId } })).json,
        null,
        'no longer queued',
      );
    });

    test('GetTranscript: only with PostTranscriptEnabled; HTML escaped, text with the lines', async () => {
      const o = await w.open({ CustomerName: 'Mallory', Message: '<script>alert(1)</script>' });
      assert.equal((await w.getSession(o.SessionKey)).CanGetTranscript, false);
      assertError(await w.visitor('GetTranscript', { Html: true }, o.SessionKey), 409);

      const topic = await w.newTopic({ Widget: { PostTranscriptEnabled: true } });
      const t = await w.open({ ChatTopicId: topic, CustomerName: 'Mallory', Message: '<script>alert(1)</script>' });
      await w.pickUp(t.Session.ChatSessionId);
      assert.equal((await w.agentSays(t.Session.ChatSessionId, 'Nice try & goodbye')).status, 200);
      assert.equal((await w.getSession(t.SessionKey)).CanGetTranscript, true);
      const html = w.ok(await w.visitor('GetTranscript', { Html: true }, t.SessionKey)) as string;
      assert.equal(typeof html, 'string');
      assert.ok(!html.includes('<script>'), html);
      assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), html);
      assert.ok(html.includes('Nice try &amp; goodbye'), html);
      const text = w.ok(await w.visitor('GetTranscript', { Html: false }, t.SessionKey)) as string;
      const lines = text.split('\n');
      assert.ok(
        lines.some((l) => l.endsWith('Mallory: <script>alert(1)</script>')),
        text,
      );
      assert.ok(
        lines.some((l) => l.endsWith('Tor Jensen: Nice try & goodbye')),
        text,
      );
      // No PARLEY_SMTP_URL here: e-mail is off, so the transcript cannot be mailed (and nothing is queued).
      assert.equal(w.ok(await w.visitor('End', {}, t.SessionKey)).Status, 'Finished');
      assertError(await w.visitor('MailTranscript', { Email: 'mallory@example.com' }, t.SessionKey), 409, /sends no e-mail/);
      assert.deepEqual(await app.store.mail.list(), []);
    });
  });
}
