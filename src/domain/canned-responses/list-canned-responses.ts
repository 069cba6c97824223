// CannedResponses/List: the caller's own quick replies and those of the topics they can respond in, optionally of
// one topic only (with their own), filtered by a text over shortcut, title and text.
import type { DomainDeps } from '../ports.ts';
import type { Actor } from '../rights.ts';
import type { CannedResponse } from '../types.ts';
import { usableTopics } from './reply-access.ts';

export async function listCannedResponses(deps: DomainDeps, actor: Actor, filter: { topicId?: number; query?: string }): Promise<CannedResponse[]> {
  let topics = await usableTopics(deps.store, actor);
  if (filter.topicId) topics = topics.filter((t) => t === filter.topicId);
  const replies = await deps.store.cannedResponses.visible(actor.id, topics);
  const q = filter.query?.trim().toLowerCase();
  if (!q) return replies;
  return replies.filter((r) => r.shortcut.toLowerCase().includes(q) || r.title.toLowerCase().includes(q) || r.text.toLowerCase().includes(q));
}
