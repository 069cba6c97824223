// The customer writes. While waiting the status stays (the question waits with them); in an active chat it
// becomes CustomerLast; a chat that had ended with an agent is reopened for that agent (or queued, when that agent
// is away, retired or no longer answers in the topic; the offline form when nobody is there).
import { conflict, invalid } from '../errors.ts';
import { ChatMessageSpecialType as Special, ChatMessageType, ChatSessionStatus as S } from '../enums.ts';
import type { ChatStore, DomainDeps } from '../ports.ts';
import type { Message, Session } from '../types.ts';
import { actorOf, canWriteSession } from '../rights.ts';
import { appendMessage, freeRank, persist, specialMessage, transition } from '../sessions/life-cycle.ts';
import { requeue } from '../sessions/queue.ts';

/** `special`: a file the customer sent (SpecialType Url and its address), else plain text. */
export async function postCustomerMessage(
  deps: DomainDeps,
  store: ChatStore,
  session: Session,
  text: string,
  special: { specialType: number; specialParam: string } = { specialType: Special.None, specialParam: '' },
): Promise<{ session: Session; message: Message }> {
  if (!text.trim()) throw invalid('Message is empty');
  let current = session;
  if (current.status === S.Finished || current.status === S.Closed) current = await reopen(deps, store, current);
  // At the offline form too (the status table keeps it): OpenSession's first question on a closed topic.
  if (![S.Invalid, S.PreChatForm, S.Faq, S.InQueue, S.OfflineForm, S.CustomerLast, S.UserLast].includes(current.status as never)) {
    throw conflict('This chat has ended; open a new one');
  }
  if (current.status === S.OfflineForm && !current.customerConsented && (await store.topics.byId(current.topicId))?.collectConsent) {
    throw invalid("Consented: without the customer's consent this topic stores nothing; use the offline form");
  }
  const author = current.customerName || current.customerAlias || 'Customer';
  return appendMessage(
    deps,
    store,
    current,
    {
      type: ChatMessageType.ToUser,
      message: text,
      author,
      ...special,
      createdBy: null,
    },
    'customerMessage',
  );
}

/**
 * The customer writes to a chat that had ended with an agent: it goes on with that agent while they are present
 * and may still answer in the topic; otherwise it waits in the queue for whoever is there.
 */
async function reopen(deps: DomainDeps, store: ChatStore, session: Session): Promise<Session> {
  if (session.userId === null) throw conflict('This chat has ended; open a new one');
  const now = deps.clock.now();
  const owner = await store.associates.byId(session.userId);
  const ownerAnswers = !!owner && !owner.deleted && owner.present && canWriteSession(actorOf(owner), await store.topicAgents.get(session.topicId, owner.id));
  let reopened = transition(session, 'reopen', now);
  if (ownerAnswers) {
    reopened.rank = await freeRank(store, session.userId);
  } else {
    reopened = await requeue(store, reopened, now);
    // A new request in the queue: it waits (and is warned about) from now, behind those already waiting.
    if (reopened.status === S.InQueue) reopened = { ...reopened, whenRequested: now, alertLevel: 0 };
  }
  const saved = await persist(deps, store, session, reopened, null);
  const name = session.customerName || 'The customer';
  return (await specialMessage(deps, store, saved, Special.ReopenedByCustomer, `${name} came back to the chat`, '', null)).session;
}
