// Capacity as manual pick-up meets it: a topic that does not let agents pick up beyond their capacity answers an
// agent at capacity as if nothing were queued. The agent's row is locked, so a router cannot fill the same place.
import type { ChatStore } from '../ports.ts';
import { hasRoom } from './choose-agent.ts';

/** Of `topicIds`, those where the agent may pick up another chat (`sessionId`'s own offer not counted). */
export async function topicsWithRoom(store: ChatStore, associateId: number, topicIds: readonly number[], sessionId: number): Promise<number[]> {
  const strict = new Set(await store.routingSettings.capacityBoundTopics(topicIds));
  const out: number[] = [];
  for (const topicId of topicIds) {
    if (!strict.has(topicId)) {
      out.push(topicId);
      continue;
    }
    const settings = await store.routingSettings.get(topicId);
    const me = await store.routing.candidate(topicId, associateId, sessionId, settings.defaultCapacity);
    // Managers and administrators who cannot respond in the topic have no capacity there to keep.
    if (!me || hasRoom(me)) out.push(topicId);
  }
  return out;
}

export const mayTakeMore = async (store: ChatStore, associateId: number, topicId: number, sessionId: number) =>
  (await topicsWithRoom(store, associateId, [topicId], sessionId)).length > 0;
