// Wire compatibility with SuperOffice's own TypeScript client, @superoffice/webapi: every Chat agent method
// Parley serves, called through ChatAgent over a real socket. The client sends camelCase carriers, string enum
// names, Date objects and dayjs Durations, and echoes TableRight/FieldProperties back; it converts answers
// into camelCase carriers with enums converted and Dates parsed. What it gets back must make sense to it.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import type { WebApi } from '../helpers/webapi.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { isDate, tracked as trackedClient } from '../helpers/official-client.ts';

// The ESM build of the client does not load under Node's ESM loader; its CommonJS build does.
const webapi = createRequire(import.meta.url)('@superoffice/webapi') as typeof WebApi;

/** The client declares every carrier property optional; the tests read what Parley answered, so all is present. */
type Loaded<T> = T extends Date | { asMinutes(): number }
  ? T
  : T extends Array<infer U>
    ? Array<Loaded<U>>
    : T extends object
      ? { [K in keyof T]-?: Loaded<NonNullable<T[K]>> }
      : T;
type ChatSessionEntity = Loaded<WebApi.ChatSessionEntity>;
type ChatTopicEntity = Loaded<WebApi.ChatTopicEntity>;
type ChatTopicAgent = Loaded<WebApi.ChatTopicAgent>;
const { ChatAgent, ChatSessionStatus, ChatSessionFlags, ETableRight, EFieldRight, UserType, ChatWidgetSize, WidgetTheme, WidgetRequiredFields, mkDuration } =
  webapi;

/** The 18 Chat agent methods Parley serves; each must be called through the client below. */
const METHODS = [
  'chatSessionsForUserAsync',
  'getChatSessionEntityAsync',
  'createDefaultChatSessionEntityAsync',
  'saveChatSessionEntityAsync',
  'deleteChatSessionEntityAsync',
  'createChatSessionForTopicAsync',
  'chatTopicsForUserAsync',
  'getChatTopicEntityAsync',
  'createDefaultChatTopicEntityAsync',
  'saveChatTopicEntityAsync',
  'deleteChatTopicEntityAsync',
  'createDefaultChatTopicAgentAsync',
  'getChatTopicUserAgentListAsync',
  'getChatTopicUserAgentAsync',
  'addChatTopicUserAgentAsync',
  'updateChatTopicUserAgentAsync',
  'updateChatTopicUserAgentsAsync',
  'deleteChatTopicUserAgentAsync',
] as const;
const exercised = new Set<string>();

/** The 18 methods as the tests call them: the client's positional overloads, answers typed as Loaded. */
type Client = {
  [K in (typeof METHODS)[number]]: (...args: Parameters<WebApi.ChatAgent[K]>) => Promise<Loaded<Awaited<ReturnType<WebApi.ChatAgent[K]>>>>;
};

/** The client, recording which of its methods the tests call. */
const tracked = (agent: WebApi.ChatAgent) => trackedClient<Client>(agent, exercised);

const SUPPORT = 1,
  SALES = 2,
  SWEDEN = 3,
  GERMANY = 4;
const hours = (d: { asMinutes(): number } | null | undefined) => (d ? d.asMinutes() / 60 : undefined);

