// What the website widget sees: a topic's public face, and the visitor's own session (Parley's visitor API;
// not SuperOffice carriers, so no TableRight/FieldProperties).
import type { Static, TObject } from '@sinclair/typebox';
import { ChatSessionStatus, WidgetRequiredFields } from '../domain/enums.ts';
import type { NamedItem, Topic } from '../domain/types.ts';
import type { VisitorView } from '../domain/visitor/visitor-view.ts';
import { enumName, formatFlags } from '../lib/dotnet-flags.ts';
import { Bool, DateTime, Enum, Flags, Int, Plain, Str, verbatim, type WireObject } from './kit.ts';
import { presentWidget, WidgetSettingsSchema } from './widget-settings.carrier.ts';

export const VisitorTopicSchema = Plain(
  'VisitorTopic',
  {
    ChatTopicId: Int(),
    Name: Str(255),
    BadgeHeader: Str(255),
    WelcomeMessage: Str(),
    IsOpen: Bool('Inside opening hours with an agent present: a new chat reaches the queue'),
    CollectConsent: Bool(),
    OfflineCollectConsent: Bool(),
    TicketEnabled: Bool('The offline form creates a request'),
    RequiredFields: Flags('WidgetRequiredFields', WidgetRequiredFields),
    WidgetEnableRating: Bool(),
    WidgetRatingText: Str(1024),
    Widget: WidgetSettingsSchema,
  },
  'A topic as the widget shows it.',
);

export const VisitorSessionSchema = Plain(
  'VisitorSession',
  {
    ChatSessionId: Int(),
    TopicId: Int(),
    Status: Enum('ChatSessionStatus', ChatSessionStatus),
    QueuePosition: Int('Position in the queue ({cque}); 0 when not queued'),
    AverageWaitSeconds: Int('Average wait before an agent answers ({cavw})'),
    QueueMessage: Str(undefined, "The topic's queue text with {cque} and {cavw} filled in"),
    AgentName: Str(255, 'Who answers; empty while waiting'),
    AgentIsTyping: Bool(),
    CustomerName: Str(255),
    CustomerEmail: Str(255),
    Rating: Int(),
    CanRate: Bool(),
    CanGetTranscript: Bool(),
    OfflineFormAvailable: Bool('The offline form may be shown: the session is at it, or (UseQueueOfflineForm) waited long enough'),
    TicketId: Int('The request the offline form created; 0 when none'),
    WhenRequested: DateTime(),
    WhenStarted: DateTime(),
    WhenEnded: DateTime(),
  },
  "The visitor's own session.",
);

export const OpenedSessionSchema = Plain('OpenedVisitorSession', {
  SessionKey: Str(255, "The visitor's credential for every later call (X-Session-Key header)"),
  Session: VisitorSessionSchema,
});

export const presentVisitorTopic = (t: Topic, isOpen: boolean, faqCategory?: NamedItem): WireObject => ({
  ChatTopicId: t.id,
  Name: t.name,
  BadgeHeader: t.badgeHeader,
  WelcomeMessage: t.widget.welcomeMessage,
  IsOpen: isOpen,
  CollectConsent: t.collectConsent,
  OfflineCollectConsent: t.offlineCollectConsent,
  TicketEnabled: t.ticketEnabled,
  RequiredFields: formatFlags(t.widget.requiredFields, WidgetRequiredFields),
  WidgetEnableRating: t.widgetEnableRating,
  WidgetRatingText: t.widgetRatingText,
  Widget: presentWidget(t.widget, faqCategory),
});

export const presentVisitorSession = (v: VisitorView): WireObject => ({
  ChatSessionId: v.session.id,
  TopicId: v.session.topicId,
  Status: enumName(v.session.status, ChatSessionStatus),
  QueuePosition: v.queuePosition,
  AverageWaitSeconds: v.averageWaitSeconds,
  QueueMessage: v.queueMessage,
  AgentName: verbatim(v.agentName),
  AgentIsTyping: v.agentIsTyping,
  CustomerName: verbatim(v.session.customerName),
  CustomerEmail: verbatim(v.session.customerEmail),
  Rating: v.session.rating,
  CanRate: v.canRate,
  CanGetTranscript: v.canGetTranscript,
  OfflineFormAvailable: v.offlineFormAvailable,
  TicketId: v.session.ticketId ?? 0,
  WhenRequested: v.session.whenRequested,
  WhenStarted: v.session.whenStarted,
  WhenEnded: v.session.whenEnded,
});

export const CustomerDetailsProps = {
  CustomerName: Str(255),
  CustomerEmail: Str(255),
  CustomerPhone: Str(32),
  CustomerCompanyName: Str(255),
  CustomerAlias: Str(64),
  CountryId: Int(),
};

/** The customer's details a visitor body gave (each optional, as CustomerDetailsProps are in every body). */
export const detailsFromWire = (b: Partial<Static<TObject<typeof CustomerDetailsProps>>>) => ({
  customerName: b.CustomerName,
  customerEmail: b.CustomerEmail,
  customerPhone: b.CustomerPhone,
  customerCompanyName: b.CustomerCompanyName,
  customerAlias: b.CustomerAlias,
  countryId: b.CountryId,
});
