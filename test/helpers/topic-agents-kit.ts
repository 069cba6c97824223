// What the topic-agent tests share: the demo's topics and users, the shapes they check, and the calls they make.
import { basic, call, type TestApp } from './test-app.ts';

export const SVE3 = basic('sve3', 'Sve3');

// The demo's topics, in the order demo-data inserts them into a fresh database.
export const SUPPORT = 1,
  SALES = 2,
  SWEDEN = 3,
  GERMANY = 4,
  BOT_LAB = 5;

export const AGENT_KEYS = ['TopicId', 'User', 'CanListen', 'CanRespond', 'CanManage', 'CanNotify'];
// The reference page's Associate properties, in order (Parley adds ExtraFields/CustomFields before the Carrier tail).
export const ASSOCIATE_KEYS = [
  'AssociateId',
  'Name',
  'PersonId',
  'Rank',
  'Tooltip',
  'Type',
  'GroupIdx',
  'FullName',
  'FormalName',
  'Deleted',
  'EjUserId',
  'UserName',
];

export type Roles = Partial<Record<'CanListen' | 'CanRespond' | 'CanManage' | 'CanNotify', boolean>>;
export const NO_ROLES = { CanListen: false, CanRespond: false, CanManage: false, CanNotify: false };

/** The roles part of a ChatTopicAgent, for comparing. */
export const rolesOf = (a: any) => ({ CanListen: a.CanListen, CanRespond: a.CanRespond, CanManage: a.CanManage, CanNotify: a.CanNotify });

export async function userIds(app: TestApp) {
  const ids: Record<string, number> = {};
  for (const a of await app.store.associates.list()) ids[a.userName] = a.id;
  return ids;
}

export const listAgents = (app: TestApp, auth: string, topicId: number) => call(app, 'GetChatTopicUserAgentList', { auth, body: { ChatTopicId: topicId } });
export const getAgent = (app: TestApp, auth: string, topicId: number, user: string) =>
  call(app, 'GetChatTopicUserAgent', { auth, body: { ChatTopicId: topicId, Username: user } });
export const addAgent = (app: TestApp, auth: string, topicId: number, user: unknown, roles: Roles = {}) =>
  call(app, 'AddChatTopicUserAgent', { auth, body: { ChatTopicId: topicId, Useragent: { TopicId: topicId, User: user, ...NO_ROLES, ...roles } } });
export const topicIdsOf = async (app: TestApp, auth: string) => (await call(app, 'ChatTopicsForUser', { auth })).json.map((t: any) => t.ChatTopicId);
/** The stored roles of a user in a topic, straight from the database (undefined when not assigned). */
export const stored = async (app: TestApp, topicId: number, userId: number) => {
  const a = await app.store.topicAgents.get(topicId, userId);
  return a && { CanListen: a.canListen, CanRespond: a.canRespond, CanManage: a.canManage, CanNotify: a.canNotify };
};
