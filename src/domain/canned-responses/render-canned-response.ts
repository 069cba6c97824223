// CannedResponses/Render: a quick reply as it would be sent in one session: in the session's language (a
// multi-language text resolved by the caller's translator) and its placeholders filled in for that session.
import { topicOf } from '../existing.ts';
import { accessDenied, notFound } from '../errors.ts';
import type { DomainDeps } from '../ports.ts';
import { type Actor, canSeeSession } from '../rights.ts';
import { mayUse } from './reply-access.ts';

/** Picks the text of a multi-language value for a widget language code (`en`, `nb`, `sv-SE`...). */
export type Translator = (text: string, languageIsoCode: string) => string;

const PLACEHOLDER = /\{(customer\.name|customer\.email|agent\.name|topic\.name)\}/g;

export async function renderCannedResponse(deps: DomainDeps, actor: Actor, id: number, sessionId: number, translate: Translator): Promise<string> {
  const { store } = deps;
  const reply = await store.cannedResponses.byId(id);
  if (!reply || !(await mayUse(store, actor, reply))) throw notFound(`Quick reply ${id}`);
  const session = await store.sessions.byId(sessionId);
  if (!session || !canSeeSession(actor, await store.topicAgents.get(session.topicId, actor.id))) throw notFound(`Chat session ${sessionId}`);
  if (reply.topicId && reply.topicId !== session.topicId) throw accessDenied(`Quick reply ${id} belongs to another topic`);
  const topic = await topicOf(store, session);
  // The widget's language, else the topic's customer language (its code is the named item's description).
  const customerLanguage = topic.languageId ? (await store.crm.namedItems('customer_languages', [topic.languageId]))[0]?.description : undefined;
  const language = topic.widget.languageIsoCode || customerLanguage || '';
  const values: Record<string, string> = {
    'customer.name': session.customerName,
    'customer.email': session.customerEmail,
    'agent.name': actor.fullName,
    'topic.name': translate(topic.name, language),
  };
  // Translated first, then filled: a customer's name is never read as a multi-language value.
  return translate(reply.text, language).replace(PLACEHOLDER, (_, key: string) => values[key] ?? '');
}
