// What the CLI's commands share: the configuration from the environment and flags, a migrated store for one
// command, the command line as the audit trail's actor, the domain's dependencies, and the lines listings print.
import os from 'node:os';
import { domainDeps, randomKeys, systemClock } from '../domain-deps.ts';
import { ConfigError, type Config, loadConfig } from '../config.ts';
import { auditActorOf, recordAudit, type StoredAuditEntry } from '../domain/audit.ts';
import type { Actor } from '../domain/rights.ts';
import { migrateToLatest, openDatabase } from '../storage/database.ts';
import type { Mail } from '../storage/mail.repository.ts';
import { createStore, type ParleyStore } from '../storage/store.ts';

export function config(opts: { databaseUrl?: string; port?: string; host?: string; demo?: boolean }): Config {
  return loadConfig({
    ...process.env,
    ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}),
    ...(opts.port ? { PORT: opts.port } : {}),
    ...(opts.host ? { HOST: opts.host } : {}),
    ...(opts.demo === false ? { PARLEY_DEMO: 'false' } : {}),
  });
}

/** Opens the database (migrated), runs `work`, closes it. */
export async function withStore<T>(cfg: Config, work: (store: ParleyStore) => Promise<T>): Promise<T> {
  const database = openDatabase(cfg.databaseUrl, { poolSize: 2 });
  try {
    await migrateToLatest(database.db);
    return await work(createStore(database.db, database.kind));
  } finally {
    await database.close();
  }
}

/** The command line as the audit trail names it: the operating-system account, from this machine. */
export function cliActor(): Actor {
  let account = process.env.USER ?? 'unknown';
  try {
    account = os.userInfo().username;
  } catch {
    // no passwd entry for this uid (some containers): the environment's name stands
  }
  return { id: 0, userName: `cli:${account}`, fullName: 'command line', isAdmin: true, address: 'local' };
}

/** Notes a command-line change in the audit trail of `store` (the change's transaction). */
export const audited = (
  store: ParleyStore,
  kind: Parameters<typeof recordAudit>[3],
  subject: string,
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
) => recordAudit(store, auditActorOf(cliActor()), new Date(), kind, subject, before, after);

/** The domain's dependencies for a command that calls a domain function directly. */
export const cliDeps = (store: ParleyStore, c: Config) => domainDeps(store, c, { clock: systemClock, keys: randomKeys, log: { info: () => {} } });

export async function requireUser(store: ParleyStore, name: string) {
  const user = /^\d+$/.test(name) ? await store.associates.byId(Number(name)) : await store.associates.byUserName(name);
  if (!user) throw new ConfigError(`No user '${name}'`);
  return user;
}

/** One line of `audit`: when, who from where, what, old → new. */
export function describeAuditEntry(e: StoredAuditEntry): string {
  const change = e.before || e.after ? `\t${JSON.stringify(e.before)} -> ${JSON.stringify(e.after)}` : '';
  return `${e.at.toISOString()}\t${e.actorName}\t${e.address || '-'}\t${e.kind}\t${e.subject}${change}`;
}

/** One line of `mail list`: what, to whom, and where it stands. */
export function describeMail(m: Mail): string {
  const when = m.state === 'sent' ? `sent ${m.sentAt?.toISOString()}` : m.state === 'pending' ? `next attempt ${m.nextAttemptAt.toISOString()}` : 'gave up';
  const error = m.lastError ? `\tlast error: ${m.lastError}` : '';
  return `${m.id}\t${m.state}\t${m.kind}\tto ${m.recipientAddress}\tsession ${m.sessionId ?? '-'}\t${m.attempts} attempts, ${when}\t${m.subject}${error}`;
}
