// The customer writes. While waiting the status stays (the question waits with them); in an active chat it
// becomes CustomerLast; a chat that had ended with an agent is reopened for that agent.
import { conflict, invalid } from '../errors.ts';
import { ChatMessageSpecialType as Special, ChatMessageType, ChatSessionStatus as S } from '../enums.ts';
import type { ChatStore, DomainDeps } from '../ports.ts';
import type { Message, Session } from '../types.ts';
import { appendMessage, freeRank, persist, specialMessage, transition } from '../sessions/life-cycle.ts';

export async function postCustomerMessage(deps: DomainDeps, store: ChatStore, session: Session, text: string): Promise<{ session: Session; message: Message }> {
  if (!text.trim()) throw invalid('Message is empty');
  let current = session;
  if (current.status === S.Finished || current.status === S.Closed) current = await reopen(deps, store, current);
  // At the offline form too (the status table keeps it): OpenSession's first question on a closed topic.
  if (![S.Invalid, S.PreChatForm, S.Faq, S.InQueue, S.OfflineForm, S.CustomerLast, S.UserLast].includes(current.status as never)) {
    throw conflict('This chat has ended; open a new one');
  }
  const author = current.customerName || current.customerAlias || 'Customer';
  return appendMessage(deps, store, current, {
    type: ChatMessageType.ToUser, message: text, author, specialType: Special.None, specialParam: '', createdBy: null,
  }, 'customerMessage');
}

async function reopen(deps: DomainDeps, store: ChatStore, session: Session): Promise<Session> {
  if (session.userId === null) throw conflict('This chat has ended; open a new one');
  const reopened = { ...transition(session, 'reopen', deps.clock.now()), rank: await freeRank(store, session.userId) };
  const saved = await persist(deps, store, session, reopened, null);
  const name = session.customerName || 'The customer';
  return (await specialMessage(deps, store, saved, Special.ReopenedByCustomer, `${name} came back to the chat`, '', null)).session;
}
