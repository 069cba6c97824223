// Chat sessions and their messages.
import { CompiledQuery, type Kysely } from 'kysely';
import { ChatSessionStatus } from '../domain/enums.ts';
import type { MessageRepository, SessionGuard, SessionRepository } from '../domain/ports.ts';
import type { Message, Session } from '../domain/types.ts';
import { type Capabilities, fromDbFlag as flag, lockingRows, toDbInstant } from './dialect.ts';
import type { Database } from './schema.ts';
import { messageFromRow, sessionFromRow, sessionToRow } from './session.mapper.ts';
import { sharedVersion } from './scope-versions.ts';
import { sessionKeyDigest } from './session-key.ts';

// Placeholders of the member version query, swapped for the caller's values at each run.
const CALLER = -2_147_483_000;
const CUTOFF = '1970-01-01T00:00:00.001Z';

interface MemberVersionRow {
  id: number;
  topic_id: number;
  row_version: number | string;
  can_listen: unknown;
  can_respond: unknown;
  can_manage: unknown;
  can_notify: unknown;
  shared: number | string | null;
}

export class KyselySessionRepository implements SessionRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly caps: Capabilities,
  ) {}

  async byIdForUpdate(id: number) {
    const row = await lockingRows(this.db.selectFrom('chat_sessions').selectAll().where('id', '=', id), this.caps).executeTakeFirst();
    return row && sessionFromRow(row);
  }

  async claimFirstQueued(topicIds: readonly number[]) {
    if (topicIds.length === 0) return undefined;
    const q = this.db
      .selectFrom('chat_sessions')
      .selectAll()
      .where('status', '=', ChatSessionStatus.InQueue)
      .where('chatbot_is_active', '=', 0)
      .where('topic_id', 'in', [...topicIds])
      .orderBy('when_requested')
      .orderBy('id')
      .limit(1);
    // Concurrent claimers each get a different row instead of queueing behind one lock.
    const row = await lockingRows(q, this.caps, true).executeTakeFirst();
    return row && sessionFromRow(row);
  }

  async staleSince(statuses: readonly number[], field: 'whenFetched' | 'whenIdle' | 'whenEnded', before: Date, limit: number) {
    const column = ({ whenFetched: 'when_fetched', whenIdle: 'when_idle', whenEnded: 'when_ended' } as const)[field];
    const rows = await this.db
      .selectFrom('chat_sessions')
      .selectAll()
      .where('status', 'in', [...statuses])
      .where(column, 'is not', null)
      .where(column, '<', before.toISOString())
      .orderBy(column)
      .limit(limit)
      .execute();
    return rows.map(sessionFromRow);
  }

  async alertCandidates(status: number, before: Date, limit: number) {
    const queued = status === ChatSessionStatus.InQueue;
    const column = queued ? 'chat_sessions.when_requested' : 'chat_sessions.when_idle';
    const agentWarn = queued ? 'chat_topics.warn_new_chat_minutes' : 'chat_topics.warn_chat_message_minutes';
    const managerWarn = queued ? 'chat_topics.warn_manager_new_chat_minutes' : 'chat_topics.warn_manager_chat_message_minutes';
    const rows = await this.db
      .selectFrom('chat_sessions')
      .innerJoin('chat_topics', 'chat_topics.id', 'chat_sessions.topic_id')
      .selectAll('chat_sessions')
      .where('chat_sessions.status', '=', status)
      .where(column, 'is not', null)
      .where(column, '<', before.toISOString())
      .where('chat_sessions.chatbot_is_active', '=', 0) // a bot answers these; people are not waited for yet
      // Sessions that can rise no further (or topics that never warn) must not take the places of those that can.
      .where((eb) =>
        eb.or([
          eb.and([eb(managerWarn, '>', 0), eb('chat_sessions.alert_level', '<', 2)]),
          eb.and([eb(agentWarn, '>', 0), eb('chat_sessions.alert_level', '<', 1)]),
        ]),
      )
      .orderBy(column)
      .limit(limit)
      .execute();
    return rows.map(sessionFromRow);
  }

  async byKey(sessionKey: string) {
    if (!sessionKey) return undefined;
    const row = await this.byKeyQuery(sessionKey).executeTakeFirst();
    return row && sessionFromRow(row);
  }

  async byKeyForUpdate(sessionKey: string) {
    if (!sessionKey) return undefined;
    const row = await lockingRows(this.byKeyQuery(sessionKey), this.caps).executeTakeFirst();
    return row && sessionFromRow(row);
  }

  private byKeyQuery(sessionKey: string) {
    return this.db.selectFrom('chat_sessions').selectAll().where('session_key_digest', '=', sessionKeyDigest(sessionKey));
  }

  async queuePosition(s: Session) {
    const requested = toDbInstant(s.whenRequested) ?? '';
    const row = await this.db
      .selectFrom('chat_sessions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', ChatSessionStatus.InQueue)
      .where('chatbot_is_active', '=', 0)
      .where('topic_id', '=', s.topicId)
      .where((w) => w.or([w('when_requested', '<', requested), w.and([w('when_requested', '=', requested), w('id', '<', s.id)])]))
      .executeTakeFirstOrThrow();
    return Number(row.n) + 1;
  }

  async activeRanks(userId: number) {
    // One agent picking up several sessions at once: lock the agent's row so ranks are chosen one after another.
    if (this.caps.rowLocks) await lockingRows(this.db.selectFrom('associates').select('id').where('id', '=', userId), this.caps).execute();
    const rows = await this.db.selectFrom('chat_sessions').select('rank').where('user_id', '=', userId).where('rank', '>', 0).execute();
    return rows.map((r) => r.rank);
  }

  async byId(id: number) {
    const row = await this.db.selectFrom('chat_sessions').selectAll().where('id', '=', id).executeTakeFirst();
    return row && sessionFromRow(row);
  }

  async forMember(associateId: number, endedAfter: Date | null) {
    // Walks the caller's memberships, then each topic's sessions through (topic_id, id): never all sessions.
    let q = this.db
      .selectFrom('chat_sessions')
      .selectAll()
      .where('topic_id', 'in', (eb) =>
        eb
          .selectFrom('chat_topic_agents')
          .select('topic_id')
          .where('associate_id', '=', associateId)
          .where((w) => w.or([w('can_listen', '=', 1), w('can_respond', '=', 1), w('can_manage', '=', 1), w('can_notify', '=', 1)])),
      )
      .where('status', '<>', ChatSessionStatus.Deleted);
    if (endedAfter) {
      const cutoff = toDbInstant(endedAfter) as string;
      q = q.where((w) => w.or([w('when_ended', 'is', null), w('when_ended', '>', cutoff)]));
    }
    const rows = await q.orderBy('id').execute();
    return rows.map(sessionFromRow);
  }

  async memberVersions(associateId: number, endedAfter: Date | null) {
    const compiled = this.memberVersionQuery(!!endedAfter);
    const parameters = compiled.parameters.map((p) => (p === CALLER ? associateId : p === CUTOFF ? toDbInstant(endedAfter) : p));
    const { rows } = await this.db.executeQuery<MemberVersionRow>(CompiledQuery.raw(compiled.sql, parameters));
    return {
      shared: Number(rows[0]?.shared ?? 0),
      sessions: rows.map((r) => ({
        id: r.id,
        topicId: r.topic_id,
        version: Number(r.row_version),
        role: { canListen: flag(r.can_listen), canRespond: flag(r.can_respond), canManage: flag(r.can_manage), canNotify: flag(r.can_notify) },
      })),
    };
  }

  private readonly memberVersionQueries = new Map<boolean, { sql: string; parameters: readonly unknown[] }>();

  /**
   * The caller's role rows, then each of those topics' sessions through (topic_id, id), with the role on each. Every
   * poll runs it: built once per form (with or without the cutoff), as building cost more than running.
   */
  private memberVersionQuery(withCutoff: boolean) {
    let compiled = this.memberVersionQueries.get(withCutoff);
    if (compiled) return compiled;
    let q = this.db
      .selectFrom('chat_topic_agents as a')
      .innerJoin('chat_sessions as s', 's.topic_id', 'a.topic_id')
      .where('a.associate_id', '=', CALLER)
      .where((w) => w.or([w('a.can_listen', '=', 1), w('a.can_respond', '=', 1), w('a.can_manage', '=', 1), w('a.can_notify', '=', 1)]))
      .where('s.status', '<>', ChatSessionStatus.Deleted);
    if (withCutoff) q = q.where((w) => w.or([w('s.when_ended', 'is', null), w('s.when_ended', '>', CUTOFF)]));
    compiled = q
      .select(['s.id', 's.topic_id', 's.row_version', 'a.can_listen', 'a.can_respond', 'a.can_manage', 'a.can_notify'])
      // The shared counter (migration 021) in the same statement: the same snapshot as the rows.
      .select(sharedVersion(this.db).as('shared'))
      .orderBy('s.id')
      .compile();
    // The placeholders must each stand once, or a parameter would be bound wrongly.
    if (compiled.parameters.filter((p) => p === CALLER || p === CUTOFF).length !== (withCutoff ? 2 : 1)) {
      throw new Error('member version query: unexpected parameters');
    }
    this.memberVersionQueries.set(withCutoff, compiled);
    return compiled;
  }

  async versionedByIds(ids: readonly number[]) {
    const found: Array<{ session: Session; version: number }> = [];
    // In slices: a statement takes a bounded number of parameters (a manager may list thousands of sessions).
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db
        .selectFrom('chat_sessions')
        .selectAll()
        .where('id', 'in', ids.slice(i, i + 500))
        .execute();
      for (const r of rows) found.push({ session: sessionFromRow(r), version: Number(r.row_version) });
    }
    return found.sort((a, b) => a.session.id - b.session.id);
  }

  async insert(session: Omit<Session, 'id'>) {
    const row = await this.db
      .insertInto('chat_sessions')
      .values({ ...sessionToRow(session), session_key_digest: session.sessionKey ? sessionKeyDigest(session.sessionKey) : '' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async update(session: Session, guard: SessionGuard = {}) {
    let q = this.db.updateTable('chat_sessions').set(sessionToRow(session)).where('id', '=', session.id);
    if (guard.status !== undefined) q = q.where('status', '=', guard.status);
    if (guard.userId !== undefined) q = guard.userId === null ? q.where('user_id', 'is', null) : q.where('user_id', '=', guard.userId);
    if (guard.transferToId !== undefined) {
      q = guard.transferToId === null ? q.where('transfer_to_id', 'is', null) : q.where('transfer_to_id', '=', guard.transferToId);
    }
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async remove(id: number) {
    const r = await this.db.deleteFrom('chat_sessions').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async countInQueue(topicId: number) {
    // A session a bot is handling waits for nobody (pick-ups skip it): it is not part of the people's queue.
    const row = await this.db
      .selectFrom('chat_sessions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', ChatSessionStatus.InQueue)
      .where('chatbot_is_active', '=', 0)
      .where('topic_id', '=', topicId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

export class KyselyMessageRepository implements MessageRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async forSession(sessionId: number, afterId: number) {
    const rows = await this.db.selectFrom('chat_messages').selectAll().where('session_id', '=', sessionId).where('id', '>', afterId).orderBy('id').execute();
    return rows.map(messageFromRow);
  }

  async insert(m: Omit<Message, 'id'>) {
    const row = await this.db
      .insertInto('chat_messages')
      .values({
        session_id: m.sessionId,
        type: m.type,
        message: m.message,
        author: m.author,
        read_by_customer: m.readByCustomer,
        special_type: m.specialType,
        special_param: m.specialParam,
        when_posted: m.whenPosted.toISOString(),
        created_by: m.createdBy,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async markReadByCustomer(sessionId: number, afterId: number, upToId: number) {
    const r = await this.db
      .updateTable('chat_messages')
      .set({ read_by_customer: 1 })
      .where('session_id', '=', sessionId)
      .where('id', '>', afterId)
      .where('id', '<=', upToId)
      .where('read_by_customer', '=', 0)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }
}
