// An unreachable database is one incident, not an error per call: one warning when calls start failing, one line
// when it answers again (how long it was away, how many calls failed), and the per-call error lines of the jobs
// that met it (push poll, webhook delivery, sweeper, mail) left out meanwhile.
import { DomainError } from '../domain/errors.ts';
import { isDatabaseUnavailable } from './dialect.ts';

export interface OutageLog {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/** The failure of a call that met an unreachable, silent or locked database (answered 503), whoever reports it. */
export const isOutageError = (err: unknown): boolean => (err instanceof DomainError && err.code === 'unavailable') || isDatabaseUnavailable(err);

/** An outage ends once the database has answered for this long without a failure (connections fail one by one). */
const SETTLED_MS = 1000;

export class OutageWatch {
  private since: number | undefined;
  private lastFailure = 0;
  private failures = 0;
  /** Set once the app's logger exists; until then nothing is written. */
  log: OutageLog = { warn() {}, info() {} };

  failed(err: unknown): void {
    this.failures++;
    this.lastFailure = Date.now();
    if (this.since !== undefined) return;
    this.since = Date.now();
    this.log.warn({ error: (err as Error).message }, 'database unreachable: calls are answered 503 until it answers again');
  }

  answered(): void {
    if (this.since === undefined || Date.now() - this.lastFailure < SETTLED_MS) return;
    this.log.info({ downMs: Date.now() - this.since, failedCalls: this.failures }, 'database reachable again');
    this.since = undefined;
    this.failures = 0;
  }

  get down(): boolean {
    return this.since !== undefined;
  }
}
