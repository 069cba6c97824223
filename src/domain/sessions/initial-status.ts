// Where a new session starts, by the topic's settings and the moment: a bot takes it first; outside opening
// hours or with nobody present the customer gets the offline form; then the pre-chat form, the FAQ step, or
// the queue (unless the queue is already longer than the topic allows).
import { ChatSessionStatus as S } from '../enums.ts';
import { isWithinOpeningHours } from '../opening-hours.ts';
import type { ChatStore, DomainDeps } from '../ports.ts';
import type { Topic } from '../types.ts';

export interface StartOptions {
  /** The customer already gave what the pre-chat form asks (the visitor API checks RequiredFields). */
  preChatDone: boolean;
}

export async function initialState(deps: DomainDeps, store: ChatStore, topic: Topic, now: Date, options: StartOptions) {
  const preChat = topic.widget.preFormEnabled && !options.preChatDone;
  if (topic.botEnabled) {
    // A bot-owned session never goes to the offline form; its first answer takes it out of the queue.
    return { status: preChat ? S.PreChatForm : S.InQueue, chatbotIsActive: true };
  }
  if (!(await isOpen(deps, store, topic, now))) return { status: S.OfflineForm, chatbotIsActive: false };
  if (preChat) return { status: S.PreChatForm, chatbotIsActive: false };
  if (topic.widget.autoFaqEnabled) return { status: S.Faq, chatbotIsActive: false };
  return { status: (await queueIsFull(store, topic)) ? S.OfflineForm : S.InQueue, chatbotIsActive: false };
}

/** Open for chat: inside opening hours, and some agent who can respond is present. */
export async function isOpen(deps: DomainDeps, store: ChatStore, topic: Topic, now: Date) {
  return isWithinOpeningHours(topic, now, deps.defaultTimeZone) && (await store.topicAgents.presentResponders(topic.id)) > 0;
}

/** With UseQueueOfflineForm, a queue of OfflineFormQueueLength or more sends newcomers to the offline form. */
export async function queueIsFull(store: ChatStore, topic: Topic) {
  return topic.useQueueOfflineForm && topic.offlineFormQueueLength > 0 && (await store.sessions.countInQueue(topic.id)) >= topic.offlineFormQueueLength;
}
