// A caller's change version: what must change for any of their polled lists built from their scope to change.
// Read in one statement (one snapshot): the shared counter, the caller's own, and the sum over the topics where they
// have a role row. Each part only grows, so for an unchanged own counter (hence an unchanged set of topics) the
// sum grows with every change in one of those topics; the parts are kept apart so that a sum over another set of
// topics can never meet an earlier value by chance.
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

// As in migration 021.
const SHARED = 0;
const TOPIC = 1;
const USER = 2;

export async function readCallerVersion(db: Kysely<Database>, associateId: number): Promise<string> {
  const total = (kind: number) =>
    db
      .selectFrom('scope_versions')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('version'), eb.lit(0)).as('v'))
      .where('kind', '=', kind);
  const row = await db
    .selectNoFrom([
      total(SHARED).as('shared'),
      total(USER).where('scope_id', '=', associateId).as('own'),
      total(TOPIC)
        .where('scope_id', 'in', (eb) => eb.selectFrom('chat_topic_agents').select('topic_id').where('associate_id', '=', associateId))
        .as('topics'),
    ])
    .executeTakeFirstOrThrow();
  return `${row.shared}.${row.own}.${row.topics}`;
}
