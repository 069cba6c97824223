// What the domain needs from storage; storage/ implements it, the domain never sees SQL.
import type { AuditRepository } from './audit.ts';
import type { CustomerDataRepository } from './privacy/customer-data.ts';
import type { RoutingObserver, RoutingRepository, RoutingSettingsRepository } from './routing/routing.ts';
import type { ReportRepository } from './reports/facts.ts';
import type { Role } from './rights.ts';
import type {
  Associate,
  Attachment,
  AttachmentSettings,
  CannedResponse,
  Contact,
  Message,
  NamedItem,
  Person,
  Project,
  Sale,
  Session,
  SessionNote,
  Ticket,
  Topic,
  TopicAgent,
  VisitorContext,
} from './types.ts';

export type NamedItemKind = 'customer_languages' | 'ticket_categories' | 'ticket_priorities' | 'reply_templates' | 'kb_categories';

export interface AssociateRepository {
  byIds(ids: readonly number[]): Promise<Associate[]>;
  byId(id: number): Promise<Associate | undefined>;
  byUserName(userName: string): Promise<Associate | undefined>;
  list(): Promise<Associate[]>;
  setPresent(id: number, present: boolean): Promise<void>;
  /** Per associate id: the sessions the user owns in status CustomerLast or UserLast (users with none are absent). */
  ongoingChatCounts(): Promise<Map<number, number>>;
}

export interface TopicRepository {
  byId(id: number): Promise<Topic | undefined>;
  forMember(associateId: number): Promise<Topic[]>;
  insert(topic: Omit<Topic, 'id'>): Promise<number>;
  update(topic: Topic): Promise<void>;
  remove(id: number): Promise<boolean>;
  /** Serialises writers of one topic's queue until the transaction ends (no-op where writes are serial anyway). */
  lockQueue(id: number): Promise<void>;
  /** Accept statistics: LastAccept, and SecondsPrAccept as a running average of queue waits. */
  recordAccept(id: number, at: Date, waitSeconds: number): Promise<void>;
}

export interface TopicAgentRepository {
  forTopic(topicId: number): Promise<TopicAgent[]>;
  get(topicId: number, associateId: number): Promise<TopicAgent | undefined>;
  forAssociate(associateId: number): Promise<TopicAgent[]>;
  /** The role rows that make a membership (any of the four roles) of these users, or of every user when omitted. */
  memberships(associateIds?: readonly number[]): Promise<TopicAgent[]>;
  upsert(agent: TopicAgent): Promise<void>;
  remove(topicId: number, associateId: number): Promise<boolean>;
  /** Agents of the topic who can respond and are present now. */
  presentResponders(topicId: number): Promise<number>;
}

/** Conditions a compare-and-set update holds on to: the row changes only if it still looks like this. */
export interface SessionGuard {
  status?: number;
  userId?: number | null;
  transferToId?: number | null;
}

/** A session's row version (raised by every update of the row: migration 023), with the caller's role on its topic. */
export interface SessionVersion {
  id: number;
  topicId: number;
  version: number;
  role: Role;
}

export interface SessionRepository {
  byId(id: number): Promise<Session | undefined>;
  /** Locks the row until the transaction ends (PostgreSQL); SQLite writes one transaction at a time anyway. */
  byIdForUpdate(id: number): Promise<Session | undefined>;
  /** Sessions of topics where the associate holds any role; not Deleted, and not ended before `endedAfter`. */
  forMember(associateId: number, endedAfter: Date | null): Promise<Session[]>;
  /**
   * forMember's sessions as (id, topic, row version, the associate's role there), with the shared records' counter
   * read in the same statement: a session's presented form changes only when one of these does.
   */
  memberVersions(associateId: number, endedAfter: Date | null): Promise<{ shared: number; sessions: SessionVersion[] }>;
  /** These sessions with their row versions, in id order; ids with no row are left out. */
  versionedByIds(ids: readonly number[]): Promise<Array<{ session: Session; version: number }>>;
  insert(session: Omit<Session, 'id'>): Promise<number>;
  /** Writes the session; with a guard, only if the stored row still matches it. True when a row changed. */
  update(session: Session, guard?: SessionGuard): Promise<boolean>;
  remove(id: number): Promise<boolean>;
  /** Queued sessions of the topic that wait for people (a session a bot is handling does not). */
  countInQueue(topicId: number): Promise<number>;
  /** The oldest queued session (not bot-owned) in these topics, locked for this transaction; skips rows others hold. */
  claimFirstQueued(topicIds: readonly number[]): Promise<Session | undefined>;
  /** Ranks the agent's active sessions hold now. */
  activeRanks(userId: number): Promise<number[]>;
  /** Sessions in one of `statuses` whose `field` is older than `before` (oldest first, at most `limit`). */
  staleSince(statuses: readonly number[], field: 'whenFetched' | 'whenIdle' | 'whenEnded', before: Date, limit: number): Promise<Session[]>;
  /**
   * Sessions that may be due an alert: in `status` (InQueue: warned by wait since WhenRequested; CustomerLast: by
   * WhenIdle) since before `before`, in a topic that warns about it, below the highest level that topic raises, not
   * in a bot's hands. Oldest first, at most `limit`.
   */
  alertCandidates(status: number, before: Date, limit: number): Promise<Session[]>;
  /** The session a visitor's key opens. */
  byKey(sessionKey: string): Promise<Session | undefined>;
  /** As byKey, locking the row until the transaction ends (one statement: a visitor's every write starts here). */
  byKeyForUpdate(sessionKey: string): Promise<Session | undefined>;
  /** 1 + the queued sessions of the topic requested before this one (those a bot is handling left out). */
  queuePosition(session: Session): Promise<number>;
}

