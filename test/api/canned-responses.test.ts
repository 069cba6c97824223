// Quick replies (Parley/CannedResponses/List, Save, Delete, Render) through the HTTP stack: who sees which, who
// keeps them, unique shortcuts per scope, the text filter, and rendering for a session's language and customer.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { databaseKinds } from '../helpers/databases.ts';
import { activeSession } from '../helpers/factories.ts';
import { ADM0, ANN1, call, OLA2, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';

const BASE = '/api/v1/Parley/CannedResponses/';
const SUPPORT = 1;
const SALES = 2;
const RAW = { 'so-language': 'x' };

interface Reply {
  Id: number;
  Shortcut: string;
  Title: string;
  Text: string;
  TopicId: number;
  AssociateId: number;
}

for (const { kind, skip } of await databaseKinds()) {
  describe(`quick replies on ${kind}`, { skip }, () => {
    let app: TestApp;
    let ids: Record<string, number>;
    before(async () => {
      app = await startTestApp({ kind });
      ids = Object.fromEntries((await app.store.associates.list()).map((a) => [a.userName, a.id]));
    });
    after(async () => app?.close());

    const list = async (auth: string, body: Record<string, unknown> = {}, headers: Record<string, string> = RAW): Promise<Reply[]> => {
      const res = await call(app, `${BASE}List`, { auth, body, headers });
      assert.equal(res.status, 200, res.body);
      return res.json;
    };
    const save = (auth: string, reply: Partial<Reply>) => call(app, `${BASE}Save`, { auth, body: { CannedResponse: { Id: 0, TopicId: 0, ...reply } } });
    const render = (auth: string, id: number, sessionId: number, headers?: Record<string, string>) =>
      call(app, `${BASE}Render`, { auth, body: { Id: id, ChatSessionId: sessionId }, headers });

    test("an agent sees their own replies and those of topics they can respond in; not a listener's topic, not a colleague's own", async () => {
      const mine = await list(TJE0);
      const topics = new Set(mine.map((r) => r.TopicId));
      assert.ok(topics.has(SUPPORT), 'tje0 responds in Customer support');
      assert.ok(!topics.has(SALES), 'tje0 only listens in Salg');
      assert.ok(mine.some((r) => r.TopicId === 0 && r.AssociateId === ids.tje0 && r.Shortcut === 'sig'));
      assert.ok(!(await list(ANN1)).some((r) => r.Shortcut === 'sig'), "ann1 does not see tje0's own");
      assert.deepEqual(
        mine.map((r) => r.Shortcut.toLowerCase()),
        mine.map((r) => r.Shortcut.toLowerCase()).sort(),
        'by shortcut',
      );
      const onlySupport = await list(TJE0, { TopicId: SUPPORT });
      assert.ok(onlySupport.every((r) => r.TopicId === SUPPORT || r.AssociateId === ids.tje0));
      const admin = new Set((await list(ADM0)).map((r) => r.TopicId));
      assert.ok(admin.has(SUPPORT) && admin.has(SALES), 'administrators use every topic');
    });

    test('Query filters over shortcut, title and text without regard to case; texts are translated unless SO-Language: x', async () => {
      assert.deepEqual(
        (await list(TJE0, { Query: 'ORDER NUMBER' })).map((r) => r.Shortcut),
        ['order'],
      );
      assert.deepEqual(
        (await list(TJE0, { Query: 'greet' })).map((r) => r.Shortcut),
        ['hello'],
      );
      const raw = (await list(TJE0, { Query: 'bye' }))[0];
      assert.match(raw.Text, /^US:"Thank you.*NO:"Takk/);
      const norwegian = (await list(TJE0, { Query: 'bye' }, { 'accept-language': 'nb' }))[0];
      assert.equal(norwegian.Text, 'Takk for praten, {customer.name}!');
    });

    test('Render fills in the session and answers in the topic language, whatever the caller reads', async () => {
      const hello = (await list(TJE0, { Query: 'hello' }))[0];
      const id = await activeSession(app, SUPPORT, ids.tje0, { customerName: 'Kari <b>Nordmann</b>', customerEmail: 'kari@example.org' });
      const res = await render(TJE0, hello.Id, id, { 'accept-language': 'de' });
      assert.equal(res.status, 200, res.body);
      const tje0 = await app.store.associates.byId(ids.tje0);
      assert.equal(res.json, `Hi Kari <b>Nordmann</b>, this is ${tje0?.fullName} from Customer support. How can I help?`);

      const salesId = await activeSession(app, SALES, ids.ola2, { customerName: 'Per', customerEmail: 'per@example.no' });
      const hei = (await list(OLA2, { Query: 'tilbud' }))[0];
      assert.equal((await render(OLA2, hei.Id, salesId)).json, 'Jeg sender deg et tilbud på e-post til per@example.no i løpet av dagen.');
      // A multi-language reply: the Norwegian value for a Norwegian topic's session.
      const bye = await save(ADM0, { Shortcut: 'ha-det', Title: 'Bye', Text: 'US:"Bye {customer.name}";NO:"Ha det, {customer.name}"', TopicId: SALES });
      assert.equal(bye.status, 200, bye.body);
      assert.equal((await render(OLA2, bye.json.Id, salesId, { 'accept-language': 'en' })).json, 'Ha det, Per');
    });

    test("Render refuses a reply the caller may not use, a session they cannot read, and another topic's reply", async () => {
      const sig = (await list(TJE0, { Query: 'signature' }))[0];
      const id = await activeSession(app, SUPPORT, ids.ann1, { customerName: 'X' });
      assert.equal((await render(ANN1, sig.Id, id)).status, 404, "ann1 cannot use tje0's own reply");
      const salesId = await activeSession(app, SALES, ids.ola2, { customerName: 'Y' });
      const hello = (await list(TJE0, { Query: 'hello' }))[0];
      assert.equal((await render(ANN1, hello.Id, salesId)).status, 404, 'ann1 cannot read a Salg session');
      assert.equal((await render(ADM0, hello.Id, salesId)).status, 403, 'a Customer support reply is not for a Salg chat');
      assert.equal((await render(TJE0, 999_999, id)).status, 404);
    });

    test('saving: own replies by anyone, topic replies by managers and administrators; checked fields; unique shortcut per scope', async () => {
      const own = await save(ANN1, { Shortcut: 'Thanks', Title: 'Thanks', Text: 'Thanks, {customer.name}!' });
      assert.equal(own.status, 200, own.body);
      assert.deepEqual([own.json.TopicId, own.json.AssociateId], [0, ids.ann1]);
      assert.equal((await save(TJE0, { Shortcut: 'thanks', Title: 'Mine', Text: 'x' })).status, 200, 'another owner may use the same shortcut');
      const twice = await save(ANN1, { Shortcut: 'THANKS', Title: 'Again', Text: 'x' });
      assert.equal(twice.status, 409, twice.body);
      assert.equal(twice.json.Error, true);

      assert.equal((await save(TJE0, { Shortcut: 'new-one', Title: 'N', Text: 'x', TopicId: SUPPORT })).status, 403, 'a responder is no manager');
      const byManager = await save(OLA2, { Shortcut: 'pris', Title: 'Pris', Text: 'Prisen er {topic.name}', TopicId: SALES });
      assert.equal(byManager.status, 200, byManager.body);
      assert.equal((await save(OLA2, { Shortcut: 'x', Title: 'X', Text: 'x', TopicId: SUPPORT })).status, 403);
      assert.equal((await save(ADM0, { Shortcut: 'x', Title: 'X', Text: 'x', TopicId: 424242 })).status, 404);

      for (const [reply, field] of [
        [{ Shortcut: 'has space', Title: 'T', Text: 'x' }, /Shortcut/],
        [{ Shortcut: '', Title: 'T', Text: 'x' }, /Shortcut/],
        [{ Shortcut: 'a', Title: ' ', Text: 'x' }, /Title/],
        [{ Shortcut: 'a', Title: 'T', Text: '  ' }, /Text/],
        [{ Shortcut: 'a', Title: 'T', Text: 'x'.repeat(10_001) }, /Text/],
      ] as const) {
        const res = await save(TJE0, reply);
        assert.equal(res.status, 400, `${JSON.stringify(reply).slice(0, 60)}: ${res.body.slice(0, 200)}`);
        assert.match(res.json.ErrorMessage, field);
      }
    });

    test("changing and deleting: by the keeper only; a colleague's own reply cannot be touched", async () => {
      const own = (await save(ANN1, { Shortcut: 'temp', Title: 'Temp', Text: 'v1' })).json as Reply;
      assert.equal((await save(TJE0, { ...own, Text: 'hijacked' })).status, 403);
      const changed = await save(ANN1, { ...own, Text: 'v2' });
      assert.equal(changed.status, 200, changed.body);
      assert.equal(changed.json.Text, 'v2');
      assert.equal((await call(app, `${BASE}Delete`, { auth: TJE0, body: { Id: own.Id } })).status, 403);
      assert.equal((await call(app, `${BASE}Delete`, { auth: ANN1, body: { Id: own.Id } })).status, 204);
      assert.equal(await app.store.cannedResponses.byId(own.Id), undefined);
      assert.equal((await call(app, `${BASE}Delete`, { auth: ANN1, body: { Id: own.Id } })).status, 204, 'an unknown id changes nothing');
      const topicReply = (await list(OLA2, { Query: 'Hilsen' }))[0];
      assert.equal((await call(app, `${BASE}Delete`, { auth: TJE0, body: { Id: topicReply.Id } })).status, 403, 'a listener cannot remove it');
      assert.ok(await app.store.cannedResponses.byId(topicReply.Id));
    });
  });
}
