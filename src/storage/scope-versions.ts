// A caller's change version: what must change for any of their polled lists built from their scope to change.
// Read in one statement (one snapshot): the shared counter, the caller's own, and the sum over the topics where they
// have a role row. Each part only grows, so for an unchanged own counter (hence an unchanged set of topics) the
// sum grows with every change in one of those topics; the parts are kept apart so that a sum over another set of
// topics can never meet an earlier value by chance.
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

// As in migration 021.
const SHARED = 0;
const TOPIC = 1;
const USER = 2;

interface Row {
  shared: number | string;
  own: number | string;
  topics: number | string;
}

/** The sum of one kind's counters, as a scalar subquery (kind a literal: the statement's parameters stay the caller's). */
const total = (db: Kysely<Database>, kind: number) =>
  db
    .selectFrom('scope_versions')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('version'), eb.lit(0)).as('v'))
    .where('kind', '=', (eb) => eb.lit(kind));

/** The shared counter (CRM records, lists, users' shown columns), to read in the same statement as what it covers. */
export const sharedVersion = (db: Kysely<Database>) => total(db, SHARED);

function callerVersionQuery(db: Kysely<Database>, associateId: number) {
  return db.selectNoFrom([
    total(db, SHARED).as('shared'),
    total(db, USER).where('scope_id', '=', associateId).as('own'),
    total(db, TOPIC)
      .where('scope_id', 'in', (eb) => eb.selectFrom('chat_topic_agents').select('topic_id').where('associate_id', '=', associateId))
      .as('topics'),
  ]);
}

/** Reads callers' versions; the statement is built once (every poll runs it, and building cost more than running). */
export class CallerVersionReader {
  private sql: string | undefined;
  constructor(private readonly db: Kysely<Database>) {}

  async read(associateId: number): Promise<string> {
    this.sql ??= this.compile();
    const { rows } = await this.db.executeQuery<Row>(CompiledQuery.raw(this.sql, [associateId, associateId]));
    const row = rows[0];
    return `${row.shared}.${row.own}.${row.topics}`;
  }

  private compile() {
    const compiled = callerVersionQuery(this.db, 0).compile();
    // The caller's id is the only parameter, twice; anything else would be bound wrongly above.
    if (compiled.parameters.length !== 2) throw new Error(`caller version query takes ${compiled.parameters.length} parameters, not 2`);
    return compiled.sql;
  }
}
