// What reports are computed from: one row of facts per session (kept by storage, refreshed from the live tables),
// the filter that selects them, and the sums, counts and duration counts storage aggregates them into.

/** The recorded facts of one session that the measures need (instants in UTC), as the live tables hold them. */
export interface SessionFacts {
  sessionId: number;
  topicId: number;
  /** The session's owner now (after any transfer); null when nobody answered. */
  agentId: number | null;
  status: number;
  requestedAt: Date;
  /** When an agent picked it up (the latest pick-up, when a bot handed it back and it was picked up again). */
  startedAt: Date | null;
  endedAt: Date | null;
  /** The customer's first ordinary message. */
  firstCustomerAt: Date | null;
  /** The first ordinary message to the customer posted after the pick-up and after the customer's first message. */
  firstAnswerAt: Date | null;
  /** TransferedSession lines in the conversation. */
  transfers: number;
  /** Bot lines (BotMessage, Options) in the conversation. */
  botLines: number;
  /** 1 to 5; 0 when the customer did not rate. */
  rating: number;
}

/** Which sessions: requested in [from, to), optionally of these topics or agents, within what the caller may see. */
export interface FactsFilter {
  from: Date;
  to: Date;
  topicIds?: readonly number[];
  agentIds?: readonly number[];
  /** Non-administrators: sessions of the topics they manage, and their own. Null: everything. */
  visible: { managedTopicIds: readonly number[]; selfId: number } | null;
}

/**
 * How the figures are grouped: all in one (key 0), per topic, per agent (the owner; 0: nobody answered; for missed
 * offers the agent who missed them), or per period, `starts` being the ascending instants (ms) periods start at
 * (key: the period's index; a session belongs to the last period starting at or before its request).
 */
export type FiguresKey = { by: 'all' } | { by: 'topic' } | { by: 'agent' } | { by: 'period'; starts: readonly number[] };

/** A duration measure's figures: how many, their sum, and each one in tenths of a second. */
export interface DurationFigures {
  count: number;
  sumMs: number;
  /** Each duration in tenths of a second (rounded, halves up), in no particular order: `count` of them. */
  tenths: Float64Array;
}

/** The measures that are plain counts of sessions (transfers: of transfer lines). */
export interface SessionCounts {
  requested: number;
  answered: number;
  missed: number;
  offlineRequests: number;
  transfers: number;
  botOnly: number;
}

/** The sums and counts of one group, from which the measures follow. */
export interface Figures extends SessionCounts {
  wait: DurationFigures;
  firstResponse: DurationFigures;
  handling: DurationFigures;
  /** How many ratings of 1, 2, 3, 4 and 5. */
  ratingCounts: [number, number, number, number, number];
  offersDeclined: number;
  offersTimedOut: number;
}

export interface ReportRepository {
  /**
   * Brings the facts of every session changed since the last refresh up to date (on every instance at once, one at
   * a time); resolves to how many sessions it looked at.
   */
  refresh(): Promise<number>;
  /**
   * The figures of the sessions (not Deleted) the filter selects, per group, and of the routing offers missed on
   * them (their agents, for `agentIds`, rights and the agent grouping, being those who missed them). Groups
   * without a session or a missed offer are left out.
   */
  figures(filter: FactsFilter, key: FiguresKey): Promise<Map<number, Figures>>;
  /** Only the sessions requested per group: what the weekday × hour grid needs. */
  requested(filter: FactsFilter, key: FiguresKey): Promise<Map<number, number>>;
  /** What this instance holds in memory to answer reports: sessions and bytes (0 and 0 before a report loads it). */
  held(): { sessions: number; bytes: number };
  /** Loads what `held` counts now, or brings it up to date: the next report need not wait for either. */
  warm(): Promise<void>;
  /** Brings what `held` counts up to date if it is loaded (loads nothing). */
  keepCurrent(): Promise<void>;
  /** Lets go of what `held` counts when no report asked for it in `idleMs`; the next report loads it anew. */
  releaseIdle(idleMs: number): void;
}
