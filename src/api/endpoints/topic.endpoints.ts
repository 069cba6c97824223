// Chat topic entity methods: topics for the user, get, create default, save, delete.
import { Type } from '@sinclair/typebox';
import { ChatTopicSchema, topicFromWire } from '../../carriers/chat-topic.carrier.ts';
import { Int } from '../../carriers/kit.ts';
import { defaultTopic } from '../../domain/defaults.ts';
import { deleteTopic } from '../../domain/topics/delete-topic.ts';
import { getTopic } from '../../domain/topics/get-topic.ts';
import { saveTopic } from '../../domain/topics/save-topic.ts';
import { topicsForUser } from '../../domain/topics/topics-for-user.ts';
import { defineEndpoint } from '../endpoint.ts';
import { newTopicOut, topicOut, topicsOut } from './present.ts';

export const topicEndpoints = [
  defineEndpoint({
    name: 'ChatTopicsForUser',
    summary: 'Get all chat topics which this user is a member of: Can Respond, Notifications, Listen or Manager.',
    rights: 'Any user; only topics where the caller holds a role',
    response: Type.Array(ChatTopicSchema),
    cached: 'caller',
    handle: async (ctx) => topicsOut(ctx, await topicsForUser(ctx.deps, ctx.actor)),
  }),
  defineEndpoint({
    name: 'GetChatTopicEntity',
    summary: 'Gets a ChatTopicEntity object; null when it does not exist or the caller is not a member.',
    rights: 'Members of the topic, administrators',
    query: { chatTopicEntityId: Int('The id of the topic') },
    response: ChatTopicSchema,
    handle: async (ctx, { query }) => topicOut(ctx, await getTopic(ctx.deps, ctx.actor, query.chatTopicEntityId)),
  }),
  defineEndpoint({
    name: 'CreateDefaultChatTopicEntity',
    summary: 'Set default values into a new ChatTopicEntity.',
    rights: 'Any user',
    response: ChatTopicSchema,
    select: false,
    handle: (ctx) => newTopicOut(ctx, defaultTopic()),
  }),
  defineEndpoint({
    name: 'SaveChatTopicEntity',
    summary: 'Updates the existing ChatTopicEntity or creates a new one if the id is 0.',
    rights: "Administrators create; the topic's managers and administrators update",
    body: ChatTopicSchema,
    response: ChatTopicSchema,
    select: false,
    handle: async (ctx, { body }) => {
      const id = body.ChatTopicId ?? 0; // left out: a new topic, as id 0
      const base = id > 0 ? await ctx.deps.store.topics.byId(id) : undefined;
      return topicOut(ctx, await saveTopic(ctx.deps, ctx.actor, topicFromWire(body, base ?? defaultTopic())));
    },
  }),
  defineEndpoint({
    name: 'DeleteChatTopicEntity',
    summary: 'Deletes the ChatTopicEntity with its agents, sessions and messages.',
    rights: 'Administrators',
    query: { ChatTopicEntityId: Int('The id of the topic to delete') },
    response: 'void',
    handle: (ctx, { query }) => deleteTopic(ctx.deps, ctx.actor, query.ChatTopicEntityId),
  }),
];
