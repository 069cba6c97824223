// Personal-data requests through the API (Parley/Privacy/Export and Erase): what a customer gave Parley, found by
// e-mail address, handed out whole, then erased so that nothing of them is left in any table.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { databaseKinds } from '../helpers/databases.ts';
import { ADM0, call, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';
import { assertError, NO_LIMITS, SUPPORT, widgetKit } from '../helpers/visitor-kit.ts';

const EXPORT = '/api/v1/Parley/Privacy/Export';
const ERASE = '/api/v1/Parley/Privacy/Erase';
const NAME = 'Zoë Quintrell-Øverby';
const EMAIL = 'zoe.quintrell@example.org';
const PHRASE = 'my blue teapot leaks';
const OTHER = { name: 'Otto Other', email: 'otto.other@example.org', phrase: 'my kettle hums' };

/** Every row of every table, as text: where an erased customer must not be found. */
async function everyTable(app: TestApp): Promise<Map<string, string>> {
  const tables =
    app.testDb.kind === 'postgres'
      ? (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public'`.execute(app.store.db)).rows
      : (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(app.store.db)).rows;
  const dump = new Map<string, string>();
  for (const { name } of tables) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(app.store.db)).rows;
    dump.set(name, JSON.stringify(rows).toLowerCase());
  }
  return dump;
}

const tablesHolding = (dump: Map<string, string>, needle: string) => [...dump].filter(([, text]) => text.includes(needle.toLowerCase())).map(([t]) => t);

