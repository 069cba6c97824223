// Reads the facts reports need, one row per session with its first customer message, first answer, transfers
// and bot lines found by correlated subqueries on the messages' (session_id, id) index.
import type { Kysely } from 'kysely';
import { ChatMessageSpecialType as Special, ChatMessageType, ChatSessionStatus } from '../domain/enums.ts';
import type { FactsFilter, ReportRepository, SessionFacts } from '../domain/reports/facts.ts';
import { fromDbInstant, toDbInstant } from './dialect.ts';
import type { Database } from './schema.ts';

export class KyselyReportRepository implements ReportRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async facts(f: FactsFilter): Promise<SessionFacts[]> {
    let q = this.db
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
      .where('s.when_requested', '>=', toDbInstant(f.from) as string)
      .where('s.when_requested', '<', toDbInstant(f.to) as string)
      .where('s.status', '<>', ChatSessionStatus.Deleted);
    if (f.topicIds) q = q.where('s.topic_id', 'in', [...f.topicIds]);
    if (f.agentIds) q = q.where('s.user_id', 'in', [...f.agentIds]);
    const visible = f.visible;
    if (visible) {
      q = q.where((eb) =>
        eb.or([eb('s.user_id', '=', visible.selfId), ...(visible.managedTopicIds.length ? [eb('s.topic_id', 'in', [...visible.managedTopicIds])] : [])]),
      );
    }
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
}
