// Messages and transcripts: writing (who may, which types, bot lines), reading after an id, and the transcript.
// The demo users and topics these tests rely on, and the helpers they share: test/helpers/life-cycle-kit.ts;
// each test makes its sessions with test/helpers/factories.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ChatMessageSpecialType, ChatMessageType, ChatSessionStatus } from '../../src/domain/enums.ts';
import { ADM0, ANN1, call, DEU4, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { activeSession, endedSession, fromAgent, fromCustomer, systemLine } from '../helpers/factories.ts';

import {
  SUPPORT,
  OFFSET_DATE,
  userIds,
  pickUp,
  getSession,
  messages,
  write,
  say,
  create,
  queued,
  insertSession,
  customerWrites,
  SALES,
  SWEDEN,
  BOT_LAB,
} from '../helpers/life-cycle-kit.ts';

// A chat tje0 is having in Customer support: the welcome line, the customer, tje0, the customer again (CustomerLast).
const conversation = [
  systemLine(ChatMessageSpecialType.Welcome, 'Tor Jensen picked up the chat'),
  fromCustomer('Lars Lund', 'The widget arrived broken'),
  fromAgent('Tor Jensen', 'Sorry! Can you send a photo?'),
  fromCustomer('Lars Lund', 'Sent it by e-mail just now'),
];

for (const { kind, skip } of await databaseKinds()) {
  describe(`AddChatMessage on ${kind}`, { skip }, () => {
    let app: TestApp;
    let ids: Record<string, number>;
    let lars: number;
    before(async () => {
      app = await startTestApp({ kind });
      ids = await userIds(app);
      lars = await activeSession(app, SUPPORT, ids.tje0, { customerName: 'Lars Lund', lines: conversation });
    });
    after(async () => app?.close());

    test('the owner writes: the stored message comes back; the session is UserLast with LastMessage and WhenIdle', async () => {
      const before = await getSession(app, TJE0, lars);
      assert.equal(before.Status, 'CustomerLast');
      const t0 = Date.now();
      const res = await say(app, TJE0, lars, 'Got the photo, thanks');
      assert.equal(res.status, 200, res.body);
      const m = res.json;
      assert.deepEqual(Object.keys(m), [
        'ChatMessageId',
        'ChatSessionId',
        'Type',
        'Message',
        'Author',
        'ReadByCustomer',
        'SpecialType',
        'SpecialParam',
        'WhenPosted',
      ]);
      assert.ok(m.ChatMessageId > 0);
      assert.equal(m.ChatSessionId, lars);
      assert.equal(m.Type, 'ToCustomer');
      assert.equal(m.Message, 'Got the photo, thanks');
      assert.equal(m.Author, 'Tor Jensen');
      assert.equal(m.ReadByCustomer, 0, 'the customer has not read it yet');
      assert.equal(m.SpecialType, 'None');
      assert.match(m.WhenPosted, OFFSET_DATE);
      assert.ok(Math.abs(Date.parse(m.WhenPosted) - t0) < 60_000);
      const s = await getSession(app, TJE0, lars);
      assert.equal(s.Status, 'UserLast');
      assert.equal(s.LastMessage, 'Got the photo, thanks');
      assert.equal(s.FirstMessage, 'The widget arrived broken', 'the first message is kept');
      assert.equal(Date.parse(s.WhenIdle), Date.parse(m.WhenPosted));
      assert.deepEqual((await messages(app, TJE0, lars)).json.at(-1), m);
      // Writing again keeps UserLast.
      assert.equal((await say(app, TJE0, lars, 'Anything else?')).status, 200);
      assert.equal((await getSession(app, TJE0, lars)).Status, 'UserLast');
    });

    test('the first message people write becomes FirstMessage (system lines do not count)', async () => {
      const id = await queued(app);
      await pickUp(app, TJE0, id);
      assert.equal((await getSession(app, TJE0, id)).FirstMessage, '');
      await say(app, TJE0, id, 'What can I do for you?');
      const s = await getSession(app, TJE0, id);
      assert.equal(s.FirstMessage, 'What can I do for you?');
      assert.equal(s.LastMessage, 'What can I do for you?');
    });

    test('what an agent writes is not translated, even when it looks like a resource', async () => {
      const res = await call(app, 'AddChatMessage', {
        auth: TJE0,
        body: { ChatSessionId: lars, Message: { Message: '[SR_PARLEY_WELCOME]' } },
        headers: { 'Accept-Language': 'en' },
      });
      assert.equal(res.json.Message, '[SR_PARLEY_WELCOME]');
      assert.equal(res.json.Type, 'ToCustomer', 'Type defaults to ToCustomer');
    });

    test('"Message": null, no message text, or a message to the agent (ToUser): 400', async () => {
      const count = (await messages(app, TJE0, lars)).json.length;
      const nul = await write(app, TJE0, lars, null);
      assert.equal(nul.status, 400);
      assert.match(nul.json.ErrorMessage, /Message/);
      assert.equal((await write(app, TJE0, lars, { Type: 'ToCustomer', Message: '   ' })).status, 400);
      const toUser = await write(app, TJE0, lars, { Type: 'ToUser', Message: 'Pretending to be the customer' });
      assert.equal(toUser.status, 400);
      assert.match(toUser.json.ErrorMessage, /Type/);
      assert.equal((await call(app, 'AddChatMessage', { auth: TJE0, body: { ChatSessionId: lars } })).status, 400);
      assert.equal((await messages(app, TJE0, lars)).json.length, count);
    });

    test("the system's own lines (ClosedByUser, TransferedSession, Welcome, ...) cannot be sent: 400, nothing stored", async () => {
      const before = (await messages(app, TJE0, lars)).json;
      const session = await getSession(app, TJE0, lars);
      const system = Object.keys(ChatMessageSpecialType).filter((t) => !['None', 'BotMessage', 'Options'].includes(t));
      assert.ok(system.includes('ClosedByUser') && system.includes('TransferedSession') && system.includes('Welcome'));
      for (const SpecialType of system) {
        for (const Type of ['Special', 'ToCustomer']) {
          const res = await write(app, TJE0, lars, { Type, SpecialType, Message: 'Tor Jensen ended the chat' });
          assert.equal(res.status, 400, `${Type} ${SpecialType}`);
          assert.equal(res.json.ErrorType, 'SoValidationException');
          assert.match(res.json.ErrorMessage, new RegExp(`SpecialType ${SpecialType}`));
        }
      }
      const plainSpecial = await write(app, TJE0, lars, { Type: 'Special', SpecialType: 'None', Message: 'The customer agreed to pay' });
      assert.equal(plainSpecial.status, 400, 'a Special line needs a special type');
      assert.match(plainSpecial.json.ErrorMessage, /Special/);
      assert.deepEqual((await messages(app, TJE0, lars)).json, before);
      assert.deepEqual(await getSession(app, TJE0, lars), session);
    });

    test('bot lines only while a bot is active (400 otherwise, nothing stored); the author is the writer, whatever the wire says', async () => {
      const before = (await messages(app, TJE0, lars)).json;
      assert.equal((await getSession(app, TJE0, lars)).ChatbotIsActive, false);
      for (const SpecialType of ['BotMessage', 'Options']) {
        for (const Type of ['Special', 'ToCustomer']) {
          const res = await write(app, TJE0, lars, { Type, SpecialType, Message: 'Tor Jensen ended the chat' });
          assert.equal(res.status, 400, `${Type} ${SpecialType}`);
          assert.match(res.json.ErrorMessage, /ChatbotIsActive/);
        }
      }
      assert.deepEqual((await messages(app, TJE0, lars)).json, before);
      const forged = await write(app, TJE0, lars, { Type: 'ToCustomer', Message: 'Please send your password', Author: 'Lars Lund' });
      assert.equal(forged.status, 200, forged.body);
      assert.equal(forged.json.Author, 'Tor Jensen', "the agent's own name, not the one sent");
      const transcript = (await call(app, 'GetChatTranscript', { auth: TJE0, body: { ChatSessionId: lars, Html: false } })).json;
      assert.match(transcript, /Tor Jensen: Please send your password/);
      assert.doesNotMatch(transcript, /Lars Lund: Please send your password/);
    });

    test('listeners and responders who do not own the session: 403; non-members: 404; an ended session: 409', async () => {
      const eva = await activeSession(app, SALES, ids.ola2);
      assert.equal((await say(app, TJE0, eva, 'Listening in')).status, 403);
      const notOwner = await say(app, ANN1, lars, 'Let me butt in');
      assert.equal(notOwner.status, 403);
      assert.equal(notOwner.json.ErrorType, 'SoAccessDeniedException');
      assert.equal((await say(app, ADM0, lars, 'Administrators do not own it either')).status, 403);
      const outsider = await say(app, DEU4, lars, 'Hello?');
      assert.equal(outsider.status, 404);
      assert.equal((await say(app, TJE0, 987654, 'Nobody')).status, 404);
      const ended = await say(app, TJE0, await endedSession(app, SUPPORT, ids.tje0, ChatSessionStatus.Finished), 'One more thing');
      assert.equal(ended.status, 409);
      assert.equal(ended.json.ErrorType, 'SoConcurrencyException');
    });

    test('while a bot owns the session any responder writes as the bot; a queued bot session becomes UserLast', async () => {
      const tje0 = ids.tje0;
      await app.store.topicAgents.upsert({ topicId: BOT_LAB, associateId: tje0, canRespond: true, canListen: false, canManage: false, canNotify: false });
      const bot = (await create(app, ADM0, BOT_LAB)).json;
      const res = await say(app, TJE0, bot.ChatSessionId, 'Hi! I am the helper bot.');
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json.Author, 'Parley helper');
      assert.equal(res.json.Type, 'ToCustomer');
      const s = await getSession(app, ADM0, bot.ChatSessionId);
      assert.equal(s.Status, 'UserLast');
      assert.equal(s.User, null, 'the bot owns it, not the agent');
      assert.equal(s.ChatbotIsActive, true);
      assert.equal(s.LastMessage, 'Hi! I am the helper bot.');
      const options = await write(app, ADM0, bot.ChatSessionId, {
        Type: 'Special',
        SpecialType: 'Options',
        Message: 'Pick one',
        SpecialParam: '["Sales","Support"]',
      });
      assert.equal(options.status, 200, options.body);
      assert.equal(options.json.SpecialType, 'Options');
      assert.equal(options.json.Author, 'Parley helper');
      const botLine = await write(app, TJE0, bot.ChatSessionId, {
        Type: 'Special',
        SpecialType: 'BotMessage',
        Message: 'Let me find an agent',
        Author: 'Tor Jensen',
      });
      assert.equal(botLine.status, 200, botLine.body);
      assert.equal(botLine.json.SpecialType, 'BotMessage');
      assert.equal(botLine.json.Author, 'Parley helper', "a bot line is the bot's, whatever Author says");
      assert.equal(
        (await write(app, TJE0, bot.ChatSessionId, { Type: 'Special', SpecialType: 'TransferedSession', Message: 'Transferred' })).status,
        400,
        'not even a bot',
      );
      // Listeners of a bot topic still may not write.
      await app.store.topicAgents.upsert({ topicId: BOT_LAB, associateId: tje0, canRespond: false, canListen: true, canManage: false, canNotify: false });
      assert.equal((await say(app, TJE0, bot.ChatSessionId, 'As a listener')).status, 403);
    });
  });

  describe(`GetChatMessages and GetChatTranscript on ${kind}`, { skip }, () => {
    let app: TestApp;
    let ids: Record<string, number>;
    let lars: number;
    const evaAsks = { customerName: 'Eva', lines: [fromCustomer('Eva', 'Kan jeg få et tilbud?')] };
    before(async () => {
      app = await startTestApp({ kind });
      ids = await userIds(app);
      lars = await activeSession(app, SUPPORT, ids.tje0, { customerName: 'Lars Lund', lines: conversation });
    });
    after(async () => app?.close());

    test('After = 0: every message, oldest first; After = n: only ids above n', async () => {
      const all = (await messages(app, TJE0, lars)).json;
      assert.equal(all.length, 4);
      const idsInOrder = all.map((m: any) => m.ChatMessageId);
      assert.deepEqual(
        idsInOrder,
        [...idsInOrder].sort((a, b) => a - b),
      );
      assert.deepEqual(
        all.map((m: any) => m.Type),
        ['Special', 'ToUser', 'ToCustomer', 'ToUser'],
      );
      assert.deepEqual(
        all.map((m: any) => m.Author),
        ['Parley', 'Lars Lund', 'Tor Jensen', 'Lars Lund'],
      );
      assert.equal(all[1].Message, 'The widget arrived broken');
      assert.equal(all[0].SpecialType, 'Welcome');
      for (const m of all) assert.equal(m.ChatSessionId, lars);
      const later = (await messages(app, TJE0, lars, idsInOrder[1])).json;
      assert.deepEqual(later, all.slice(2));
      assert.deepEqual((await messages(app, TJE0, lars, idsInOrder[3])).json, []);
      assert.deepEqual((await messages(app, TJE0, lars, -5)).json, all, 'a negative After reads as 0');
      // A message added now shows up after the last id read.
      const added = (await say(app, TJE0, lars, 'New one')).json;
      assert.deepEqual((await messages(app, TJE0, lars, idsInOrder[3])).json, [added]);
    });

    test('listeners and notified members read; administrators read; non-members get 404', async () => {
      const eva = await activeSession(app, SALES, ids.ola2, evaAsks);
      const listener = await messages(app, TJE0, eva);
      assert.equal(listener.status, 200);
      assert.equal(listener.json[0].Message, 'Kan jeg få et tilbud?');
      assert.equal((await messages(app, TJE0, await endedSession(app, SWEDEN, ids.sve3, ChatSessionStatus.Finished))).status, 200);
      assert.equal((await messages(app, ADM0, eva)).status, 200);
      const outsider = await messages(app, DEU4, lars);
      assert.equal(outsider.status, 404);
      assert.equal(outsider.json.ErrorType, 'SoNotFoundException');
      assert.equal((await messages(app, TJE0, 987654)).status, 404);
    });

    test('a missing After or ChatSessionId is a 400', async () => {
      assert.equal((await call(app, 'GetChatMessages', { auth: TJE0, body: { ChatSessionId: lars } })).status, 400);
      assert.equal((await call(app, 'GetChatMessages', { auth: TJE0, body: { After: 0 } })).status, 400);
    });

    describe('GetChatTranscript', () => {
      let id: number;
      const posted = new Date('2026-01-15T12:00:00Z');
      const fmt = (zone: string, d = posted) => new Intl.DateTimeFormat('en', { timeZone: zone, dateStyle: 'short', timeStyle: 'short' }).format(d);
      const transcript = (html: boolean, headers?: Record<string, string>, auth = TJE0) =>
        call(app, 'GetChatTranscript', { auth, body: { ChatSessionId: id, Html: html }, headers });

      before(async () => {
        id = await insertSession(app, SUPPORT, ChatSessionStatus.CustomerLast, { userId: (await userIds(app)).tje0, rank: 9, customerName: 'Mallory' });
        await customerWrites(app, id, '<script>alert("x")</script> & "more"\nsecond line', 'Mallory <b>', posted);
        await app.store.messages.insert({
          sessionId: id,
          type: ChatMessageType.ToCustomer,
          message: 'Hello Mallory',
          author: 'Tor Jensen',
          readByCustomer: 0,
          specialType: ChatMessageSpecialType.None,
          specialParam: '',
          whenPosted: new Date(posted.getTime() + 60_000),
          createdBy: null,
        });
        await app.store.messages.insert({
          sessionId: id,
          type: ChatMessageType.Special,
          message: 'Tor Jensen ended the chat',
          author: 'Tor Jensen',
          readByCustomer: 1,
          specialType: ChatMessageSpecialType.ClosedByUser,
          specialParam: '',
          whenPosted: new Date(posted.getTime() + 120_000),
          createdBy: null,
        });
      });

      test('plain text: one line per message with time and author; system lines marked; a JSON string', async () => {
        const res = await transcript(false, { 'SO-TimeZone': 'UTC' });
        assert.equal(res.status, 200, res.body);
        assert.match(String(res.headers['content-type']), /^application\/json/);
        assert.ok(res.body.startsWith('"'), 'a quoted JSON string');
        assert.equal(typeof res.json, 'string');
        assert.equal(
          res.json,
          [
            `${fmt('UTC')} Mallory <b>: <script>alert("x")</script> & "more"`,
            'second line',
            `${fmt('UTC', new Date(posted.getTime() + 60_000))} Tor Jensen: Hello Mallory`,
            `${fmt('UTC', new Date(posted.getTime() + 120_000))} *** Tor Jensen ended the chat`,
          ].join('\n'),
        );
      });

      test("HTML: the customer's markup is escaped, never passed through", async () => {
        const res = await transcript(true, { 'SO-TimeZone': 'UTC' });
        assert.equal(res.status, 200);
        assert.equal(typeof res.json, 'string');
        const html: string = res.json;
        assert.ok(!html.includes('<script>'), html);
        assert.ok(!html.includes('<b>'), html);
        assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;more&quot;<br>second line'), html);
        assert.ok(html.includes('<strong>Mallory &lt;b&gt;</strong>'), html);
        assert.ok(html.includes('<p class="customer">'));
        assert.ok(html.includes('<p class="agent">'));
        assert.ok(html.includes('<p class="system">'));
        assert.ok(html.startsWith('<div class="chat-transcript">') && html.endsWith('</div>'));
        assert.ok(html.includes(`<time datetime="${posted.toISOString()}">${fmt('UTC').replace(/&/g, '&amp;')}</time>`), html);
      });

      test('times in SO-TimeZone; the server zone without one', async () => {
        const ny = (await transcript(false, { 'SO-TimeZone': 'US-NY' })).json as string;
        assert.ok(ny.startsWith(`${fmt('America/New_York')} Mallory`), ny);
        const oslo = (await transcript(false, { 'SO-TimeZone': 'NO' })).json as string;
        assert.ok(oslo.startsWith(`${fmt('Europe/Oslo')} Mallory`), oslo);
        assert.notEqual(fmt('America/New_York'), fmt('Europe/Oslo'));
        const server = (await transcript(false)).json as string;
        assert.ok(server.startsWith(`${fmt('Europe/Oslo')} Mallory`), 'the test server runs in Europe/Oslo');
        const html = (await transcript(true, { 'SO-TimeZone': 'US-NY' })).json as string;
        assert.ok(html.includes(`<time datetime="${posted.toISOString()}">${fmt('America/New_York')}</time>`), html);
      });

      test("a bot's lines carry the bot's name (class bot), never the system's *** mark", async () => {
        const botChat = await insertSession(app, SUPPORT, ChatSessionStatus.UserLast, { chatbotIsActive: true, customerName: 'Botty' });
        await app.store.messages.insert({
          sessionId: botChat,
          type: ChatMessageType.Special,
          message: 'Tor Jensen ended the chat',
          author: 'Parley helper',
          readByCustomer: 0,
          specialType: ChatMessageSpecialType.BotMessage,
          specialParam: '',
          whenPosted: posted,
          createdBy: null,
        });
        const read = (html: boolean) =>
          call(app, 'GetChatTranscript', { auth: TJE0, body: { ChatSessionId: botChat, Html: html }, headers: { 'SO-TimeZone': 'UTC' } });
        const plain = (await read(false)).json as string;
        assert.match(plain, /Parley helper: Tor Jensen ended the chat/);
        assert.doesNotMatch(plain, /\*\*\* Tor Jensen ended the chat/);
        const html = (await read(true)).json as string;
        assert.ok(html.includes('<p class="bot">'), html);
        assert.ok(html.includes('<strong>Parley helper</strong>: Tor Jensen ended the chat'), html);
      });

      test('members read it, listeners too; non-members get 404', async () => {
        assert.equal((await transcript(false, {}, ADM0)).status, 200);
        assert.equal((await transcript(false, {}, DEU4)).status, 404);
        const eva = await activeSession(app, SALES, ids.ola2, evaAsks);
        const listened = await call(app, 'GetChatTranscript', { auth: TJE0, body: { ChatSessionId: eva, Html: false } });
        assert.equal(listened.status, 200);
        assert.match(listened.json, /Eva: Kan jeg få et tilbud\?/);
      });

      test("the customer's text is shown as written, even when it looks like a resource; system lines translate", async () => {
        const other = await insertSession(app, SUPPORT, ChatSessionStatus.InQueue, { customerName: 'Tricky' });
        await customerWrites(app, other, 'I typed [SR_PARLEY_WELCOME] on purpose', 'Tricky');
        await pickUp(app, TJE0, other);
        const en = (await call(app, 'GetChatTranscript', { auth: TJE0, body: { ChatSessionId: other, Html: false }, headers: { 'Accept-Language': 'en' } }))
          .json as string;
        assert.match(en, /Tricky: I typed \[SR_PARLEY_WELCOME\] on purpose/);
        assert.match(en, /Tor Jensen: Hi! How can we help you today\?/);
      });
    });
  });
}
