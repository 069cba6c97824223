// Routing's working tables (migration 019): open offers, missed offers and each agent's last assignment; the queue
// as routing reads it; agents weighed with their rows locked. Loads are counted from chat_sessions (owned, active)
// plus open offers. The settings are routing-settings.repository.ts's.
import { type Kysely, type Selectable, sql } from 'kysely';
import { ChatSessionStatus as S } from '../domain/enums.ts';
import type { RoutingCandidate, RoutingOffer, RoutingRepository } from '../domain/routing/routing.ts';
import { type Capabilities, fromDbFlag, fromDbInstant, lockingRows, toDbInstant } from './dialect.ts';
import type { Database, RoutingOfferTable } from './schema.ts';
import { sessionFromRow } from './session.mapper.ts';

const ACTIVE = [S.CustomerLast, S.UserLast];

const offerFromRow = (r: Selectable<RoutingOfferTable>): RoutingOffer => ({
  sessionId: r.session_id,
  associateId: r.associate_id,
  topicId: r.topic_id,
  offeredAt: fromDbInstant(r.offered_at) as Date,
  expiresAt: fromDbInstant(r.expires_at) as Date,
});

export class KyselyRoutingRepository implements RoutingRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly caps: Capabilities,
  ) {}

  private routableQuery() {
    return this.db
      .selectFrom('chat_sessions as s')
      .innerJoin('routing_settings as r', 'r.topic_id', 's.topic_id')
      .selectAll('s')
      .where('s.status', '=', S.InQueue)
      .where('s.chatbot_is_active', '=', 0)
      .where('r.mode', '=', 'auto')
      .where((eb) => eb.not(eb.exists(eb.selectFrom('routing_offers as o').select('o.session_id').whereRef('o.session_id', '=', 's.id'))));
  }

  async routable(limit: number, after?: { whenRequested: Date | null; id: number }, skipTopics: readonly number[] = []) {
    let q = this.routableQuery();
    if (skipTopics.length) q = q.where('s.topic_id', 'not in', [...skipTopics]);
    if (after?.whenRequested) {
      const at = toDbInstant(after.whenRequested) as string;
      q = q.where((eb) => eb.or([eb('s.when_requested', '>', at), eb.and([eb('s.when_requested', '=', at), eb('s.id', '>', after.id)])]));
    }
    const rows = await q.orderBy('s.when_requested').orderBy('s.id').limit(limit).execute();
    return rows.map(sessionFromRow);
  }

  async claimRoutable(sessionId: number) {
    const q = this.db
      .selectFrom('chat_sessions as s')
      .selectAll('s')
      .where('s.id', '=', sessionId)
      .where('s.status', '=', S.InQueue)
      .where('s.chatbot_is_active', '=', 0);
    const row = await lockingRows(q, this.caps, true).executeTakeFirst();
    if (!row) return undefined;
    // Checked after the lock: an offer made by a router that held the row a moment ago is visible now.
    return (await this.offerFor(sessionId)) ? undefined : sessionFromRow(row);
  }

  async candidates(topicId: number, sessionId: number, defaultCapacity: number) {
    const ids = (
      await this.db.selectFrom('chat_topic_agents').select('associate_id').where('topic_id', '=', topicId).where('can_respond', '=', 1).execute()
    ).map((r) => r.associate_id);
    return this.weigh(topicId, ids, sessionId, defaultCapacity);
  }

  async candidate(topicId: number, associateId: number, sessionId: number, defaultCapacity: number) {
    const role = await this.db
      .selectFrom('chat_topic_agents')
      .select('associate_id')
      .where('topic_id', '=', topicId)
      .where('associate_id', '=', associateId)
      .where('can_respond', '=', 1)
      .executeTakeFirst();
    return role ? (await this.weigh(topicId, [associateId], sessionId, defaultCapacity, true))[0] : undefined;
  }

  /**
   * Locks the users' rows in id order (two routers never wait on each other in a circle; a presence change waits
   * for this transaction), then reads presence, loads and capacities as they are under the lock.
   */
  private async weigh(topicId: number, ids: number[], sessionId: number, defaultCapacity: number, evenIfAway = false): Promise<RoutingCandidate[]> {
    if (!ids.length) return [];
    const users = await lockingRows(
      this.db.selectFrom('associates').select(['id', 'present', 'deleted']).where('id', 'in', ids).orderBy('id'),
      this.caps,
    ).execute();
    const present = users.filter((u) => !fromDbFlag(u.deleted) && (evenIfAway || fromDbFlag(u.present))).map((u) => u.id);
    if (!present.length) return [];
    const [loads, own, state, declined, mine] = await Promise.all([
      this.loads(present),
      this.db
        .selectFrom('routing_agents')
        .select(['associate_id', 'capacity', 'priority'])
        .where('topic_id', '=', topicId)
        .where('associate_id', 'in', present)
        .execute(),
      this.db.selectFrom('routing_agent_state').select(['associate_id', 'last_assigned_at']).where('associate_id', 'in', present).execute(),
      this.db.selectFrom('routing_declines').select('associate_id').where('session_id', '=', sessionId).execute(),
      this.db.selectFrom('routing_offers').select('associate_id').where('session_id', '=', sessionId).execute(),
    ]);
    const ownBy = new Map(own.map((o) => [o.associate_id, o]));
    const lastBy = new Map(state.map((r) => [r.associate_id, fromDbInstant(r.last_assigned_at)]));
    const declinedBy = new Set(declined.map((d) => d.associate_id));
    const offeredTo = new Set(mine.map((o) => o.associate_id));
    return present.map((id) => ({
      associateId: id,
      // This session's own offer is not load for the one deciding on it.
      load: (loads.get(id) ?? 0) - (offeredTo.has(id) ? 1 : 0),
      capacity: ownBy.get(id)?.capacity ?? defaultCapacity,
      priority: ownBy.get(id)?.priority ?? 1,
      lastAssignedAt: lastBy.get(id) ?? null,
      declined: declinedBy.has(id),
    }));
  }

  async loads(associateIds: readonly number[]) {
    const out = new Map<number, number>();
    if (!associateIds.length) return out;
    const ids = [...associateIds];
    const active = await this.db
      .selectFrom('chat_sessions')
      .select(['user_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('user_id', 'in', ids)
      .where('status', 'in', ACTIVE)
      .groupBy('user_id')
      .execute();
    const offers = await this.db
      .selectFrom('routing_offers')
      .select(['associate_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('associate_id', 'in', ids)
      .groupBy('associate_id')
      .execute();
    for (const r of active) if (r.user_id !== null) out.set(r.user_id, Number(r.n));
    for (const r of offers) out.set(r.associate_id, (out.get(r.associate_id) ?? 0) + Number(r.n));
    return out;
  }

  async insertOffer(o: RoutingOffer) {
    await this.db
      .insertInto('routing_offers')
      .values({
        session_id: o.sessionId,
        associate_id: o.associateId,
        topic_id: o.topicId,
        offered_at: toDbInstant(o.offeredAt) as string,
        expires_at: toDbInstant(o.expiresAt) as string,
      })
      .execute();
  }

  async offerFor(sessionId: number) {
    const row = await this.db.selectFrom('routing_offers').selectAll().where('session_id', '=', sessionId).executeTakeFirst();
    return row && offerFromRow(row);
  }

  async removeOffer(sessionId: number) {
    const r = await this.db.deleteFrom('routing_offers').where('session_id', '=', sessionId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async offersOf(associateId: number) {
    const rows = await this.db.selectFrom('routing_offers').selectAll().where('associate_id', '=', associateId).orderBy('expires_at').execute();
    return rows.map(offerFromRow);
  }

  async endedOffers(now: Date, limit: number) {
    const rows = await this.db
      .selectFrom('routing_offers as o')
      .innerJoin('chat_sessions as s', 's.id', 'o.session_id')
      .innerJoin('associates as u', 'u.id', 'o.associate_id')
      .leftJoin('chat_topic_agents as a', (j) => j.onRef('a.topic_id', '=', 'o.topic_id').onRef('a.associate_id', '=', 'o.associate_id'))
      .selectAll('o')
      .where((eb) =>
        eb.or([
          eb('o.expires_at', '<=', toDbInstant(now) as string),
          eb('s.status', '!=', S.InQueue),
          eb('s.chatbot_is_active', '!=', 0),
          eb('u.present', '=', 0),
          eb('u.deleted', '!=', 0),
          eb('a.can_respond', 'is', null),
          eb('a.can_respond', '=', 0),
        ]),
      )
      .orderBy('o.expires_at')
      .limit(limit)
      .execute();
    return rows.map(offerFromRow);
  }

  async nextExpiry() {
    const row = await this.db
      .selectFrom('routing_offers')
      .select((eb) => eb.fn.min('expires_at').as('at'))
      .executeTakeFirst();
    return fromDbInstant(row?.at) ?? undefined;
  }

  async recordDecline(sessionId: number, associateId: number, outcome: 'declined' | 'timedOut', at: Date) {
    await this.db
      .insertInto('routing_declines')
      .values({ session_id: sessionId, associate_id: associateId, outcome, at: toDbInstant(at) as string })
      .onConflict((oc) => oc.columns(['session_id', 'associate_id']).doNothing())
      .execute();
  }

  async noteAssigned(associateId: number, at: Date) {
    const when = toDbInstant(at) as string;
    await this.db
      .insertInto('routing_agent_state')
      .values({ associate_id: associateId, last_assigned_at: when, missed_in_row: 0 })
      .onConflict((oc) => oc.column('associate_id').doUpdateSet({ last_assigned_at: when, missed_in_row: 0 }))
      .execute();
  }

  async noteMissed(associateId: number) {
    await this.db
      .insertInto('routing_agent_state')
      .values({ associate_id: associateId, missed_in_row: 1 })
      .onConflict((oc) => oc.column('associate_id').doUpdateSet({ missed_in_row: sql`routing_agent_state.missed_in_row + 1` }))
      .execute();
    const row = await this.db.selectFrom('routing_agent_state').select('missed_in_row').where('associate_id', '=', associateId).executeTakeFirstOrThrow();
    return row.missed_in_row;
  }

  async resetMissed(associateId: number) {
    await this.db.updateTable('routing_agent_state').set({ missed_in_row: 0 }).where('associate_id', '=', associateId).execute();
  }

  async returnable(limit: number) {
    const rows = await this.db
      .selectFrom('chat_sessions as s')
      .innerJoin('routing_settings as r', 'r.topic_id', 's.topic_id')
      .innerJoin('associates as u', 'u.id', 's.user_id')
      .selectAll('s')
      .where('s.status', 'in', ACTIVE)
      .where('r.mode', '=', 'auto')
      .where('r.return_chats_when_away', '=', 1)
      .where('u.present', '=', 0)
      .orderBy('s.id')
      .limit(limit)
      .execute();
    return rows.map(sessionFromRow);
  }
}
