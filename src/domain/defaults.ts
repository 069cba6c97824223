// The pre-filled records CreateDefault* hands out: what a new topic, agent or session starts as.
import { ChatSessionStatus, ChatWidgetSize, WidgetRequiredFields, WidgetTheme } from './enums.ts';
import type { Session, Topic, TopicAgent } from './types.ts';

const hour = (h: number, m = 0) => h * 60 + m;

export function defaultTopic(): Topic {
  return {
    id: 0, name: '', description: '', welcomeMessage: '', languageId: null, lastAccept: null, secondsPrAccept: 0,
    alertRecipient: '', alertTemplateId: null, collectConsent: false, badgeHeader: '', customQueueTextEnabled: false,
    customQueueText: '', warnNewChatMinutes: 0, warnManagerNewChatMinutes: 0, ticketEnabled: false,
    ticketCategoryId: null, ticketPriorityId: null, openingHoursEnabled: false,
    openingHours: {
      timeZone: null,
      // Weekdays 08:00-16:00, weekend closed: what a new channel offers until someone sets its hours.
      days: [0, 1, 2, 3, 4, 5, 6].map((i) => ({ enabled: i < 5, start: hour(8), stop: hour(16) })),
      useLunchHours: false, lunchStart: hour(11, 30), lunchStop: hour(12),
    },
    widget: {
      autoFaqEnabled: false, autoFaqCategoryId: null, preFormEnabled: false, preFormMessage: '',
      requiredFields: WidgetRequiredFields.None, postFormEnabled: false, postFormHeader: '', postFormMessage: '',
      postTranscriptEnabled: false, languageIsoCode: '', size: ChatWidgetSize.Normal, theme: WidgetTheme.Modern,
      color: '#0a5e58', badgeColor: '#0a5e58', badgeTextColor: '#ffffff', custMsgColor: '#e5e5e5',
      custMsgTextColor: '#000000', agentMsgColor: '#0a5e58', agentMsgTextColor: '#ffffff', buttonColor: '#0a5e58',
      buttonTextColor: '#ffffff', font: '', fontSize: '', logoEnabled: false, logoBlobId: 0, logoName: '',
      showAgentPhoto: false, welcomeTitle: '', welcomeMessage: '', offlineHeader: '', offlineMessage: '',
      offlineFields: WidgetRequiredFields.None, useAgentFirstname: false,
    },
    botEnabled: false,
    bot: { botName: '', botRegisterScriptId: 0, botSessionCreatedScriptId: 0, botSessionChangedScriptId: 0, botMessageReceivedScriptId: 0 },
    offlineCollectConsent: false, warnChatMessageMinutes: 0, warnManagerChatMessageMinutes: 0,
    useQueueOfflineForm: false, offlineFormTimeLimit: 0, offlineFormQueueLength: 0, widgetEnableRating: false,
    widgetRatingText: '',
  };
}

export const defaultTopicAgent = (): TopicAgent => ({
  topicId: 0, associateId: 0, canListen: false, canRespond: false, canManage: false, canNotify: false,
});

export function defaultSession(now: Date): Session {
  return {
    id: 0, topicId: 0, userId: null, personId: null, customerAlias: '', customerHost: '', customerName: '',
    customerEmail: '', customerPhone: '', customerConsented: false, customerCompanyName: '',
    status: ChatSessionStatus.InQueue, firstMessage: '', lastMessage: '', whenRequested: now, whenStarted: null,
    whenEnded: null, whenIdle: null, whenFetched: null, sessionKey: '', initialQueuePos: 0, alertLevel: 0, rank: 0,
    flags: 0, contactId: null, projectId: null, saleId: null, ticketId: null, transferToId: null,
    chatbotIsActive: false, rating: 0,
  };
}
