// Turns outbox events into what each push viewer may see, in the carriers the API answers with, presented for
// the viewer's rights and localized to the language and time zone its stream asked for. Work shared by many
// viewers (loading linked records, serialising for one rights/locale combination) is done once per event.
import { presentMessage } from '../carriers/chat-message.carrier.ts';
import { presentSession } from '../carriers/chat-session.carrier.ts';
import { presentNote } from '../carriers/workspace.carrier.ts';
import { presentVisitorSession } from '../carriers/visitor.carrier.ts';
import { ChatSessionStatus } from '../domain/enums.ts';
import type { DomainDeps } from '../domain/ports.ts';
import { type Actor, canSeeSession, canSeeTopic, type Role, sessionTableRight } from '../domain/rights.ts';
import type { Session } from '../domain/types.ts';
import { rolesOf, sessionViews, type SessionView } from '../domain/views.ts';
import { visitorView } from '../domain/visitor/visitor-view.ts';
import { enumName } from '../lib/dotnet-flags.ts';
import { isSessionEvent, type SessionEventType, type StoredEvent } from '../domain/events.ts';
import type { Negotiated } from './negotiate.ts';
import { localize } from './output.ts';

export type PushLocale = Pick<Negotiated, 'language' | 'timeZone' | 'offsetStyle'>;
export interface AgentViewer {
  actor: Actor;
  roles: Map<number, Role>;
  locale: PushLocale;
}
export interface VisitorViewer {
  sessionId: number;
  topicId: number;
  locale: PushLocale;
}
export type Rendered = { event: string; data: string } | undefined;

const statusName = (n: unknown) => (typeof n === 'number' ? enumName(n, ChatSessionStatus) : null);
const localeKey = (l: PushLocale) => `${l.language}|${l.timeZone}|${l.offsetStyle}`;

/** The name of each session event on agents' streams. */
const AGENT_EVENTS: Record<SessionEventType, string> = {
  'chatsession.created': 'session.created',
  'chatsession.changed': 'session.changed',
  'chatsession.message': 'message.added',
  'chatsession.alert': 'session.alert',
  'chatsession.typing': 'session.typing',
  'chatsession.offered': 'session.offered',
  'chatsession.offer_ended': 'session.offer_ended',
  'chatsession.assigned': 'session.assigned',
};

export class PushRenderer {
  /** Per event: the session's view (linked records loaded once) and finished frames by rights and locale. */
  private readonly cache = new WeakMap<StoredEvent, { view?: Promise<SessionView>; frames: Map<string, string> }>();

  constructor(private readonly deps: DomainDeps) {}

  /** False when forAgent would certainly answer undefined (decided without any I/O). */
  concernsAgent(e: StoredEvent, viewer: AgentViewer): boolean {
    if (!isSessionEvent(e)) return true; // presence and memberships: every agent hears of them
    return e.topicId !== null && canSeeSession(viewer.actor, viewer.roles.get(e.topicId));
  }

  /** False when forVisitor would certainly answer undefined. */
  concernsVisitor(e: StoredEvent, viewer: VisitorViewer): boolean {
    return e.sessionId === viewer.sessionId || (e.topicId === viewer.topicId && e.type === 'chatsession.changed');
  }

