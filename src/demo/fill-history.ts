// `parley demo --history 90d`: writes generated chat history (demo-history.ts) through the store, in batches, over the
// topics and the agents who can respond there.
import { defaultSession } from '../domain/defaults.ts';
import { ChatMessageType } from '../domain/enums.ts';
import type { ParleyStore } from '../storage/store.ts';
import { type HistorySession, historySessions } from './demo-history.ts';

const BATCH = 250;

export async function fillDemoHistory(store: ParleyStore, now: Date, days: number, sessionKey: () => string, perDay = 60): Promise<number> {
  const roles = await store.db.selectFrom('chat_topic_agents').select(['topic_id', 'associate_id']).where('can_respond', '=', 1).execute();
  const topics = (await store.db.selectFrom('chat_topics').select(['id', 'bot_enabled']).execute()).map((t) => ({
    id: t.id,
    bot: t.bot_enabled === 1,
    agents: roles.filter((r) => r.topic_id === t.id).map((r) => r.associate_id),
  }));
  if (!topics.length) return 0;
  let written = 0;
  let batch: HistorySession[] = [];
  const flush = async () => {
    await store.transaction(async (tx) => {
      for (const h of batch) await write(tx, h, sessionKey());
    });
    written += batch.length;
    batch = [];
  };
  for (const h of historySessions({ days, perDay, now, topics })) {
    batch.push(h);
    if (batch.length >= BATCH) await flush();
  }
  if (batch.length) await flush();
  return written;
}

async function write(store: ParleyStore, h: HistorySession, key: string) {
  const said = h.lines.filter((l) => l.special === 0);
  const id = await store.sessions.insert({
    ...defaultSession(h.requestedAt),
    topicId: h.topicId,
    userId: h.agentId,
    status: h.status,
    customerName: h.customerName,
    sessionKey: key,
    firstMessage: said[0]?.text ?? '',
    lastMessage: said.at(-1)?.text ?? '',
    whenRequested: h.requestedAt,
    whenStarted: h.startedAt,
    whenEnded: h.endedAt,
    rating: h.rating,
  });
  for (const l of h.lines) {
    await store.messages.insert({
      sessionId: id,
      type: l.type,
      specialType: l.special,
      specialParam: '',
      message: l.text,
      author: l.author,
      readByCustomer: 1,
      whenPosted: new Date(h.requestedAt.getTime() + l.at * 1000),
      createdBy: l.type === ChatMessageType.ToCustomer ? h.agentId : null,
    });
  }
}
