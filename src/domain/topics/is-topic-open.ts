// IsWithinOpeningHours: whether a topic is open now. Any user may ask (the widget's offline form depends on it).
import { notFound } from '../errors.ts';
import { isWithinOpeningHours } from '../opening-hours.ts';
import type { DomainDeps } from '../ports.ts';
import type { Actor } from '../rights.ts';

export async function isTopicOpen(deps: DomainDeps, _actor: Actor, topicId: number): Promise<boolean> {
  const topic = await deps.store.topics.byId(topicId);
  if (!topic) throw notFound(`Chat topic ${topicId}`);
  return isWithinOpeningHours(topic, deps.clock.now(), deps.defaultTimeZone);
}
