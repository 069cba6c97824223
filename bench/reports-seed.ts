// Bulk-writes a year of generated chat history (src/demo/demo-history.ts) for the reports benchmark: SQLite through
// better-sqlite3 in one transaction, PostgreSQL through multi-row inserts of unnest()ed arrays. Ids are explicit.
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { historySessions, type HistorySession } from '../src/demo/demo-history.ts';

const BATCH = 5_000;
const TOPICS = 50;
const AGENTS = 200;

/** The plan for `sessions` chats over `days` days before `now`: 50 topics of 8 agents each out of 200. */
export function benchPlan(sessions: number, days: number, now: Date) {
  const topics = Array.from({ length: TOPICS }, (_, t) => ({
    id: t + 1,
    bot: t % 10 === 0,
    agents: Array.from({ length: 8 }, (_, k) => 2 + ((t * 8 + k) % AGENTS)),
  }));
  // The weekday weights average 0.84: so many per average weekday makes `sessions` in all.
  return { days, perDay: sessions / days / 0.843, now, topics };
}

function* batches(plan: ReturnType<typeof benchPlan>): Generator<HistorySession[]> {
  let batch: HistorySession[] = [];
  for (const s of historySessions(plan)) {
    batch.push(s);
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * Routing's missed offers: every 7th session was first offered to another agent of its topic, who declined it
 * (odd ids) or let it time out (even ids) ten seconds after the request.
 */
function missedOffer(plan: ReturnType<typeof benchPlan>, id: number, s: HistorySession) {
  if (id % 7 !== 0) return null;
  const agents = plan.topics[s.topicId - 1].agents;
  const agent = agents.find((a) => a !== s.agentId) ?? agents[0];
  return [id, agent, id % 2 ? 'declined' : 'timedOut', iso(new Date(s.requestedAt.getTime() + 10_000))] as const;
}

/** The triggers queued every session once per line as it was written; start from one entry per session instead. */
const REQUEUE = ['delete from report_dirty', 'insert into report_dirty (session_id) select id from chat_sessions order by id'];

export function seedSqlite(file: string, plan: ReturnType<typeof benchPlan>): number {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  let id = 0;
  db.transaction(() => {
    const agent = db.prepare(
      "insert into associates (id, user_name, full_name, password_hash, credentials_changed) values (?, ?, ?, null, '2020-01-01T00:00:00.000Z')",
    );
    for (let a = 2; a <= AGENTS + 1; a++) agent.run(a, `agent${a}`, `Agent ${a}`);
    const topic = db.prepare('insert into chat_topics (id, name) values (?, ?)');
    for (const t of plan.topics) topic.run(t.id, `Topic ${t.id}`);
    const session = db.prepare(
      'insert into chat_sessions (id, topic_id, user_id, status, customer_name, when_requested, when_started, when_ended, rating) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const line = db.prepare(
      'insert into chat_messages (session_id, type, special_type, message, author, when_posted, created_by) values (?, ?, ?, ?, ?, ?, ?)',
    );
    const decline = db.prepare('insert into routing_declines (session_id, associate_id, outcome, at) values (?, ?, ?, ?)');
    for (const batch of batches(plan)) {
      for (const s of batch) {
        id++;
        session.run(id, s.topicId, s.agentId, s.status, s.customerName, iso(s.requestedAt), iso(s.startedAt), iso(s.endedAt), s.rating);
        for (const l of s.lines) {
          line.run(id, l.type, l.special, l.text, l.author, iso(new Date(s.requestedAt.getTime() + l.at * 1000)), l.type === 1 ? s.agentId : null);
        }
        const missed = missedOffer(plan, id, s);
        if (missed) decline.run(...missed);
      }
    }
    for (const statement of REQUEUE) db.exec(statement);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('analyze');
  db.close();
  return id;
}

export async function seedPostgres(url: string, plan: ReturnType<typeof benchPlan>): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  let id = 0;
  try {
    await c.query('begin');
    for (let a = 2; a <= AGENTS + 1; a++) {
      await c.query("insert into associates (id, user_name, full_name, credentials_changed) values ($1, $2, $3, '2020-01-01T00:00:00Z')", [
        a,
        `agent${a}`,
        `Agent ${a}`,
      ]);
    }
    for (const t of plan.topics) await c.query('insert into chat_topics (id, name) values ($1, $2)', [t.id, `Topic ${t.id}`]);
    for (const batch of batches(plan)) {
      const cols: unknown[][] = [[], [], [], [], [], [], [], [], []];
      const lines: unknown[][] = [[], [], [], [], [], [], []];
      const declines: unknown[][] = [[], [], [], []];
      for (const s of batch) {
        id++;
        for (const [i, v] of [id, s.topicId, s.agentId, s.status, s.customerName, iso(s.requestedAt), iso(s.startedAt), iso(s.endedAt), s.rating].entries())
          cols[i].push(v);
        for (const l of s.lines) {
          for (const [i, v] of [
            id,
            l.type,
            l.special,
            l.text,
            l.author,
            iso(new Date(s.requestedAt.getTime() + l.at * 1000)),
            l.type === 1 ? s.agentId : null,
          ].entries()) {
            lines[i].push(v);
          }
        }
        for (const [i, v] of (missedOffer(plan, id, s) ?? []).entries()) declines[i].push(v);
      }
      await c.query(
        `insert into chat_sessions (id, topic_id, user_id, status, customer_name, when_requested, when_started, when_ended, rating)
         select * from unnest($1::int[], $2::int[], $3::int[], $4::int[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::timestamptz[], $9::int[])`,
        cols,
      );
      await c.query(
        `insert into chat_messages (session_id, type, special_type, message, author, when_posted, created_by)
         select * from unnest($1::int[], $2::int[], $3::int[], $4::text[], $5::text[], $6::timestamptz[], $7::int[])`,
        lines,
      );
      await c.query(
        `insert into routing_declines (session_id, associate_id, outcome, at)
         select * from unnest($1::int[], $2::int[], $3::text[], $4::timestamptz[])`,
        declines,
      );
    }
    for (const statement of REQUEUE) await c.query(statement);
    for (const table of ['associates', 'chat_topics', 'chat_sessions', 'chat_messages']) {
      await c.query(`select setval(pg_get_serial_sequence('${table}', 'id'), (select max(id) from ${table}))`);
    }
    await c.query('commit');
    await c.query('analyze');
  } finally {
    await c.end();
  }
  return id;
}
