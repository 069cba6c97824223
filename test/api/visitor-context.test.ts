// Parley/Visitors/Context: where the visitor was when the chat began (as OpenSession was told and the browser sent),
// the CRM links, and earlier chats of the same address that the caller may read; kept with the session only.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { databaseKinds } from '../helpers/databases.ts';
import { ADM0, call, DEU4, OLA2, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';
import { NO_LIMITS, SALES, SUPPORT, widgetKit } from '../helpers/visitor-kit.ts';

const CONTEXT = '/api/v1/Parley/Visitors/Context';

for (const { kind, skip } of await databaseKinds()) {
  describe(`visitor context on ${kind}`, { skip }, () => {
    let app: TestApp;
    const w = widgetKit(() => app);
    before(async () => {
      app = await startTestApp({ kind, env: NO_LIMITS });
    });
    after(async () => app?.close());

    const open = (body: Record<string, unknown>, userAgent = 'Mozilla/5.0 (X11; Linux x86_64) TestBrowser/1.0') =>
      app.server.inject({
        method: 'POST',
        url: '/api/v1/Visitor/OpenSession',
        headers: { 'content-type': 'application/json', 'user-agent': userAgent },
        payload: JSON.stringify({ Consented: true, ...body }),
        remoteAddress: '198.51.100.23',
      });

    test('what the widget and the browser told OpenSession, the address, the CRM person and company, earlier chats the caller may read', async () => {
      const earlierSales = JSON.parse(
        (await open({ ChatTopicId: SALES, CustomerName: 'Kari', CustomerEmail: 'kari@nordicwidgets.no', Message: 'Pris?' })).body,
      );
      const earlierSupport = JSON.parse(
        (await open({ ChatTopicId: SUPPORT, CustomerName: 'Kari', CustomerEmail: 'KARI@nordicwidgets.no', Message: 'Order?' })).body,
      );
      const now = await open({
        ChatTopicId: SUPPORT,
        CustomerName: 'Kari Nordmann',
        CustomerEmail: 'kari@nordicwidgets.no',
        Message: 'Where is my widget?',
        PageUrl: 'https://shop.example/orders/42',
        PageTitle: 'Order 42',
        Referrer: 'https://search.example/?q=widgets',
        BrowserLanguage: 'nb-NO',
      });
      assert.equal(now.statusCode, 200, now.body);
      const id = JSON.parse(now.body).Session.ChatSessionId as number;
      const res = await call(app, CONTEXT, { auth: TJE0, body: { ChatSessionId: id } });
      assert.equal(res.status, 200, res.body);
      const c = res.json;
      assert.deepEqual(
        [c.PageUrl, c.PageTitle, c.Referrer, c.Language, c.UserAgent, c.Host],
        [
          'https://shop.example/orders/42',
          'Order 42',
          'https://search.example/?q=widgets',
          'nb-NO',
          'Mozilla/5.0 (X11; Linux x86_64) TestBrowser/1.0',
          '198.51.100.23',
        ],
      );
      assert.equal(c.Person?.Email, 'kari@nordicwidgets.no', 'matched by e-mail in the CRM');
      assert.equal(c.Contact?.Name, 'Nordic Widgets AS');
      const earlier = c.EarlierChats.map((e: { ChatSessionId: number }) => e.ChatSessionId);
      assert.ok(earlier.includes(earlierSupport.Session.ChatSessionId), 'the same address, any case');
      assert.ok(earlier.includes(earlierSales.Session.ChatSessionId), 'tje0 listens in Salg: he may read it');
      assert.ok(!earlier.includes(id), 'not the chat itself');
      assert.deepEqual(
        earlier,
        [...earlier].sort((a: number, b: number) => b - a),
        'newest first',
      );
      const support = c.EarlierChats.find((e: { ChatSessionId: number }) => e.ChatSessionId === earlierSupport.Session.ChatSessionId);
      assert.deepEqual([support.TopicId, support.FirstMessage], [SUPPORT, 'Order?']);

      // deu4 reads neither topic: 404; ola2 manages Salg only: the Support chat is not shown to him.
      assert.equal((await call(app, CONTEXT, { auth: DEU4, body: { ChatSessionId: id } })).status, 404);
      const salesView = await call(app, CONTEXT, { auth: OLA2, body: { ChatSessionId: earlierSales.Session.ChatSessionId } });
      assert.equal(salesView.status, 200, salesView.body);
      assert.ok(!salesView.json.EarlierChats.some((e: { TopicId: number }) => e.TopicId === SUPPORT), 'only chats of topics he may read');
    });

    test('without consent nothing is kept; a chat without context answers empty values; overlong values are refused', async () => {
      await w.setPresent('tje0', false);
      await w.setPresent('ann1', false);
      let offline: { Session: { ChatSessionId: number } };
      try {
        const r = await open({ ChatTopicId: SUPPORT, Consented: false, PageUrl: 'https://shop.example/secret', BrowserLanguage: 'en' });
        offline = JSON.parse(r.body);
      } finally {
        await w.setPresent('tje0', true);
        await w.setPresent('ann1', true);
      }
      assert.equal(await app.store.visitorContext.get(offline.Session.ChatSessionId), undefined, 'not stored before consent');
      const bare = await call(app, CONTEXT, { auth: ADM0, body: { ChatSessionId: offline.Session.ChatSessionId } });
      assert.equal(bare.status, 200, bare.body);
      assert.equal(bare.json.PageUrl, '');
      const long = await open({ ChatTopicId: SUPPORT, PageUrl: `https://x.example/${'a'.repeat(3000)}` });
      assert.equal(long.statusCode, 400, long.body);
    });
  });
}
