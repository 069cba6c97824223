// Read models: a record together with the linked records and the caller's rights its carrier shows.
// Linked records are fetched with one query per kind for a whole list, never one per row.
import type { DomainDeps, NamedItemKind } from './ports.ts';
import { ETableRight } from './enums.ts';
import { type Actor, type Role, sessionTableRight, topicTableRight } from './rights.ts';
import type { Associate, Contact, NamedItem, Person, Project, Sale, Session, Ticket, Topic, TopicAgent } from './types.ts';

export interface SessionView {
  session: Session;
  tableRight: number;
  user?: Associate;
  transferTo?: Associate;
  person?: Person;
  contact?: Contact;
  project?: Project;
  sale?: Sale;
  ticket?: Ticket;
}
export interface TopicView {
  topic: Topic;
  tableRight: number;
  language?: NamedItem;
  alertTemplate?: NamedItem;
  ticketCategory?: NamedItem;
  ticketPriority?: NamedItem;
  autoFaqCategory?: NamedItem;
}
export interface TopicAgentView {
  agent: TopicAgent;
  user?: Associate;
}

const ids = (values: Array<number | null | undefined>) => [...new Set(values.filter((v): v is number => typeof v === 'number' && v > 0))];
const byId = <T extends { id: number }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]));

export async function rolesOf(deps: DomainDeps, actor: Actor): Promise<Map<number, Role>> {
  const agents = await deps.store.topicAgents.forAssociate(actor.id);
  return new Map(agents.map((a) => [a.topicId, a]));
}

/** Right on a session not yet saved: whoever may create one in some topic may fill it in. */
export async function newSessionTableRight(deps: DomainDeps, actor: Actor): Promise<number> {
  if (actor.isAdmin) return ETableRight.FULL;
  const roles = [...(await rolesOf(deps, actor)).values()];
  return roles.some((r) => r.canRespond || r.canManage) ? ETableRight.URI : ETableRight.Select;
}

/** Right on a topic not yet saved: only administrators create topics. */
export const newTopicTableRight = (actor: Actor) => (actor.isAdmin ? ETableRight.FULL : ETableRight.Select);

export async function sessionViews(deps: DomainDeps, actor: Actor, sessions: Session[], roles?: Map<number, Role>): Promise<SessionView[]> {
  if (sessions.length === 0) return [];
  const { store } = deps;
  const [myRoles, associates, persons, contacts, projects, sales, tickets] = await Promise.all([
    roles ?? rolesOf(deps, actor),
    store.associates.byIds(ids(sessions.flatMap((s) => [s.userId, s.transferToId]))).then(byId),
    store.crm.persons(ids(sessions.map((s) => s.personId))).then(byId),
    store.crm.contacts(ids(sessions.map((s) => s.contactId))).then(byId),
    store.crm.projects(ids(sessions.map((s) => s.projectId))).then(byId),
    store.crm.sales(ids(sessions.map((s) => s.saleId))).then(byId),
    store.crm.tickets(ids(sessions.map((s) => s.ticketId))).then(byId),
  ]);
  const get = <T>(m: Map<number, T>, id: number | null) => (id === null ? undefined : m.get(id));
  return sessions.map((s) => ({
    session: s,
    tableRight: sessionTableRight(actor, myRoles.get(s.topicId)),
    user: get(associates, s.userId),
    transferTo: get(associates, s.transferToId),
    person: get(persons, s.personId),
    contact: get(contacts, s.contactId),
    project: get(projects, s.projectId),
    sale: get(sales, s.saleId),
    ticket: get(tickets, s.ticketId),
  }));
}

export async function topicViews(deps: DomainDeps, actor: Actor, topics: Topic[], roles?: Map<number, Role>): Promise<TopicView[]> {
  if (topics.length === 0) return [];
  const named = (kind: NamedItemKind, pick: (t: Topic) => number | null) => deps.store.crm.namedItems(kind, ids(topics.map(pick))).then(byId);
  const [myRoles, languages, templates, categories, priorities, kbCategories] = await Promise.all([
    roles ?? rolesOf(deps, actor),
    named('customer_languages', (t) => t.languageId),
    named('reply_templates', (t) => t.alertTemplateId),
    named('ticket_categories', (t) => t.ticketCategoryId),
    named('ticket_priorities', (t) => t.ticketPriorityId),
    named('kb_categories', (t) => t.widget.autoFaqCategoryId),
  ]);
  const get = (m: Map<number, NamedItem>, id: number | null) => (id === null ? undefined : m.get(id));
  return topics.map((t) => ({
    topic: t,
    tableRight: topicTableRight(actor, myRoles.get(t.id)),
    language: get(languages, t.languageId),
    alertTemplate: get(templates, t.alertTemplateId),
    ticketCategory: get(categories, t.ticketCategoryId),
    ticketPriority: get(priorities, t.ticketPriorityId),
    autoFaqCategory: get(kbCategories, t.widget.autoFaqCategoryId),
  }));
}

export async function topicAgentViews(deps: DomainDeps, agents: TopicAgent[]): Promise<TopicAgentView[]> {
  const users = byId(await deps.store.associates.byIds(ids(agents.map((a) => a.associateId))));
  return agents.map((agent) => ({ agent, user: users.get(agent.associateId) }));
}
