// A routing team for tests: a fresh topic with its own agents (password "pw"), set up through the store so each
// test knows exactly who can respond where; plus helpers to route, read loads and save settings over the API.
import { hashPassword } from '../../src/auth/passwords.ts';
import { defaultTopic, defaultTopicAgent } from '../../src/domain/defaults.ts';
import { ChatSessionStatus as S } from '../../src/domain/enums.ts';
import { ADM0, basic, call, type TestApp } from './test-app.ts';

let passwordHash: Promise<string> | undefined;
let serial = 0;

export interface Team {
  topicId: number;
  /** Agents in creation order (ascending ids). */
  agents: Array<{ id: number; userName: string; auth: string }>;
}

/** A topic and `size` agents who can respond in it (present unless said otherwise). */
export async function routingTeam(app: TestApp, size: number, options: { present?: boolean; topicId?: number } = {}): Promise<Team> {
  passwordHash ??= hashPassword('pw');
  const hash = await passwordHash;
  const topicId =
    options.topicId ?? (await app.store.topics.insert({ ...defaultTopic(), name: `Routing ${++serial}`, welcomeMessage: 'Hello, how can I help?' }));
  const agents: Team['agents'] = [];
  for (let i = 0; i < size; i++) {
    const userName = `rt${++serial}`;
    const id = await app.store.associates.insert(
      { userName, fullName: `Agent ${userName}`, passwordHash: hash, isAdmin: false, present: options.present ?? true },
      new Date(),
    );
    await app.store.topicAgents.upsert({ ...defaultTopicAgent(), topicId, associateId: id, canRespond: true });
    agents.push({ id, userName, auth: basic(userName, 'pw') });
  }
  return { topicId, agents };
}

export const saveRouting = (app: TestApp, body: Record<string, unknown>, auth = ADM0) => call(app, '/api/v1/Parley/Routing/SaveSettings', { auth, body });

export const routingCall = (app: TestApp, method: string, auth: string, body?: unknown) => call(app, `/api/v1/Parley/Routing/${method}`, { auth, body });

/** Active sessions (CustomerLast, UserLast) per owner in the topic. */
export async function owners(app: TestApp, topicId: number): Promise<Map<number, number[]>> {
  const rows = await app.store.db
    .selectFrom('chat_sessions')
    .select(['id', 'user_id'])
    .where('topic_id', '=', topicId)
    .where('status', 'in', [S.CustomerLast, S.UserLast])
    .orderBy('id')
    .execute();
  const out = new Map<number, number[]>();
  for (const r of rows) if (r.user_id !== null) out.set(r.user_id, [...(out.get(r.user_id) ?? []), r.id]);
  return out;
}

export const statusOf = async (app: TestApp, id: number) => (await app.store.sessions.byId(id))?.status;
export const ownerOf = async (app: TestApp, id: number) => (await app.store.sessions.byId(id))?.userId ?? null;

/** Waits until `check` holds (polling every 20 ms), failing with `what` after `ms`. */
export async function eventually(check: () => Promise<boolean>, what: string, ms = 5_000) {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The routing events in the outbox after `afterId`, as [type, session id, payload]. */
export async function routingEvents(app: TestApp, afterId = 0) {
  const events = await app.store.events.after(afterId, 1000);
  return events
    .filter((e) => e.type === 'chatsession.offered' || e.type === 'chatsession.offer_ended' || e.type === 'chatsession.assigned')
    .map((e) => ({ type: e.type, sessionId: e.sessionId, payload: e.payload as unknown as Record<string, unknown> }));
}
