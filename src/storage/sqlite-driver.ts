// SQLite writes that wait for another process's write lock (a backup, a CLI command) without stalling the server:
// write transactions take the lock up front (BEGIN IMMEDIATE), and a busy database is asked again after a short
// async pause rather than in a blocking busy wait, until a bound; then the caller gets 503.
import { CompiledQuery, type DatabaseConnection, type QueryResult, SqliteDialect, SqliteDriver, type SqliteDialectConfig } from 'kysely';
import { DomainError } from '../domain/errors.ts';
import { retryWhile } from '../lib/retry-while.ts';

/** How long one attempt may block the event loop in SQLite's own busy handler (the pragma busy_timeout). */
export const BUSY_SLICE_MS = 20;

const isBusy = (err: unknown) => /^SQLITE_BUSY/.test((err as { code?: string } | null)?.code ?? '');

/** Runs `attempt` again while the database is busy, with growing pauses, for at most `waitMs`; then 'unavailable'. */
function whileBusy<T>(waitMs: number, attempt: () => Promise<T>): Promise<T> {
  // Every statement passes here: the retry machinery is set up only once the database turned out busy.
  let first: Promise<T>;
  try {
    first = attempt();
  } catch (err) {
    first = Promise.reject(err); // better-sqlite3 throws as it runs, before any promise
  }
  return first.catch(async (err) => {
    if (!isBusy(err)) throw err;
    try {
      return await retryWhile(isBusy, { waitMs, firstDelayMs: 5, maxDelayMs: 200 }, attempt);
    } catch (err) {
      if (isBusy(err)) throw new DomainError('unavailable', 'The database is locked by another process just now; try again shortly');
      throw err;
    }
  });
}

class WaitingSqliteDriver extends SqliteDriver {
  constructor(
    config: SqliteDialectConfig,
    private readonly waitMs: number,
  ) {
    super(config);
  }

  /** The one connection, wrapped once (every statement acquires it). */
  private readonly waiting = new WeakMap<DatabaseConnection, DatabaseConnection>();

  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection();
    let wrapped = this.waiting.get(connection);
    if (!wrapped) {
      wrapped = {
        executeQuery: <R>(q: CompiledQuery): Promise<QueryResult<R>> => whileBusy(this.waitMs, () => connection.executeQuery<R>(q)),
        streamQuery: (q, chunkSize) => connection.streamQuery(q, chunkSize),
      };
      this.waiting.set(connection, wrapped);
    }
    return wrapped;
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    // A deferred BEGIN would read first and meet the lock only at its first write, failing at once (no retry can
    // help then); taking the write lock at the start makes the wait happen here, where it is safe to repeat.
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

export class WaitingSqliteDialect extends SqliteDialect {
  constructor(
    private readonly config: SqliteDialectConfig,
    private readonly waitMs: number,
  ) {
    super(config);
  }
  override createDriver() {
    return new WaitingSqliteDriver(this.config, this.waitMs);
  }
}
