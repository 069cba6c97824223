// The measures, each defined once (the README quotes these rules): counts, durations and ratings over a set of
// sessions' facts. Plain functions over plain data, so SQLite and PostgreSQL give the same figures.
import { ChatSessionStatus as S } from '../enums.ts';
import type { MissedOffer, SessionFacts } from './facts.ts';

/** Average, median and 90th percentile of durations in seconds; null when there are none. */
export interface Spread {
  average: number | null;
  median: number | null;
  p90: number | null;
}

export interface Measures {
  requested: number;
  answered: number;
  missed: number;
  offlineRequests: number;
  transfers: number;
  botOnly: number;
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

const seconds = (from: Date | null, to: Date | null) => (from && to ? Math.max(0, (to.getTime() - from.getTime()) / 1000) : null);
/** Wait: requested → picked up, for answered sessions. */
export const waitSeconds = (f: SessionFacts) => seconds(f.requestedAt, f.startedAt);
/** First response: the customer's first message → the first agent message after it (and after the pick-up). */
export const firstResponseSeconds = (f: SessionFacts) => seconds(f.firstCustomerAt, f.firstAnswerAt);
/** Handling: picked up → ended, for answered sessions that ended. */
export const handlingSeconds = (f: SessionFacts) => seconds(f.startedAt, f.endedAt);

/** Nearest rank on the ascending list: the smallest value with at least p% of the values at or below it. */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1];
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

export function spread(values: readonly (number | null)[]): Spread {
  const sorted = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (sorted.length === 0) return { average: null, median: null, p90: null };
  const sum = sorted.reduce((a, b) => a + b, 0);
  return { average: round(sum / sorted.length), median: round(nearestRank(sorted, 50) as number), p90: round(nearestRank(sorted, 90) as number) };
}

export function measure(facts: readonly SessionFacts[], missed: readonly MissedOffer[] = []): Measures {
  const ratingCounts: Measures['ratingCounts'] = [0, 0, 0, 0, 0];
  let ratingSum = 0;
  let ratings = 0;
  for (const f of facts) {
    if (f.rating < 1 || f.rating > 5) continue;
    ratingCounts[f.rating - 1]++;
    ratingSum += f.rating;
    ratings++;
  }
  const count = (test: (f: SessionFacts) => boolean) => facts.reduce((n, f) => n + (test(f) ? 1 : 0), 0);
  return {
    requested: facts.length,
    answered: count(isAnswered),
    missed: count(isMissed),
    offlineRequests: count(isOfflineRequest),
    transfers: facts.reduce((n, f) => n + f.transfers, 0),
    botOnly: count(isBotOnly),
    wait: spread(facts.map(waitSeconds)),
    firstResponse: spread(facts.map(firstResponseSeconds)),
    handling: spread(facts.map(handlingSeconds)),
    ratings,
    ratingAverage: ratings ? round(ratingSum / ratings, 2) : null,
    ratingCounts,
    offersDeclined: missed.filter((m) => m.outcome === 'declined').length,
    offersTimedOut: missed.filter((m) => m.outcome === 'timedOut').length,
  };
}
