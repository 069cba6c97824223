// Whether a topic is open at an instant: the rule IsWithinOpeningHours answers with, and the chat life cycle
// reuses (a session requested outside the hours goes to the offline form). Pure: the caller passes the instant.
import { localParts } from '../lib/date-format.ts';
import { resolveTimeZone } from '../lib/time-zones.ts';
import type { OpeningHours, Topic } from './types.ts';

/**
 * True when `now` lies inside the topic's opening hours, or when the topic does not use opening hours.
 *
 * Times are wall-clock times in the topic's zone (`openingHours.timeZone`; none, or one no longer known, reads
 * them in `defaultZone`), so DST days need no special case: on a spring-forward day 08:00-16:00 is seven hours
 * long, on a fall-back day nine. A day is open from `start` (inclusive) to `stop` (exclusive); `stop` 24:00
 * (1440) is midnight at the end of the day.
 *
 * `stop <= start` means the hours run past midnight: Friday 22:00-02:00 is open from Friday 22:00 until
 * Saturday 02:00, whether or not Saturday itself is enabled; `start == stop` is open 24 hours from `start`.
 * The lunch break (when `useLunchHours`) closes `lunchStart <= time < lunchStop` on every day, including the
 * small hours of an overnight span; a break whose stop is not after its start closes nothing.
 */
export function isWithinOpeningHours(topic: Pick<Topic, 'openingHoursEnabled' | 'openingHours'>, now: Date, defaultZone: string): boolean {
  if (!topic.openingHoursEnabled) return true;
  const hours = topic.openingHours;
  const zone = (hours.timeZone && resolveTimeZone(hours.timeZone)?.iana) || defaultZone;
  const { weekday, minutes } = localParts(now.getTime(), zone);
  if (hours.useLunchHours && hours.lunchStart < hours.lunchStop && hours.lunchStart <= minutes && minutes < hours.lunchStop) {
    return false;
  }
  const today = (weekday + 6) % 7; // localParts counts from Sunday; the days run from Monday
  return openToday(hours, today, minutes) || openFromYesterday(hours, (today + 6) % 7, minutes);
}

function openToday(hours: OpeningHours, day: number, minutes: number): boolean {
  const { enabled, start, stop } = hours.days[day];
  if (!enabled || minutes < start) return false;
  return stop <= start || minutes < stop; // past midnight: open until the end of today at least
}

/** The small hours after an overnight span that started yesterday. */
function openFromYesterday(hours: OpeningHours, day: number, minutes: number): boolean {
  const { enabled, start, stop } = hours.days[day];
  return enabled && stop <= start && minutes < stop;
}
