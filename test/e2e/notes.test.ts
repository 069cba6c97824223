// Internal notes (Parley/Notes/Add, List) end to end on every database: colleagues who can read the session get
// them (live, a mentioned one told so), and nothing a customer can reach ever shows one: the visitor API, the
// visitor's push stream, the transcript, GetChatMessages, webhooks subscribed to every event.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { databaseKinds } from '../helpers/databases.ts';
import { kit, listen } from '../helpers/push-kit.ts';
import { ADM0, ANN1, call, DEU4, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';
import { addWebhook } from '../../src/webhooks/webhook-subscriptions.ts';

const SECRET = 'NOTE-SECRET-7731';

/** A webhook receiver that keeps every body it gets. */
async function receiver() {
  const bodies: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      bodies.push(body);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    bodies,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const until = async (what: string, check: () => boolean | Promise<boolean>, ms = 8000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

for (const { kind, skip } of await databaseKinds()) {
  describe(`internal notes on ${kind}`, { skip }, () => {
    let app: TestApp;
    let base = '';
    const k = kit(
      () => app,
      () => base,
    );
    let hook: Awaited<ReturnType<typeof receiver>>;
    before(async () => {
      app = await startTestApp({ kind, env: { PARLEY_WEBHOOK_POLL_MS: '60000' } });
      base = await listen(app);
      hook = await receiver();
      await addWebhook(
        app.store,
        { name: 'everything', targetUrl: hook.url, events: ['chatsession.created', 'chatsession.changed', 'chatsession.message', 'chatsession.typing'] },
        new Date(),
      );
    });
    after(async () => {
      k.closeAll();
      await hook?.close();
      await app?.close();
    });

    test('a note reaches the colleagues who can read the chat (the mentioned one told so) and no customer-facing output', async () => {
      const visitor = await k.openVisitor('Hello, I need help');
      await k.agent(TJE0, 'PickUpChatSession', { ChatSessionId: visitor.id });
      const customerStream = await k.visitorStream(visitor.key);
      const owner = await k.agentStream(TJE0);
      const mentioned = await k.agentStream(ANN1);
      const outsider = await k.agentStream(DEU4); // Vertrieb only: cannot read a Customer support chat

      const added = await call(app, '/api/v1/Parley/Notes/Add', {
        auth: TJE0,
        body: { ChatSessionId: visitor.id, Text: `${SECRET}: @ann1 can you check the refund? @deu4 FYI` },
      });
      assert.equal(added.status, 200, added.body);
      const ann1 = await k.userId('ann1');
      assert.deepEqual(added.json.Mentions, [ann1], 'deu4 cannot read this chat: not told');
      assert.equal(added.json.AuthorId, await k.userId('tje0'));

      const toOwner = await owner.take((f) => f.event === 'note.added');
      assert.equal(toOwner.json.Note.Text, added.json.Text);
      assert.equal(toOwner.json.MentionsMe, false);
      const toMentioned = await mentioned.take((f) => f.event === 'note.added');
      assert.equal(toMentioned.json.MentionsMe, true);

      // Something after the note on every channel: once it has arrived, the note would have too.
      await k.post(visitor.key, 'Are you still there?');
      await customerStream.take((f) => f.event === 'message.added' && f.json.Message.Message === 'Are you still there?');
      await until('the webhook to hear of the last message', () => hook.bodies.some((b) => b.includes('Are you still there?')));

      const leaks: string[] = [];
      const check = (where: string, text: string) => {
        if (text.includes(SECRET)) leaks.push(where);
      };
      for (const f of customerStream.frames) check(`visitor stream ${f.event}`, f.data);
      for (const f of outsider.frames) check(`deu4's stream ${f.event}`, f.data);
      for (const [i, b] of hook.bodies.entries()) check(`webhook body ${i}`, b);
      check('Visitor/GetMessages', JSON.stringify(await k.visitor('GetMessages', { After: 0 }, visitor.key)));
      check('Visitor/GetSession', JSON.stringify(await k.visitor('GetSession', {}, visitor.key)));
      check('GetChatMessages', (await call(app, 'GetChatMessages', { auth: TJE0, body: { ChatSessionId: visitor.id, After: 0 } })).body);
      check('GetChatTranscript', (await call(app, 'GetChatTranscript', { auth: TJE0, body: { ChatSessionId: visitor.id, Html: false } })).body);
      check('GetChatSessionEntity', (await call(app, 'GetChatSessionEntity', { auth: TJE0, query: `chatSessionEntityId=${visitor.id}` })).body);
      assert.deepEqual(leaks, [], 'the note showed up where a customer can see it');
      assert.ok(!outsider.frames.some((f) => f.event === 'note.added'), 'no note for someone outside the topic');

      const listed = await call(app, '/api/v1/Parley/Notes/List', { auth: ANN1, body: { ChatSessionId: visitor.id } });
      assert.deepEqual(
        listed.json.map((n: { Text: string }) => n.Text),
        [added.json.Text],
      );
    });

    test('who may read and write notes: readers of the session (listeners, administrators); others get 404; empty text is a 400', async () => {
      const id = (await k.openVisitor('Need help')).id;
      assert.equal((await call(app, '/api/v1/Parley/Notes/Add', { auth: DEU4, body: { ChatSessionId: id, Text: 'x' } })).status, 404);
      assert.equal((await call(app, '/api/v1/Parley/Notes/List', { auth: DEU4, body: { ChatSessionId: id } })).status, 404);
      assert.equal((await call(app, '/api/v1/Parley/Notes/Add', { auth: ADM0, body: { ChatSessionId: id, Text: 'from the admin' } })).status, 200);
      const empty = await call(app, '/api/v1/Parley/Notes/Add', { auth: TJE0, body: { ChatSessionId: id, Text: '   ' } });
      assert.equal(empty.status, 400, empty.body);
      assert.equal((await call(app, '/api/v1/Parley/Notes/Add', { auth: TJE0, body: { ChatSessionId: 999_999, Text: 'x' } })).status, 404);
      const xss = '<img src=x onerror=alert(1)>';
      const stored = await call(app, '/api/v1/Parley/Notes/Add', { auth: TJE0, body: { ChatSessionId: id, Text: xss }, headers: { 'accept-language': 'nb' } });
      assert.equal(stored.json.Text, xss, 'kept as written (the console shows it as text)');
    });
  });
}