for (const { kind, skip } of await databaseKinds()) {
  describe(`personal-data requests on ${kind}`, { skip }, () => {
    let app: TestApp;
    const w = widgetKit(() => app);
    let sessions: number[] = [];
    let otherSession = 0;
    before(async () => {
      app = await startTestApp({ kind, env: NO_LIMITS });
      // A CRM person with the address: the widget's session is matched to it.
      await app.store.db.insertInto('persons').values({ firstname: 'Zoë', lastname: 'Quintrell-Øverby', email: EMAIL }).execute();
      // A chat: the customer writes, an agent answers by name.
      const chat = await w.open({ CustomerName: NAME, CustomerEmail: 'Zoe.Quintrell@Example.org' });
      assert.equal((await w.post(chat.SessionKey, `Hello, ${PHRASE}`)).status, 200);
      const chatId = chat.Session.ChatSessionId as number;
      await w.pickUp(chatId);
      assert.equal((await w.agentSays(chatId, `Sorry to hear that, ${NAME}`)).status, 200);
      // An offline request (nobody present): a ticket from her address.
      await w.setPresent('tje0', false);
      await w.setPresent('ann1', false);
      let offline: { SessionKey: string; Session: { ChatSessionId: number } };
      try {
        offline = await w.open({ CustomerName: NAME });
      } finally {
        await w.setPresent('tje0', true);
        await w.setPresent('ann1', true);
      }
      w.ok(await w.visitor('SubmitOfflineForm', { Message: `Teapot again\n${PHRASE}`, CustomerEmail: EMAIL }, offline.SessionKey));
      sessions = [chatId, offline.Session.ChatSessionId];
      // Mail about her chat, as the transcript would be queued.
      await app.store.mail.enqueue({
        kind: 'transcript',
        sessionId: chatId,
        topicId: SUPPORT,
        recipientName: NAME,
        recipientAddress: EMAIL,
        subject: 'Your chat',
        body: `Customer: Hello, ${PHRASE}`,
        createdAt: new Date(),
      });
      // Someone else, who must keep everything.
      const other = await w.open({ CustomerName: OTHER.name, CustomerEmail: OTHER.email });
      assert.equal((await w.post(other.SessionKey, OTHER.phrase)).status, 200);
      otherSession = other.Session.ChatSessionId;
    });
    after(async () => app?.close());

    test('only administrators export or erase; a malformed address is a 400', async () => {
      assertError(await call(app, EXPORT, { auth: TJE0, body: { Email: EMAIL } }), 403);
      assertError(await call(app, ERASE, { auth: TJE0, body: { Email: EMAIL } }), 403);
      assertError(await call(app, EXPORT, { auth: ADM0, body: { Email: 'not an address' } }), 400, /Email/);
      assertError(await call(app, ERASE, { auth: ADM0, body: {} }), 400, /Email/);
      assert.equal((await app.store.sessions.byId(sessions[0]))?.customerName, NAME, 'nothing was erased');
    });

    test("the export holds her sessions with every message, her CRM person, her ticket and her mail; nobody else's", async () => {
      const res = await call(app, EXPORT, { auth: ADM0, body: { Email: EMAIL.toUpperCase() } });
      assert.equal(res.status, 200, res.body);
      const d = res.json;
      assert.deepEqual(d.Sessions.map((s: any) => s.Session.ChatSessionId).sort(), [...sessions].sort());
      const chat = d.Sessions.find((s: any) => s.Session.ChatSessionId === sessions[0]);
      assert.deepEqual([chat.Session.CustomerName, chat.Session.CustomerEmail], [NAME, 'Zoe.Quintrell@Example.org']);
      const texts = chat.Messages.map((m: any) => m.Message);
      assert.ok(texts.includes(`Hello, ${PHRASE}`), JSON.stringify(texts));
      assert.ok(texts.includes(`Sorry to hear that, ${NAME}`), JSON.stringify(texts));
      assert.deepEqual(
        d.Persons.map((p: any) => [p.Firstname, p.Email]),
        [['Zoë', EMAIL]],
      );
      assert.equal(d.Tickets.length, 1);
      assert.equal(d.Tickets[0].Title, 'Teapot again');
      assert.deepEqual(
        d.Mail.map((m: any) => [m.RecipientAddress, m.Body]),
        [[EMAIL, `Customer: Hello, ${PHRASE}`]],
      );
      assert.ok(!res.body.includes(OTHER.email) && !res.body.includes(OTHER.phrase), "no other customer's data");
    });

    test('after erasing, nothing of her is left in any table, the audit trail included; the other customer keeps everything', async () => {
      const before = await everyTable(app);
      for (const needle of [EMAIL, NAME, PHRASE]) assert.ok(tablesHolding(before, needle).length > 0, `${needle} is stored before`);

      const res = await call(app, ERASE, { auth: ADM0, body: { Email: EMAIL } });
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json.Sessions, 2);
      assert.ok(res.json.Messages >= 3, res.body);
      assert.deepEqual([res.json.Persons, res.json.Tickets, res.json.Mail], [1, 1, 1]);

      const dump = await everyTable(app);
      for (const needle of [EMAIL, NAME, PHRASE, 'Quintrell']) assert.deepEqual(tablesHolding(dump, needle), [], `${needle} is gone everywhere`);
      for (const id of sessions) assert.equal(await app.store.sessions.byId(id), undefined);
      const gone = await call(app, 'GetChatSessionEntity', { auth: ADM0, query: `chatSessionEntityId=${sessions[0]}` });
      assert.ok(gone.status === 200 ? gone.json === null || gone.body === '' : gone.status === 404, gone.body);

      const other = await app.store.sessions.byId(otherSession);
      assert.equal(other?.customerEmail, OTHER.email);
      assert.ok((await app.store.messages.forSession(otherSession, 0)).some((m) => m.message === OTHER.phrase));

      const again = await call(app, EXPORT, { auth: ADM0, body: { Email: EMAIL } });
      assert.deepEqual([again.json.Sessions, again.json.Persons, again.json.Tickets, again.json.Mail], [[], [], [], []]);

      const trail = await call(app, '/api/v1/Parley/Audit/List', { auth: ADM0, body: { Kind: 'privacy.erased' } });
      assert.equal(trail.status, 200, trail.body);
      assert.equal(trail.json.length, 1);
      assert.equal(trail.json[0].UserName, 'adm0');
      assert.match(trail.json[0].Subject, /^customer sha256:[0-9a-f]{16}$/);
      assert.equal(JSON.parse(trail.json[0].NewValues).sessions, 2);
    });
  });
}
