// SaveChatTopicEntity: administrators create topics; administrators and the topic's managers change them.
import { resolveTimeZone } from '../../lib/time-zones.ts';
import { auditActorOf, changedFields, recordAudit } from '../audit.ts';
import { accessDenied, invalid, notFound } from '../errors.ts';
import type { DomainDeps } from '../ports.ts';
import { checkTopicReferences } from '../references.ts';
import { type Actor, canManageTopic } from '../rights.ts';
import type { Topic } from '../types.ts';

export async function saveTopic(deps: DomainDeps, actor: Actor, input: Topic): Promise<Topic> {
  validate(input);
  return deps.store.transaction(async (store) => {
    await checkTopicReferences(store, input);
    if (input.id === 0) {
      if (!actor.isAdmin) throw accessDenied('Only administrators create chat topics');
      // Accept statistics are kept by the server, not written by clients.
      const id = await store.topics.insert({ ...input, lastAccept: null, secondsPrAccept: 0 });
      const created = { ...input, id, lastAccept: null, secondsPrAccept: 0 };
      await recordAudit(store, auditActorOf(actor), deps.clock.now(), 'topic.created', topicSubject(created), null, { ...created });
      return created;
    }
    const current = await store.topics.byId(input.id);
    if (!current) throw notFound(`Chat topic ${input.id}`);
    if (!canManageTopic(actor, await store.topicAgents.get(input.id, actor.id))) {
      throw accessDenied(`You are not a manager of chat topic ${input.id}`);
    }
    const saved = { ...input, lastAccept: current.lastAccept, secondsPrAccept: current.secondsPrAccept };
    await store.topics.update(saved);
    const change = changedFields(current, saved);
    if (change) await recordAudit(store, auditActorOf(actor), deps.clock.now(), 'topic.changed', topicSubject(saved), change.before, change.after);
    return saved;
  });
}

export const topicSubject = (t: { id: number; name: string }) => `topic ${t.id} ${t.name}`;

function validate(t: Topic) {
  if (!t.name.trim()) throw invalid('Name is required');
  const tz = t.openingHours.timeZone;
  if (tz && !resolveTimeZone(tz)) throw invalid(`OpeningHours.TzLocation: unknown time zone '${tz}'`);
  const times = [...t.openingHours.days.flatMap((d) => [d.start, d.stop]), t.openingHours.lunchStart, t.openingHours.lunchStop];
  if (times.some((m) => !Number.isInteger(m) || m < 0 || m > 1440)) throw invalid('OpeningHours: times must lie within one day');
  const minutes = [
    t.warnNewChatMinutes,
    t.warnManagerNewChatMinutes,
    t.warnChatMessageMinutes,
    t.warnManagerChatMessageMinutes,
    t.offlineFormTimeLimit,
    t.offlineFormQueueLength,
  ];
  if (minutes.some((m) => m < 0)) throw invalid('Warning minutes and offline form limits cannot be negative');
}
