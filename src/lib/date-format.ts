// Wire date/time helpers: fast instant → SuperOffice wire string in an IANA zone (cached Intl offsets +
// integer formatting) and lenient ISO 8601 parsing. Times of day (opening hours) are in time-of-day.ts.

export type OffsetStyle = 'colon' | 'compact' | 'none';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
// Every modern transition happens on a 15-minute UTC boundary (offsets are multiples of 15 minutes and
// changes happen at whole local hours/half-hours), so the offset is constant within an aligned bucket.
const BUCKET_MS = 15 * MINUTE_MS;
const MAX_CACHED_OFFSETS = 50_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, Map<number, number>>();
let cachedOffsets = 0;

function formatterFor(iana: string): Intl.DateTimeFormat {
  let f = formatters.get(iana);
  if (f === undefined) {
    // Throws RangeError for unknown zones, so only valid zones ever reach the map (it stays small).
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: iana,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(iana, f);
  }
  return f;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm; no Date year quirks). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

/** The slow path: ask Intl for the wall time at `ms` and diff it against UTC. */
function intlOffsetMinutes(iana: string, ms: number): number {
  let year = 0,
    month = 0,
    day = 0,
    hour = 0,
    minute = 0,
    second = 0,
    bc = false;
  for (const part of formatterFor(iana).formatToParts(ms)) {
    switch (part.type) {
      case 'year':
        year = Number(part.value);
        break;
      case 'month':
        month = Number(part.value);
        break;
      case 'day':
        day = Number(part.value);
        break;
      case 'hour':
        hour = Number(part.value);
        break;
      case 'minute':
        minute = Number(part.value);
        break;
      case 'second':
        second = Number(part.value);
        break;
      case 'era':
        bc = part.value.startsWith('B');
        break;
    }
  }
  if (bc) year = 1 - year; // instants just before 0001-01-01 UTC (e.g. parsed "0001-01-01T00:00+14:00")
  const wall = daysFromCivil(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000;
  // Historic local-mean-time offsets have seconds (Oslo 1890: +00:43:00, Kathmandu: +05:41:16); the wire
  // format only has minutes, so round, and use the rounded value for both formatting and parsing.
  return Math.round((wall - (ms - mod(ms, 1000))) / MINUTE_MS);
}

function mod(a: number, b: number): number {
  const r = a % b;
  return r < 0 ? r + b : r;
}

/** UTC offset in minutes of `iana` at `instantMs` (Europe/Oslo in July → 120). Throws RangeError for unknown zones. */
export function zoneOffsetMinutes(iana: string, instantMs: number): number {
  const bucket = Math.floor(instantMs / BUCKET_MS);
  let zone = offsetCache.get(iana);
  if (zone !== undefined) {
    const hit = zone.get(bucket);
    if (hit !== undefined) return hit;
  }
  const start = bucket * BUCKET_MS;
  const offset = intlOffsetMinutes(iana, start);
  // Transitions are whole seconds; checking the bucket's last second catches the rare historic
  // transition that is not 15-minute aligned. Such a bucket is answered exactly and never cached.
  if (intlOffsetMinutes(iana, start + BUCKET_MS - 1000) !== offset) return intlOffsetMinutes(iana, instantMs);
  if (cachedOffsets >= MAX_CACHED_OFFSETS) {
    offsetCache.clear();
    cachedOffsets = 0;
    zone = undefined;
  }
  if (zone === undefined) {
    zone = new Map();
    offsetCache.set(iana, zone);
  }
  zone.set(bucket, offset);
  cachedOffsets++;
  return offset;
}

// Lookup tables keep the per-call formatting down to a handful of string concatenations.
export const PAD2 = Array.from({ length: 100 }, (_, i) => (i < 10 ? '0' : '') + i);
// .NET "FFFFFFF": milliseconds as a 7-digit fraction with trailing zeros trimmed, no dot when zero.
const FRACTION = Array.from({ length: 1000 }, (_, ms) => (ms === 0 ? '' : `.${String(ms).padStart(3, '0').replace(/0+$/, '')}`));

function pad4(n: number): string {
  if (n >= 1000 && n <= 9999) return String(n);
  return (n < 0 ? '-' : '') + String(Math.abs(n)).padStart(4, '0');
}

function offsetText(minutes: number, style: OffsetStyle): string {
  if (style === 'none') return '';
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return sign + PAD2[Math.floor(abs / 60)] + (style === 'colon' ? ':' : '') + PAD2[abs % 60];
}

/**
 * Wall time of `instant` in `iana` as `yyyy-MM-ddTHH:mm:ss[.FFFFFFF]` + offset (`+02:00`, `+0200` or
 * nothing). UTC is written `+00:00`, never `Z`, like SuperOffice does.
 */
export function formatInstant(instant: Date, iana: string, offsetStyle: OffsetStyle): string {
  const ms = instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('formatInstant: invalid Date');
  const offset = zoneOffsetMinutes(iana, ms);
  const local = new Date(ms + offset * MINUTE_MS);
  return (
    pad4(local.getUTCFullYear()) +
    '-' +
    PAD2[local.getUTCMonth() + 1] +
    '-' +
    PAD2[local.getUTCDate()] +
    'T' +
    PAD2[local.getUTCHours()] +
    ':' +
    PAD2[local.getUTCMinutes()] +
    ':' +
    PAD2[local.getUTCSeconds()] +
    FRACTION[local.getUTCMilliseconds()] +
    offsetText(offset, offsetStyle)
  );
}

/**
 * Converts a wall time (given as if it were UTC ms) in `iana` to an instant.
 * Spring-forward gap (wall time does not exist): moved forward by the gap, i.e. read with the
 * pre-transition offset (Oslo 02:30 on 2024-03-31 → 03:30+02:00), like Temporal's "compatible".
 * Fall-back overlap (wall time occurs twice): the earlier instant, i.e. the pre-transition offset.
 */
export function zonedWallTimeToInstant(wallMs: number, iana: string): number {
  // |offset| < 1 day, so these two bracket the instant we are looking for.
  const before = zoneOffsetMinutes(iana, wallMs - DAY_MS);
  const after = zoneOffsetMinutes(iana, wallMs + DAY_MS);
  if (before === after) {
    const t = wallMs - before * MINUTE_MS;
    if (zoneOffsetMinutes(iana, t) === before) return t;
  }
  let best: number | undefined;
  for (const offset of [before, after, zoneOffsetMinutes(iana, wallMs)]) {
    const t = wallMs - offset * MINUTE_MS;
    if (zoneOffsetMinutes(iana, t) === offset && (best === undefined || t < best)) best = t;
  }
  return best ?? wallMs - before * MINUTE_MS;
}

export interface IsoFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
  hasTime: boolean;
  offset: number | undefined; // minutes east of UTC; undefined = no zone designator
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,7}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return MONTH_DAYS[month - 1];
}

