// The queue of a topic, shared by the commands that put sessions in it: positions counted under the topic's queue
// lock, and the way back to waiting for people (queue, or the offline form when nobody can answer).
import type { ChatStore } from '../ports.ts';
import type { Session } from '../types.ts';
import { transition } from './life-cycle.ts';

/**
 * Waiting for people again (a bot hands over, a customer comes back to an ended chat): the queue while an agent who
 * can respond is present, with its InitialQueuePos when it never had one; otherwise the offline form.
 */
export async function requeue(store: ChatStore, s: Session, now: Date): Promise<Session> {
  if ((await store.topicAgents.presentResponders(s.topicId)) === 0) return transition(s, 'offerOfflineForm', now);
  const queued = transition(s, 'enqueue', now);
  if (queued.initialQueuePos === 0) queued.initialQueuePos = await queuePosition(store, s.topicId);
  return queued;
}

/** Queued sessions + 1, counted with the topic's queue locked so concurrent newcomers get distinct positions. */
export async function queuePosition(store: ChatStore, topicId: number) {
  await store.topics.lockQueue(topicId);
  return (await store.sessions.countInQueue(topicId)) + 1;
}
