// Who sees which figures: administrators everything, topic managers the sessions of their topics, everyone
// their own chats. Applied to the facts query, so a figure a caller may not see is never read.
import { invalid } from '../errors.ts';
import type { ChatStore } from '../ports.ts';
import type { Actor } from '../rights.ts';
import type { FactsFilter } from './facts.ts';

/** The longest range one report covers. */
export const MAX_RANGE_DAYS = 400;

export interface ReportQuery {
  from: Date;
  to: Date;
  topicIds?: readonly number[];
  agentIds?: readonly number[];
  /** IANA zone the buckets and the weekday × hour grid are local to. */
  timeZone: string;
}

export async function factsFilter(store: ChatStore, actor: Actor, q: ReportQuery): Promise<FactsFilter> {
  if (!(q.from.getTime() < q.to.getTime())) throw invalid('From must lie before To');
  if (q.to.getTime() - q.from.getTime() > MAX_RANGE_DAYS * 86_400_000) throw invalid(`A report covers at most ${MAX_RANGE_DAYS} days`);
  const visible = actor.isAdmin
    ? null
    : { managedTopicIds: (await store.topicAgents.forAssociate(actor.id)).filter((r) => r.canManage).map((r) => r.topicId), selfId: actor.id };
  return { from: q.from, to: q.to, topicIds: q.topicIds?.length ? q.topicIds : undefined, agentIds: q.agentIds?.length ? q.agentIds : undefined, visible };
}
