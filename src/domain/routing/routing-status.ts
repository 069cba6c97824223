// Routing/Status: what the console shows an agent: their load, their capacity in each topic where they can
// respond, and the offers waiting for their answer.
import type { DomainDeps } from '../ports.ts';
import type { Actor } from '../rights.ts';
import type { RoutingMode, RoutingOffer } from './routing.ts';

export interface RoutingStatus {
  load: number;
  topics: Array<{ topicId: number; mode: RoutingMode; capacity: number }>;
  offers: RoutingOffer[];
}

export async function routingStatus(deps: DomainDeps, actor: Actor): Promise<RoutingStatus> {
  const { store } = deps;
  const topicIds = (await store.topicAgents.forAssociate(actor.id)).filter((a) => a.canRespond).map((a) => a.topicId);
  const topics = [];
  for (const topicId of topicIds) {
    const s = await store.routing.settings(topicId);
    topics.push({ topicId, mode: s.mode, capacity: s.agents.find((a) => a.associateId === actor.id)?.capacity ?? s.defaultCapacity });
  }
  const [loads, offers] = await Promise.all([store.routing.loads([actor.id]), store.routing.offersOf(actor.id)]);
  return { load: loads.get(actor.id) ?? 0, topics, offers };
}
