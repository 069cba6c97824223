// What the widget shows about the visitor's own session: status, queue position ({cque}) and average wait
// ({cavw}), the topic's queue text with both filled in, and who answers. Reading it counts as the visitor's
// client being alive (WhenFetched), written at most every FETCH_WRITE_SECONDS so polling stays cheap.
import { ChatSessionFlags, ChatSessionStatus as S } from '../enums.ts';
import type { ChatStore, DomainDeps } from '../ports.ts';
import type { Session } from '../types.ts';
import { offlineFormOfferedFromQueue } from './submit-offline-form.ts';

export interface VisitorView {
  session: Session;
  queuePosition: number;
  averageWaitSeconds: number;
  queueMessage: string;
  agentName: string;
  agentIsTyping: boolean;
  canRate: boolean;
  canGetTranscript: boolean;
  /** The widget may show the offline form now (the session is at it, or waited long enough in the queue). */
  offlineFormAvailable: boolean;
}

const FETCH_WRITE_SECONDS = 20;

export async function touchFetched(deps: DomainDeps, store: ChatStore, session: Session): Promise<Session> {
  const now = deps.clock.now();
  if (session.whenFetched && now.getTime() - session.whenFetched.getTime() < FETCH_WRITE_SECONDS * 1000) return session;
  const touched = { ...session, whenFetched: now };
  await store.sessions.update(touched);
  return touched;
}

/** Seconds as {cavw} shows them: hh:mm. */
export const hoursMinutes = (seconds: number) => {
  const minutes = Math.round(seconds / 60);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
};

export async function visitorView(store: ChatStore, session: Session, now: Date): Promise<VisitorView> {
  const topic = await store.topics.byId(session.topicId);
  const queuePosition = session.status === S.InQueue ? await store.sessions.queuePosition(session) : 0;
  const averageWaitSeconds = topic?.secondsPrAccept ?? 0;
  const template = topic?.customQueueTextEnabled && topic.customQueueText ? topic.customQueueText : '';
  const agent = session.userId ? await store.associates.byId(session.userId) : undefined;
  const firstNameOnly = topic?.widget.useAgentFirstname;
  return {
    session,
    queuePosition,
    averageWaitSeconds,
    queueMessage: template.replaceAll('{cque}', String(queuePosition)).replaceAll('{cavw}', hoursMinutes(averageWaitSeconds)),
    agentName: agent ? (firstNameOnly ? agent.fullName.split(/\s+/)[0] : agent.fullName) : '',
    agentIsTyping: (session.flags & ChatSessionFlags.UserIsTyping) !== 0,
    canRate: !!topic?.widgetEnableRating && session.whenStarted !== null,
    canGetTranscript: !!topic?.widget.postTranscriptEnabled,
    offlineFormAvailable:
      !!topic?.ticketEnabled &&
      (session.status === S.OfflineForm || (session.status === S.InQueue && (await offlineFormOfferedFromQueue(store, topic, session, now)))),
  };
}