/** A change recorded in the same transaction as the data it describes; published after commit. */
import type { OutboxEvent } from './events.ts';
export type { OutboxEvent };

export interface EventRepository {
  append(event: OutboxEvent): Promise<number>;
  removeOlderThan(cutoff: Date): Promise<number>;
}

export interface MessageRepository {
  forSession(sessionId: number, afterId: number): Promise<Message[]>;
  insert(message: Omit<Message, 'id'>): Promise<number>;
  /** Marks the session's messages with afterId < id <= upToId read by the customer; the number changed. */
  markReadByCustomer(sessionId: number, afterId: number, upToId: number): Promise<number>;
}

export interface CannedResponseRepository {
  byId(id: number): Promise<CannedResponse | undefined>;
  /** The owner's personal replies and those of these topics, by shortcut. */
  visible(associateId: number, topicIds: readonly number[]): Promise<CannedResponse[]>;
  /** The reply of this scope with this shortcut (without regard to case), if any. */
  byShortcut(scope: { topicId: number; associateId: number }, shortcut: string): Promise<CannedResponse | undefined>;
  insert(reply: Omit<CannedResponse, 'id'>): Promise<number>;
  update(reply: CannedResponse): Promise<void>;
  remove(id: number): Promise<boolean>;
}

export interface NoteRepository {
  forSession(sessionId: number): Promise<SessionNote[]>;
  insert(note: Omit<SessionNote, 'id'>): Promise<number>;
}

export interface VisitorContextRepository {
  save(sessionId: number, context: VisitorContext): Promise<void>;
  get(sessionId: number): Promise<VisitorContext | undefined>;
  /** Other sessions with this customer e-mail address (without regard to case), newest first. */
  earlierChats(email: string, exceptSessionId: number, limit: number): Promise<Session[]>;
}

/** Where files' bytes live: the database by default; a directory or an S3-compatible store could take its place. */
export interface AttachmentStore {
  put(meta: Omit<Attachment, 'id'>, content: Uint8Array): Promise<number>;
  byId(id: number): Promise<Attachment | undefined>;
  forSession(sessionId: number): Promise<Attachment[]>;
  content(id: number): Promise<Uint8Array | undefined>;
  /** A topic's limits; undefined: the defaults. */
  settings(topicId: number): Promise<Omit<AttachmentSettings, 'topicId'> | undefined>;
  saveSettings(settings: AttachmentSettings): Promise<void>;
}

export interface CrmRepository {
  persons(ids: readonly number[]): Promise<Person[]>;
  contacts(ids: readonly number[]): Promise<Contact[]>;
  projects(ids: readonly number[]): Promise<Project[]>;
  sales(ids: readonly number[]): Promise<Sale[]>;
  tickets(ids: readonly number[]): Promise<Ticket[]>;
  namedItems(kind: NamedItemKind, ids: readonly number[]): Promise<NamedItem[]>;
  /** The person with this e-mail address, when exactly one has it. */
  personByEmail(email: string): Promise<Person | undefined>;
  insertTicket(ticket: Omit<Ticket, 'id'>): Promise<number>;
}

export interface ChatStore {
  /**
   * Runs `work` only where no other process runs work of that name now (PostgreSQL advisory lock; SQLite has one
   * process); false when someone else holds it.
   */
  exclusively(name: string, work: (store: ChatStore) => Promise<void>): Promise<boolean>;
  associates: AssociateRepository;
  topics: TopicRepository;
  topicAgents: TopicAgentRepository;
  sessions: SessionRepository;
  messages: MessageRepository;
  crm: CrmRepository;
  cannedResponses: CannedResponseRepository;
  notes: NoteRepository;
  visitorContext: VisitorContextRepository;
  attachments: AttachmentStore;
  /** Automatic routing: each topic's settings, and the offers, loads and queue routing works with (domain/routing). */
  routingSettings: RoutingSettingsRepository;
  routing: RoutingRepository;
  events: EventRepository;
  /** A customer's data across every table, for personal-data requests (domain/privacy). */
  customers: CustomerDataRepository;
  /** The audit trail (domain/audit.ts): written in the transaction of the change. */
  audit: AuditRepository;
  /** The facts reports are computed from (domain/reports). */
  reports: ReportRepository;
  /** Runs `work` in one short transaction; the store handed to it writes inside that transaction. */
  transaction<T>(work: (store: ChatStore) => Promise<T>): Promise<T>;
}

/** E-mail the domain asks for; src/mail renders and queues it in the caller's transaction. */
export interface Mailer {
  /** Queues the session's transcript to `to`; false when one was queued for this session already. */
  queueTranscript(store: ChatStore, session: Session, to: string, now: Date): Promise<boolean>;
}

export interface Clock {
  now(): Date;
}
export interface KeyGenerator {
  sessionKey(): string;
}

/** Where the domain notes what operators may need to trace later (pino in the app). */
export interface DomainLog {
  info(obj: object, msg: string): void;
}

export interface DomainDeps {
  store: ChatStore;
  clock: Clock;
  keys: KeyGenerator;
  /** ChatSessionsForUser leaves out sessions that ended longer ago than this; 0 keeps them all. */
  recentSessionHours: number;
  /** IANA zone for rules that need one when a topic names none (opening hours). */
  defaultTimeZone: string;
  log: DomainLog;
  /** Absent when e-mail is off (no PARLEY_SMTP_URL). */
  mailer?: Mailer;
  /** The largest file a topic takes unless its own limit is lower (PARLEY_ATTACHMENT_MAX_BYTES). */
  attachmentMaxBytes: number;
  /** Told of assignments and ended offers after they commit (the app's metrics); absent in tools and tests. */
  routingObserver?: RoutingObserver;
}
