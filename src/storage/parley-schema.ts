// Parley's own tables (beside the SuperOffice-shaped ones in schema.ts): the change counter, the event outbox,
// webhooks, mail, the audit trail, sign-on flows, the agent's workspace, files and routing. Row types mirror the
// tables exactly, as in schema.ts, which maps every table in its Database interface.
import type { Generated } from 'kysely';
import type { Defaulted, Instant } from './schema.ts';

export interface DataVersionTable {
  id: number;
  version: number;
}

/** Change counters per scope (migration 021): kind 0 shared, 1 a topic, 2 a user; several slots per scope. */
export interface ScopeVersionTable {
  kind: number;
  scope_id: number;
  slot: number;
  version: number;
}

export interface OutboxEventTable {
  id: Generated<number>;
  type: string;
  topic_id: number | null;
  session_id: number | null;
  associate_id: number | null;
  payload: string;
  created_at: Instant;
}

export interface WebhookTable {
  id: Generated<number>;
  name: string;
  target_url: string;
  secret: string;
  events: string;
  active: Defaulted<number>;
  delivered_up_to: Defaulted<number>;
  failures: Defaulted<number>;
  next_attempt_at: Instant | null;
  last_error: string | null;
  created_at: Instant;
}

export interface MailTable {
  id: Generated<number>;
  kind: string;
  session_id: number | null;
  topic_id: number | null;
  recipient_name: string;
  recipient_address: string;
  subject: string;
  body: string;
  state: Defaulted<string>;
  attempts: Defaulted<number>;
  next_attempt_at: Instant;
  claimed_until: Instant | null;
  last_error: string | null;
  created_at: Instant;
  sent_at: Instant | null;
}

export interface AuditTable {
  id: Generated<number>;
  at: Instant;
  actor_id: number | null;
  actor_name: string;
  address: string;
  kind: string;
  subject: string;
  before_values: string | null;
  after_values: string | null;
}

export interface OidcFlowTable {
  id_digest: string;
  state: string;
  nonce: string;
  code_verifier: string;
  redirect_uri: string;
  expires_at: Instant;
}

export interface CannedResponseTable {
  id: Generated<number>;
  shortcut: string;
  title: string;
  text: string;
  topic_id: number | null;
  associate_id: number | null;
  when_updated: Instant;
}

export interface SessionNoteTable {
  id: Generated<number>;
  session_id: number;
  author_id: number | null;
  author_name: string;
  text: string;
  mentions: Defaulted<string>;
  when_posted: Instant;
}

export interface VisitorContextTable {
  session_id: number;
  page_url: Defaulted<string>;
  page_title: Defaulted<string>;
  referrer: Defaulted<string>;
  language: Defaulted<string>;
  user_agent: Defaulted<string>;
}

export interface AttachmentTable {
  id: Generated<number>;
  session_id: number;
  name: string;
  content_type: string;
  size: number;
  content: Buffer;
  uploaded_by: number | null;
  created_at: Instant;
}

export interface TopicAttachmentSettingsTable {
  topic_id: number;
  allowed_kinds: string;
  max_bytes: number;
  visitors_may_upload: number;
}

export interface RoutingSettingsTable {
  topic_id: number;
  mode: Defaulted<string>;
  delivery: Defaulted<string>;
  offer_seconds: Defaulted<number>;
  away_after_missed: Defaulted<number>;
  default_capacity: Defaulted<number>;
  pick_up_over_capacity: Defaulted<number>;
  return_chats_when_away: Defaulted<number>;
}

export interface RoutingAgentTable {
  topic_id: number;
  associate_id: number;
  capacity: number | null;
  priority: Defaulted<number>;
}

export interface RoutingOfferTable {
  session_id: number;
  associate_id: number;
  topic_id: number;
  offered_at: Instant;
  expires_at: Instant;
}

export interface RoutingDeclineTable {
  session_id: number;
  associate_id: number;
  outcome: Defaulted<string>;
  at: Instant;
}

export interface RoutingAgentStateTable {
  associate_id: number;
  last_assigned_at: Instant | null;
  missed_in_row: Defaulted<number>;
}

/** One session's facts as reports count them (migration 022): instants and durations in milliseconds, flags 0/1. */
export interface ReportFactTable {
  session_id: number;
  topic_id: number;
  agent_id: number | null;
  requested_ms: number;
  answered: number;
  missed: number;
  offline_request: number;
  bot_only: number;
  transfers: number;
  wait_ms: number | null;
  first_response_ms: number | null;
  handling_ms: number | null;
  rating: number;
}

/** Sessions whose report facts may be stale, appended by triggers on the sessions, messages and missed offers. */
export interface ReportDirtyTable {
  id: Generated<number>;
  session_id: number;
}

/** Which sessions' facts rows the refresher wrote or removed, in commit order (migration 024). */
export interface ReportChangeTable {
  seq: Generated<number>;
  session_id: number;
}

/** One row: the log's entries up to `through` were pruned. */
export interface ReportChangesPrunedTable {
  through: number;
}
