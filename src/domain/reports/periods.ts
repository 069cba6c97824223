// Local calendar buckets in the caller's time zone: a day is a local calendar day (23 or 25 hours across a DST
// change), a week starts on Monday, a month on its first day.
import { localParts, zonedWallTimeToInstant } from '../../lib/date-format.ts';

export const GROUPINGS = ['Hour', 'Day', 'Week', 'Month'] as const;
export type Grouping = (typeof GROUPINGS)[number];

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** The instant the local bucket holding `at` starts. Hours that occur twice (autumn) share one bucket. */
export function bucketStart(at: Date, grouping: Grouping, zone: string): Date {
  const p = localParts(at.getTime(), zone);
  let wall = Date.UTC(p.year, p.month - 1, grouping === 'Month' ? 1 : p.day);
  if (grouping === 'Hour') wall += Math.floor(p.minutes / 60) * HOUR_MS;
  if (grouping === 'Week') wall -= ((p.weekday + 6) % 7) * DAY_MS;
  return new Date(zonedWallTimeToInstant(wall, zone));
}

/** Weekday (1 = Monday … 7 = Sunday, ISO) and hour (0-23) of `at`, local. */
export function weekdayHour(at: Date, zone: string): { weekday: number; hour: number } {
  const p = localParts(at.getTime(), zone);
  return { weekday: p.weekday === 0 ? 7 : p.weekday, hour: Math.floor(p.minutes / 60) };
}
