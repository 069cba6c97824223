// What the domain needs from storage; storage/ implements it, the domain never sees SQL.
import type {
  Associate, Contact, Message, NamedItem, Person, Project, Sale, Session, Ticket, Topic, TopicAgent,
} from './types.ts';

export type NamedItemKind = 'customer_languages' | 'ticket_categories' | 'ticket_priorities' | 'reply_templates' | 'kb_categories';

export interface AssociateRepository {
  byIds(ids: readonly number[]): Promise<Associate[]>;
  byId(id: number): Promise<Associate | undefined>;
  byUserName(userName: string): Promise<Associate | undefined>;
  list(): Promise<Associate[]>;
}

export interface TopicRepository {
  byId(id: number): Promise<Topic | undefined>;
  forMember(associateId: number): Promise<Topic[]>;
  insert(topic: Omit<Topic, 'id'>): Promise<number>;
  update(topic: Topic): Promise<void>;
  remove(id: number): Promise<boolean>;
  /** Serialises writers of one topic's queue until the transaction ends (no-op where writes are serial anyway). */
  lockQueue(id: number): Promise<void>;
}

export interface TopicAgentRepository {
  forTopic(topicId: number): Promise<TopicAgent[]>;
  get(topicId: number, associateId: number): Promise<TopicAgent | undefined>;
  forAssociate(associateId: number): Promise<TopicAgent[]>;
  upsert(agent: TopicAgent): Promise<void>;
  remove(topicId: number, associateId: number): Promise<boolean>;
}

export interface SessionRepository {
  byId(id: number): Promise<Session | undefined>;
  /** Sessions of topics where the associate holds any role; not Deleted, and not ended before `endedAfter`. */
  forMember(associateId: number, endedAfter: Date | null): Promise<Session[]>;
  insert(session: Omit<Session, 'id'>): Promise<number>;
  update(session: Session): Promise<void>;
  remove(id: number): Promise<boolean>;
  countInQueue(topicId: number): Promise<number>;
}

export interface MessageRepository {
  forSession(sessionId: number, afterId: number): Promise<Message[]>;
  insert(message: Omit<Message, 'id'>): Promise<number>;
}

export interface CrmRepository {
  persons(ids: readonly number[]): Promise<Person[]>;
  contacts(ids: readonly number[]): Promise<Contact[]>;
  projects(ids: readonly number[]): Promise<Project[]>;
  sales(ids: readonly number[]): Promise<Sale[]>;
  tickets(ids: readonly number[]): Promise<Ticket[]>;
  namedItems(kind: NamedItemKind, ids: readonly number[]): Promise<NamedItem[]>;
}

export interface ChatStore {
  associates: AssociateRepository;
  topics: TopicRepository;
  topicAgents: TopicAgentRepository;
  sessions: SessionRepository;
  messages: MessageRepository;
  crm: CrmRepository;
  /** Runs `work` in one short transaction; the store handed to it writes inside that transaction. */
  transaction<T>(work: (store: ChatStore) => Promise<T>): Promise<T>;
}

export interface Clock { now(): Date }
export interface KeyGenerator { sessionKey(): string }

export interface DomainDeps {
  store: ChatStore;
  clock: Clock;
  keys: KeyGenerator;
  /** ChatSessionsForUser leaves out sessions that ended longer ago than this; 0 keeps them all. */
  recentSessionHours: number;
  /** IANA zone for rules that need one when a topic names none (opening hours). */
  defaultTimeZone: string;
}
