// Months of believable chat history for the reports: more chats on weekdays and in office hours, waits and
// answers that vary by agent, some missed chats, offline requests, transfers, bot chats and ratings. Deterministic
// (a seeded generator), so a demo and a benchmark look the same every time. The rows are plain data: the demo
// command writes them through the store, the benchmark in bulk.
import { ChatMessageSpecialType as Special, ChatMessageType, ChatSessionStatus as S } from '../domain/enums.ts';
import type { SessionFacts } from '../domain/reports/facts.ts';

export interface HistoryLine {
  type: number;
  special: number;
  text: string;
  author: string;
  /** Seconds after the request. */
  at: number;
}

/** A generated chat: the facts reports read, the customer's name, and its lines. */
export interface HistorySession extends Pick<SessionFacts, 'topicId' | 'agentId' | 'status' | 'requestedAt' | 'startedAt' | 'endedAt' | 'rating'> {
  customerName: string;
  lines: HistoryLine[];
}

/** "90d", "12w", "6m" (30-day months) or a bare number of days. */
export function parseHistorySpan(text: string): number | undefined {
  const m = /^(\d{1,4})([dwm]?)$/.exec(text.trim());
  if (!m) return undefined;
  const days = Number(m[1]) * ({ d: 1, w: 7, m: 30, '': 1 } as Record<string, number>)[m[2]];
  return days > 0 && days <= 3660 ? days : undefined;
}

/** A small, fast, seeded generator (mulberry32). */
export function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Relative weight of each UTC hour (office hours in Europe) and weekday (0 = Sunday).
const HOUR_WEIGHT = [1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 14, 12, 10, 12, 13, 12, 10, 7, 5, 4, 3, 2, 2, 1];
const DAY_WEIGHT = [0.3, 1.1, 1.2, 1, 1, 0.9, 0.4];
const HOUR_TOTAL = HOUR_WEIGHT.reduce((a, b) => a + b, 0);

export interface HistoryPlan {
  days: number;
  /** Chats requested on an average weekday. */
  perDay: number;
  now: Date;
  /** Topics and, per topic, the agents who answer there. */
  topics: ReadonlyArray<{ id: number; agents: readonly number[]; bot?: boolean }>;
  seed?: number;
}

/** The sessions of `days` days before `now`, oldest first; every one of them ended. */
export function* historySessions(plan: HistoryPlan): Generator<HistorySession> {
  const rnd = seeded(plan.seed ?? 12);
  const dayStart = Math.floor(plan.now.getTime() / 86_400_000) * 86_400_000;
  const skew = (agentId: number) => 0.6 + (agentId % 5) * 0.25; // some agents are quicker than others
  for (let d = plan.days; d >= 1; d--) {
    const start = dayStart - d * 86_400_000;
    const weekday = new Date(start).getUTCDay();
    const count = Math.round(plan.perDay * DAY_WEIGHT[weekday] * (0.8 + rnd() * 0.4));
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      let pick = rnd() * HOUR_TOTAL;
      let hour = 0;
      while (pick >= HOUR_WEIGHT[hour]) pick -= HOUR_WEIGHT[hour++];
      times.push(start + hour * 3_600_000 + Math.floor(rnd() * 3_600_000));
    }
    times.sort((a, b) => a - b);
    for (const [i, t] of times.entries()) {
      const topic = plan.topics[Math.floor(rnd() * plan.topics.length)];
      yield chat(topic, new Date(t), rnd, skew, i);
    }
  }
}

function chat(topic: HistoryPlan['topics'][number], requestedAt: Date, rnd: () => number, skew: (id: number) => number, n: number): HistorySession {
  const at = (s: number) => new Date(requestedAt.getTime() + Math.round(s) * 1000);
  const customer = (s: number, text: string): HistoryLine => ({ type: ChatMessageType.ToUser, special: Special.None, text, author: 'Customer', at: s });
  const base = { topicId: topic.id, rating: 0, customerName: `Customer ${n + 1}` };
  const roll = rnd();
  if (topic.bot && roll < 0.3) {
    const lines = [
      customer(5, 'Where is my order?'),
      { type: ChatMessageType.Special, special: Special.BotMessage, text: 'Here is how to track it.', author: 'Bot', at: 8 },
    ];
    return { ...base, agentId: null, status: S.Finished, requestedAt, startedAt: null, endedAt: at(120), lines };
  }
  if (roll < 0.08 || !topic.agents.length) {
    // Missed: gave up waiting, or left a message on the offline form.
    const offline = rnd() < 0.4;
    return {
      ...base,
      agentId: null,
      status: offline ? S.RequestPosted : S.ClosedFromQueue,
      requestedAt,
      startedAt: null,
      endedAt: at(60 + rnd() * 600),
      lines: [customer(10, 'Hello?')],
    };
  }
  const agentId = topic.agents[Math.floor(rnd() * topic.agents.length)];
  const wait = (5 + rnd() * rnd() * 400) * skew(agentId);
  const firstAnswer = wait + (5 + rnd() * 90) * skew(agentId);
  const handling = firstAnswer - wait + 120 + rnd() * rnd() * 1800;
  const lines: HistoryLine[] = [
    customer(3, 'I have a question about my invoice'),
    { type: ChatMessageType.ToCustomer, special: Special.None, text: 'Happy to help: which invoice?', author: 'Agent', at: firstAnswer },
    customer(firstAnswer + 30, 'The one from last month'),
  ];
  const transferred = rnd() < 0.05;
  if (transferred)
    lines.push({ type: ChatMessageType.Special, special: Special.TransferedSession, text: 'The chat was transferred', author: 'Agent', at: firstAnswer + 40 });
  const rating = rnd() < 0.35 ? Math.min(5, Math.max(1, Math.round(5.6 - rnd() * 3 * skew(agentId)))) : 0;
  return { ...base, agentId, status: rnd() < 0.8 ? S.Finished : S.Closed, requestedAt, startedAt: at(wait), endedAt: at(wait + handling), rating, lines };
}
