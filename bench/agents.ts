// What the benchmarks share: topics with agents who each hold an API token (no password hashing for thousands of
// users), a process's CPU time, and a number from an instance's /metrics.
import fs from 'node:fs';
import { digest } from '../src/auth/secrets.ts';
import { defaultTopic } from '../src/domain/defaults.ts';
import { migrateToLatest, openDatabase } from '../src/storage/database.ts';
import { createStore } from '../src/storage/store.ts';

export interface Seeded {
  tokens: string[];
  topicOf: number[];
  topicIds: number[];
}

/** `agents` agents (user names bench0, bench1, ...), each with an API token and a responder's role in topic i % `topics`. */
export async function seedTopicAgents(url: string, agents: number, topics: number): Promise<Seeded> {
  const opened = openDatabase(url);
  await migrateToLatest(opened.db);
  const store = createStore(opened.db, opened.kind);
  const db = opened.db;
  const now = new Date().toISOString();
  const topicIds: number[] = [];
  for (let t = 0; t < topics; t++) {
    topicIds.push(await store.topics.insert({ ...defaultTopic(), name: `Bench topic ${t + 1}`, welcomeMessage: 'Hello from the bench' }));
  }
  const names = Array.from({ length: agents }, (_, i) => `bench${i}`);
  for (let i = 0; i < names.length; i += 500) {
    await db
      .insertInto('associates')
      .values(
        names.slice(i, i + 500).map((n) => ({
          user_name: n,
          full_name: `Bench Agent ${n.slice(5)}`,
          password_hash: null,
          is_admin: 0,
          present: 1,
          group_name: 'Bench',
          deleted: 0,
          credentials_changed: now,
        })),
      )
      .execute();
  }
  const rows = await db.selectFrom('associates').select(['id', 'user_name']).where('user_name', 'like', 'bench%').execute();
  const idOf = new Map(rows.map((r) => [r.user_name, Number(r.id)]));
  const topicOf = names.map((_, i) => i % topics);
  const tokens = names.map((_n, i) => `8A:bench-${i}-${Math.random().toString(36).slice(2)}`);
  for (let i = 0; i < names.length; i += 500) {
    await db
      .insertInto('chat_topic_agents')
      .values(
        names.slice(i, i + 500).map((n, j) => ({
          topic_id: topicIds[topicOf[i + j]],
          associate_id: idOf.get(n)!,
          can_listen: 0,
          can_respond: 1,
          can_manage: 0,
          can_notify: 0,
        })),
      )
      .execute();
    await db
      .insertInto('credentials')
      .values(
        names.slice(i, i + 500).map((n, j) => ({
          kind: 'api-token',
          token_hash: digest(tokens[i + j]),
          associate_id: idOf.get(n)!,
          name: 'bench',
          xsrf_token: null,
          created_at: now,
          expires_at: null,
        })),
      )
      .execute();
  }
  await opened.close();
  return { tokens, topicOf, topicIds };
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/** The instance's /metrics text (Prometheus format). */
export const scrape = async (port: number) => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();

/** The sum of a metric's samples (every label) in a /metrics text. */
export function sumOf(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) if (line.startsWith(name) && !line.startsWith('#')) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  return sum;
}

/** The sum of a metric's samples (every label) on the instance at `port`. */
export const metric = async (port: number, name: string) => sumOf(await scrape(port), name);
