// Topic agent methods: who is assigned to a topic, and with which roles.
import { Type } from '@sinclair/typebox';
import { agentFromWire, ChatTopicAgentSchema } from '../../carriers/chat-topic-agent.carrier.ts';
import { Int, Str } from '../../carriers/kit.ts';
import { addTopicAgent } from '../../domain/agents/add-topic-agent.ts';
import { deleteTopicAgent } from '../../domain/agents/delete-topic-agent.ts';
import { getTopicAgent } from '../../domain/agents/get-topic-agent.ts';
import { listTopicAgents } from '../../domain/agents/list-topic-agents.ts';
import { updateTopicAgent } from '../../domain/agents/update-topic-agent.ts';
import { updateTopicAgents } from '../../domain/agents/update-topic-agents.ts';
import { defaultTopicAgent } from '../../domain/defaults.ts';
import { defineEndpoint, RequestBody } from '../endpoint.ts';
import { agentOut, agentsOut } from './present.ts';

const TopicId = Int('The chat topic');
const Username = Str(255, 'Associate user name, or associate id');
const MANAGERS = "The topic's managers, administrators";

export const topicAgentEndpoints = [
  defineEndpoint({
    name: 'CreateDefaultChatTopicAgent',
    summary: 'Set default values into a new ChatTopicAgent.',
    rights: 'Any user',
    response: ChatTopicAgentSchema,
    select: false,
    handle: (ctx) => agentOut(ctx, defaultTopicAgent()),
  }),
  defineEndpoint({
    name: 'GetChatTopicUserAgentList',
    summary: 'Get the users assigned to a chat topic, with their roles.',
    rights: 'Members of the topic, administrators',
    body: RequestBody('GetChatTopicUserAgentList', { ChatTopicId: TopicId }),
    response: Type.Array(ChatTopicAgentSchema),
    handle: async (ctx, { body }) => agentsOut(ctx, await listTopicAgents(ctx.deps, ctx.actor, body.ChatTopicId)),
  }),
  defineEndpoint({
    name: 'GetChatTopicUserAgent',
    summary: "Get one user's roles in a chat topic; null when the user is not assigned.",
    rights: 'Members of the topic, administrators',
    body: RequestBody('GetChatTopicUserAgent', { ChatTopicId: TopicId, Username }),
    response: ChatTopicAgentSchema,
    handle: async (ctx, { body }) => agentOut(ctx, await getTopicAgent(ctx.deps, ctx.actor, body.ChatTopicId, body.Username)),
  }),
  defineEndpoint({
    name: 'AddChatTopicUserAgent',
    summary: 'Assign a user (Useragent.User by AssociateId, or by UserName when the id is 0) to a chat topic with roles.',
    rights: MANAGERS,
    body: RequestBody('AddChatTopicUserAgent', { ChatTopicId: TopicId, Useragent: ChatTopicAgentSchema }),
    response: ChatTopicAgentSchema,
    handle: async (ctx, { body }) => agentOut(ctx, await addTopicAgent(ctx.deps, ctx.actor, body.ChatTopicId, agentFromWire(body.Useragent))),
  }),
  defineEndpoint({
    name: 'UpdateChatTopicUserAgent',
    summary: 'Change the roles of a user already assigned to a chat topic.',
    rights: MANAGERS,
    body: RequestBody('UpdateChatTopicUserAgent', { ChatTopicId: TopicId, Username, Useragent: ChatTopicAgentSchema }),
    response: ChatTopicAgentSchema,
    handle: async (ctx, { body }) => agentOut(ctx, await updateTopicAgent(ctx.deps, ctx.actor, body.ChatTopicId, body.Username, agentFromWire(body.Useragent))),
  }),
  defineEndpoint({
    name: 'UpdateChatTopicUserAgents',
    summary: 'Set the roles of every listed user in a chat topic; users not listed keep theirs. Returns the whole list.',
    rights: MANAGERS,
    body: RequestBody('UpdateChatTopicUserAgents', { ChatTopicId: TopicId, Useragents: Type.Array(ChatTopicAgentSchema) }),
    response: Type.Array(ChatTopicAgentSchema),
    handle: async (ctx, { body }) => agentsOut(ctx, await updateTopicAgents(ctx.deps, ctx.actor, body.ChatTopicId, (body.Useragents ?? []).map(agentFromWire))),
  }),
  defineEndpoint({
    name: 'DeleteChatTopicUserAgent',
    summary: 'Remove a user from a chat topic.',
    rights: MANAGERS,
    body: RequestBody('DeleteChatTopicUserAgent', { ChatTopicId: TopicId, Username }),
    response: 'void',
    handle: (ctx, { body }) => deleteTopicAgent(ctx.deps, ctx.actor, body.ChatTopicId, body.Username),
  }),
];
