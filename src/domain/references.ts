// Checks that the records a topic or session points at exist, so a save never stores a dangling id.
import { invalid } from './errors.ts';
import type { ChatStore, NamedItemKind } from './ports.ts';
import type { Session, Topic } from './types.ts';

async function mustExist(found: Promise<Array<{ id: number }>>, id: number | null, what: string) {
  if (id === null) return;
  if ((await found).length === 0) throw invalid(`${what} ${id} does not exist`);
}

export async function checkTopicReferences(store: ChatStore, t: Topic) {
  const named = (kind: NamedItemKind, id: number | null, what: string) => mustExist(store.crm.namedItems(kind, id === null ? [] : [id]), id, what);
  await named('customer_languages', t.languageId, 'Language');
  await named('reply_templates', t.alertTemplateId, 'AlertTemplate');
  await named('ticket_categories', t.ticketCategoryId, 'TicketCategory');
  await named('ticket_priorities', t.ticketPriorityId, 'TicketPriority');
  await named('kb_categories', t.widget.autoFaqCategoryId, 'Widget.AutoFaqCategory');
}

export async function checkSessionReferences(store: ChatStore, s: Session) {
  const one = (id: number | null) => (id === null ? [] : [id]);
  await mustExist(store.associates.byIds(one(s.userId)), s.userId, 'User');
  await mustExist(store.associates.byIds(one(s.transferToId)), s.transferToId, 'TransferTo');
  await mustExist(store.crm.persons(one(s.personId)), s.personId, 'Person');
  await mustExist(store.crm.contacts(one(s.contactId)), s.contactId, 'Contact');
  await mustExist(store.crm.projects(one(s.projectId)), s.projectId, 'Project');
  await mustExist(store.crm.sales(one(s.saleId)), s.saleId, 'Sale');
  await mustExist(store.crm.tickets(one(s.ticketId)), s.ticketId, 'Ticket');
}
