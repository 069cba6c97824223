// The visitor API the website widget uses, through HTTP on every database: a topic's public face, opening a
// session (consent, forms, queue, offline form, bot, CRM match), the session as the widget polls it (queue
// position, average wait, queue text, agent name and typing, WhenFetched), the customer's moves (pre-chat form,
// FAQ, messages, typing, rating, ending, transcript, offline form), and the fences: session keys, rate limits, CORS.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { databaseKinds } from '../helpers/databases.ts';
import { ADM0, ANN1, call, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';

class TestClock {
  // Wednesday 2026-03-04 11:00 in Oslo (CET): inside Salg's hours (Mon-Fri 08-16), before its lunch (11:30-12:00).
  constructor(public t = Date.parse('2026-03-04T10:00:00Z')) {}
  now = () => new Date(this.t);
  advance(minutes: number) {
    this.t += minutes * 60_000;
  }
  advanceSeconds(seconds: number) {
    this.t += seconds * 1000;
  }
  /** Moves forward to an instant (never back: sessions are ordered by when they were requested). */
  to(iso: string) {
    const t = Date.parse(iso);
    assert.ok(t >= this.t, `the test clock only moves forward (${iso})`);
    this.t = t;
  }
}

const SUPPORT = 1;
const SALES = 2;
const BOT_LAB = 5;
const CUSTOMER_TYPING_BIT = 2;

interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: string;
  json: any;
}

/** The widget's calls, the agent's view and a few set-up moves, bound to one app. */
function widgetKit(appOf: () => TestApp) {
  const visitor = async (
    method: string,
    body: unknown = {},
    key?: string,
    options: { headers?: Record<string, string>; address?: string } = {},
  ): Promise<Answer> => {
    const r = await appOf().server.inject({
      method: 'POST',
      url: `/api/v1/Visitor/${method}`,
      headers: { 'content-type': 'application/json', ...(key !== undefined ? { 'x-session-key': key } : {}), ...options.headers },
      payload: JSON.stringify(body),
      ...(options.address ? { remoteAddress: options.address } : {}),
    });
    let json: any;
    try {
      json = r.body ? JSON.parse(r.body) : undefined;
    } catch {
      json = undefined;
    }
    return { status: r.statusCode, headers: r.headers, body: r.body, json };
  };
  const ok = (res: Answer, status = 200) => {
    assert.equal(res.status, status, res.body);
    return res.json;
  };
  /** OpenSession (consented, Customer support unless told), asserting success. */
  const open = async (body: Record<string, unknown> = {}, address?: string) =>
    ok(await visitor('OpenSession', { ChatTopicId: SUPPORT, Consented: true, ...body }, undefined, { address })) as { SessionKey: string; Session: any };
  const getSession = async (key: string) => ok(await visitor('GetSession', {}, key));
  const messages = async (key: string, after = 0, headers?: Record<string, string>) => ok(await visitor('GetMessages', { After: after }, key, { headers }));
  const post = (key: string, text: string, headers?: Record<string, string>) => visitor('PostMessage', { Message: text }, key, { headers });
  /** The session as an administrator sees it through the agent API. */
  const agentView = async (id: number) => {
    const res = await call(appOf(), 'GetChatSessionEntity', { auth: ADM0, query: `chatSessionEntityId=${id}` });
    assert.equal(res.status, 200, res.body);
    return res.json;
  };
  const userId = async (userName: string) => (await appOf().store.associates.byUserName(userName))!.id;
  const setPresent = async (userName: string, present: boolean) => {
    const res = await call(appOf(), 'SaveChatPresence', { auth: ADM0, body: { ChatPresence: [{ UserId: await userId(userName), Present: present }] } });
    assert.equal(res.status, 204, res.body);
  };
  /** A new topic (open around the clock unless told) with the given responders. */
  const newTopic = async (fields: Record<string, unknown> = {}, responders: string[] = ['tje0']) => {
    const res = await call(appOf(), 'SaveChatTopicEntity', { auth: ADM0, body: { ChatTopicId: 0, Name: `Visitor topic ${Math.random()}`, ...fields } });
    assert.equal(res.status, 200, res.body);
    const id = res.json.ChatTopicId as number;
    for (const user of responders) {
      const added = await call(appOf(), 'AddChatTopicUserAgent', {
        auth: ADM0,
        body: {
          ChatTopicId: id,
          Useragent: { TopicId: id, User: { AssociateId: await userId(user) }, CanListen: false, CanRespond: true, CanManage: false, CanNotify: false },
        },
      });
      assert.equal(added.status, 200, added.body);
    }
    return id;
  };
  const saveTopic = async (id: number, fields: Record<string, unknown>) => {
    const res = await call(appOf(), 'SaveChatTopicEntity', { auth: ADM0, body: { ChatTopicId: id, ...fields } });
    assert.equal(res.status, 200, res.body);
    return res.json;
  };
  const pickUp = async (id: number, auth = TJE0) => {
    const res = await call(appOf(), 'PickUpChatSession', { auth, body: { ChatSessionId: id } });
    assert.equal(res.status, 200, res.body);
    assert.equal(res.json?.ChatSessionId, id, 'picked up');
    return res.json;
  };
  const agentSays = (id: number, text: string, auth = TJE0) =>
    call(appOf(), 'AddChatMessage', { auth, body: { ChatSessionId: id, Message: { Type: 'ToCustomer', Message: text } } });
  const saveSession = (body: Record<string, unknown>, auth = TJE0) => call(appOf(), 'SaveChatSessionEntity', { auth, body });
  return { visitor, ok, open, getSession, messages, post, agentView, userId, setPresent, newTopic, saveTopic, pickUp, agentSays, saveSession };
}

