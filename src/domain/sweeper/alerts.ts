// Unanswered chats: a queued session waiting longer than WarnNewChatMinutes, or a customer's message unanswered
// longer than WarnChatMessageMinutes, raises AlertLevel to 1 and notifies the present agents with Notifications;
// the manager variants raise it to 2 and notify the topic's managers (only while some agent is present).
// Each level is raised once; an answer (or a pick-up) sets it back to 0.
import { ChatSessionStatus as S } from '../enums.ts';
import type { ChatStore, DomainDeps } from '../ports.ts';
import type { Session, Topic } from '../types.ts';
import { persist } from '../sessions/life-cycle.ts';

export async function raiseAlerts(deps: DomainDeps, store: ChatStore, now: Date): Promise<number> {
  // Candidates: waiting or unanswered for at least a minute, below the highest level.
  const since = new Date(now.getTime() - 60_000);
  const queued = await store.sessions.staleSince([S.InQueue], 'whenRequested', since, 500);
  const unanswered = await store.sessions.staleSince([S.CustomerLast], 'whenIdle', since, 500);
  const topics = new Map<number, Topic | undefined>();
  let raised = 0;
  for (const s of [...queued, ...unanswered]) {
    if (s.alertLevel >= 2) continue;
    if (!topics.has(s.topicId)) topics.set(s.topicId, await store.topics.byId(s.topicId));
    const topic = topics.get(s.topicId);
    if (!topic) continue;
    const level = await dueLevel(store, topic, s, now);
    if (level > s.alertLevel && (await raise(deps, store, s, level, topic))) raised++;
  }
  return raised;
}

async function dueLevel(store: ChatStore, topic: Topic, s: Session, now: Date): Promise<number> {
  const since = s.status === S.InQueue ? s.whenRequested : s.whenIdle;
  if (!since) return 0;
  const minutes = (now.getTime() - since.getTime()) / 60_000;
  const [agentMinutes, managerMinutes] = s.status === S.InQueue
    ? [topic.warnNewChatMinutes, topic.warnManagerNewChatMinutes]
    : [topic.warnChatMessageMinutes, topic.warnManagerChatMessageMinutes];
  if (managerMinutes > 0 && minutes >= managerMinutes && (await store.topicAgents.presentResponders(topic.id)) > 0) return 2;
  return agentMinutes > 0 && minutes >= agentMinutes ? 1 : 0;
}

async function raise(deps: DomainDeps, store: ChatStore, candidate: Session, level: number, topic: Topic): Promise<boolean> {
  return store.transaction(async (tx) => {
    const s = await tx.sessions.byIdForUpdate(candidate.id);
    if (!s || s.status !== candidate.status || s.alertLevel >= level) return false;
    const saved = await persist(deps, tx, s, { ...s, alertLevel: level }, null);
    const agents = await tx.topicAgents.forTopic(topic.id);
    const present = new Set((await tx.associates.byIds(agents.map((a) => a.associateId))).filter((u) => u.present && !u.deleted).map((u) => u.id));
    const recipients = agents.filter((a) => (level >= 2 ? a.canManage : a.canNotify && present.has(a.associateId))).map((a) => a.associateId);
    await tx.events.append({
      type: 'chatsession.alert', topicId: topic.id, sessionId: s.id, associateId: null, createdAt: deps.clock.now(),
      payload: { session: saved, alertLevel: level, recipients, reason: s.status === S.InQueue ? 'unansweredNewChat' : 'unansweredMessage' },
    });
    return true;
  });
}
