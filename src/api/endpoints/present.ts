// Turns domain results into carriers for the caller: loads the linked records (one query per kind), then presents.
import { presentSession } from '../../carriers/chat-session.carrier.ts';
import { presentTopicAgent } from '../../carriers/chat-topic-agent.carrier.ts';
import { presentTopic } from '../../carriers/chat-topic.carrier.ts';
import type { Session, Topic, TopicAgent } from '../../domain/types.ts';
import { newSessionTableRight, newTopicTableRight, sessionViews, topicAgentViews, topicViews } from '../../domain/views.ts';
import type { AgentContext } from '../endpoint.ts';

// Lists carry only the exceptional field rights (they are polled); single entities carry them all (they are edited).
export const sessionsOut = async ({ deps, actor }: AgentContext, sessions: Session[]) =>
  (await sessionViews(deps, actor, sessions)).map((v) => presentSession(v, 'exceptions'));
export const sessionOut = async ({ deps, actor }: AgentContext, session: Session | undefined) =>
  session ? presentSession((await sessionViews(deps, actor, [session]))[0], 'full') : null;

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
