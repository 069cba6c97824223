// Routing/GetSettings and SaveSettings: a topic's routing, kept by its managers and administrators. The agent
// list covers everyone who can respond in the topic, with their own capacity and priority where set and their
// load now. A save changes what it names and keeps the rest; `agents`, when given, replaces every agent's own
// values (an agent left out takes the defaults).
import { auditActorOf, changedFields, recordAudit } from '../audit.ts';
import { requireTopicAccess } from '../agents/topic-access.ts';
import { invalid } from '../errors.ts';
import type { ChatStore, DomainDeps } from '../ports.ts';
import type { Actor } from '../rights.ts';
import { ROUTING_DELIVERIES, ROUTING_MODES, type RoutingSettings } from './routing.ts';

export interface RoutingAgentView {
  associateId: number;
  fullName: string;
  capacity: number | null;
  priority: number;
  /** Active chats plus open offers, across every topic. */
  load: number;
  present: boolean;
}

export interface RoutingSettingsView extends Omit<RoutingSettings, 'agents'> {
  agents: RoutingAgentView[];
}

/** What a save changes: the topic, and any of its settings (the others keep their stored values). */
export type RoutingSettingsChange = { topicId: number } & Partial<Omit<RoutingSettings, 'topicId'>>;

export const LIMITS = {
  capacity: [0, 100],
  priority: [1, 9],
  offerSeconds: [5, 600],
  awayAfterMissed: [0, 50],
  defaultCapacity: [1, 100],
} as const;

export async function getRoutingSettings(deps: DomainDeps, actor: Actor, topicId: number): Promise<RoutingSettingsView> {
  await requireTopicAccess(deps.store, actor, topicId, 'manage');
  return view(deps.store, await deps.store.routingSettings.get(topicId));
}

export async function saveRoutingSettings(deps: DomainDeps, actor: Actor, change: RoutingSettingsChange): Promise<RoutingSettingsView> {
  return deps.store.transaction(async (store) => {
    await requireTopicAccess(store, actor, change.topicId, 'manage');
    const before = await store.routingSettings.get(change.topicId);
    const defined = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
    const input: RoutingSettings = { ...before, ...defined };
    validate(input);
    const responders = new Set((await store.topicAgents.forTopic(input.topicId)).filter((a) => a.canRespond).map((a) => a.associateId));
    const strangers = input.agents.filter((a) => !responders.has(a.associateId)).map((a) => a.associateId);
    if (strangers.length) throw invalid(`User ${strangers.join(', ')} cannot respond in chat topic ${input.topicId}`);
    await store.routingSettings.save(input);
    await store.events.append({
      type: 'routing.settings',
      topicId: input.topicId,
      sessionId: null,
      associateId: actor.id,
      createdAt: deps.clock.now(),
      payload: { topicId: input.topicId },
    });
    const diff = changedFields(before, input);
    if (diff) await recordAudit(store, auditActorOf(actor), deps.clock.now(), 'routing.changed', `topic ${input.topicId}`, diff.before, diff.after);
    return view(store, input);
  });
}

function validate(s: RoutingSettings) {
  if (!ROUTING_MODES.includes(s.mode)) throw invalid(`Mode: one of ${ROUTING_MODES.join(', ')}`);
  if (!ROUTING_DELIVERIES.includes(s.delivery)) throw invalid(`Delivery: one of ${ROUTING_DELIVERIES.join(', ')}`);
  const within = (name: string, value: number, [min, max]: readonly [number, number]) => {
    if (!Number.isInteger(value) || value < min || value > max) throw invalid(`${name}: a whole number from ${min} to ${max}`);
  };
  within('OfferSeconds', s.offerSeconds, LIMITS.offerSeconds);
  within('MissedOffersBeforeAway', s.awayAfterMissed, LIMITS.awayAfterMissed);
  within('DefaultCapacity', s.defaultCapacity, LIMITS.defaultCapacity);
  const seen = new Set<number>();
  for (const a of s.agents) {
    if (seen.has(a.associateId)) throw invalid(`User ${a.associateId} is listed twice`);
    seen.add(a.associateId);
    if (a.capacity !== null) within(`Capacity of user ${a.associateId}`, a.capacity, LIMITS.capacity);
    within(`Priority of user ${a.associateId}`, a.priority, LIMITS.priority);
  }
}

async function view(store: ChatStore, s: RoutingSettings): Promise<RoutingSettingsView> {
  const responders = (await store.topicAgents.forTopic(s.topicId)).filter((a) => a.canRespond).map((a) => a.associateId);
  const [users, loads] = await Promise.all([store.associates.byIds(responders), store.routing.loads(responders)]);
  const own = new Map(s.agents.map((a) => [a.associateId, a]));
  const agents = users
    .filter((u) => !u.deleted)
    .sort((a, b) => a.id - b.id)
    .map((u) => ({
      associateId: u.id,
      fullName: u.fullName,
      capacity: own.get(u.id)?.capacity ?? null,
      priority: own.get(u.id)?.priority ?? 1,
      load: loads.get(u.id) ?? 0,
      present: u.present,
    }));
  return { ...s, agents };
}
