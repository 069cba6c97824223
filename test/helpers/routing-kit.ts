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

/** A small seeded generator (mulberry32): the same seed drives the same interleaving. */
export function seeded(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] };
}

/** What the routing invariants are checked against: read straight from the database. */
export interface RoutingSnapshot {
  /** Per agent: active chats plus open offers. */
  load: Map<number, number>;
  present: Set<number>;
  violations: string[];
}

/**
 * Reads the whole routing state of `topicIds` (every agent of them has one capacity in all of them, `capacity`) and
 * lists what breaks a rule: an agent whose load grew past their capacity (`before`: the loads at the last check;
 * an agent already over after their capacity was lowered may stay so, but gets nothing new), an active session
 * with an offer, two active sessions of one agent with one rank, an offer to an agent away or not responding, and a
 * queued session nobody was offered while an agent who may take it has room.
 */
export async function checkRouting(
  db: TestApp['store']['db'],
  topicIds: readonly number[],
  capacity: ReadonlyMap<number, number>,
  before: ReadonlyMap<number, number>,
): Promise<RoutingSnapshot> {
  const violations: string[] = [];
  const sessions = await db
    .selectFrom('chat_sessions')
    .select(['id', 'topic_id', 'status', 'user_id', 'rank'])
    .where('topic_id', 'in', [...topicIds])
    .execute();
  const offers = await db
    .selectFrom('routing_offers')
    .selectAll()
    .where('topic_id', 'in', [...topicIds])
    .execute();
  const declines = await db.selectFrom('routing_declines').selectAll().execute();
  const roles = await db
    .selectFrom('chat_topic_agents')
    .select(['topic_id', 'associate_id'])
    .where('can_respond', '=', 1)
    .where('topic_id', 'in', [...topicIds])
    .execute();
  const agentIds = [...new Set(roles.map((r) => r.associate_id))];
  const users = await db.selectFrom('associates').select(['id', 'present']).where('id', 'in', agentIds).execute();
  const present = new Set(users.filter((u) => Number(u.present) === 1).map((u) => u.id));
  const active = sessions.filter((s) => s.status === S.CustomerLast || s.status === S.UserLast);
  // Loads count every topic's chats: these agents have no role outside `topicIds`.
  const load = new Map<number, number>();
  for (const s of active) if (s.user_id !== null) load.set(s.user_id, (load.get(s.user_id) ?? 0) + 1);
  for (const o of offers) load.set(o.associate_id, (load.get(o.associate_id) ?? 0) + 1);
  for (const id of agentIds) {
    const now = load.get(id) ?? 0;
    const cap = capacity.get(id) ?? 0;
    if (now > cap && now > (before.get(id) ?? 0)) violations.push(`agent ${id} went to ${now} chats with capacity ${cap}`);
  }
  const offered = new Map(offers.map((o) => [o.session_id, o]));
  const ranks = new Set<string>();
  for (const s of active) {
    if (offered.has(s.id)) violations.push(`session ${s.id} is active (agent ${s.user_id}) and offered to ${offered.get(s.id)?.associate_id}`);
    const key = `${s.user_id}:${s.rank}`;
    if (ranks.has(key)) violations.push(`agent ${s.user_id} has two active sessions with rank ${s.rank}`);
    ranks.add(key);
  }
  const responds = new Set(roles.map((r) => `${r.topic_id}:${r.associate_id}`));
  for (const o of offers) {
    if (!present.has(o.associate_id)) violations.push(`session ${o.session_id} is offered to agent ${o.associate_id}, who is away`);
    if (!responds.has(`${o.topic_id}:${o.associate_id}`)) violations.push(`session ${o.session_id} is offered to agent ${o.associate_id}, who cannot respond`);
  }
  const declined = new Set(declines.map((d) => `${d.session_id}:${d.associate_id}`));
  for (const s of sessions.filter((x) => x.status === S.InQueue && !offered.has(x.id))) {
    const free = roles.filter(
      (r) =>
        r.topic_id === s.topic_id &&
        present.has(r.associate_id) &&
        (load.get(r.associate_id) ?? 0) < (capacity.get(r.associate_id) ?? 0) &&
        !declined.has(`${s.id}:${r.associate_id}`),
    );
    if (free.length) violations.push(`session ${s.id} waits in topic ${s.topic_id} while agent ${free[0].associate_id} has room`);
  }
  return { load, present, violations };
}
