// ChatTopicEntity: a chat channel with its opening hours, widget, bot and warning settings.
import type { Topic } from '../domain/types.ts';
import type { TopicView } from '../domain/views.ts';
import { Bool, Carrier, DateTime, Int, pick, refId, Str, type WireObject, type WireOf } from './kit.ts';
import {
  CustomerLanguageSchema,
  presentListItem,
  presentReplyTemplate,
  ReplyTemplateSchema,
  TicketCategorySchema,
  TicketPrioritySchema,
} from './list-items.carrier.ts';
import { OpeningHoursSchema, openingHoursFromWire, presentOpeningHours } from './opening-hours.carrier.ts';
import { type FieldDetail, fieldProperties, tableRight } from './rights.carrier.ts';
import { botFromWire, BotSettingsSchema, presentBot, presentWidget, widgetFromWire, WidgetSettingsSchema } from './widget-settings.carrier.ts';

export const ChatTopicSchema = Carrier(
  'ChatTopicEntity',
  {
    ChatTopicId: Int('Primary key'),
    Name: Str(255, 'Name of the chat channel (internal)'),
    Description: Str(255, 'Internal description'),
    WelcomeMessage: Str(4000, 'Sent to the customer when an agent picks the session up (SuperOffice: a Clob; bounded here so no text can grow without limit)'),
    Language: CustomerLanguageSchema,
    LastAccept: DateTime('Last time an agent accepted a session in this topic'),
    SecondsPrAccept: Int('Average seconds per accept'),
    AlertRecipient: Str(255),
    AlertTemplate: ReplyTemplateSchema,
    CollectConsent: Bool('Ask the customer for storage consent'),
    BadgeHeader: Str(255, 'Text on the website chat badge'),
    CustomQueueTextEnabled: Bool(),
    CustomQueueText: Str(255, 'Queue message; {cque} is the position, {cavw} the average wait'),
    WarnNewChatMinutes: Int(),
    WarnManagerNewChatMinutes: Int(),
    TicketEnabled: Bool('Allow request submission in offline mode'),
    TicketCategory: TicketCategorySchema,
    TicketPriority: TicketPrioritySchema,
    OpeningHoursEnabled: Bool(),
    OpeningHours: OpeningHoursSchema,
    Widget: WidgetSettingsSchema,
    BotEnabled: Bool(),
    BotSettings: BotSettingsSchema,
    OfflineCollectConsent: Bool(),
    WarnChatMessageMinutes: Int(),
    WarnManagerChatMessageMinutes: Int(),
    UseQueueOfflineForm: Bool(),
    OfflineFormTimeLimit: Int(),
    OfflineFormQueueLength: Int(),
    WidgetEnableRating: Bool(),
    WidgetRatingText: Str(1024),
  },
  'A chat channel: who is assigned, opening hours, widget look.',
);

const SERVER_OWNED = new Set(['ChatTopicId', 'LastAccept', 'SecondsPrAccept']);

export function presentTopic(v: TopicView, detail: FieldDetail = 'full'): WireObject {
  const t = v.topic;
  return {
    ChatTopicId: t.id,
    Name: t.name,
    Description: t.description,
    WelcomeMessage: t.welcomeMessage,
    Language: presentListItem(v.language),
    LastAccept: t.lastAccept,
    SecondsPrAccept: t.secondsPrAccept,
    AlertRecipient: t.alertRecipient,
    AlertTemplate: presentReplyTemplate(v.alertTemplate),
    CollectConsent: t.collectConsent,
    BadgeHeader: t.badgeHeader,
    CustomQueueTextEnabled: t.customQueueTextEnabled,
    CustomQueueText: t.customQueueText,
    WarnNewChatMinutes: t.warnNewChatMinutes,
    WarnManagerNewChatMinutes: t.warnManagerNewChatMinutes,
    TicketEnabled: t.ticketEnabled,
    TicketCategory: presentListItem(v.ticketCategory),
    TicketPriority: presentListItem(v.ticketPriority),
    OpeningHoursEnabled: t.openingHoursEnabled,
    OpeningHours: presentOpeningHours(t.openingHours),
    Widget: presentWidget(t.widget, v.autoFaqCategory),
    BotEnabled: t.botEnabled,
    BotSettings: presentBot(t.bot),
    OfflineCollectConsent: t.offlineCollectConsent,
    WarnChatMessageMinutes: t.warnChatMessageMinutes,
    WarnManagerChatMessageMinutes: t.warnManagerChatMessageMinutes,
    UseQueueOfflineForm: t.useQueueOfflineForm,
    OfflineFormTimeLimit: t.offlineFormTimeLimit,
    OfflineFormQueueLength: t.offlineFormQueueLength,
    WidgetEnableRating: t.widgetEnableRating,
    WidgetRatingText: t.widgetRatingText,
    TableRight: tableRight(v.tableRight),
    FieldProperties: fieldProperties(ChatTopicSchema, v.tableRight, SERVER_OWNED, detail),
  };
}

