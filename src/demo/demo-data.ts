// Fills a fresh database with a small, deterministic demo: users, CRM records, topics in several languages
// with varied rights, and sessions in every status with messages and CRM links.
import { hashPassword } from '../auth/passwords.ts';
import { defaultTopic } from '../domain/defaults.ts';
import { ChatMessageSpecialType as Special, ChatMessageType as MsgType, ChatSessionStatus as S } from '../domain/enums.ts';
import type { Session, Topic } from '../domain/types.ts';
import type { ParleyStore } from '../storage/store.ts';
import { fillDemoCrm } from './demo-crm.ts';
import { DEMO_USERS } from './demo-users.ts';

/** True when the database has no users yet: only then is demo data added. */
export async function isFresh(store: ParleyStore) {
  return (await store.associates.list()).length === 0;
}

const minutesAgo = (now: Date, m: number) => new Date(now.getTime() - m * 60_000);

export async function fillDemoData(store: ParleyStore, now: Date, sessionKey: () => string): Promise<void> {
  await store.transaction(async (tx) => {
    const s = tx as ParleyStore;
    const ids: Record<string, number> = {};
    for (const u of DEMO_USERS) {
      ids[u.userName] = await s.associates.insert({ ...u, passwordHash: await hashPassword(u.password) }, now);
    }
    const { english, norwegian, swedish, german, supportCategory, normal, alertTemplate, faq, nordic, svea, kari, lars, project, sale, ticket } =
      await fillDemoCrm(s.db, now);

    const base = defaultTopic();
    const topic = async (t: Partial<Topic>, agents: Array<[string, Partial<Record<'canListen' | 'canRespond' | 'canManage' | 'canNotify', boolean>>]>) => {
      const id = await s.topics.insert({ ...base, ...t, widget: { ...base.widget, ...t.widget }, openingHours: { ...base.openingHours, ...t.openingHours } });
      for (const [user, roles] of agents) {
        await s.topicAgents.upsert({ topicId: id, associateId: ids[user], canListen: false, canRespond: false, canManage: false, canNotify: false, ...roles });
      }
      return id;
    };
    const support = await topic(
      {
        name: 'US:"Customer support";NO:"Kundestøtte";SE:"Kundtjänst";DE:"Kundensupport"',
        description: '[SR_PARLEY_TOPIC_SUPPORT]',
        welcomeMessage: '[SR_PARLEY_WELCOME]',
        languageId: english,
        badgeHeader: 'Chat with us',
        collectConsent: true,
        warnNewChatMinutes: 2,
        warnManagerNewChatMinutes: 5,
        warnChatMessageMinutes: 3,
        warnManagerChatMessageMinutes: 10,
        ticketEnabled: true,
        ticketCategoryId: supportCategory,
        ticketPriorityId: normal,
        alertTemplateId: alertTemplate,
        // Open around the clock, so trying Parley out at any hour reaches an agent; Salg shows opening hours.
        alertRecipient: 'support-lead@example.com',
        openingHoursEnabled: false,
        openingHours: { ...base.openingHours, timeZone: 'NO', useLunchHours: true },
        widget: {
          ...base.widget,
          autoFaqEnabled: false,
          autoFaqCategoryId: faq,
          offlineHeader: '[SR_PARLEY_OFFLINE_HEADER]',
          offlineMessage: '[SR_PARLEY_OFFLINE_MESSAGE]',
          welcomeTitle: 'Support',
          languageIsoCode: 'en',
        },
        widgetEnableRating: true,
        widgetRatingText: 'How did we do?',
      },
      [
        ['tje0', { canRespond: true, canNotify: true }],
        ['ann1', { canRespond: true }],
        ['adm0', { canManage: true, canListen: true }],
      ],
    );
    const sales = await topic(
      {
        name: 'Salg',
        description: 'Spørsmål om priser og tilbud',
        welcomeMessage: 'Hei! Hva kan vi hjelpe deg med?',
        languageId: norwegian,
        openingHoursEnabled: true,
        openingHours: { ...base.openingHours, timeZone: 'NO', useLunchHours: true },
        customQueueTextEnabled: true,
        customQueueText: 'Du er nummer {cque} i køen (snitt {cavw})',
      },
      [
        ['tje0', { canListen: true }],
        ['ola2', { canRespond: true, canManage: true, canNotify: true }],
      ],
    );
    const sweden = await topic(
      {
        name: 'Support Sverige',
        description: 'Kundtjänst på svenska',
        welcomeMessage: 'Hej! Vad kan vi hjälpa till med?',
        languageId: swedish,
        openingHours: { ...base.openingHours, timeZone: 'SE' },
      },
      [
        ['sve3', { canRespond: true, canManage: true }],
        ['tje0', { canNotify: true }],
      ],
    );
    const germany = await topic(
      {
        name: 'Vertrieb',
        description: 'Fragen zum Verkauf',
        welcomeMessage: 'Hallo! Wie können wir helfen?',
        languageId: german,
        openingHours: { ...base.openingHours, timeZone: 'DE' },
      },
      [['deu4', { canRespond: true, canManage: true, canNotify: true }]],
    );
    await topic(
      { name: 'Bot lab', description: 'A chatbot answers first, then hands over', botEnabled: true, bot: { ...base.bot, botName: 'Parley helper' } },
      [['adm0', { canManage: true, canRespond: true }]],
    );

    // Quick replies: a few per topic in the topic's language, one multi-language; tje0 has one of his own.
    const reply = (topicId: number, associateId: number, shortcut: string, title: string, text: string) =>
      s.cannedResponses.insert({ shortcut, title, text, topicId, associateId, whenUpdated: now });
    await reply(support, 0, 'hello', 'Greeting', 'Hi {customer.name}, this is {agent.name} from {topic.name}. How can I help?');
    await reply(support, 0, 'order', 'Order status', 'Could you give me your order number? I will look it up right away.');
    await reply(
      support,
      0,
      'bye',
      'Goodbye',
      'US:"Thank you for chatting with us, {customer.name}!";NO:"Takk for praten, {customer.name}!";SE:"Tack för att du chattade med oss!"',
    );
    await reply(sales, 0, 'hei', 'Hilsen', 'Hei {customer.name}! Jeg heter {agent.name}. Hva kan jeg hjelpe deg med?');
    await reply(sales, 0, 'tilbud', 'Tilbud', 'Jeg sender deg et tilbud på e-post til {customer.email} i løpet av dagen.');
    await reply(sweden, 0, 'hej', 'Hälsning', 'Hej {customer.name}! Vad kan jag hjälpa dig med?');
    await reply(germany, 0, 'hallo', 'Begrüßung', 'Hallo {customer.name}! Wie kann ich Ihnen helfen?');
    await reply(0, ids.tje0, 'sig', 'My signature', 'Best regards, {agent.name}');

    const session = async (topicId: number, status: number, minutes: number, extra: Partial<Session>, messages: Array<[number, string, string, number?]>) => {
      const requested = minutesAgo(now, minutes);
      const ended = [S.Finished, S.Closed, S.ClosedFromQueue, S.RequestPosted, S.Deleted].includes(status as never) ? minutesAgo(now, minutes - 15) : null;
      const started = [S.CustomerLast, S.UserLast, S.Finished, S.Closed, S.Deleted].includes(status as never) ? minutesAgo(now, minutes - 2) : null;
      const texts = messages.filter(([type]) => type !== MsgType.Special).map(([, , text]) => text);
      const id = await s.sessions.insert({
        topicId,
        userId: null,
        personId: null,
        customerAlias: '',
        customerHost: '203.0.113.7',
        customerName: '',
        customerEmail: '',
        customerPhone: '',
        customerConsented: true,
        customerCompanyName: '',
        status,
        firstMessage: texts[0] ?? '',
        lastMessage: texts[texts.length - 1] ?? '',
        whenRequested: requested,
        whenStarted: started,
        whenEnded: ended,
        whenIdle: texts.length ? minutesAgo(now, Math.max(minutes - 5, 0)) : null,
        // No widget polls the demo's live sessions: leaving WhenFetched empty keeps the sweeper from closing them.
        whenFetched: ended,
        sessionKey: sessionKey(),
        initialQueuePos: status === S.InQueue ? 1 : 0,
        alertLevel: 0,
        rank: 0,
        flags: 0,
        contactId: null,
        projectId: null,
        saleId: null,
        ticketId: null,
        transferToId: null,
        chatbotIsActive: false,
        rating: 0,
        ...extra,
      });
      for (const [i, [type, author, text, special]] of messages.entries()) {
        await s.messages.insert({
          sessionId: id,
          type,
          author,
          message: text,
          readByCustomer: type === MsgType.ToUser ? 0 : 1,
          specialType: special ?? Special.None,
          specialParam: '',
          whenPosted: minutesAgo(now, minutes - i),
          createdBy: null,
        });
      }
      return id;
    };
    const C = MsgType.ToUser,
      A = MsgType.ToCustomer,
      X = MsgType.Special;
    await session(
      support,
      S.InQueue,
      4,
      { customerName: 'Kari Nordmann', customerEmail: 'kari@nordicwidgets.no', customerCompanyName: 'Nordic Widgets AS', personId: kari, contactId: nordic },
      [[C, 'Kari Nordmann', 'My widget order has not arrived']],
    );
    await session(support, S.InQueue, 2, { customerName: 'Guest 2', initialQueuePos: 2 }, [[C, 'Guest 2', 'Do you ship to Iceland?']]);
    await session(
      support,
      S.CustomerLast,
      30,
      {
        userId: ids.tje0,
        rank: 1,
        customerName: 'Lars Lund',
        customerEmail: 'lars@sveaverktyg.se',
        personId: lars,
        contactId: svea,
        ticketId: ticket,
        flags: 0,
      },
      [
        [X, 'Parley', 'Tor Jensen picked up the chat', Special.Welcome],
        [C, 'Lars Lund', 'The widget arrived broken'],
        [A, 'Tor Jensen', 'Sorry! Can you send a photo?'],
        [C, 'Lars Lund', 'Sent it by e-mail just now'],
      ],
    );
    await session(support, S.UserLast, 20, { userId: ids.ann1, rank: 1, customerName: 'Mia', flags: 1, projectId: project }, [
      [C, 'Mia', 'When is the roll-out?'],
      [A, 'Anne Berg', 'Next Monday, according to the project plan'],
    ]);
    await session(support, S.UserLast, 12, { userId: ids.tje0, rank: 2, customerName: 'Petter', transferToId: ids.ann1, saleId: sale }, [
      [C, 'Petter', 'I want to buy 500 widgets'],
      [A, 'Tor Jensen', 'Let me hand you to a colleague'],
    ]);
    await session(support, S.Finished, 120, { userId: ids.tje0, customerName: 'Ingrid', rating: 5 }, [
      [C, 'Ingrid', 'Thanks for the quick help'],
      [A, 'Tor Jensen', 'You are welcome!'],
      [X, 'Parley', 'The agent ended the chat', Special.ClosedByUser],
    ]);
    await session(support, S.ClosedFromQueue, 90, { customerName: 'Guest 7' }, [
      [C, 'Guest 7', 'Hello?'],
      [X, 'Parley', 'The customer left the queue', Special.ClosedByCustomer],
    ]);
    await session(support, S.OfflineForm, 6, { customerName: 'Night owl' }, []);
    await session(support, S.RequestPosted, 200, { customerName: 'Kari Nordmann', customerEmail: 'kari@nordicwidgets.no', ticketId: ticket }, [
      [C, 'Kari Nordmann', 'Please call me back tomorrow'],
    ]);
    await session(support, S.PreChatForm, 1, {}, []);
    await session(support, S.Faq, 1, { customerName: 'Curious' }, [[C, 'Curious', 'How do I reset my widget?']]);
    await session(support, S.Invalid, 240, {}, []);
    await session(support, S.Closed, 180, { userId: ids.ann1, customerName: 'Ole' }, [
      [C, 'Ole', 'All good now'],
      [X, 'Parley', 'Closed after no activity', Special.ClosedByIdle],
    ]);
    await session(support, S.Deleted, 400, { customerName: 'Old chat' }, [[C, 'Old chat', 'Ancient question']]);
    await session(sales, S.InQueue, 3, { customerName: 'Per Hansen', customerEmail: 'per@example.no' }, [[C, 'Per Hansen', 'Hva koster 100 widgets?']]);
    await session(sales, S.CustomerLast, 15, { userId: ids.ola2, rank: 1, customerName: 'Eva', saleId: sale }, [[C, 'Eva', 'Kan jeg få et tilbud?']]);
    await session(sweden, S.InQueue, 5, { customerName: 'Lars Lund', personId: lars, contactId: svea }, [[C, 'Lars Lund', 'Hej, min beställning saknas']]);
    await session(sweden, S.Finished, 60, { userId: ids.sve3, customerName: 'Karin', rating: 4 }, [
      [C, 'Karin', 'Tack!'],
      [A, 'Sven Svensson', 'Varsågod!'],
    ]);
    await session(germany, S.CustomerLast, 8, { userId: ids.deu4, rank: 1, customerName: 'Jonas' }, [[C, 'Jonas', 'Ich brauche ein Angebot']]);
  });
}
