// Who sees and who keeps a quick reply: everyone their own; a topic's, those who can respond in or manage the topic
// (administrators: every topic's); changing a topic's replies is for its managers and administrators.
import { accessDenied, notFound } from '../errors.ts';
import type { ChatStore } from '../ports.ts';
import { type Actor, canManageTopic, canWriteSession } from '../rights.ts';
import type { CannedResponse } from '../types.ts';

/** The topics whose replies the caller may use: where they can respond or manage (all, for administrators). */
export async function usableTopics(store: ChatStore, actor: Actor): Promise<number[]> {
  const roles = await store.topicAgents.forAssociate(actor.id);
  const mine = roles.filter((r) => canWriteSession(actor, r)).map((r) => r.topicId);
  if (!actor.isAdmin) return mine;
  const all = new Set(mine);
  for (const r of await store.topicAgents.memberships()) all.add(r.topicId);
  return [...all];
}

export async function mayUse(store: ChatStore, actor: Actor, reply: CannedResponse): Promise<boolean> {
  if (!reply.topicId) return reply.associateId === actor.id;
  return canWriteSession(actor, await store.topicAgents.get(reply.topicId, actor.id));
}

/** Refuses unless the caller may change replies of this scope. */
export async function requireKeeper(store: ChatStore, actor: Actor, scope: { topicId: number; associateId: number }) {
  if (!scope.topicId) {
    if (scope.associateId !== actor.id) throw accessDenied('A personal quick reply is kept by its owner only');
    return;
  }
  if (!(await store.topics.byId(scope.topicId))) throw notFound(`Chat topic ${scope.topicId}`);
  if (!canManageTopic(actor, await store.topicAgents.get(scope.topicId, actor.id))) {
    throw accessDenied(`Only managers of chat topic ${scope.topicId} keep its quick replies`);
  }
}
