// The thresholds the time-driven rules use (minutes and hours), set from configuration.
export interface SweepSettings {
  /** A customer whose widget stopped fetching this long ago has gone: waiting sessions close, active ones too. */
  deadSessionMinutes: number;
  /** An active chat where nobody wrote for this long closes (ClosedByIdle). */
  idleSessionMinutes: number;
  /** Ended sessions become Deleted this long after they ended. */
  deleteAfterHours: number;
  /** Deleted sessions are purged (with their messages) this long after they ended. */
  purgeAfterHours: number;
  /** Outbox events older than this are dropped (clients further behind must resync). */
  eventRetentionHours: number;
  /** Audit entries older than this many days are dropped; 0 keeps them all. */
  auditRetentionDays: number;
}
