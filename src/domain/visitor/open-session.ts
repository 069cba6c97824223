// A customer opens the widget: a new session on the topic, starting where the topic's settings, hours and
// presence say; matched to a CRM person by e-mail; with the customer's first question when given.
import { defaultSession } from '../defaults.ts';
import { ChatSessionStatus } from '../enums.ts';
import { invalid, notFound } from '../errors.ts';
import type { DomainDeps } from '../ports.ts';
import type { Session, VisitorContext } from '../types.ts';
import { initialState } from '../sessions/initial-status.ts';
import { insertSession } from '../sessions/insert-session.ts';
import { checkEmail, type CustomerDetails, missingFields, withDetails } from './customer-details.ts';
import { postCustomerMessage } from './customer-message.ts';

export interface OpenRequest extends CustomerDetails {
  topicId: number;
  consented: boolean;
  /** The first question, if the widget asks for it up front. */
  message: string;
  /** The customer's address as the server saw it. */
  host: string;
  /** Where the visitor is (the page embedding the widget, the browser), shown to agents beside the chat. */
  context?: VisitorContext;
}

/** The column lengths of visitor_context: longer values are cut, never refused (they come from browsers). */
const clip = (c: VisitorContext): VisitorContext => ({
  pageUrl: c.pageUrl.slice(0, 2048),
  pageTitle: c.pageTitle.slice(0, 512),
  referrer: c.referrer.slice(0, 2048),
  language: c.language.slice(0, 35),
  userAgent: c.userAgent.slice(0, 512),
});

export function openSession(deps: DomainDeps, req: OpenRequest): Promise<Session> {
  return deps.store.transaction(async (store) => {
    const topic = await store.topics.byId(req.topicId);
    if (!topic) throw notFound(`Chat topic ${req.topicId}`);
    checkEmail(req);
    const now = deps.clock.now();
    const preChatDone = missingFields(topic.widget.requiredFields, req).length === 0;
    const start = await initialState(deps, store, topic, now, { preChatDone });
    // A chat that starts at the offline form is not a chat yet: that form asks for consent itself (OfflineCollectConsent).
    // Until then nothing the customer gave is stored.
    const unconsented = topic.collectConsent && !req.consented;
    if (unconsented && start.status !== ChatSessionStatus.OfflineForm) {
      throw invalid("Consented: this topic stores chats only with the customer's consent");
    }
    if (unconsented) req = { topicId: req.topicId, consented: false, message: '', host: req.host };
    const person = req.customerEmail?.trim() ? await store.crm.personByEmail(req.customerEmail.trim()) : undefined;
    let session = await insertSession(
      deps,
      store,
      {
        ...withDetails(defaultSession(now), req),
        topicId: topic.id,
        ...start,
        customerHost: req.host.slice(0, 255),
        customerConsented: req.consented,
        whenFetched: now,
        personId: person?.id ?? null,
        contactId: person?.contactId ?? null,
      },
      null,
    );
    if (req.context && !unconsented) await store.visitorContext.save(session.id, clip(req.context));
    if (req.message.trim()) session = (await postCustomerMessage(deps, store, session, req.message)).session;
    return session;
  });
}
