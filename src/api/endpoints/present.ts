// Turns domain results into carriers for the caller: loads the linked records (one query per kind), then presents.
import { presentSession } from '../../carriers/chat-session.carrier.ts';
import { presentTopicAgent } from '../../carriers/chat-topic-agent.carrier.ts';
import { presentTopic } from '../../carriers/chat-topic.carrier.ts';
import type { Session, Topic, TopicAgent } from '../../domain/types.ts';
import { sessionViews, topicAgentViews, topicViews } from '../../domain/views.ts';
import type { EndpointContext } from '../endpoint.ts';

export const sessionsOut = async ({ deps, actor }: EndpointContext, sessions: Session[]) =>
  (await sessionViews(deps, actor, sessions)).map(presentSession);
export const sessionOut = async (ctx: EndpointContext, session: Session | undefined) =>
  session ? (await sessionsOut(ctx, [session]))[0] : null;

export const topicsOut = async ({ deps, actor }: EndpointContext, topics: Topic[]) =>
  (await topicViews(deps, actor, topics)).map(presentTopic);
export const topicOut = async (ctx: EndpointContext, topic: Topic | undefined) =>
  topic ? (await topicsOut(ctx, [topic]))[0] : null;

export const agentsOut = async ({ deps }: EndpointContext, agents: TopicAgent[]) =>
  (await topicAgentViews(deps, agents)).map(presentTopicAgent);
export const agentOut = async (ctx: EndpointContext, agent: TopicAgent | undefined) =>
  agent ? (await agentsOut(ctx, [agent]))[0] : null;
