// The differences between SQLite and PostgreSQL, in one place: what each can do (capabilities, asked instead of
// the database's name), how values are stored (instants, booleans), and what their errors mean.

export type DatabaseKind = 'sqlite' | 'postgres';

/** What the database offers that Parley's storage adapts to; repositories ask these, never the database's name. */
export interface Capabilities {
  /** `SELECT … FOR UPDATE` holds rows until commit. SQLite needs none: a write transaction excludes all others. */
  rowLocks: boolean;
  /** `FOR UPDATE SKIP LOCKED`: concurrent claimers (pick-up, mail, webhook delivery) pass over each other's rows. */
  skipLocked: boolean;
  /** Session-level advisory locks: one runner of a job among several instances. */
  advisoryLocks: boolean;
  /**
   * Outbox ids become visible in id order (one writer at a time, the id taken inside the transaction): a gap in
   * the ids is a rollback, never a commit still to come.
   */
  orderedIds: boolean;
  /** Commits can be announced to other connections (`LISTEN`/`NOTIFY`): instances share events and revocations. */
  notifications: boolean;
}

const CAPABILITIES: Record<DatabaseKind, Capabilities> = {
  sqlite: { rowLocks: false, skipLocked: false, advisoryLocks: false, orderedIds: true, notifications: false },
  postgres: { rowLocks: true, skipLocked: true, advisoryLocks: true, orderedIds: false, notifications: true },
};

export const capabilitiesOf = (kind: DatabaseKind): Capabilities => CAPABILITIES[kind];

/** A select that locks its rows where the database has row locks (a no-op on SQLite, whose writes are serial). */
export const lockingRows = <Q extends { forUpdate(): Q; skipLocked(): Q }>(q: Q, caps: Capabilities, skipLocked = false): Q =>
  !caps.rowLocks ? q : skipLocked && caps.skipLocked ? q.forUpdate().skipLocked() : q.forUpdate();

/** Instants are written as ISO-8601 UTC text: SQLite stores it as is, PostgreSQL casts it to timestamptz. */
export const toDbInstant = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

/** SQLite gives back the text, PostgreSQL a Date. */
export const fromDbInstant = (v: unknown): Date | null => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(String(v)));

export const toDbFlag = (b: boolean): number => (b ? 1 : 0);
export const fromDbFlag = (v: unknown): boolean => v === 1 || v === true || v === '1';

/** A unique constraint stopped the write: a concurrent writer got there first (SQLite and PostgreSQL codes). */
export const isUniqueViolation = (err: unknown): boolean => {
  const code = (err as { code?: string } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
};

/**
 * PostgreSQL gave up on the transaction because of a concurrent one: a deadlock (40P01) or a serialization
 * failure (40001). Nothing was written; running the transaction again may succeed.
 */
export const isTransactionConflict = (err: unknown): boolean => {
  const code = (err as { code?: string } | null)?.code;
  return code === '40P01' || code === '40001';
};

/**
 * The database cannot be reached or does not answer: the connection failed, was cut, or timed out, or a statement
 * ran past its timeout. Nothing is wrong with the request; the caller may try again shortly.
 */
export const isDatabaseUnavailable = (err: unknown): boolean => {
  const e = err as { code?: string; message?: string } | null;
  const code = e?.code ?? '';
  if (/^(08|57P)/.test(code) || code === '57014' || code === '53300') return true; // connection, shutdown, canceled, too many
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND'].includes(code)) return true;
  return /timeout exceeded when trying to connect|Connection terminated|Query read timeout|connection timeout|not queryable/i.test(e?.message ?? '');
};

/**
 * The connection ended under a statement (PostgreSQL restarted, failed over, or ended the backend): unlike a timeout,
 * a fresh connection may well succeed at once. Looks through a domain error to its cause.
 */
export const isConnectionLost = (err: unknown): boolean => {
  const e = ((err as { cause?: unknown } | null)?.cause ?? err) as { code?: string; message?: string } | null;
  const code = e?.code ?? '';
  if (/^(08|57P0)/.test(code) || code === 'ECONNRESET' || code === 'EPIPE') return true;
  return /Connection terminated unexpectedly|Client has encountered a connection error/i.test(e?.message ?? '');
};

/** A lost race of any kind: the transaction may be retried as a whole. */
export const isRetryableConflict = (err: unknown): boolean => isUniqueViolation(err) || isTransactionConflict(err);
