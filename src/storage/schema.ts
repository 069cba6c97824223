// Row types: one interface per table, mirroring the migrations column for column.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** ISO text on SQLite, Date from PostgreSQL; written as ISO text on both. */
export type Instant = ColumnType<Date | string, string, string>;
/** A column with a database default: optional on insert. */
export type Defaulted<T> = ColumnType<T, T | undefined, T>;

export interface AssociateTable {
  id: Generated<number>;
  user_name: string;
  full_name: Defaulted<string>;
  password_hash: string | null;
  is_admin: Defaulted<number>;
  present: Defaulted<number>;
  person_id: number | null;
  group_name: Defaulted<string>;
  user_type: Defaulted<number>;
  deleted: Defaulted<number>;
  credentials_changed: Instant;
  oidc_subject: string | null;
}

export interface CredentialTable {
  id: Generated<number>;
  kind: string;
  token_hash: string;
  associate_id: number | null;
  name: Defaulted<string>;
  xsrf_token: string | null;
  created_at: Instant;
  expires_at: Instant | null;
  revoked: Defaulted<number>;
}

export interface ChatTopicTable {
  id: Generated<number>;
  name: string;
  description: Defaulted<string>;
  welcome_message: Defaulted<string>;
  language_id: number | null;
  last_accept: Instant | null;
  seconds_pr_accept: Defaulted<number>;
  alert_recipient: Defaulted<string>;
  alert_template_id: number | null;
  collect_consent: Defaulted<number>;
  badge_header: Defaulted<string>;
  custom_queue_text_enabled: Defaulted<number>;
  custom_queue_text: Defaulted<string>;
  warn_new_chat_minutes: Defaulted<number>;
  warn_manager_new_chat_minutes: Defaulted<number>;
  ticket_enabled: Defaulted<number>;
  ticket_category_id: number | null;
  ticket_priority_id: number | null;
  opening_hours_enabled: Defaulted<number>;
  tz_location: string | null;
  mon_enabled: Defaulted<number>;
  mon_start: Defaulted<number>;
  mon_stop: Defaulted<number>;
  tue_enabled: Defaulted<number>;
  tue_start: Defaulted<number>;
  tue_stop: Defaulted<number>;
  wed_enabled: Defaulted<number>;
  wed_start: Defaulted<number>;
  wed_stop: Defaulted<number>;
  thu_enabled: Defaulted<number>;
  thu_start: Defaulted<number>;
  thu_stop: Defaulted<number>;
  fri_enabled: Defaulted<number>;
  fri_start: Defaulted<number>;
  fri_stop: Defaulted<number>;
  sat_enabled: Defaulted<number>;
  sat_start: Defaulted<number>;
  sat_stop: Defaulted<number>;
  sun_enabled: Defaulted<number>;
  sun_start: Defaulted<number>;
  sun_stop: Defaulted<number>;
  use_lunch_hours: Defaulted<number>;
  lunch_start: Defaulted<number>;
  lunch_stop: Defaulted<number>;
  widget_pre_form_message: Defaulted<string>;
  widget_post_form_header: Defaulted<string>;
  widget_post_form_message: Defaulted<string>;
  widget_language_iso_code: Defaulted<string>;
  widget_color: Defaulted<string>;
  widget_badge_color: Defaulted<string>;
  widget_badge_text_color: Defaulted<string>;
  widget_cust_msg_color: Defaulted<string>;
  widget_cust_msg_text_color: Defaulted<string>;
  widget_agent_msg_color: Defaulted<string>;
  widget_agent_msg_text_color: Defaulted<string>;
  widget_button_color: Defaulted<string>;
  widget_button_text_color: Defaulted<string>;
  widget_font: Defaulted<string>;
  widget_font_size: Defaulted<string>;
  widget_logo_name: Defaulted<string>;
  widget_welcome_title: Defaulted<string>;
  widget_welcome_message: Defaulted<string>;
  widget_offline_header: Defaulted<string>;
  widget_offline_message: Defaulted<string>;
  widget_auto_faq_enabled: Defaulted<number>;
  widget_pre_form_enabled: Defaulted<number>;
  widget_post_form_enabled: Defaulted<number>;
  widget_post_transcript_enabled: Defaulted<number>;
  widget_logo_enabled: Defaulted<number>;
  widget_show_agent_photo: Defaulted<number>;
  widget_use_agent_firstname: Defaulted<number>;
  widget_required_fields: Defaulted<number>;
  widget_size: Defaulted<number>;
  widget_theme: Defaulted<number>;
  widget_logo_blob_id: Defaulted<number>;
  widget_offline_fields: Defaulted<number>;
  widget_auto_faq_category_id: number | null;
  bot_enabled: Defaulted<number>;
  bot_name: Defaulted<string>;
  bot_register_script_id: Defaulted<number>;
  bot_session_created_script_id: Defaulted<number>;
  bot_session_changed_script_id: Defaulted<number>;
  bot_message_received_script_id: Defaulted<number>;
  offline_collect_consent: Defaulted<number>;
  warn_chat_message_minutes: Defaulted<number>;
  warn_manager_chat_message_minutes: Defaulted<number>;
  use_queue_offline_form: Defaulted<number>;
  offline_form_time_limit: Defaulted<number>;
  offline_form_queue_length: Defaulted<number>;
  widget_enable_rating: Defaulted<number>;
  widget_rating_text: Defaulted<string>;
}