  async forAgent(e: StoredEvent, viewer: AgentViewer): Promise<Rendered> {
    if (e.type === 'presence.changed') {
      // Every user may read everyone's presence (GetChatPresence).
      return { event: 'presence.changed', data: JSON.stringify({ UserId: e.payload.userId, Present: e.payload.present }) };
    }
    if (e.type === 'topic.agents') {
      const { userId, topicId, removed } = e.payload;
      // The viewer's own roles changed: later events are judged by the new ones.
      if (userId === viewer.actor.id) viewer.roles = await rolesOf(this.deps, viewer.actor);
      if (userId !== viewer.actor.id && !canSeeTopic(viewer.actor, viewer.roles.get(topicId))) return undefined;
      return { event: 'topic.membership', data: JSON.stringify({ TopicId: topicId, UserId: userId, Removed: !!removed }) };
    }
    if (e.topicId === null) return undefined;
    const role = viewer.roles.get(e.topicId);
    if (!canSeeSession(viewer.actor, role)) return undefined;
    if (e.type === 'routing.settings') return { event: 'routing.changed', data: JSON.stringify({ TopicId: e.payload.topicId }) };
    if (e.type === 'session.note') {
      const { note } = e.payload;
      const body = { Note: presentNote(note), MentionsMe: note.mentions.includes(viewer.actor.id) };
      return { event: 'note.added', data: JSON.stringify(localize(body, viewer.locale)) };
    }
    if (e.type === 'chatsession.alert' && !e.payload.recipients.includes(viewer.actor.id)) return undefined;
    const entry = this.entry(e);
    const tableRight = sessionTableRight(viewer.actor, role);
    const key = `${tableRight}|${localeKey(viewer.locale)}`;
    let data = entry.frames.get(key);
    if (data === undefined) {
      const view = await (entry.view ??= this.loadView(e.payload.session));
      const body: Record<string, unknown> = { Session: presentSession({ ...view, tableRight }, 'exceptions') };
      switch (e.type) {
        case 'chatsession.changed':
          Object.assign(body, { OldStatus: statusName(e.payload.oldStatus), NewStatus: statusName(e.payload.newStatus), Purged: !!e.payload.purged });
          break;
        case 'chatsession.message':
          body.Message = presentMessage(e.payload.message);
          break;
        case 'chatsession.alert':
          Object.assign(body, { AlertLevel: e.payload.alertLevel, Reason: e.payload.reason });
          break;
        case 'chatsession.typing':
          Object.assign(body, { CustomerIsTyping: e.payload.customerIsTyping, UserIsTyping: e.payload.userIsTyping });
          break;
        case 'chatsession.offered':
          Object.assign(body, { UserId: e.payload.userId, ExpiresAt: e.payload.expiresAt });
          break;
        case 'chatsession.offer_ended':
          Object.assign(body, { UserId: e.payload.userId, Outcome: e.payload.outcome });
          break;
        case 'chatsession.assigned':
          Object.assign(body, { UserId: e.payload.userId, WaitSeconds: e.payload.waitSeconds, ByOffer: e.payload.byOffer });
          break;
        case 'chatsession.created':
          break;
      }
      data = JSON.stringify(localize(body, viewer.locale));
      entry.frames.set(key, data);
    }
    return { event: AGENT_EVENTS[e.type], data };
  }

  async forVisitor(e: StoredEvent, viewer: VisitorViewer): Promise<Rendered> {
    if (!isSessionEvent(e)) return undefined;
    const own = e.sessionId === viewer.sessionId;
    if (e.type === 'chatsession.message' && own) {
      return { event: 'message.added', data: JSON.stringify(localize({ Message: presentMessage(e.payload.message) }, viewer.locale)) };
    }
    // Its own session changed, or one ahead of it in the queue moved: the position it sees may have changed.
    const concerns = own
      ? ['chatsession.changed', 'chatsession.typing', 'chatsession.alert'].includes(e.type)
      : e.topicId === viewer.topicId && e.type === 'chatsession.changed';
    if (!concerns) return undefined;
    const session = await this.deps.store.sessions.byId(viewer.sessionId);
    if (!session) return undefined;
    if (!own && session.status !== ChatSessionStatus.InQueue) return undefined;
    const view = await visitorView(this.deps.store, session, this.deps.clock.now());
    return { event: 'session.changed', data: JSON.stringify(localize({ Session: presentVisitorSession(view) }, viewer.locale)) };
  }

  /**
   * Loads the session views of a batch of events with one query per kind of linked record, before the batch is fanned
   * out: loading them event by event put a database round trip per event on the hub's serial loop, which fell behind
   * on PostgreSQL at a few hundred events per second.
   */
  async prepare(events: readonly StoredEvent[]): Promise<void> {
    const pending: Array<{ entry: ReturnType<PushRenderer['entry']>; session: Session }> = [];
    for (const e of events) {
      if (!isSessionEvent(e)) continue;
      const entry = this.entry(e);
      if (!entry.view) pending.push({ entry, session: e.payload.session });
    }
    if (!pending.length) return;
    const loading = this.loadViews(pending.map((p) => p.session));
    pending.forEach((p, i) => {
      const view = loading.then((views) => views[i]);
      // A failure reaches the render of each viewer the event concerns (that stream resyncs, as when the event's own
      // load fails); events no open stream cares about leave it unread.
      view.catch(() => {});
      p.entry.view = view;
    });
    await loading.catch(() => {});
  }

  private entry(e: StoredEvent) {
    let entry = this.cache.get(e);
    if (!entry) this.cache.set(e, (entry = { frames: new Map() }));
    return entry;
  }

  private async loadView(session: Session): Promise<SessionView> {
    return (await this.loadViews([session]))[0];
  }

  private loadViews(sessions: Session[]): Promise<SessionView[]> {
    const system: Actor = { id: 0, userName: '', fullName: '', isAdmin: true };
    return sessionViews(this.deps, system, sessions, new Map());
  }
}
