// Unanswered chats: a queued session waiting longer than WarnNewChatMinutes, or a customer's message unanswered
// longer than WarnChatMessageMinutes, raises AlertLevel to 1 and notifies the present agents with Notifications;
// the manager variants raise it to 2 and notify the topic's managers (only while some agent is present).
// Each level is raised once; an answer (or a pick-up) sets it back to 0.
import { ChatSessionStatus as S } from '../enums.ts';
import type { ChatStore, DomainDeps } from '../ports.ts';
import type { Session, Topic } from '../types.ts';
import { outboxSession, persist } from '../sessions/life-cycle.ts';

export async function raiseAlerts(deps: DomainDeps, store: ChatStore, now: Date): Promise<number> {
  // Candidates: waiting or unanswered for at least a minute, in topics that warn, below the level they can reach.
  const since = new Date(now.getTime() - 60_000);
  const queued = await store.sessions.alertCandidates(S.InQueue, since, 500);
  const unanswered = await store.sessions.alertCandidates(S.CustomerLast, since, 500);
  const topics = new Map<number, Topic | undefined>();
  let raised = 0;
  for (const s of [...queued, ...unanswered]) {
    if (!topics.has(s.topicId)) topics.set(s.topicId, await store.topics.byId(s.topicId));
    const topic = topics.get(s.topicId);
    if (!topic) continue;
    const due = await dueLevels(store, topic, s, now);
    // The agents' notice comes first, even when the sweeper sees both thresholds passed at once (it was down,
    // or the managers' threshold is the shorter): the agents with Notifications are told before the managers.
    if (due.agents && s.alertLevel < 1 && (await raise(deps, store, s, 1, topic))) raised++;
    if (due.managers && s.alertLevel < 2 && (await raise(deps, store, s, 2, topic))) raised++;
  }
  return raised;
}

async function dueLevels(store: ChatStore, topic: Topic, s: Session, now: Date): Promise<{ agents: boolean; managers: boolean }> {
  const since = s.status === S.InQueue ? s.whenRequested : s.whenIdle;
  if (!since) return { agents: false, managers: false };
  const minutes = (now.getTime() - since.getTime()) / 60_000;
  const [agentMinutes, managerMinutes] =
    s.status === S.InQueue ? [topic.warnNewChatMinutes, topic.warnManagerNewChatMinutes] : [topic.warnChatMessageMinutes, topic.warnManagerChatMessageMinutes];
  const agents = agentMinutes > 0 && minutes >= agentMinutes;
  // Managers are called in only while some agent is there to take it (otherwise it is the offline form's case).
  const managers = managerMinutes > 0 && minutes >= managerMinutes && (await store.topicAgents.presentResponders(topic.id)) > 0;
  return { agents, managers };
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
      type: 'chatsession.alert',
      topicId: topic.id,
      sessionId: s.id,
      associateId: null,
      createdAt: deps.clock.now(),
      payload: { session: outboxSession(saved), alertLevel: level, recipients, reason: s.status === S.InQueue ? 'unansweredNewChat' : 'unansweredMessage' },
    });
    return true;
  });
}