export interface ChatTopicAgentTable {
  topic_id: number;
  associate_id: number;
  can_listen: Defaulted<number>;
  can_respond: Defaulted<number>;
  can_manage: Defaulted<number>;
  can_notify: Defaulted<number>;
}

export interface ChatSessionTable {
  id: Generated<number>;
  topic_id: number;
  user_id: number | null;
  person_id: number | null;
  customer_alias: Defaulted<string>;
  customer_host: Defaulted<string>;
  customer_name: Defaulted<string>;
  customer_email: Defaulted<string>;
  customer_phone: Defaulted<string>;
  customer_consented: Defaulted<number>;
  customer_company_name: Defaulted<string>;
  status: Defaulted<number>;
  first_message: Defaulted<string>;
  last_message: Defaulted<string>;
  when_requested: Instant | null;
  when_started: Instant | null;
  when_ended: Instant | null;
  when_idle: Instant | null;
  when_fetched: Instant | null;
  session_key_digest: Defaulted<string>;
  initial_queue_pos: Defaulted<number>;
  alert_level: Defaulted<number>;
  rank: Defaulted<number>;
  flags: Defaulted<number>;
  contact_id: number | null;
  project_id: number | null;
  sale_id: number | null;
  ticket_id: number | null;
  transfer_to_id: number | null;
  chatbot_is_active: Defaulted<number>;
  rating: Defaulted<number>;
  /** Raised by a trigger on every update (migration 023); never written by the app. */
  row_version: Defaulted<number>;
}

export interface ChatMessageTable {
  id: Generated<number>;
  session_id: number;
  type: Defaulted<number>;
  message: Defaulted<string>;
  author: Defaulted<string>;
  read_by_customer: Defaulted<number>;
  special_type: Defaulted<number>;
  special_param: Defaulted<string>;
  when_posted: Instant;
  created_by: number | null;
}

import type { NamedItemTable, ContactTable, PersonTable, ProjectTable, SaleTable, TicketTable } from './crm-schema.ts';
import type {
  DataVersionTable,
  ScopeVersionTable,
  OutboxEventTable,
  WebhookTable,
  MailTable,
  AuditTable,
  OidcFlowTable,
  CannedResponseTable,
  SessionNoteTable,
  VisitorContextTable,
  AttachmentTable,
  TopicAttachmentSettingsTable,
  RoutingSettingsTable,
  RoutingAgentTable,
  RoutingOfferTable,
  RoutingDeclineTable,
  RoutingAgentStateTable,
  ReportFactTable,
  ReportChangeTable,
  ReportChangesPrunedTable,
  ReportDirtyTable,
} from './parley-schema.ts';

export type * from './crm-schema.ts';
export type * from './parley-schema.ts';

export interface Database {
  routing_settings: RoutingSettingsTable;
  routing_agents: RoutingAgentTable;
  routing_offers: RoutingOfferTable;
  routing_declines: RoutingDeclineTable;
  routing_agent_state: RoutingAgentStateTable;
  report_facts: ReportFactTable;
  report_dirty: ReportDirtyTable;
  report_changes: ReportChangeTable;
  report_changes_pruned: ReportChangesPrunedTable;
  attachments: AttachmentTable;
  topic_attachment_settings: TopicAttachmentSettingsTable;
  visitor_context: VisitorContextTable;
  canned_responses: CannedResponseTable;
  session_notes: SessionNoteTable;
  oidc_flows: OidcFlowTable;
  audit_entries: AuditTable;
  data_version: DataVersionTable;
  scope_versions: ScopeVersionTable;
  outbox_events: OutboxEventTable;
  webhooks: WebhookTable;
  mail_outbox: MailTable;
  associates: AssociateTable;
  credentials: CredentialTable;
  customer_languages: NamedItemTable;
  ticket_categories: NamedItemTable;
  ticket_priorities: NamedItemTable;
  reply_templates: NamedItemTable;
  kb_categories: NamedItemTable;
  contacts: ContactTable;
  persons: PersonTable;
  projects: ProjectTable;
  sales: SaleTable;
  tickets: TicketTable;
  chat_topics: ChatTopicTable;
  chat_topic_agents: ChatTopicAgentTable;
  chat_sessions: ChatSessionTable;
  chat_messages: ChatMessageTable;
}

export type AssociateRow = Selectable<AssociateTable>;
export type ChatTopicRow = Selectable<ChatTopicTable>;
export type NewChatTopicRow = Insertable<ChatTopicTable>;
export type ChatTopicUpdate = Updateable<ChatTopicTable>;
export type ChatSessionRow = Selectable<ChatSessionTable>;
export type NewChatSessionRow = Insertable<ChatSessionTable>;
export type ChatMessageRow = Selectable<ChatMessageTable>;
