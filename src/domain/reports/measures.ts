// The measures, each defined once (the README quotes these rules): what one session counts for (kept as its row of
// facts), and the measures of a group from its sums and counts. Plain functions over plain data, so SQLite and
// PostgreSQL give the same figures.
import { ChatSessionStatus as S } from '../enums.ts';
import type { DurationFigures, Figures, SessionCounts, SessionFacts } from './facts.ts';

/** Average, median and 90th percentile of durations in seconds; null when there are none. */
export interface Spread {
  average: number | null;
  median: number | null;
  p90: number | null;
}

export interface Measures extends SessionCounts {
  wait: Spread;
  firstResponse: Spread;
  handling: Spread;
  ratings: number;
  ratingAverage: number | null;
  /** How many ratings of 1, 2, 3, 4 and 5. */
  ratingCounts: [number, number, number, number, number];
  /** Routing offers the agent declined, and those they let time out. */
  offersDeclined: number;
  offersTimedOut: number;
}

const UNANSWERED_ENDS: readonly number[] = [S.ClosedFromQueue, S.OfflineForm, S.RequestPosted];

/** Answered: an agent picked it up (WhenStarted is set). */
export const isAnswered = (f: SessionFacts) => f.startedAt !== null;
/** Missed: never answered, and it left the queue or went to the offline form (sent or not). */
export const isMissed = (f: SessionFacts) => !isAnswered(f) && UNANSWERED_ENDS.includes(f.status);
/** Offline request: the offline form was sent (a ticket request exists). */
export const isOfflineRequest = (f: SessionFacts) => f.status === S.RequestPosted;
/** Bot-only: a bot wrote and no agent ever picked it up. */
export const isBotOnly = (f: SessionFacts) => f.botLines > 0 && !isAnswered(f);

const millis = (from: Date | null, to: Date | null) => (from && to ? Math.max(0, to.getTime() - from.getTime()) : null);
/** Wait: requested → picked up, for answered sessions. */
export const waitMs = (f: SessionFacts) => millis(f.requestedAt, f.startedAt);
/** First response: the customer's first message → the first agent message after it (and after the pick-up). */
export const firstResponseMs = (f: SessionFacts) => millis(f.firstCustomerAt, f.firstAnswerAt);
/** Handling: picked up → ended, for answered sessions that ended. */
export const handlingMs = (f: SessionFacts) => millis(f.startedAt, f.endedAt);

/** A duration in tenths of a second, rounded (halves up): the unit percentiles are taken in. */
export const tenths = (ms: number) => Math.round(ms / 100);

/** What one session counts for: its row of facts. */
export interface SessionFigures {
  sessionId: number;
  topicId: number;
  agentId: number | null;
  requestedMs: number;
  answered: boolean;
  missed: boolean;
  offlineRequest: boolean;
  botOnly: boolean;
  transfers: number;
  waitMs: number | null;
  firstResponseMs: number | null;
  handlingMs: number | null;
  /** 1-5; 0 when not rated (or out of range). */
  rating: number;
}

export const sessionFigures = (f: SessionFacts): SessionFigures => ({
  sessionId: f.sessionId,
  topicId: f.topicId,
  agentId: f.agentId,
  requestedMs: f.requestedAt.getTime(),
  answered: isAnswered(f),
  missed: isMissed(f),
  offlineRequest: isOfflineRequest(f),
  botOnly: isBotOnly(f),
  transfers: f.transfers,
  waitMs: waitMs(f),
  firstResponseMs: firstResponseMs(f),
  handlingMs: handlingMs(f),
  rating: f.rating >= 1 && f.rating <= 5 ? f.rating : 0,
});

/** Nearest rank on the ascending list: the smallest value with at least p% of the values at or below it. */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[rankIndex(sorted.length, p)];
}

/** Where the nearest rank of p% lies among n values in ascending order: ⌈p/100 × n⌉, counted from 1. */
const rankIndex = (n: number, p: number) => Math.max(1, Math.ceil((p / 100) * n)) - 1;

/**
 * The nearest-rank percentiles (ascending `ps`) of `values`, in any order, without sorting them all: each is
 * selected in place (Hoare's quickselect, linear on average), which reorders `values`.
 */
export function nearestRanks(values: Float64Array, ps: readonly number[]): number[] {
  let lo = 0;
  return ps.map((p) => {
    const k = rankIndex(values.length, p);
    // The values before an earlier pick are at or below it: a later (higher) rank lies at or after it.
    const picked = select(values, lo, values.length - 1, k);
    lo = k;
    return picked;
  });
}

function select(a: Float64Array, lo: number, hi: number, k: number): number {
  while (hi > lo) {
    const pivot = a[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i++] = a[j];
        a[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Durations in seconds to one decimal: the average of the milliseconds; percentiles of the rounded tenths. */
export function spread(d: DurationFigures): Spread {
  if (d.count === 0) return { average: null, median: null, p90: null };
  const [median, p90] = nearestRanks(d.tenths, [50, 90]);
  return { average: round(d.sumMs / d.count / 1000), median: median / 10, p90: p90 / 10 };
}

export const noDurations = (): DurationFigures => ({ count: 0, sumMs: 0, tenths: new Float64Array(0) });

export const noFigures = (): Figures => ({
  requested: 0,
  answered: 0,
  missed: 0,
  offlineRequests: 0,
  transfers: 0,
  botOnly: 0,
  wait: noDurations(),
  firstResponse: noDurations(),
  handling: noDurations(),
  ratingCounts: [0, 0, 0, 0, 0],
  offersDeclined: 0,
  offersTimedOut: 0,
});

export function measure(f: Figures = noFigures()): Measures {
  const ratings = f.ratingCounts.reduce((a, b) => a + b, 0);
  const ratingSum = f.ratingCounts.reduce((sum, n, i) => sum + n * (i + 1), 0);
  return {
    requested: f.requested,
    answered: f.answered,
    missed: f.missed,
    offlineRequests: f.offlineRequests,
    transfers: f.transfers,
    botOnly: f.botOnly,
    wait: spread(f.wait),
    firstResponse: spread(f.firstResponse),
    handling: spread(f.handling),
    ratings,
    ratingAverage: ratings ? round(ratingSum / ratings, 2) : null,
    ratingCounts: [...f.ratingCounts],
    offersDeclined: f.offersDeclined,
    offersTimedOut: f.offersTimedOut,
  };
}