for (const { kind, skip } of await databaseKinds()) {
  describe(`the official @superoffice/webapi ChatAgent against Parley on ${kind}`, { skip }, () => {
    let app: TestApp;
    let baseUrl: string;
    const agentFor = (username: string, password: string, options: Record<string, unknown> = {}) =>
      tracked(new ChatAgent({ baseUrl, axiosConfig: { auth: { username, password } }, ...options }));
    let tje0: Client, adm0: Client;

    before(async () => {
      app = await startTestApp({ kind });
      await app.server.listen({ port: 0, host: '127.0.0.1' });
      baseUrl = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}/`;
      // The first ChatAgent ever built becomes the client's global default options (languageCode and timezone
      // included): build plain ones first, so only the agents that ask for a language or zone get one.
      tje0 = agentFor('tje0', 'Tje0');
      adm0 = agentFor('adm0', 'Adm0');
    });
    after(async () => app?.close());

    test('the client composes <baseUrl>api/v1/Agents/Chat/ and reaches Parley', async () => {
      const raw = new ChatAgent({ baseUrl, axiosConfig: { auth: { username: 'tje0', password: 'Tje0' } } });
      assert.equal((raw as any)._options.baseUrl, `${baseUrl}api/v1/Agents/Chat/`);
      const sessions = await tje0.chatSessionsForUserAsync();
      assert.ok(sessions.length > 0);
    });

    test('chatSessionsForUserAsync: camelCase carriers, enums converted, Dates parsed', async () => {
      const sessions = await tje0.chatSessionsForUserAsync();
      assert.deepEqual([...new Set(sessions.map((s) => s.topicId))].sort(), [SUPPORT, SALES, SWEDEN]);
      assert.ok(sessions.every((s) => s.status !== ChatSessionStatus.Deleted));
      for (const s of sessions) {
        assert.equal(typeof s.chatSessionId, 'number');
        assert.ok(Object.values(ChatSessionStatus).includes(s.status), `status ${s.status} is a ChatSessionStatus`);
        assert.ok(isDate(s.whenRequested), 'whenRequested is a Date');
        assert.ok(s.whenEnded === null || isDate(s.whenEnded));
        assert.ok(typeof s.flags === 'number', 'flags converted to the numeric flags enum');
        assert.equal(typeof s.tableRight.mask, 'number');
      }
      // Demo data was written "minutes ago": the parsed instants must be close to the app's clock.
      const newest = Math.max(...sessions.map((s) => s.whenRequested.getTime()));
      assert.ok(Math.abs(newest - app.now.getTime()) < 60 * 60_000, 'whenRequested parses to the right instant');

      const lars = sessions.find((s) => s.customerName === 'Lars Lund' && s.topicId === SUPPORT)!;
      assert.equal(lars.status, ChatSessionStatus.CustomerLast);
      assert.equal(lars.flags, ChatSessionFlags.CustomerIsTyping);
      assert.equal(lars.user.userName, 'tje0');
      assert.equal(lars.user.fullName, 'Tor Jensen');
      assert.equal(lars.user.type, UserType.InternalAssociate);
      assert.ok(isDate(lars.whenStarted));
      assert.equal(lars.person.firstname, 'Lars');
      assert.equal(lars.contact.name, 'Svea Verktyg AB');
      assert.equal(typeof lars.ticket.ticketId, 'number');
      assert.equal(sessions.find((s) => s.customerName === 'Mia')!.flags, ChatSessionFlags.UserIsTyping);

      const support = sessions.find((s) => s.topicId === SUPPORT)!;
      const sales = sessions.find((s) => s.topicId === SALES)!;
      assert.equal(support.tableRight.mask, ETableRight.URI);
      assert.equal(sales.tableRight.mask, ETableRight.Select);
      // Field rights keep their PascalCase field names as dictionary keys; the read-only SessionKey is listed
      // for a row the caller may update (lists may leave out the fields that simply follow TableRight).
      assert.equal(typeof support.fieldProperties, 'object');
      assert.equal(support.fieldProperties.SessionKey.fieldRight.mask, EFieldRight.Read);
    });

    test('getChatSessionEntityAsync: a visible session, and null for an unknown id', async () => {
      const [first] = await tje0.chatSessionsForUserAsync();
      const got = await tje0.getChatSessionEntityAsync(first.chatSessionId);
      assert.equal(got.chatSessionId, first.chatSessionId);
      assert.equal(got.status, first.status);
      assert.equal(got.whenRequested.getTime(), first.whenRequested.getTime());
      // A single entity carries every field's rights, converted: numeric EFieldRight masks.
      const support = await tje0.getChatSessionEntityAsync((await tje0.chatSessionsForUserAsync()).find((s) => s.topicId === SUPPORT)!.chatSessionId);
      assert.equal(support.fieldProperties.CustomerName.fieldRight.mask, EFieldRight.Update);
      assert.equal(support.fieldProperties.CustomerName.fieldLength, 255);
      assert.equal(support.fieldProperties.CustomerName.fieldType, 'System.String');
      assert.equal(support.fieldProperties.SessionKey.fieldRight.mask, EFieldRight.Read);
      assert.equal(support.fieldProperties.WhenRequested.fieldType, 'System.DateTime');
      assert.equal(await tje0.getChatSessionEntityAsync(987654), null);
      // A session of a topic tje0 is no member of (Vertrieb) reads as missing too.
      const deu = (await agentFor('deu4', 'Deu4').chatSessionsForUserAsync()).find((s) => s.topicId === GERMANY)!;
      assert.equal(await tje0.getChatSessionEntityAsync(deu.chatSessionId), null);
    });

    let created: ChatSessionEntity;
    test('createDefaultChatSessionEntityAsync, then saveChatSessionEntityAsync creates from it', async () => {
      const entity = await tje0.createDefaultChatSessionEntityAsync();
      assert.equal(entity.chatSessionId, 0);
      assert.equal(entity.status, ChatSessionStatus.InQueue);
      assert.ok(isDate(entity.whenRequested));
      assert.equal(entity.whenStarted, null);
      assert.equal(entity.user, null);
      assert.ok(entity.tableRight && entity.fieldProperties, 'the default comes with its rights, which the client sends back');

      entity.topicId = SUPPORT;
      entity.customerName = 'Client Tester';
      entity.customerEmail = 'client@example.com';
      created = await tje0.saveChatSessionEntityAsync(entity);
      assert.ok(created.chatSessionId > 0);
      assert.equal(created.topicId, SUPPORT);
      assert.equal(created.customerName, 'Client Tester');
      assert.equal(created.status, ChatSessionStatus.InQueue);
      assert.ok(created.sessionKey.length > 20, 'the server fills the session key');
      assert.ok(created.initialQueuePos >= 1);
      assert.equal(Math.round(created.whenRequested.getTime() / 1000), Math.round(entity.whenRequested.getTime() / 1000));
      assert.equal(created.tableRight.mask, ETableRight.URI);
    });

    test('saveChatSessionEntityAsync updates what the client changed, keeping server-owned fields', async () => {
      const session = await tje0.getChatSessionEntityAsync(created.chatSessionId);
      const started = new Date(Date.UTC(2026, 0, 15, 9, 30, 0));
      session.customerPhone = '+47 123 45 678';
      session.status = ChatSessionStatus.UserLast;
      session.whenStarted = started;
      session.flags = ChatSessionFlags.UserIsTyping;
      session.user = (await tje0.chatSessionsForUserAsync()).find((s) => s.user?.userName === 'tje0')!.user;
      session.sessionKey = 'forged';
      const saved = await tje0.saveChatSessionEntityAsync(session);
      assert.equal(saved.chatSessionId, created.chatSessionId);
      assert.equal(saved.customerPhone, '+47 123 45 678');
      assert.equal(saved.customerName, 'Client Tester');
      assert.equal(saved.status, ChatSessionStatus.UserLast);
      assert.equal(saved.flags, ChatSessionFlags.UserIsTyping);
      assert.equal(saved.whenStarted.getTime(), started.getTime());
      assert.equal(saved.user.userName, 'tje0');
      assert.equal(saved.sessionKey, '', 'the forged key is not taken; the real one is kept only as a digest');
      assert.ok(created.sessionKey.length >= 43, 'the creation answer had the key');
      assert.equal((await app.store.sessions.byKey(created.sessionKey))?.id, created.chatSessionId, 'and it still opens the session');
      assert.equal(await app.store.sessions.byKey('forged'), undefined);
      const again = await tje0.getChatSessionEntityAsync(created.chatSessionId);
      assert.equal(again.status, ChatSessionStatus.UserLast);
      assert.equal(again.whenStarted.getTime(), started.getTime());
    });

    test('a session with every link (user, person, contact, ticket) survives a round trip through the client', async () => {
      const lars = (await tje0.chatSessionsForUserAsync()).find((s) => s.customerName === 'Lars Lund' && s.topicId === SUPPORT)!;
      lars.customerCompanyName = 'Svea Verktyg AB (via client)';
      const saved = await tje0.saveChatSessionEntityAsync(lars);
      assert.equal(saved.customerCompanyName, 'Svea Verktyg AB (via client)');
      assert.equal(saved.person.personId, lars.person.personId);
      assert.equal(saved.contact.contactId, lars.contact.contactId);
      assert.equal(saved.ticket.ticketId, lars.ticket.ticketId);
      assert.equal(saved.user.associateId, lars.user.associateId);
      assert.equal(saved.whenRequested.getTime(), lars.whenRequested.getTime());
    });

    test('every session and topic the client reads can be saved back unchanged', async () => {
      // The client echoes everything it converted: nested carriers with their own rights, empty arrays for lists,
      // numeric flags, string enums, Dates and Durations. Parley must accept all of it and change nothing.
      // An administrator sees every row: all demo sessions (every status and link) and all demo topics.
      let sessions = 0;
      for (let id = 1; id <= 40; id++) {
        const before = await adm0.getChatSessionEntityAsync(id);
        if (!before) continue;
        sessions++;
        const saved = await adm0.saveChatSessionEntityAsync(before);
        assert.deepEqual(saved, before, `session ${id} changed on an unchanged save`);
      }
      assert.ok(sessions >= 19, `${sessions} sessions round-tripped`);
      for (const id of [SUPPORT, SALES, SWEDEN, GERMANY, 5]) {
        const before = await adm0.getChatTopicEntityAsync(id);
        const saved = await adm0.saveChatTopicEntityAsync(before);
        assert.deepEqual(saved, before, `topic ${id} changed on an unchanged save`);
      }
    });

    test('deleteChatSessionEntityAsync: managers delete; the session is gone afterwards', async () => {
      await assert.rejects(tje0.deleteChatSessionEntityAsync(created.chatSessionId), (e: any) => e.response?.status === 403);
      const result = await adm0.deleteChatSessionEntityAsync(created.chatSessionId);
      assert.ok(result === undefined || result === '' || result === null);
      assert.equal(await adm0.getChatSessionEntityAsync(created.chatSessionId), null);
    });

    test('createChatSessionForTopicAsync queues a new session', async () => {
      const session = await tje0.createChatSessionForTopicAsync(SUPPORT);
      assert.ok(session.chatSessionId > 0);
      assert.equal(session.topicId, SUPPORT);
      assert.equal(session.status, ChatSessionStatus.InQueue);
      assert.ok(isDate(session.whenRequested));
      assert.ok(session.sessionKey);
      await assert.rejects(tje0.createChatSessionForTopicAsync(SALES), (e: any) => e.response?.status === 403, 'a listener may not');
    });

    test('chatTopicsForUserAsync and getChatTopicEntityAsync: nested carriers, Durations and enums converted', async () => {
      const topics = await tje0.chatTopicsForUserAsync();
      assert.deepEqual(topics.map((t) => t.chatTopicId).sort(), [SUPPORT, SALES, SWEDEN]);
      const support = topics.find((t) => t.chatTopicId === SUPPORT)!;
      assert.match(support.name, /Customer support/);
      assert.equal(support.openingHoursEnabled, false);
      assert.equal(support.openingHours.tzLocation.tZLocationCode, 'NO');
      assert.equal(hours(support.openingHours.monStart), 8);
      assert.equal(hours(support.openingHours.monStop), 16);
      assert.equal(support.openingHours.satEnabled, false);
      assert.equal(hours(support.openingHours.lunchStart), 11.5);
      assert.equal(support.widget.size, ChatWidgetSize.Normal);
      assert.equal(support.widget.theme, WidgetTheme.Modern);
      assert.equal(support.widget.requiredFields, WidgetRequiredFields.None);
      assert.equal(support.widget.autoFaqEnabled, false);
      assert.ok(support.widget.autoFaqCategory);
      assert.equal(support.language.value, 'English');
      assert.ok(support.ticketCategory && support.ticketPriority && support.alertTemplate);
      assert.equal(support.tableRight.mask, ETableRight.Select);

      const got = await tje0.getChatTopicEntityAsync(SALES);
      assert.equal(got.name, 'Salg');
      assert.equal(got.customQueueTextEnabled, true);
      assert.equal(await tje0.getChatTopicEntityAsync(GERMANY), null, 'not a member: null');
      assert.equal(await tje0.getChatTopicEntityAsync(987654), null);
      const asAdmin = await adm0.getChatTopicEntityAsync(GERMANY);
      assert.equal(asAdmin.name, 'Vertrieb');
      assert.equal(asAdmin.tableRight.mask, ETableRight.FULL);
    });

    let topic: ChatTopicEntity;
    test('createDefaultChatTopicEntityAsync, then saveChatTopicEntityAsync creates from it (Durations serialised by the client)', async () => {
      const entity = await adm0.createDefaultChatTopicEntityAsync();
      assert.equal(entity.chatTopicId, 0);
      assert.equal(entity.name, '');
      assert.equal(hours(entity.openingHours.monStart), 8);
      assert.equal(entity.openingHours.monEnabled, true);
      assert.equal(entity.openingHours.sunEnabled, false);
      assert.equal(entity.widget.theme, WidgetTheme.Modern);
      assert.equal(entity.lastAccept, null);

      entity.name = 'Client topic';
      entity.description = 'Made by @superoffice/webapi';
      entity.openingHoursEnabled = true;
      entity.openingHours.monStart = mkDuration('07:30:00');
      entity.openingHours.friStop = mkDuration(15, 'hours');
      entity.widget.size = ChatWidgetSize.Large;
      entity.widget.requiredFields = WidgetRequiredFields.Email | WidgetRequiredFields.Name;
      topic = await adm0.saveChatTopicEntityAsync(entity);
      assert.ok(topic.chatTopicId > 0);
      assert.equal(topic.name, 'Client topic');
      assert.equal(topic.openingHoursEnabled, true);
      assert.equal(hours(topic.openingHours.monStart), 7.5);
      assert.equal(hours(topic.openingHours.friStop), 15);
      assert.equal(hours(topic.openingHours.tueStart), 8, 'untouched Durations go back as they came');
      assert.equal(hours(topic.openingHours.lunchStop), 12);
      assert.equal(topic.widget.size, ChatWidgetSize.Large);
      assert.equal(topic.widget.requiredFields, WidgetRequiredFields.Email | WidgetRequiredFields.Name);
      assert.equal(topic.tableRight.mask, ETableRight.FULL);
      await assert.rejects(tje0.saveChatTopicEntityAsync({ ...entity }), (e: any) => e.response?.status === 403, 'only administrators create');
    });

    test('saveChatTopicEntityAsync updates a topic the client read, nested lists and zones included', async () => {
      const current = await adm0.getChatTopicEntityAsync(topic.chatTopicId);
      current.name = 'Client topic, renamed';
      current.openingHours.sunEnabled = true;
      current.openingHours.sunStart = mkDuration('10:00');
      current.warnNewChatMinutes = 7;
      const saved = await adm0.saveChatTopicEntityAsync(current);
      assert.equal(saved.chatTopicId, topic.chatTopicId);
      assert.equal(saved.name, 'Client topic, renamed');
      assert.equal(saved.openingHours.sunEnabled, true);
      assert.equal(hours(saved.openingHours.sunStart), 10);
      assert.equal(hours(saved.openingHours.monStart), 7.5);
      assert.equal(saved.warnNewChatMinutes, 7);
      assert.equal(saved.widget.size, ChatWidgetSize.Large);

      // The demo's Support topic carries everything: language, templates, categories, a zone, a FAQ category.
      const support = await adm0.getChatTopicEntityAsync(SUPPORT);
      support.badgeHeader = 'Chat with us (client)';
      const savedSupport = await adm0.saveChatTopicEntityAsync(support);
      assert.equal(savedSupport.badgeHeader, 'Chat with us (client)');
      assert.equal(savedSupport.openingHours.tzLocation.tZLocationCode, 'NO');
      assert.equal(savedSupport.language.id, support.language.id);
      assert.ok(support.language.id > 0);
      assert.ok(support.widget.autoFaqCategory.kbCategoryId > 0);
      assert.equal(savedSupport.widget.autoFaqCategory.kbCategoryId, support.widget.autoFaqCategory.kbCategoryId);
      assert.equal(savedSupport.ticketCategory.id, support.ticketCategory.id);
      assert.equal(savedSupport.alertTemplate.replyTemplateId, support.alertTemplate.replyTemplateId);
      assert.equal(hours(savedSupport.openingHours.lunchStart), 11.5);
    });

    test('createDefaultChatTopicAgentAsync and the topic agent methods', async () => {
      const blank: ChatTopicAgent = await adm0.createDefaultChatTopicAgentAsync();
      assert.deepEqual(
        { ...blank, user: blank.user ?? null },
        {
          topicId: 0,
          user: null,
          canListen: false,
          canRespond: false,
          canManage: false,
          canNotify: false,
        },
      );

      const list = await adm0.getChatTopicUserAgentListAsync(SALES);
      assert.deepEqual(list.map((a) => a.user.userName).sort(), ['ola2', 'tje0']);
      const ola = list.find((a) => a.user.userName === 'ola2')!;
      assert.equal(ola.topicId, SALES);
      assert.equal(ola.canRespond, true);
      assert.equal(ola.user.type, UserType.InternalAssociate);

      const one = await tje0.getChatTopicUserAgentAsync(SALES, 'tje0');
      assert.equal(one.canListen, true);
      assert.equal(one.canRespond, false);
      assert.equal(await adm0.getChatTopicUserAgentAsync(SALES, 'ann1'), null, 'not assigned: null');

      // Add ola2 to the new topic with the Associate the client itself received.
      const added = await adm0.addChatTopicUserAgentAsync(topic.chatTopicId, { ...blank, user: ola.user, canListen: true });
      assert.equal(added.topicId, topic.chatTopicId);
      assert.equal(added.user.userName, 'ola2');
      assert.equal(added.canListen, true);
      assert.equal(added.canRespond, false);

      const updated = await adm0.updateChatTopicUserAgentAsync(topic.chatTopicId, 'ola2', { ...added, canRespond: true, canNotify: true });
      assert.equal(updated.canRespond, true);
      assert.equal(updated.canNotify, true);
      assert.equal(updated.canListen, true);

      const ann = (await adm0.getChatTopicUserAgentListAsync(SUPPORT)).find((a) => a.user.userName === 'ann1')!;
      const all = await adm0.updateChatTopicUserAgentsAsync(topic.chatTopicId, [
        { ...updated, canManage: true },
        { ...blank, user: ann.user, canRespond: true },
      ]);
      assert.deepEqual(all.map((a) => [a.user.userName, a.canManage, a.canRespond]).sort(), [
        ['ann1', false, true],
        ['ola2', true, true],
      ]);
      assert.ok(all.every((a) => a.topicId === topic.chatTopicId));

      // ola2 now manages the topic and may remove ann1 through the client.
      const olaAgent = agentFor('ola2', 'Ola2');
      await olaAgent.deleteChatTopicUserAgentAsync(topic.chatTopicId, 'ann1');
      assert.equal(await adm0.getChatTopicUserAgentAsync(topic.chatTopicId, 'ann1'), null);
      assert.deepEqual(
        (await adm0.getChatTopicUserAgentListAsync(topic.chatTopicId)).map((a) => a.user.userName),
        ['ola2'],
      );
      await assert.rejects(tje0.deleteChatTopicUserAgentAsync(topic.chatTopicId, 'ola2'), (e: any) => e.response?.status === 403);
    });

    test('deleteChatTopicEntityAsync removes the topic', async () => {
      await assert.rejects(agentFor('ola2', 'Ola2').deleteChatTopicEntityAsync(topic.chatTopicId), (e: any) => e.response?.status === 403);
      await adm0.deleteChatTopicEntityAsync(topic.chatTopicId);
      assert.equal(await adm0.getChatTopicEntityAsync(topic.chatTopicId), null);
      assert.ok(!(await adm0.chatTopicsForUserAsync()).some((t) => t.chatTopicId === topic.chatTopicId));
    });

    test('languageCode: the SO-Language the client sends translates multi-language values and resources', async () => {
      const nb = agentFor('tje0', 'Tje0', { languageCode: 'nb' });
      assert.equal((await nb.getChatTopicEntityAsync(SUPPORT)).name, 'Kundestøtte');
      const sv = await tje0.getChatTopicEntityAsync(SUPPORT, { languageCode: 'sv' });
      assert.equal(sv.name, 'Kundtjänst');
      const en = await tje0.getChatTopicEntityAsync(SUPPORT, { languageCode: 'en' });
      assert.equal(en.name, 'Customer support');
      assert.doesNotMatch(en.description, /\[SR_/, 'resource strings are resolved');
      // '' turns translation off (the per-request languageCode sends SO-Language and Accept-Language empty).
      const raw = await tje0.getChatTopicEntityAsync(SUPPORT, { languageCode: '' });
      assert.match(raw.name, /^US:"Customer support";/);
    });

    test('timezone / timezoneInclude: the SO-Timezone values the client sends are understood', async () => {
      const [plain] = await tje0.chatSessionsForUserAsync();
      const instant = plain.whenRequested.getTime();

      // "UTC,includeTZOffset": wall time with a +0000 offset that the client's Date parsing reads exactly.
      const utcInclude = agentFor('tje0', 'Tje0', { timezone: 'UTC', timezoneInclude: true });
      const [u] = await utcInclude.chatSessionsForUserAsync();
      assert.equal(u.whenRequested.getTime(), instant);

      // "includeTZOffset" alone: the server's zone with the offset.
      const [inc] = await tje0.chatSessionsForUserAsync({ timezoneInclude: true });
      assert.equal(inc.whenRequested.getTime(), instant);

      // A zone without includeTZOffset answers wall times without an offset; the client reads them as local time.
      const [ny] = await tje0.chatSessionsForUserAsync({ timezone: 'US-NY' });
      const [nyInclude] = await tje0.chatSessionsForUserAsync({ timezone: 'US-NY', timezoneInclude: true });
      assert.equal(nyInclude.whenRequested.getTime(), instant);
      const wallShift = ny.whenRequested.getTime() - ny.whenRequested.getTimezoneOffset() * 60_000 - instant;
      assert.ok([-4, -5].includes(wallShift / 3_600_000), `New York wall time is UTC-4 or UTC-5, not ${wallShift / 3_600_000}h`);

      let sent: Record<string, unknown> | undefined;
      await tje0.chatSessionsForUserAsync({
        timezone: 'US-NY',
        timezoneInclude: true,
        responseCallback: (r) => {
          sent = r.config.headers as any;
        },
      });
      assert.equal(sent?.['SO-Timezone'], 'US-NY,includeTZOffset');

      // The zone examples of the client's documentation.
      for (const timezone of ['UTC', 'AU-WA', 'FR']) {
        const [z] = await tje0.chatSessionsForUserAsync({ timezone, timezoneInclude: true });
        assert.equal(z.whenRequested.getTime(), instant, timezone);
      }
      await assert.rejects(tje0.chatSessionsForUserAsync({ timezone: 'Mars/Olympus' }), (e: any) => e.response?.status === 400);
    });

    test('wrong credentials reject with an axios error whose response status is 401', async () => {
      const wrong = agentFor('tje0', 'not-the-password');
      await assert.rejects(wrong.chatSessionsForUserAsync(), (e: any) => {
        assert.equal(e.isAxiosError, true);
        assert.equal(e.response.status, 401);
        assert.equal(e.response.headers['www-authenticate'], 'Basic realm="SuperOffice Username or Ticket"');
        assert.equal(e.response.data.ErrorType, 'SoCredentialsException');
        return true;
      });
      await assert.rejects(agentFor('nobody', 'x').getChatTopicEntityAsync(SUPPORT), (e: any) => e.response?.status === 401);
    });
  });
}

describe('coverage of the official client', () => {
  test('every Chat agent method Parley serves was called through @superoffice/webapi', () => {
    const missing = METHODS.filter((m) => !exercised.has(m));
    assert.deepEqual(missing, [], `not exercised: ${missing.join(', ')}`);
    console.log(`official client methods exercised (${METHODS.length}): ${METHODS.join(', ')}`);
  });
});
