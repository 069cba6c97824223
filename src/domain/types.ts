// The chat domain's records: plain data, instants as Date (UTC), references as ids, enums as numbers.

export interface Associate {
  id: number;
  userName: string;
  fullName: string;
  isAdmin: boolean;
  present: boolean;
  personId: number | null;
  groupName: string;
  deleted: boolean;
  userType: number;
}

export interface DayHours {
  enabled: boolean;
  start: number;
  stop: number;
} // minutes since local midnight

export interface OpeningHours {
  timeZone: string | null; // SuperOffice location code or IANA name
  days: DayHours[]; // Monday first, seven entries
  useLunchHours: boolean;
  lunchStart: number;
  lunchStop: number;
}

export interface WidgetSettings {
  autoFaqEnabled: boolean;
  autoFaqCategoryId: number | null;
  preFormEnabled: boolean;
  preFormMessage: string;
  requiredFields: number;
  postFormEnabled: boolean;
  postFormHeader: string;
  postFormMessage: string;
  postTranscriptEnabled: boolean;
  languageIsoCode: string;
  size: number;
  theme: number;
  color: string;
  badgeColor: string;
  badgeTextColor: string;
  custMsgColor: string;
  custMsgTextColor: string;
  agentMsgColor: string;
  agentMsgTextColor: string;
  buttonColor: string;
  buttonTextColor: string;
  font: string;
  fontSize: string;
  logoEnabled: boolean;
  logoBlobId: number;
  logoName: string;
  showAgentPhoto: boolean;
  welcomeTitle: string;
  welcomeMessage: string;
  offlineHeader: string;
  offlineMessage: string;
  offlineFields: number;
  useAgentFirstname: boolean;
}

export interface BotSettings {
  botName: string;
  botRegisterScriptId: number;
  botSessionCreatedScriptId: number;
  botSessionChangedScriptId: number;
  botMessageReceivedScriptId: number;
}

export interface Topic {
  id: number;
  name: string;
  description: string;
  welcomeMessage: string;
  languageId: number | null;
  lastAccept: Date | null;
  secondsPrAccept: number;
  alertRecipient: string;
  alertTemplateId: number | null;
  collectConsent: boolean;
  badgeHeader: string;
  customQueueTextEnabled: boolean;
  customQueueText: string;
  warnNewChatMinutes: number;
  warnManagerNewChatMinutes: number;
  ticketEnabled: boolean;
  ticketCategoryId: number | null;
  ticketPriorityId: number | null;
  openingHoursEnabled: boolean;
  openingHours: OpeningHours;
  widget: WidgetSettings;
  botEnabled: boolean;
  bot: BotSettings;
  offlineCollectConsent: boolean;
  warnChatMessageMinutes: number;
  warnManagerChatMessageMinutes: number;
  useQueueOfflineForm: boolean;
  offlineFormTimeLimit: number;
  offlineFormQueueLength: number;
  widgetEnableRating: boolean;
  widgetRatingText: string;
}

export interface TopicAgent {
  topicId: number;
  associateId: number;
  canListen: boolean;
  canRespond: boolean;
  canManage: boolean;
  canNotify: boolean;
}

export interface Session {
  id: number;
  topicId: number;
  userId: number | null;
  personId: number | null;
  customerAlias: string;
  customerHost: string;
  customerName: string;
  customerEmail: string;
  customerPhone: string;
  customerConsented: boolean;
  customerCompanyName: string;
  status: number;
  firstMessage: string;
  lastMessage: string;
  whenRequested: Date | null;
  whenStarted: Date | null;
  whenEnded: Date | null;
  whenIdle: Date | null;
  whenFetched: Date | null;
  sessionKey: string;
  initialQueuePos: number;
  alertLevel: number;
  rank: number;
  flags: number;
  contactId: number | null;
  projectId: number | null;
  saleId: number | null;
  ticketId: number | null;
  transferToId: number | null;
  chatbotIsActive: boolean;
  rating: number;
}

export interface Message {
  id: number;
  sessionId: number;
  type: number;
  message: string;
  author: string;
  readByCustomer: number;
  specialType: number;
  specialParam: string;
  whenPosted: Date;
  createdBy: number | null;
}

/** CRM records that sessions and topics link to; Parley keeps the fields their nested carriers show. */
export interface Person {
  id: number;
  firstname: string;
  middleName: string;
  lastname: string;
  title: string;
  email: string;
  mobilePhone: string;
  directPhone: string;
  contactId: number | null;
  associateId: number | null;
}
export interface Contact {
  id: number;
  name: string;
  department: string;
  orgNr: string;
  url: string;
  city: string;
  directPhone: string;
  emailAddress: string;
  associateId: number | null;
  countryId: number;
  address1: string;
  zipcode: string;
}
export interface Project {
  id: number;
  name: string;
  description: string;
  projectNumber: string;
  typeName: string;
  statusName: string;
  associateId: number | null;
  updated: Date | null;
}
export interface Sale {
  id: number;
  title: string;
  description: string;
  amount: number;
  currency: string;
  probability: number;
  status: number;
  saleDate: Date | null;
  contactId: number | null;
  personId: number | null;
  projectId: number | null;
  associateId: number | null;
  number: string;
}
export interface Ticket {
  id: number;
  title: string;
  createdAt: Date;
  lastChanged: Date;
  baseStatus: number;
  origin: number;
  categoryId: number | null;
  priorityId: number | null;
  personId: number | null;
  ownedBy: number | null;
  createdBy: number | null;
  author: string;
  fromAddress: string;
}
/** CustomerLanguage, TicketCategory, TicketPriority, ReplyTemplate and KbCategory all reduce to this. */
export interface NamedItem {
  id: number;
  name: string;
  description: string;
}

export type Weekday = 'Mon' | 'Tue' | 'Wed' | 'Thu' | 'Fri' | 'Sat' | 'Sun';
export const WEEKDAYS: readonly Weekday[] = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** A quick reply: a topic's (`topicId`, kept by its managers) or an agent's own (`associateId`); the other is 0. */
export interface CannedResponse {
  id: number;
  /** Letters, digits and `-`; unique per scope without regard to case; typed after `/` in the composer. */
  shortcut: string;
  title: string;
  /** May be a multi-language value and hold placeholders ({customer.name}, {customer.email}, {agent.name}, {topic.name}). */
  text: string;
  topicId: number;
  associateId: number;
  whenUpdated: Date;
}

/** An internal note on a session: agents only, never the customer; `mentions` are the users it notified. */
export interface SessionNote {
  id: number;
  sessionId: number;
  authorId: number | null;
  authorName: string;
  text: string;
  mentions: number[];
  whenPosted: Date;
}

/** Where the visitor was when the chat began, as the widget and the browser told it. */
export interface VisitorContext {
  pageUrl: string;
  pageTitle: string;
  referrer: string;
  language: string;
  userAgent: string;
}

/** A file sent in a chat; its bytes are kept by the attachment store. */
export interface Attachment {
  id: number;
  sessionId: number;
  name: string;
  contentType: string;
  size: number;
  uploadedBy: number | null;
  createdAt: Date;
}

/** A topic's limits on files: the kinds allowed (image, pdf, text, office), the largest size, visitors' files. */
export interface AttachmentSettings {
  topicId: number;
  allowedKinds: string[];
  maxBytes: number;
  visitorsMayUpload: boolean;
}
