// Chat topics and the agents assigned to them.
import { type Kysely, sql } from 'kysely';
import type { TopicAgentRepository, TopicRepository } from '../domain/ports.ts';
import type { Topic, TopicAgent } from '../domain/types.ts';
import { type Capabilities, fromDbFlag as flag, lockingRows, toDbFlag as bit } from './dialect.ts';
import type { Database } from './schema.ts';
import { topicFromRow, topicToRow } from './topic.mapper.ts';

export class KyselyTopicRepository implements TopicRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly caps: Capabilities,
  ) {}

  async lockQueue(id: number) {
    // SQLite runs one write transaction at a time; PostgreSQL needs the topic row locked.
    if (this.caps.rowLocks) await lockingRows(this.db.selectFrom('chat_topics').select('id').where('id', '=', id), this.caps).execute();
  }

  async byId(id: number) {
    const row = await this.db.selectFrom('chat_topics').selectAll().where('id', '=', id).executeTakeFirst();
    return row && topicFromRow(row);
  }

  async forMember(associateId: number) {
    const rows = await this.db
      .selectFrom('chat_topics as t')
      .innerJoin('chat_topic_agents as a', 'a.topic_id', 't.id')
      .selectAll('t')
      .where('a.associate_id', '=', associateId)
      .where((eb) => eb.or([eb('a.can_listen', '=', 1), eb('a.can_respond', '=', 1), eb('a.can_manage', '=', 1), eb('a.can_notify', '=', 1)]))
      .orderBy('t.id')
      .execute();
    return rows.map(topicFromRow);
  }

  async recordAccept(id: number, at: Date, waitSeconds: number) {
    // A running average weighted towards recent accepts (a tenth per accept), kept in one statement.
    await this.db
      .updateTable('chat_topics')
      .set((eb) => ({
        last_accept: at.toISOString(),
        seconds_pr_accept: eb
          .case()
          .when('seconds_pr_accept', '=', 0)
          .then(Math.round(waitSeconds))
          .else(sql<number>`(seconds_pr_accept * 9 + ${Math.round(waitSeconds)}) / 10`)
          .end(),
      }))
      .where('id', '=', id)
      .execute();
  }

  async insert(topic: Omit<Topic, 'id'>) {
    const row = await this.db.insertInto('chat_topics').values(topicToRow(topic)).returning('id').executeTakeFirstOrThrow();
    return row.id;
  }

  async update(topic: Topic) {
    await this.db.updateTable('chat_topics').set(topicToRow(topic)).where('id', '=', topic.id).execute();
  }

  async remove(id: number) {
    const r = await this.db.deleteFrom('chat_topics').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}

const toAgent = (r: {
  topic_id: number;
  associate_id: number;
  can_listen: number;
  can_respond: number;
  can_manage: number;
  can_notify: number;
}): TopicAgent => ({
  topicId: r.topic_id,
  associateId: r.associate_id,
  canListen: flag(r.can_listen),
  canRespond: flag(r.can_respond),
  canManage: flag(r.can_manage),
  canNotify: flag(r.can_notify),
});

export class KyselyTopicAgentRepository implements TopicAgentRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async forTopic(topicId: number) {
    const rows = await this.db.selectFrom('chat_topic_agents').selectAll().where('topic_id', '=', topicId).orderBy('associate_id').execute();
    return rows.map(toAgent);
  }

  async get(topicId: number, associateId: number) {
    const row = await this.db
      .selectFrom('chat_topic_agents')
      .selectAll()
      .where('topic_id', '=', topicId)
      .where('associate_id', '=', associateId)
      .executeTakeFirst();
    return row && toAgent(row);
  }

  async forAssociate(associateId: number) {
    const rows = await this.db.selectFrom('chat_topic_agents').selectAll().where('associate_id', '=', associateId).execute();
    return rows.map(toAgent);
  }

  async memberships(associateIds?: readonly number[]) {
    if (associateIds?.length === 0) return [];
    let q = this.db
      .selectFrom('chat_topic_agents')
      .selectAll()
      .where((w) => w.or([w('can_listen', '=', 1), w('can_respond', '=', 1), w('can_manage', '=', 1), w('can_notify', '=', 1)]));
    if (associateIds) q = q.where('associate_id', 'in', [...associateIds]);
    const rows = await q.orderBy('associate_id').orderBy('topic_id').execute();
    return rows.map(toAgent);
  }

  async upsert(a: TopicAgent) {
    const flags = {
      can_listen: bit(a.canListen),
      can_respond: bit(a.canRespond),
      can_manage: bit(a.canManage),
      can_notify: bit(a.canNotify),
    };
    await this.db
      .insertInto('chat_topic_agents')
      .values({ topic_id: a.topicId, associate_id: a.associateId, ...flags })
      .onConflict((oc) => oc.columns(['topic_id', 'associate_id']).doUpdateSet(flags))
      .execute();
  }

  async presentResponders(topicId: number) {
    const row = await this.db
      .selectFrom('chat_topic_agents as a')
      .innerJoin('associates as u', 'u.id', 'a.associate_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('a.topic_id', '=', topicId)
      .where('a.can_respond', '=', 1)
      .where('u.present', '=', 1)
      .where('u.deleted', '=', 0)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async remove(topicId: number, associateId: number) {
    const r = await this.db.deleteFrom('chat_topic_agents').where('topic_id', '=', topicId).where('associate_id', '=', associateId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
