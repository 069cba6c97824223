// Reads the facts reports need, one row per session with its first customer message, first answer, transfers
// and bot lines found by correlated subqueries on the messages' (session_id, id) index.
import { type Expression, type ExpressionBuilder, type Kysely, sql } from 'kysely';
import { ChatMessageSpecialType as Special, ChatMessageType, ChatSessionStatus } from '../domain/enums.ts';
import type { FactsFilter, MissedOffer, ReportRepository, SessionFacts } from '../domain/reports/facts.ts';
import { fromDbInstant, toDbInstant } from './dialect.ts';
import type { ChatSessionTable, Database } from './schema.ts';

/**
 * The filter over sessions `s`: requested in the range, not Deleted, of its topics, and of its agents and visible to
 * the caller by `agent`, whose figures they are (the owner of a session, the agent who missed an offer).
 */
const inScope = (f: FactsFilter, agent: Expression<number | null>) => (eb: ExpressionBuilder<{ s: ChatSessionTable }, 's'>) => {
  const all = [
    eb('s.when_requested', '>=', toDbInstant(f.from) as string),
    eb('s.when_requested', '<', toDbInstant(f.to) as string),
    eb('s.status', '<>', ChatSessionStatus.Deleted),
  ];
  if (f.topicIds) all.push(eb('s.topic_id', 'in', [...f.topicIds]));
  if (f.agentIds) all.push(eb(agent, 'in', [...f.agentIds]));
  const visible = f.visible;
  if (visible) {
    const topics = visible.managedTopicIds.length ? [eb('s.topic_id', 'in', [...visible.managedTopicIds])] : [];
    all.push(eb.or([eb(agent, '=', visible.selfId), ...topics]));
  }
  return eb.and(all);
};

export class KyselyReportRepository implements ReportRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async facts(f: FactsFilter): Promise<SessionFacts[]> {
    const q = this.db
      .selectFrom('chat_sessions as s')
      .select((eb) => {
        const lines = () => eb.selectFrom('chat_messages as m').whereRef('m.session_id', '=', 's.id');
        const firstCustomer = lines()
          .where('m.type', '=', ChatMessageType.ToUser)
          .where('m.special_type', '=', Special.None)
          .select((e) => e.fn.min('m.when_posted').as('at'));
        return [
          's.id',
          's.topic_id',
          's.user_id',
          's.status',
          's.when_requested',
          's.when_started',
          's.when_ended',
          's.rating',
          firstCustomer.as('first_customer_at'),
          eb
            .selectFrom('chat_messages as a')
            .whereRef('a.session_id', '=', 's.id')
            .where('a.type', '=', ChatMessageType.ToCustomer)
            .where('a.special_type', '=', Special.None)
            .whereRef('a.when_posted', '>=', 's.when_started')
            .where('a.when_posted', '>=', firstCustomer)
            .select((e) => e.fn.min('a.when_posted').as('at'))
            .as('first_answer_at'),
          lines()
            .where('m.special_type', '=', Special.TransferedSession)
            .select((e) => e.fn.countAll().as('n'))
            .as('transfers'),
          lines()
            .where('m.special_type', 'in', [Special.BotMessage, Special.Options])
            .select((e) => e.fn.countAll().as('n'))
            .as('bot_lines'),
        ];
      })
      .where(inScope(f, sql.ref('s.user_id')));
    const rows = await q.orderBy('s.when_requested').orderBy('s.id').execute();
    return rows.map((r) => ({
      sessionId: r.id,
      topicId: r.topic_id,
      agentId: r.user_id,
      status: r.status,
      requestedAt: fromDbInstant(r.when_requested) as Date,
      startedAt: fromDbInstant(r.when_started),
      endedAt: fromDbInstant(r.when_ended),
      firstCustomerAt: fromDbInstant(r.first_customer_at),
      firstAnswerAt: fromDbInstant(r.first_answer_at),
      transfers: Number(r.transfers ?? 0),
      botLines: Number(r.bot_lines ?? 0),
      rating: Number(r.rating),
    }));
  }

  async missedOffers(f: FactsFilter): Promise<MissedOffer[]> {
    const q = this.db
      .selectFrom('routing_declines as d')
      .innerJoin('chat_sessions as s', 's.id', 'd.session_id')
      .select(['d.session_id', 's.topic_id', 'd.associate_id', 'd.outcome', 's.when_requested'])
      .where(inScope(f, sql.ref('d.associate_id')));
    const rows = await q.orderBy('s.when_requested').orderBy('d.session_id').orderBy('d.associate_id').execute();
    return rows.map((r) => ({
      sessionId: r.session_id,
      topicId: r.topic_id,
      agentId: r.associate_id,
      outcome: r.outcome === 'timedOut' ? 'timedOut' : 'declined',
      requestedAt: fromDbInstant(r.when_requested) as Date,
    }));
  }
}