const assertError = (res: Answer, status: number, message?: RegExp) => {
  assert.equal(res.status, status, res.body);
  assert.equal(res.json?.Error, true, res.body);
  if (message) assert.match(res.json.ErrorMessage, message);
};

/** The visitor limits off, so a suite's many calls from one address are not throttled (the limits have a suite). */
const NO_LIMITS = { PARLEY_VISITOR_REQUESTS_PER_MINUTE: '0', PARLEY_VISITOR_SESSIONS_PER_MINUTE: '0', PARLEY_VISITOR_WRITES_PER_MINUTE: '0' };

for (const { kind, skip } of await databaseKinds()) {
  describe(`Visitor GetTopic and OpenSession on ${kind}`, { skip }, () => {
    let app: TestApp;
    const clock = new TestClock();
    const w = widgetKit(() => app);
    before(async () => {
      app = await startTestApp({ kind, clock, env: NO_LIMITS });
    });
    after(async () => app?.close());

    test('GetTopic is anonymous: the public face, IsOpen, the name translated; an unknown topic is a 404', async () => {
      const en = w.ok(await w.visitor('GetTopic', { ChatTopicId: SUPPORT }, undefined, { headers: { 'accept-language': 'en' } }));
      assert.equal(en.ChatTopicId, SUPPORT);
      assert.equal(en.Name, 'Customer support');
      assert.equal(en.IsOpen, true, 'open around the clock, tje0 and ann1 present');
      assert.equal(en.CollectConsent, true);
      assert.equal(en.TicketEnabled, true);
      assert.equal(en.WidgetEnableRating, true);
      assert.equal(en.BadgeHeader, 'Chat with us');
      assert.equal(typeof en.Widget, 'object');
      const nb = w.ok(await w.visitor('GetTopic', { ChatTopicId: SUPPORT }, undefined, { headers: { 'accept-language': 'nb' } }));
      assert.equal(nb.Name, 'Kundestøtte');
      const sales = w.ok(await w.visitor('GetTopic', { ChatTopicId: SALES }));
      assert.equal(sales.IsOpen, false, 'inside opening hours, but ola2, its only responder, is away');
      assertError(await w.visitor('GetTopic', { ChatTopicId: 999 }), 404, /999/);
      assertError(await w.visitor('OpenSession', { ChatTopicId: 999, Consented: true }), 404, /999/);
      // A key is not needed, and a wrong one is not looked at.
      assert.equal((await w.visitor('GetTopic', { ChatTopicId: SUPPORT }, 'not-a-key')).status, 200);
    });

    test('OpenSession needs consent where the topic collects it', async () => {
      const before = await app.store.sessions.countInQueue(SUPPORT);
      assertError(await w.visitor('OpenSession', { ChatTopicId: SUPPORT }), 400, /Consented/);
      assertError(await w.visitor('OpenSession', { ChatTopicId: SUPPORT, Consented: false }), 400, /Consented/);
      assert.equal(await app.store.sessions.countInQueue(SUPPORT), before, 'nothing stored');
      const consented = await w.open({ ChatTopicId: SUPPORT });
      assert.equal((await w.agentView(consented.Session.ChatSessionId)).CustomerConsented, true);
      // Salg does not collect consent (it is closed, so the chat goes to the offline form).
      const sales = w.ok(await w.visitor('OpenSession', { ChatTopicId: SALES }));
      assert.equal(sales.Session.Status, 'OfflineForm');
    });

    test('a new session has its own long url-safe key and is queued with its position when the topic is open', async () => {
      const queued = await app.store.sessions.countInQueue(SUPPORT);
      const a = await w.open();
      const b = await w.open();
      for (const o of [a, b]) assert.match(o.SessionKey, /^[A-Za-z0-9_-]{43,}$/);
      assert.notEqual(a.SessionKey, b.SessionKey);
      assert.equal(a.Session.Status, 'InQueue');
      assert.equal(a.Session.TopicId, SUPPORT);
      assert.equal(a.Session.QueuePosition, queued + 1);
      assert.equal(b.Session.QueuePosition, queued + 2);
      const agentA = await w.agentView(a.Session.ChatSessionId);
      assert.equal(agentA.InitialQueuePos, queued + 1);
      assert.equal(agentA.SessionKey, '', 'agents never read the key: only its digest is stored');
      assert.equal((await app.store.sessions.byKey(a.SessionKey))?.id, a.Session.ChatSessionId, 'the key answered is the one that opens it');
      assert.equal((await w.agentView(b.Session.ChatSessionId)).InitialQueuePos, queued + 2);
    });

    test('with nobody present the session starts at the offline form, the first question kept', async () => {
      const o = await w.open({ ChatTopicId: SALES, Message: 'Hva koster 10 widgets?' });
      assert.equal(o.Session.Status, 'OfflineForm');
      assert.equal(o.Session.QueuePosition, 0);
      const agent = await w.agentView(o.Session.ChatSessionId);
      assert.equal(agent.Status, 'OfflineForm');
      assert.equal(agent.InitialQueuePos, 0, 'never queued');
      assert.equal(agent.FirstMessage, 'Hva koster 10 widgets?');
      // Writing more at the offline form keeps it there.
      w.ok(await w.post(o.SessionKey, 'Hallo?'));
      assert.equal((await w.getSession(o.SessionKey)).Status, 'OfflineForm');
      assert.deepEqual(
        (await w.messages(o.SessionKey)).filter((m: any) => m.SpecialType === 'None').map((m: any) => [m.Type, m.Message]),
        [
          ['ToUser', 'Hva koster 10 widgets?'],
          ['ToUser', 'Hallo?'],
        ],
      );
    });

    test('the pre-chat form comes first unless the required fields are given; SubmitPreChat checks them', async () => {
      const topic = await w.newTopic({ Widget: { PreFormEnabled: true, RequiredFields: 'Email, Name' } });
      const form = await w.open({ ChatTopicId: topic });
      assert.equal(form.Session.Status, 'PreChatForm');
      const partial = await w.open({ ChatTopicId: topic, CustomerName: 'Only Name' });
      assert.equal(partial.Session.Status, 'PreChatForm', 'the e-mail is still missing');
      const given = await w.open({ ChatTopicId: topic, CustomerName: 'Given', CustomerEmail: 'given@example.com' });
      assert.equal(given.Session.Status, 'InQueue', 'straight to the queue');
      assert.equal(given.Session.QueuePosition, 1);

      const missing = await w.visitor('SubmitPreChat', {}, form.SessionKey);
      assertError(missing, 400, /CustomerEmail/);
      assert.match(missing.json.ErrorMessage, /CustomerName/);
      assertError(await w.visitor('SubmitPreChat', { CustomerName: 'Form Filler' }, form.SessionKey), 400, /CustomerEmail/);
      assertError(await w.visitor('SubmitPreChat', { CustomerName: 'Form Filler', CustomerEmail: 'not an address' }, form.SessionKey), 400, /CustomerEmail/);
      assert.equal((await w.getSession(form.SessionKey)).Status, 'PreChatForm', 'refused forms change nothing');
      const sent = w.ok(await w.visitor('SubmitPreChat', { CustomerName: 'Form Filler', CustomerEmail: 'filler@example.com' }, form.SessionKey));
      assert.equal(sent.Status, 'InQueue');
      assert.equal(sent.CustomerName, 'Form Filler');
      assert.equal(sent.CustomerEmail, 'filler@example.com');
      // InitialQueuePos counts who was waiting when it entered the queue; the queue itself is ordered by when the
      // customers came (WhenRequested, as PickUpFirstChatSession takes them), so the form filler is served first.
      assert.equal((await w.agentView(form.Session.ChatSessionId)).InitialQueuePos, 2);
      assert.equal(sent.QueuePosition, 1);
      assert.equal((await w.getSession(given.SessionKey)).QueuePosition, 2);
      assertError(await w.visitor('SubmitPreChat', { CustomerName: 'Again', CustomerEmail: 'again@example.com' }, form.SessionKey), 409);
    });

    test('the FAQ step: LeaveFaq goes on to the queue, and is a 409 anywhere else', async () => {
      const topic = await w.newTopic({ Widget: { AutoFaqEnabled: true } });
      const o = await w.open({ ChatTopicId: topic });
      assert.equal(o.Session.Status, 'Faq');
      const left = w.ok(await w.visitor('LeaveFaq', {}, o.SessionKey));
      assert.equal(left.Status, 'InQueue');
      assert.equal(left.QueuePosition, 1);
      assertError(await w.visitor('LeaveFaq', {}, o.SessionKey), 409);
      // Pre-chat form first, then the FAQ.
      const both = await w.newTopic({ Widget: { AutoFaqEnabled: true, PreFormEnabled: true, RequiredFields: 'Name' } });
      const p = await w.open({ ChatTopicId: both });
      assert.equal(p.Session.Status, 'PreChatForm');
      assertError(await w.visitor('LeaveFaq', {}, p.SessionKey), 409);
      assert.equal(w.ok(await w.visitor('SubmitPreChat', { CustomerName: 'Asker' }, p.SessionKey)).Status, 'Faq');
      assert.equal(w.ok(await w.visitor('LeaveFaq', {}, p.SessionKey)).Status, 'InQueue');
    });

    test('a bot topic starts with the bot active and never at the offline form', async () => {
      const o = await w.open({ ChatTopicId: BOT_LAB, Message: 'Hi bot' });
      assert.equal(o.Session.Status, 'InQueue');
      const agent = await w.agentView(o.Session.ChatSessionId);
      assert.equal(agent.ChatbotIsActive, true);
      assert.equal(agent.User, null);
      // Its only responder (adm0) goes away: the bot still takes the chat.
      await w.setPresent('adm0', false);
      try {
        const alone = await w.open({ ChatTopicId: BOT_LAB });
        assert.equal(alone.Session.Status, 'InQueue');
        assert.equal((await w.agentView(alone.Session.ChatSessionId)).ChatbotIsActive, true);
      } finally {
        await w.setPresent('adm0', true);
      }
      // A non-bot topic's session has no bot.
      assert.equal((await w.agentView((await w.open()).Session.ChatSessionId)).ChatbotIsActive, false);
    });

    test("the first message is a ToUser message and the session's FirstMessage", async () => {
      const o = await w.open({ CustomerName: 'Questioner', Message: 'Where is my order?' });
      assert.equal(o.Session.Status, 'InQueue');
      const list = await w.messages(o.SessionKey);
      const typed = list.filter((m: any) => m.SpecialType === 'None');
      assert.equal(typed.length, 1);
      assert.equal(typed[0].Type, 'ToUser');
      assert.equal(typed[0].Message, 'Where is my order?');
      assert.equal(typed[0].Author, 'Questioner');
      assert.ok(
        list.some((m: any) => m.SpecialType === 'NewSession'),
        'the conversation starts with a NewSession line',
      );
      const agent = await w.agentView(o.Session.ChatSessionId);
      assert.equal(agent.FirstMessage, 'Where is my order?');
      assert.equal(agent.LastMessage, 'Where is my order?');
      const agentMessages = (await call(app, 'GetChatMessages', { auth: ADM0, body: { ChatSessionId: o.Session.ChatSessionId, After: 0 } })).json;
      assert.deepEqual(
        agentMessages.filter((m: any) => m.SpecialType === 'None').map((m: any) => [m.Type, m.Message]),
        [['ToUser', 'Where is my order?']],
      );
    });

    test('the customer is matched to the CRM person by e-mail; the agent sees Person and Contact', async () => {
      const o = await w.open({ CustomerName: 'Kari', CustomerEmail: 'Kari@NordicWidgets.no' });
      const agent = await w.agentView(o.Session.ChatSessionId);
      const kari = await app.store.db.selectFrom('persons').select(['id', 'contact_id']).where('email', '=', 'kari@nordicwidgets.no').executeTakeFirstOrThrow();
      assert.equal(agent.Person?.PersonId, kari.id);
      assert.equal(agent.Person.Firstname, 'Kari');
      assert.equal(agent.Contact?.ContactId, kari.contact_id);
      assert.equal(agent.Contact.Name, 'Nordic Widgets AS');
      assert.equal(agent.CustomerEmail, 'Kari@NordicWidgets.no');
      const stranger = await w.agentView((await w.open({ CustomerEmail: 'nobody@example.com' })).Session.ChatSessionId);
      assert.equal(stranger.Person, null);
      assert.equal(stranger.Contact, null);
    });

    test('a malformed e-mail is a 400 and stores nothing', async () => {
      const count = async () =>
        Number(
          (
            await app.store.db
              .selectFrom('chat_sessions')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await count();
      for (const email of ['not-an-address', 'a@b', 'two@@example.com', 'space in@example.com']) {
        assertError(await w.visitor('OpenSession', { ChatTopicId: SUPPORT, Consented: true, CustomerEmail: email }), 400, /CustomerEmail/);
      }
      assert.equal(await count(), before);
    });

    test("CustomerHost is the caller's address", async () => {
      const o = await w.open({}, '198.51.100.23');
      assert.equal((await w.agentView(o.Session.ChatSessionId)).CustomerHost, '198.51.100.23');
    });

    // The clock moves forward from here on.
    test('Salg with ola2 present: open inside its hours, closed at lunch, at 20:00 Oslo time and on Saturday', async () => {
      await w.setPresent('ola2', true);
      try {
        const isOpen = async () => w.ok(await w.visitor('GetTopic', { ChatTopicId: SALES })).IsOpen;
        assert.equal(await isOpen(), true, 'Wednesday 11:00 in Oslo');
        const inHours = w.ok(await w.visitor('OpenSession', { ChatTopicId: SALES, Message: 'Pris?' }));
        assert.equal(inHours.Session.Status, 'InQueue');
        assert.match(inHours.Session.QueueMessage, /^Du er nummer \d+ i køen \(snitt \d\d:\d\d\)$/);

        clock.to('2026-03-04T10:45:00Z'); // 11:45, lunch
        assert.equal(await isOpen(), false);
        assert.equal(w.ok(await w.visitor('OpenSession', { ChatTopicId: SALES })).Session.Status, 'OfflineForm');

        clock.to('2026-03-04T19:00:00Z'); // 20:00
        assert.equal(await isOpen(), false);
        const evening = w.ok(await w.visitor('OpenSession', { ChatTopicId: SALES, Message: 'Er dere der?' }));
        assert.equal(evening.Session.Status, 'OfflineForm');
        assert.equal(evening.Session.OfflineFormAvailable, false, 'Salg takes no requests (TicketEnabled off)');

        clock.to('2026-03-07T10:00:00Z'); // Saturday 11:00
        assert.equal(await isOpen(), false);
        assert.equal(w.ok(await w.visitor('OpenSession', { ChatTopicId: SALES })).Session.Status, 'OfflineForm');
        // Customer support is open around the clock.
        assert.equal((await w.open()).Session.Status, 'InQueue');

        clock.to('2026-03-09T09:00:00Z'); // Monday 10:00
        assert.equal(await isOpen(), true);
      } finally {
        await w.setPresent('ola2', false);
      }
    });
  });

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

  describe(`Visitor SubmitOfflineForm on ${kind}`, { skip }, () => {
    let app: TestApp;
    const clock = new TestClock();
    const w = widgetKit(() => app);
    before(async () => {
      app = await startTestApp({ kind, clock, env: NO_LIMITS });
    });
    after(async () => app?.close());

    test("with nobody present: a ticket in the topic's category and priority, linked to the session, RequestPosted", async () => {
      await w.setPresent('tje0', false);
      await w.setPresent('ann1', false);
      let o: { SessionKey: string; Session: any };
      try {
        assert.equal(w.ok(await w.visitor('GetTopic', { ChatTopicId: SUPPORT })).IsOpen, false);
        o = await w.open({ CustomerName: 'Kari Nordmann' });
      } finally {
        await w.setPresent('tje0', true);
        await w.setPresent('ann1', true);
      }
      assert.equal(o.Session.Status, 'OfflineForm');
      assert.equal(o.Session.OfflineFormAvailable, true);
      assert.equal(o.Session.TicketId, 0);
      assertError(await w.visitor('SubmitOfflineForm', { Message: '  ' }, o.SessionKey), 400, /Message/);
      assertError(await w.visitor('SubmitOfflineForm', { Message: 'x', CustomerEmail: 'broken@' }, o.SessionKey), 400, /CustomerEmail/);
      const tickets = async () =>
        Number(
          (
            await app.store.db
              .selectFrom('tickets')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await tickets();
      assertError(await w.visitor('SubmitOfflineForm', { Message: '' }, o.SessionKey), 400);
      assert.equal(await tickets(), before, 'refused forms create no ticket');

      const posted = w.ok(
        await w.visitor(
          'SubmitOfflineForm',
          {
            Message: 'My widget is broken\nIt stopped on Monday.',
            CustomerEmail: 'kari@nordicwidgets.no',
            CustomerPhone: '+47 22 00 00 00',
          },
          o.SessionKey,
        ),
      );
      assert.equal(posted.Status, 'RequestPosted');
      assert.ok(posted.TicketId > 0);
      assert.equal(posted.OfflineFormAvailable, false);
      assert.ok(posted.WhenEnded);
      assert.equal(await tickets(), before + 1);
      const ticket = await app.store.db.selectFrom('tickets').selectAll().where('id', '=', posted.TicketId).executeTakeFirstOrThrow();
      const support = (await app.store.topics.byId(SUPPORT))!;
      assert.equal(ticket.title, 'My widget is broken');
      assert.equal(ticket.origin, 11, 'Chat');
      assert.equal(ticket.category_id, support.ticketCategoryId);
      assert.ok(support.ticketCategoryId !== null && support.ticketPriorityId !== null);
      assert.equal(ticket.priority_id, support.ticketPriorityId);
      const category = await app.store.db.selectFrom('ticket_categories').select('name').where('id', '=', ticket.category_id!).executeTakeFirstOrThrow();
      assert.equal(category.name, 'Chat requests');
      const kari = await app.store.db.selectFrom('persons').select('id').where('email', '=', 'kari@nordicwidgets.no').executeTakeFirstOrThrow();
      assert.equal(ticket.person_id, kari.id, 'matched by the e-mail the form gave');
      assert.equal(ticket.from_address, 'kari@nordicwidgets.no');

      const agent = await w.agentView(o.Session.ChatSessionId);
      assert.equal(agent.Status, 'RequestPosted');
      assert.equal(agent.Ticket?.TicketId, posted.TicketId);
      assert.equal(agent.CustomerPhone, '+47 22 00 00 00');
      assert.equal(agent.Person?.PersonId, kari.id);
      assert.equal((await w.getSession(o.SessionKey)).TicketId, posted.TicketId);
      const texts = (await w.messages(o.SessionKey)).filter((m: any) => m.SpecialType === 'None').map((m: any) => [m.Type, m.Message]);
      assert.deepEqual(texts, [['ToUser', 'My widget is broken\nIt stopped on Monday.']]);
      // Once posted, the form is closed.
      assertError(await w.visitor('SubmitOfflineForm', { Message: 'Again' }, o.SessionKey), 409);
    });

    test("the topic's required offline fields are checked; a topic without TicketEnabled takes no requests (409)", async () => {
      // ola2 is away: the topic is closed.
      const topic = await w.newTopic({ TicketEnabled: true, Widget: { OfflineFields: 'Email, Phone' } }, ['ola2']);
      const o = await w.open({ ChatTopicId: topic });
      assert.equal(o.Session.Status, 'OfflineForm');
      const missing = await w.visitor('SubmitOfflineForm', { Message: 'Call me' }, o.SessionKey);
      assertError(missing, 400, /CustomerEmail/);
      assert.match(missing.json.ErrorMessage, /CustomerPhone/);
      assertError(await w.visitor('SubmitOfflineForm', { Message: 'Call me', CustomerEmail: 'caller@example.com' }, o.SessionKey), 400, /CustomerPhone/);
      const posted = w.ok(
        await w.visitor('SubmitOfflineForm', { Message: 'Call me', CustomerEmail: 'caller@example.com', CustomerPhone: '12345678' }, o.SessionKey),
      );
      assert.equal(posted.Status, 'RequestPosted');
      const ticket = await app.store.db.selectFrom('tickets').selectAll().where('id', '=', posted.TicketId).executeTakeFirstOrThrow();
      assert.equal(ticket.category_id, null, 'the topic names no category');
      assert.equal(ticket.person_id, null, 'nobody in the CRM has that address');

      // Salg: closed, TicketEnabled off.
      const sales = w.ok(await w.visitor('OpenSession', { ChatTopicId: SALES }));
      assert.equal(sales.Session.Status, 'OfflineForm');
      assert.equal(sales.Session.OfflineFormAvailable, false);
      assertError(await w.visitor('SubmitOfflineForm', { Message: 'Ring meg' }, sales.SessionKey), 409);
      assert.equal((await w.getSession(sales.SessionKey)).Status, 'OfflineForm');
    });

    test('consent: a chat that starts at the offline form needs none to open; the form asks for it with OfflineCollectConsent', async () => {
      // ola2 is away: the topic is closed.
      const topic = await w.newTopic({ TicketEnabled: true, CollectConsent: true, OfflineCollectConsent: true }, ['ola2']);
      const o = w.ok(await w.visitor('OpenSession', { ChatTopicId: topic, Message: 'My question', CustomerName: 'Anon', CustomerEmail: 'anon@example.com' }));
      assert.equal(o.Session.Status, 'OfflineForm');
      // Nothing the customer gave is stored before consent: not the question, not the details; no chat lines either.
      const stored = await w.agentView(o.Session.ChatSessionId);
      assert.equal(stored.CustomerName, '');
      assert.equal(stored.CustomerEmail, '');
      assert.equal(stored.FirstMessage, '');
      assertError(await w.post(o.SessionKey, 'Hello?'), 400, /Consented/);
      assertError(await w.visitor('SubmitOfflineForm', { Message: 'Please call', CustomerEmail: 'a@example.com' }, o.SessionKey), 400, /Consented/);
      assertError(
        await w.visitor('SubmitOfflineForm', { Message: 'Please call', CustomerEmail: 'a@example.com', Consented: false }, o.SessionKey),
        400,
        /Consented/,
      );
      const posted = w.ok(await w.visitor('SubmitOfflineForm', { Message: 'Please call', CustomerEmail: 'a@example.com', Consented: true }, o.SessionKey));
      assert.equal(posted.Status, 'RequestPosted');
      assert.equal((await w.agentView(o.Session.ChatSessionId)).CustomerConsented, true);

      // Without OfflineCollectConsent the form needs no consent.
      const plain = await w.newTopic({ TicketEnabled: true, CollectConsent: true }, ['ola2']);
      const p = w.ok(await w.visitor('OpenSession', { ChatTopicId: plain }));
      assert.equal(w.ok(await w.visitor('SubmitOfflineForm', { Message: 'Hello', CustomerEmail: 'b@example.com' }, p.SessionKey)).Status, 'RequestPosted');
      assert.equal((await w.agentView(p.Session.ChatSessionId)).CustomerConsented, false);
    });

    test('from the queue only with UseQueueOfflineForm, after OfflineFormTimeLimit minutes', async () => {
      const plain = await w.newTopic({ TicketEnabled: true });
      const p = await w.open({ ChatTopicId: plain });
      clock.advance(60);
      assert.equal((await w.getSession(p.SessionKey)).OfflineFormAvailable, false, 'UseQueueOfflineForm off');
      assertError(await w.visitor('SubmitOfflineForm', { Message: 'Waited an hour' }, p.SessionKey), 409);

      const topic = await w.newTopic({ TicketEnabled: true, UseQueueOfflineForm: true, OfflineFormTimeLimit: 5 });
      const o = await w.open({ ChatTopicId: topic });
      assert.equal(o.Session.Status, 'InQueue');
      assert.equal(o.Session.OfflineFormAvailable, false);
      clock.advance(4);
      assert.equal((await w.getSession(o.SessionKey)).OfflineFormAvailable, false, '4 of 5 minutes');
      assertError(await w.visitor('SubmitOfflineForm', { Message: 'Too slow' }, o.SessionKey), 409);
      assert.equal((await w.getSession(o.SessionKey)).Status, 'InQueue', 'a refused form leaves the queue alone');
      clock.advance(1);
      const waited = await w.getSession(o.SessionKey);
      assert.equal(waited.Status, 'InQueue');
      assert.equal(waited.OfflineFormAvailable, true, '5 minutes waited');
      const posted = w.ok(await w.visitor('SubmitOfflineForm', { Message: 'Too slow, call me' }, o.SessionKey));
      assert.equal(posted.Status, 'RequestPosted');
      assert.ok(posted.TicketId > 0);
      assert.equal((await w.agentView(o.Session.ChatSessionId)).Ticket?.TicketId, posted.TicketId);
    });

    test('from the queue when it is OfflineFormQueueLength long; newcomers then start at the offline form', async () => {
      const topic = await w.newTopic({ TicketEnabled: true, UseQueueOfflineForm: true, OfflineFormQueueLength: 2 });
      const a = await w.open({ ChatTopicId: topic });
      assert.equal(a.Session.Status, 'InQueue');
      assert.equal(a.Session.OfflineFormAvailable, false, 'one waiting');
      const b = await w.open({ ChatTopicId: topic });
      assert.equal(b.Session.Status, 'InQueue');
      assert.equal(b.Session.OfflineFormAvailable, true, 'two waiting');
      assert.equal((await w.getSession(a.SessionKey)).OfflineFormAvailable, true);
      const c = await w.open({ ChatTopicId: topic });
      assert.equal(c.Session.Status, 'OfflineForm', 'the queue is full');
      assert.equal(c.Session.OfflineFormAvailable, true);
      const posted = w.ok(await w.visitor('SubmitOfflineForm', { Message: 'Busy, are you?' }, b.SessionKey));
      assert.equal(posted.Status, 'RequestPosted');
      const after = await w.getSession(a.SessionKey);
      assert.equal(after.QueuePosition, 1);
      assert.equal(after.OfflineFormAvailable, false, 'one waiting again');
      assertError(await w.visitor('SubmitOfflineForm', { Message: 'Me too' }, a.SessionKey), 409);
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
