// Turns domain results into carriers for the caller: loads the linked records (one query per kind), then presents.
import { presentSession } from '../../carriers/chat-session.carrier.ts';
import { presentTopicAgent } from '../../carriers/chat-topic-agent.carrier.ts';
import { presentTopic } from '../../carriers/chat-topic.carrier.ts';
import type { Session, Topic, TopicAgent } from '../../domain/types.ts';
import { newSessionTableRight, newTopicTableRight, rolesOf, sessionViews, topicAgentViews, topicViews } from '../../domain/views.ts';
import { isMember, sessionTableRight } from '../../domain/rights.ts';
import { sessionVersionsForUser } from '../../domain/sessions/sessions-for-user.ts';
import { type AgentContext, EncodedItems, type ItemEncoder } from '../endpoint.ts';

// Lists carry only the exceptional field rights (they are polled); single entities carry them all (they are edited).
export const sessionsOut = async ({ deps, actor }: AgentContext, sessions: Session[]) =>
  (await sessionViews(deps, actor, sessions)).map((v) => presentSession(v, 'exceptions'));
export const sessionOut = async ({ deps, actor }: AgentContext, session: Session | undefined) =>
  session ? presentSession((await sessionViews(deps, actor, [session]))[0], 'full') : null;

/**
 * ChatSessionsForUser with each session's text kept (ItemEncoder): it depends on the session's row, the shared
 * records it links to (users, CRM) and the caller's right on it, so only sessions where one of those moved are read
 * and presented again. The versions are read before any row they stand for, so a text is never older than its key.
 */
export async function sessionsOutKept({ deps, actor }: AgentContext, items: ItemEncoder): Promise<EncodedItems> {
  const { shared, sessions } = await sessionVersionsForUser(deps, actor);
  const roles = new Map(sessions.map((s) => [s.topicId, s.role]));
  const keyOf = (id: number, version: number, topicId: number) => `${id}.${version}.${shared}.${sessionTableRight(actor, roles.get(topicId))}`;
  const texts = sessions.map((s) => items.kept(keyOf(s.id, s.version, s.topicId)));
  const missing = sessions.filter((_, i) => texts[i] === undefined).map((s) => s.id);
  if (missing.length > 0) {
    // Read again now: a session may have changed, moved or gone since. One moved to a topic not in the list above
    // needs the caller's role there; moved out of the caller's topics, it is left out.
    const reread = await deps.store.sessions.versionedByIds(missing);
    if (reread.some((f) => !roles.has(f.session.topicId))) {
      for (const [topicId, role] of await rolesOf(deps, actor)) if (!roles.has(topicId)) roles.set(topicId, role);
    }
    const fresh = reread.filter((f) => isMember(roles.get(f.session.topicId)));
    const views = await sessionViews(
      deps,
      actor,
      fresh.map((f) => f.session),
      roles,
    );
    const built = new Map(
      views.map((v, i) => [v.session.id, items.encode(keyOf(v.session.id, fresh[i].version, v.session.topicId), presentSession(v, 'exceptions'))]),
    );
    sessions.forEach((s, i) => {
      texts[i] ??= built.get(s.id);
    });
  }
  return new EncodedItems(texts.filter((t) => t !== undefined));
}

export const topicsOut = async ({ deps, actor }: AgentContext, topics: Topic[]) =>
  (await topicViews(deps, actor, topics)).map((v) => presentTopic(v, 'exceptions'));
export const topicOut = async ({ deps, actor }: AgentContext, topic: Topic | undefined) =>
  topic ? presentTopic((await topicViews(deps, actor, [topic]))[0], 'full') : null;

export const agentsOut = async ({ deps }: AgentContext, agents: TopicAgent[]) => (await topicAgentViews(deps, agents)).map(presentTopicAgent);
export const agentOut = async (ctx: AgentContext, agent: TopicAgent | undefined) => (agent ? (await agentsOut(ctx, [agent]))[0] : null);

/** CreateDefault*: the rights are those of a row the caller is about to create. */
export async function newSessionOut(ctx: AgentContext, session: Session) {
  const [view] = await sessionViews(ctx.deps, ctx.actor, [session]);
  return presentSession({ ...view, tableRight: await newSessionTableRight(ctx.deps, ctx.actor) }, 'full');
}
export async function newTopicOut(ctx: AgentContext, topic: Topic) {
  const [view] = await topicViews(ctx.deps, ctx.actor, [topic]);
  return presentTopic({ ...view, tableRight: newTopicTableRight(ctx.actor) }, 'full');
}