/** A decoded ChatTopicEntity body → the topic to save; absent fields take the given defaults. */
export function topicFromWire(w: WireOf<typeof ChatTopicSchema>, base: Topic): Topic {
  const ref = (value: object | null | undefined, fallback: number | null, key?: string) => (value === undefined ? fallback : refId(value, key));
  return {
    id: pick(w.ChatTopicId, base.id),
    name: pick(w.Name, base.name),
    description: pick(w.Description, base.description),
    welcomeMessage: pick(w.WelcomeMessage, base.welcomeMessage),
    languageId: ref(w.Language, base.languageId),
    lastAccept: base.lastAccept,
    secondsPrAccept: base.secondsPrAccept,
    alertRecipient: pick(w.AlertRecipient, base.alertRecipient),
    alertTemplateId: ref(w.AlertTemplate, base.alertTemplateId, 'ReplyTemplateId'),
    collectConsent: pick(w.CollectConsent, base.collectConsent),
    badgeHeader: pick(w.BadgeHeader, base.badgeHeader),
    customQueueTextEnabled: pick(w.CustomQueueTextEnabled, base.customQueueTextEnabled),
    customQueueText: pick(w.CustomQueueText, base.customQueueText),
    warnNewChatMinutes: pick(w.WarnNewChatMinutes, base.warnNewChatMinutes),
    warnManagerNewChatMinutes: pick(w.WarnManagerNewChatMinutes, base.warnManagerNewChatMinutes),
    ticketEnabled: pick(w.TicketEnabled, base.ticketEnabled),
    ticketCategoryId: ref(w.TicketCategory, base.ticketCategoryId),
    ticketPriorityId: ref(w.TicketPriority, base.ticketPriorityId),
    openingHoursEnabled: pick(w.OpeningHoursEnabled, base.openingHoursEnabled),
    openingHours: openingHoursFromWire(w.OpeningHours, base.openingHours),
    widget: widgetFromWire(w.Widget, base.widget),
    botEnabled: pick(w.BotEnabled, base.botEnabled),
    bot: botFromWire(w.BotSettings, base.bot),
    offlineCollectConsent: pick(w.OfflineCollectConsent, base.offlineCollectConsent),
    warnChatMessageMinutes: pick(w.WarnChatMessageMinutes, base.warnChatMessageMinutes),
    warnManagerChatMessageMinutes: pick(w.WarnManagerChatMessageMinutes, base.warnManagerChatMessageMinutes),
    useQueueOfflineForm: pick(w.UseQueueOfflineForm, base.useQueueOfflineForm),
    offlineFormTimeLimit: pick(w.OfflineFormTimeLimit, base.offlineFormTimeLimit),
    offlineFormQueueLength: pick(w.OfflineFormQueueLength, base.offlineFormQueueLength),
    widgetEnableRating: pick(w.WidgetEnableRating, base.widgetEnableRating),
    widgetRatingText: pick(w.WidgetRatingText, base.widgetRatingText),
  };
}
