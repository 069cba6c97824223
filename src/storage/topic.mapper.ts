// Maps chat_topics rows (flat columns) to Topic records (nested opening hours, widget and bot settings) and back.
import type { Topic } from '../domain/types.ts';
import { WEEKDAYS, type Weekday } from '../domain/types.ts';
import { fromDbFlag as flag, fromDbInstant, toDbFlag as bit, toDbInstant } from './dialect.ts';
import type { ChatTopicRow, NewChatTopicRow } from './schema.ts';

/** The column of one weekday's setting: mon_enabled, mon_start, ... sun_stop. */
const dayColumn = <S extends 'enabled' | 'start' | 'stop'>(d: Weekday, setting: S) => `${d.toLowerCase() as Lowercase<Weekday>}_${setting}` as const;

export function topicFromRow(r: ChatTopicRow): Topic {
  return {
    id: r.id, name: r.name, description: r.description, welcomeMessage: r.welcome_message, languageId: r.language_id,
    lastAccept: fromDbInstant(r.last_accept), secondsPrAccept: r.seconds_pr_accept, alertRecipient: r.alert_recipient,
    alertTemplateId: r.alert_template_id, collectConsent: flag(r.collect_consent), badgeHeader: r.badge_header,
    customQueueTextEnabled: flag(r.custom_queue_text_enabled), customQueueText: r.custom_queue_text,
    warnNewChatMinutes: r.warn_new_chat_minutes, warnManagerNewChatMinutes: r.warn_manager_new_chat_minutes,
    ticketEnabled: flag(r.ticket_enabled), ticketCategoryId: r.ticket_category_id, ticketPriorityId: r.ticket_priority_id,
    openingHoursEnabled: flag(r.opening_hours_enabled),
    openingHours: {
      timeZone: r.tz_location,
      days: WEEKDAYS.map((d) => ({
        enabled: flag(r[dayColumn(d, 'enabled')]), start: r[dayColumn(d, 'start')], stop: r[dayColumn(d, 'stop')],
      })),
      useLunchHours: flag(r.use_lunch_hours), lunchStart: r.lunch_start, lunchStop: r.lunch_stop,
    },
    widget: {
      autoFaqEnabled: flag(r.widget_auto_faq_enabled), autoFaqCategoryId: r.widget_auto_faq_category_id,
      preFormEnabled: flag(r.widget_pre_form_enabled), preFormMessage: r.widget_pre_form_message,
      requiredFields: r.widget_required_fields, postFormEnabled: flag(r.widget_post_form_enabled),
      postFormHeader: r.widget_post_form_header, postFormMessage: r.widget_post_form_message,
      postTranscriptEnabled: flag(r.widget_post_transcript_enabled), languageIsoCode: r.widget_language_iso_code,
      size: r.widget_size, theme: r.widget_theme, color: r.widget_color, badgeColor: r.widget_badge_color,
      badgeTextColor: r.widget_badge_text_color, custMsgColor: r.widget_cust_msg_color,
      custMsgTextColor: r.widget_cust_msg_text_color, agentMsgColor: r.widget_agent_msg_color,
      agentMsgTextColor: r.widget_agent_msg_text_color, buttonColor: r.widget_button_color,
      buttonTextColor: r.widget_button_text_color, font: r.widget_font, fontSize: r.widget_font_size,
      logoEnabled: flag(r.widget_logo_enabled), logoBlobId: r.widget_logo_blob_id, logoName: r.widget_logo_name,
      showAgentPhoto: flag(r.widget_show_agent_photo), welcomeTitle: r.widget_welcome_title,
      welcomeMessage: r.widget_welcome_message, offlineHeader: r.widget_offline_header,
      offlineMessage: r.widget_offline_message, offlineFields: r.widget_offline_fields,
      useAgentFirstname: flag(r.widget_use_agent_firstname),
    },
    botEnabled: flag(r.bot_enabled),
    bot: {
      botName: r.bot_name, botRegisterScriptId: r.bot_register_script_id,
      botSessionCreatedScriptId: r.bot_session_created_script_id,
      botSessionChangedScriptId: r.bot_session_changed_script_id,
      botMessageReceivedScriptId: r.bot_message_received_script_id,
    },
    offlineCollectConsent: flag(r.offline_collect_consent), warnChatMessageMinutes: r.warn_chat_message_minutes,
    warnManagerChatMessageMinutes: r.warn_manager_chat_message_minutes,
    useQueueOfflineForm: flag(r.use_queue_offline_form), offlineFormTimeLimit: r.offline_form_time_limit,
    offlineFormQueueLength: r.offline_form_queue_length, widgetEnableRating: flag(r.widget_enable_rating),
    widgetRatingText: r.widget_rating_text,
  };
}

