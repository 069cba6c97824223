// Chat topic entity methods: ChatTopicsForUser, GetChatTopicEntity, CreateDefaultChatTopicEntity, SaveChatTopicEntity,
// DeleteChatTopicEntity, and the translation of a topic's multi-language and [SR_...] texts.
import assert from 'node:assert/strict';
import { ADM0, basic, call, type TestApp } from './test-app.ts';

export const SVE3 = basic('sve3', 'Sve3');

// The demo's topics, in the order demo-data inserts them into a fresh database.
export const SUPPORT = 1,
  SALES = 2,
  SWEDEN = 3,
  GERMANY = 4,
  BOT_LAB = 5;

export const SUPPORT_NAME = 'US:"Customer support";NO:"Kundestøtte";SE:"Kundtjänst";DE:"Kundensupport"';

export const TOPIC_KEYS = [
  'ChatTopicId',
  'Name',
  'Description',
  'WelcomeMessage',
  'Language',
  'LastAccept',
  'SecondsPrAccept',
  'AlertRecipient',
  'AlertTemplate',
  'CollectConsent',
  'BadgeHeader',
  'CustomQueueTextEnabled',
  'CustomQueueText',
  'WarnNewChatMinutes',
  'WarnManagerNewChatMinutes',
  'TicketEnabled',
  'TicketCategory',
  'TicketPriority',
  'OpeningHoursEnabled',
  'OpeningHours',
  'Widget',
  'BotEnabled',
  'BotSettings',
  'OfflineCollectConsent',
  'WarnChatMessageMinutes',
  'WarnManagerChatMessageMinutes',
  'UseQueueOfflineForm',
  'OfflineFormTimeLimit',
  'OfflineFormQueueLength',
  'WidgetEnableRating',
  'WidgetRatingText',
  'TableRight',
  'FieldProperties',
];

export const OPENING_HOURS_KEYS = [
  'TzLocation',
  ...['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].flatMap((d) => [`${d}Enabled`, `${d}Start`, `${d}Stop`]),
  'UseLunchHours',
  'LunchStart',
  'LunchStop',
];

export const TIME_ZONE_KEYS = ['TZLocationID', 'Name', 'TZLocationCode', 'TZLocationCities', 'IsoNumber', 'TimeZoneSTDRules', 'TimeZoneDSTRules'];

export const WIDGET_KEYS = [
  'AutoFaqEnabled',
  'AutoFaqCategory',
  'PreFormEnabled',
  'PreFormMessage',
  'RequiredFields',
  'PostFormEnabled',
  'PostFormHeader',
  'PostFormMessage',
  'PostTranscriptEnabled',
  'LanguageIsoCode',
  'Size',
  'Theme',
  'Color',
  'BadgeColor',
  'BadgeTextColor',
  'CustMsgColor',
  'CustMsgTextColor',
  'AgentMsgColor',
  'AgentMsgTextColor',
  'ButtonColor',
  'ButtonTextColor',
  'Font',
  'FontSize',
  'LogoEnabled',
  'LogoBlobId',
  'LogoName',
  'ShowAgentPhoto',
  'WelcomeTitle',
  'WelcomeMessage',
  'OfflineHeader',
  'OfflineMessage',
  'OfflineFields',
  'UseAgentFirstname',
];

export const BOT_KEYS = ['BotName', 'BotRegisterScriptId', 'BotSessionCreatedScriptId', 'BotSessionChangedScriptId', 'BotMessageReceivedScriptId'];

export const LIST_ITEM_KEYS = ['Id', 'Value', 'Tooltip', 'TableRight', 'FieldProperties'];

export const OFFSET_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?[+-]\d\d:\d\d$/;

export const topicIds = (res: { json: any }) => res.json.map((t: any) => t.ChatTopicId);

/** A new topic created by the administrator through the API; answers its id. */
export async function createTopic(app: TestApp, fields: Record<string, unknown> = {}) {
  const res = await call(app, 'SaveChatTopicEntity', { auth: ADM0, body: { ChatTopicId: 0, Name: `Topic ${Math.random()}`, ...fields } });
  assert.equal(res.status, 200, res.body);
  return res.json.ChatTopicId as number;
}

export const getTopic = (app: TestApp, auth: string, id: number, headers?: Record<string, string>) =>
  call(app, 'GetChatTopicEntity', { auth, query: `chatTopicEntityId=${id}`, headers });
