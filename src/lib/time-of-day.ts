// .NET TimeSpan times of day for opening hours: parsed leniently (TimeSpan, ISO 8601 duration or date-time), written
// as TimeSpan text.
import { PAD2, parseIsoFields } from './date-format.ts';

// .NET TimeSpan "c" format: [d.]hh:mm[:ss[.fffffff]] (hours may be one digit).
const TIMESPAN_RE = /^(?:(\d{1,2})\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/;
const DURATION_RE = /^P(?:(\d{1,2})D)?(?:T(?:(\d{1,4})H)?(?:(\d{1,5})M)?(?:(\d{1,6})(?:[.,]\d{1,7})?S)?)?$/i;

/**
 * Time of day (an opening-hours TimeSpan) as minutes since midnight, 0..1440 (1440 = end of day, for
 * stop times). Accepts `08:00:00`, `8:00`, `08:00:00.000`, `1.00:00:00`, `PT8H30M`, or an ISO date-time
 * whose written time is used as-is (offset ignored). Seconds are truncated. Undefined when invalid.
 */
export function parseTimeOfDay(text: string): number | undefined {
  if (typeof text !== 'string' || text.length > 64) return undefined;
  const s = text.trim();
  let total: number;
  let m = TIMESPAN_RE.exec(s);
  if (m !== null) {
    const days = m[1] === undefined ? 0 : +m[1],
      hours = +m[2],
      minutes = +m[3];
    const seconds = m[4] === undefined ? 0 : +m[4];
    if (hours > 24 || minutes > 59 || seconds > 59) return undefined;
    if (hours === 24 && (minutes !== 0 || seconds !== 0 || (m[5] !== undefined && +m[5] !== 0))) return undefined;
    total = days * 1440 + hours * 60 + minutes;
  } else if ((m = DURATION_RE.exec(s)) !== null) {
    if (s.length === 1 || /T$/i.test(s)) return undefined; // "P" and "PT" / "P1DT" name no component
    total =
      (m[1] === undefined ? 0 : +m[1] * 1440) +
      (m[2] === undefined ? 0 : +m[2] * 60) +
      (m[3] === undefined ? 0 : +m[3]) +
      (m[4] === undefined ? 0 : Math.floor(+m[4] / 60));
  } else {
    const f = parseIsoFields(s);
    if (f === undefined || !f.hasTime) return undefined;
    total = f.hour * 60 + f.minute;
  }
  return total <= 1440 ? total : undefined;
}

/**
 * Minutes since midnight as a TimeSpan-style string: 510 → "08:30:00". The end of the day, 1440, is "24:00:00":
 * the official TypeScript client reads that as 24 hours, while .NET's "1.00:00:00" would reach it as 0.
 */
export function formatTimeOfDay(minutes: number): string {
  if (!Number.isFinite(minutes)) throw new RangeError('formatTimeOfDay: not a finite number');
  if (Math.trunc(minutes) === 1440) return '24:00:00';
  let m = Math.trunc(minutes);
  const sign = m < 0 ? '-' : '';
  m = Math.abs(m);
  const days = Math.floor(m / 1440);
  m %= 1440;
  return `${sign + (days > 0 ? `${days}.` : '') + PAD2[Math.floor(m / 60)]}:${PAD2[m % 60]}:00`;
}