export function parseIsoFields(text: string): IsoFields | undefined {
  const m = ISO_RE.exec(text);
  if (m === null) return undefined;
  const year = +m[1],
    month = +m[2],
    day = +m[3];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  const hour = m[4] === undefined ? 0 : +m[4];
  const minute = m[5] === undefined ? 0 : +m[5];
  const second = m[6] === undefined ? 0 : +m[6];
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  // Ticks below a millisecond are truncated, as Date cannot hold them.
  const ms = m[7] === undefined ? 0 : +m[7].padEnd(3, '0').slice(0, 3);
  let offset: number | undefined;
  const zone = m[8];
  if (zone === 'Z' || zone === 'z') offset = 0;
  else if (zone !== undefined) {
    const oh = +zone.slice(1, 3),
      om = zone.length > 3 ? +zone.slice(-2) : 0;
    if (oh > 14 || om > 59 || oh * 60 + om > 14 * 60) return undefined; // .NET's offset range
    offset = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  return { year, month, day, hour, minute, second, ms, hasTime: m[4] !== undefined, offset };
}

/**
 * Parses an incoming ISO 8601 date or date-time. An explicit `Z`/offset wins; otherwise the wall time
 * is read in `defaultIana` (see zonedWallTimeToInstant for gaps/overlaps). Date-only = local midnight.
 * Returns undefined for malformed or out-of-range input; 0001-01-01T00:00:00 (.NET MinValue) is returned
 * as a Date and callers decide what it means. Throws RangeError if `defaultIana` is not a valid zone.
 */
export function parseWireDate(text: string, defaultIana: string): Date | undefined {
  if (typeof text !== 'string' || text.length > 64) return undefined;
  const f = parseIsoFields(text.trim());
  if (f === undefined) return undefined;
  const wall = daysFromCivil(f.year, f.month, f.day) * DAY_MS + ((f.hour * 60 + f.minute) * 60 + f.second) * 1000 + f.ms;
  return new Date(f.offset === undefined ? zonedWallTimeToInstant(wall, defaultIana) : wall - f.offset * MINUTE_MS);
}

export interface LocalParts {
  year: number;
  month: number; // 1..12
  day: number;
  weekday: number; // 0 = Sunday
  minutes: number; // since local midnight
}

/** Local calendar fields of an instant in `iana`, for opening-hours checks. */
export function localParts(instantMs: number, iana: string): LocalParts {
  const local = new Date(instantMs + zoneOffsetMinutes(iana, instantMs) * MINUTE_MS);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    weekday: local.getUTCDay(),
    minutes: local.getUTCHours() * 60 + local.getUTCMinutes(),
  };
}