export function topicToRow(t: Omit<Topic, 'id'>): NewChatTopicRow {
  const w = t.widget;
  const row: NewChatTopicRow = {
    name: t.name, description: t.description, welcome_message: t.welcomeMessage, language_id: t.languageId,
    last_accept: toDbInstant(t.lastAccept), seconds_pr_accept: t.secondsPrAccept, alert_recipient: t.alertRecipient,
    alert_template_id: t.alertTemplateId, collect_consent: bit(t.collectConsent), badge_header: t.badgeHeader,
    custom_queue_text_enabled: bit(t.customQueueTextEnabled), custom_queue_text: t.customQueueText,
    warn_new_chat_minutes: t.warnNewChatMinutes, warn_manager_new_chat_minutes: t.warnManagerNewChatMinutes,
    ticket_enabled: bit(t.ticketEnabled), ticket_category_id: t.ticketCategoryId, ticket_priority_id: t.ticketPriorityId,
    opening_hours_enabled: bit(t.openingHoursEnabled), tz_location: t.openingHours.timeZone,
    use_lunch_hours: bit(t.openingHours.useLunchHours), lunch_start: t.openingHours.lunchStart,
    lunch_stop: t.openingHours.lunchStop,
    widget_auto_faq_enabled: bit(w.autoFaqEnabled), widget_auto_faq_category_id: w.autoFaqCategoryId,
    widget_pre_form_enabled: bit(w.preFormEnabled), widget_pre_form_message: w.preFormMessage,
    widget_required_fields: w.requiredFields, widget_post_form_enabled: bit(w.postFormEnabled),
    widget_post_form_header: w.postFormHeader, widget_post_form_message: w.postFormMessage,
    widget_post_transcript_enabled: bit(w.postTranscriptEnabled), widget_language_iso_code: w.languageIsoCode,
    widget_size: w.size, widget_theme: w.theme, widget_color: w.color, widget_badge_color: w.badgeColor,
    widget_badge_text_color: w.badgeTextColor, widget_cust_msg_color: w.custMsgColor,
    widget_cust_msg_text_color: w.custMsgTextColor, widget_agent_msg_color: w.agentMsgColor,
    widget_agent_msg_text_color: w.agentMsgTextColor, widget_button_color: w.buttonColor,
    widget_button_text_color: w.buttonTextColor, widget_font: w.font, widget_font_size: w.fontSize,
    widget_logo_enabled: bit(w.logoEnabled), widget_logo_blob_id: w.logoBlobId, widget_logo_name: w.logoName,
    widget_show_agent_photo: bit(w.showAgentPhoto), widget_welcome_title: w.welcomeTitle,
    widget_welcome_message: w.welcomeMessage, widget_offline_header: w.offlineHeader,
    widget_offline_message: w.offlineMessage, widget_offline_fields: w.offlineFields,
    widget_use_agent_firstname: bit(w.useAgentFirstname),
    bot_enabled: bit(t.botEnabled), bot_name: t.bot.botName, bot_register_script_id: t.bot.botRegisterScriptId,
    bot_session_created_script_id: t.bot.botSessionCreatedScriptId,
    bot_session_changed_script_id: t.bot.botSessionChangedScriptId,
    bot_message_received_script_id: t.bot.botMessageReceivedScriptId,
    offline_collect_consent: bit(t.offlineCollectConsent), warn_chat_message_minutes: t.warnChatMessageMinutes,
    warn_manager_chat_message_minutes: t.warnManagerChatMessageMinutes,
    use_queue_offline_form: bit(t.useQueueOfflineForm), offline_form_time_limit: t.offlineFormTimeLimit,
    offline_form_queue_length: t.offlineFormQueueLength, widget_enable_rating: bit(t.widgetEnableRating),
    widget_rating_text: t.widgetRatingText,
  };
  WEEKDAYS.forEach((d, i) => {
    const h = t.openingHours.days[i];
    row[dayColumn(d, 'enabled')] = bit(h.enabled);
    row[dayColumn(d, 'start')] = h.start;
    row[dayColumn(d, 'stop')] = h.stop;
  });
  return row;
}
