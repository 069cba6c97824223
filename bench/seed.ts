// Bulk-fills a SQLite database for the benchmark: topics, users with memberships, sessions, CRM links.
// Writes straight through better-sqlite3 in one transaction; the schema comes from Parley's own migrations.
import SQLite from 'better-sqlite3';
import { hashPassword } from '../src/auth/passwords.ts';
import { migrateToLatest, openDatabase } from '../src/storage/database.ts';

export const BENCH_USER = { userName: 'bench', password: 'Bench1' };
export const USER_SESSIONS = 20;

export async function seedBenchDatabase(file: string, sessions: number, topics: number) {
  const opened = openDatabase(`sqlite:${file}`);
  await migrateToLatest(opened.db);
  await opened.close();
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const passwordHash = await hashPassword(BENCH_USER.password);
  db.transaction(() => {
    const users = 200;
    const addUser = db.prepare('insert into associates (user_name, full_name, password_hash, credentials_changed) values (?, ?, ?, ?)');
    addUser.run(BENCH_USER.userName, 'Bench Agent', passwordHash, iso(now));
    for (let i = 1; i < users; i++) addUser.run(`agent${i}`, `Agent ${i}`, null, iso(now));
    const addTopic = db.prepare('insert into chat_topics (name, description) values (?, ?)');
    for (let t = 1; t <= topics; t++) addTopic.run(`Topic ${t}`, `Benchmark topic ${t}`);
    const addAgent = db.prepare('insert into chat_topic_agents (topic_id, associate_id, can_respond, can_notify) values (?, ?, 1, 1)');
    // The bench user is a member of topic 1 only; every other user of ten topics.
    addAgent.run(1, 1);
    for (let u = 2; u <= users; u++) for (let k = 0; k < 10; k++) addAgent.run(2 + ((u * 37 + k * 101) % (topics - 1)), u);
    const addContact = db.prepare('insert into contacts (name, city) values (?, ?)');
    const addPerson = db.prepare('insert into persons (firstname, lastname, email, contact_id) values (?, ?, ?, ?)');
    for (let c = 1; c <= 1000; c++) {
      addContact.run(`Company ${c}`, 'Oslo');
      addPerson.run(`First${c}`, `Last${c}`, `p${c}@example.com`, c);
    }
    const addSession = db.prepare(`insert into chat_sessions (topic_id, user_id, person_id, contact_id, customer_name,
      customer_email, customer_host, status, first_message, last_message, when_requested, when_started, when_idle,
      when_fetched, session_key_digest, initial_queue_pos, rank, flags) values (?, ?, ?, ?, ?, ?, '198.51.100.1', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    // Ranks are unique per agent among active sessions (a partial unique index holds it): count them per agent.
    const ranks = new Map<number, number>();
    for (let i = 0; i < sessions; i++) {
      // The first USER_SESSIONS sessions are the bench user's topic; the rest spread over the other topics.
      const topic = i < USER_SESSIONS ? 1 : 2 + (i % (topics - 1));
      const active = i % 3 !== 0;
      const requested = now - (i % 600) * 60_000;
      const owner = 1 + (i % users);
      const rank = active ? (ranks.get(owner) ?? 0) + 1 : 0;
      if (active) ranks.set(owner, rank);
      addSession.run(
        topic,
        active ? owner : null,
        i % 4 === 0 ? 1 + (i % 1000) : null,
        i % 4 === 0 ? 1 + (i % 1000) : null,
        `Customer ${i}`,
        `c${i}@example.com`,
        active ? 5 + (i % 2) : 4,
        `Question number ${i} about widgets`,
        `Latest message in session ${i}`,
        iso(requested),
        active ? iso(requested + 60_000) : null,
        iso(requested + 120_000),
        iso(now),
        `key-${i}-${'x'.repeat(32)}`,
        active ? 0 : 1 + (i % 5),
        rank,
        i % 2,
      );
    }
  })();
  // The triggers of migration 022 queued every seeded session for its report facts: a backfill of minutes that
  // would run during the measurement. These sessions are synthetic and never reported on, so the queue is emptied;
  // the changes a run makes are still queued and refreshed as in production.
  db.exec('delete from report_dirty');
  db.close();
}
