// Routing/Status: what the console shows an agent: their load, their capacity in each topic where they can
// respond, and the offers waiting for their answer. Asked again whenever the agent's own chats change: a fixed
// number of queries, however many topics.
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
  const [topics, loads, offers] = await Promise.all([
    store.routingSettings.capacitiesOf(actor.id),
    store.routing.loads([actor.id]),
    store.routing.offersOf(actor.id),
  ]);
  return { load: loads.get(actor.id) ?? 0, topics, offers };
}
