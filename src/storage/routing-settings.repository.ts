// Each topic's routing settings (migration 019): the topic's row, when its managers changed the defaults, and each
// agent's own capacity and priority in it.
import type { Kysely } from 'kysely';
import {
  defaultRoutingSettings,
  type RoutingDelivery,
  type RoutingMode,
  type RoutingSettings,
  type RoutingSettingsRepository,
} from '../domain/routing/routing.ts';
import { fromDbFlag, toDbFlag } from './dialect.ts';
import type { Database } from './schema.ts';

export class KyselyRoutingSettingsRepository implements RoutingSettingsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(topicId: number): Promise<RoutingSettings> {
    const row = await this.db.selectFrom('routing_settings').selectAll().where('topic_id', '=', topicId).executeTakeFirst();
    const agents = await this.db
      .selectFrom('routing_agents')
      .select(['associate_id', 'capacity', 'priority'])
      .where('topic_id', '=', topicId)
      .orderBy('associate_id')
      .execute();
    const stored = row && {
      mode: row.mode as RoutingMode,
      delivery: row.delivery as RoutingDelivery,
      offerSeconds: row.offer_seconds,
      awayAfterMissed: row.away_after_missed,
      defaultCapacity: row.default_capacity,
      pickUpOverCapacity: fromDbFlag(row.pick_up_over_capacity),
      returnChatsWhenAway: fromDbFlag(row.return_chats_when_away),
    };
    return {
      ...defaultRoutingSettings(topicId),
      ...stored,
      agents: agents.map((a) => ({ associateId: a.associate_id, capacity: a.capacity, priority: a.priority })),
    };
  }

  async save(s: RoutingSettings): Promise<void> {
    const values = {
      mode: s.mode,
      delivery: s.delivery,
      offer_seconds: s.offerSeconds,
      away_after_missed: s.awayAfterMissed,
      default_capacity: s.defaultCapacity,
      pick_up_over_capacity: toDbFlag(s.pickUpOverCapacity),
      return_chats_when_away: toDbFlag(s.returnChatsWhenAway),
    };
    await this.db
      .insertInto('routing_settings')
      .values({ topic_id: s.topicId, ...values })
      .onConflict((oc) => oc.column('topic_id').doUpdateSet(values))
      .execute();
    await this.db.deleteFrom('routing_agents').where('topic_id', '=', s.topicId).execute();
    if (s.agents.length) {
      await this.db
        .insertInto('routing_agents')
        .values(s.agents.map((a) => ({ topic_id: s.topicId, associate_id: a.associateId, capacity: a.capacity, priority: a.priority })))
        .execute();
    }
    // Back to manual: offers made under auto have no one to end them.
    if (s.mode === 'manual') await this.db.deleteFrom('routing_offers').where('topic_id', '=', s.topicId).execute();
  }

  async capacityBoundTopics(topicIds: readonly number[]) {
    if (!topicIds.length) return [];
    const rows = await this.db
      .selectFrom('routing_settings')
      .select('topic_id')
      .where('pick_up_over_capacity', '=', 0)
      .where('topic_id', 'in', [...topicIds])
      .execute();
    return rows.map((r) => r.topic_id);
  }

  async anyAuto() {
    return !!(await this.db.selectFrom('routing_settings').select('topic_id').where('mode', '=', 'auto').limit(1).executeTakeFirst());
  }

  async capacitiesOf(associateId: number) {
    const base = defaultRoutingSettings(0);
    const rows = await this.db
      .selectFrom('chat_topic_agents as a')
      .leftJoin('routing_settings as r', 'r.topic_id', 'a.topic_id')
      .leftJoin('routing_agents as o', (j) => j.onRef('o.topic_id', '=', 'a.topic_id').onRef('o.associate_id', '=', 'a.associate_id'))
      .select(['a.topic_id', 'r.mode', 'r.default_capacity', 'o.capacity'])
      .where('a.associate_id', '=', associateId)
      .where('a.can_respond', '=', 1)
      .orderBy('a.topic_id')
      .execute();
    return rows.map((r) => ({
      topicId: r.topic_id,
      mode: (r.mode ?? base.mode) as RoutingMode,
      capacity: r.capacity ?? r.default_capacity ?? base.defaultCapacity,
    }));
  }
}
