// ChatTopicAgent (not a Carrier): a user's roles in one topic.
import type { TopicAgentView } from '../domain/views.ts';
import { AssociateSchema, associateRef, presentAssociate } from './associate.carrier.ts';
import { Bool, Int, Plain, type WireObject, type WireOf } from './kit.ts';
import type { AgentInput } from '../domain/agents/add-topic-agent.ts';

export const ChatTopicAgentSchema = Plain(
  'ChatTopicAgent',
  {
    TopicId: Int('The topic'),
    User: AssociateSchema,
    CanListen: Bool("May watch other agents' chats"),
    CanRespond: Bool('May answer chats'),
    CanManage: Bool('Manager: gets manager warnings, manages the topic'),
    CanNotify: Bool('Gets notifications'),
  },
  "A user's membership and roles in a chat topic.",
);

export const presentTopicAgent = ({ agent, user }: TopicAgentView): WireObject => ({
  TopicId: agent.topicId,
  User: presentAssociate(user),
  CanListen: agent.canListen,
  CanRespond: agent.canRespond,
  CanManage: agent.canManage,
  CanNotify: agent.canNotify,
});

export const agentFromWire = (w: WireOf<typeof ChatTopicAgentSchema> | null | undefined): AgentInput => ({
  user: associateRef(w?.User) ?? {},
  canListen: !!w?.CanListen,
  canRespond: !!w?.CanRespond,
  canManage: !!w?.CanManage,
  canNotify: !!w?.CanNotify,
});
