// Unit tests for src/lib/date-format.ts: zone offsets across DST edges, wire formatting, ISO parsing
// (gaps/overlaps/garbage), TimeSpan times of day, and the offset cache against raw Intl.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatInstant, localParts, parseWireDate, zoneOffsetMinutes } from '../../src/lib/date-format.ts';
import { formatTimeOfDay, parseTimeOfDay } from '../../src/lib/time-of-day.ts';

const at = (iso: string) => new Date(iso);
const fmt = (iso: string, zone: string) => formatInstant(at(iso), zone, 'colon');
const parsedIso = (text: string, zone: string) => parseWireDate(text, zone)?.toISOString();

test('zoneOffsetMinutes: standard and summer offsets, including non-hour zones', () => {
  const cases: Array<[string, string, number]> = [
    ['Europe/Oslo', '2024-07-01T12:00:00Z', 120],
    ['Europe/Oslo', '2024-01-15T12:00:00Z', 60],
    ['America/New_York', '2024-01-15T12:00:00Z', -300],
    ['America/New_York', '2024-07-01T12:00:00Z', -240],
    ['Australia/Lord_Howe', '2024-01-15T12:00:00Z', 660],
    ['Australia/Lord_Howe', '2024-07-01T12:00:00Z', 630],
    ['Asia/Kolkata', '2024-07-01T12:00:00Z', 330],
    ['Asia/Kathmandu', '2024-07-01T12:00:00Z', 345],
    ['UTC', '2024-07-01T12:00:00Z', 0],
    ['America/St_Johns', '2024-01-15T12:00:00Z', -210],
  ];
  for (const [zone, iso, expected] of cases) assert.equal(zoneOffsetMinutes(zone, Date.parse(iso)), expected, `${zone} ${iso}`);
  assert.throws(() => zoneOffsetMinutes('Mars/Olympus_Mons', 0), RangeError);
});

test('Europe/Oslo spring forward (2024-03-31 01:00Z) and fall back (2024-10-27 01:00Z)', () => {
  assert.equal(fmt('2024-03-31T00:59:59.999Z', 'Europe/Oslo'), '2024-03-31T01:59:59.999+01:00');
  assert.equal(fmt('2024-03-31T01:00:00Z', 'Europe/Oslo'), '2024-03-31T03:00:00+02:00');
  assert.equal(fmt('2024-10-27T00:59:59Z', 'Europe/Oslo'), '2024-10-27T02:59:59+02:00');
  assert.equal(fmt('2024-10-27T01:00:00Z', 'Europe/Oslo'), '2024-10-27T02:00:00+01:00');
  assert.equal(zoneOffsetMinutes('Europe/Oslo', Date.parse('2024-03-31T00:59:59.999Z')), 60);
  assert.equal(zoneOffsetMinutes('Europe/Oslo', Date.parse('2024-03-31T01:00:00Z')), 120);
  assert.equal(zoneOffsetMinutes('Europe/Oslo', Date.parse('2024-10-27T00:59:59.999Z')), 120);
  assert.equal(zoneOffsetMinutes('Europe/Oslo', Date.parse('2024-10-27T01:00:00Z')), 60);
});

test('America/New_York DST edges', () => {
  assert.equal(fmt('2024-03-10T06:59:59Z', 'America/New_York'), '2024-03-10T01:59:59-05:00');
  assert.equal(fmt('2024-03-10T07:00:00Z', 'America/New_York'), '2024-03-10T03:00:00-04:00');
  assert.equal(fmt('2024-11-03T05:59:59Z', 'America/New_York'), '2024-11-03T01:59:59-04:00');
  assert.equal(fmt('2024-11-03T06:00:00Z', 'America/New_York'), '2024-11-03T01:00:00-05:00');
});

test('Australia/Lord_Howe 30-minute DST edges', () => {
  assert.equal(fmt('2024-04-06T14:59:59Z', 'Australia/Lord_Howe'), '2024-04-07T01:59:59+11:00');
  assert.equal(fmt('2024-04-06T15:00:00Z', 'Australia/Lord_Howe'), '2024-04-07T01:30:00+10:30');
  assert.equal(fmt('2024-10-05T15:29:59Z', 'Australia/Lord_Howe'), '2024-10-06T01:59:59+10:30');
  assert.equal(fmt('2024-10-05T15:30:00Z', 'Australia/Lord_Howe'), '2024-10-06T02:30:00+11:00');
});

test('offset styles, odd offsets, UTC is +00:00 never Z', () => {
  const noon = at('2024-01-15T12:00:00Z');
  assert.equal(formatInstant(noon, 'Asia/Kolkata', 'colon'), '2024-01-15T17:30:00+05:30');
  assert.equal(formatInstant(noon, 'Asia/Kolkata', 'compact'), '2024-01-15T17:30:00+0530');
  assert.equal(formatInstant(noon, 'Asia/Kathmandu', 'compact'), '2024-01-15T17:45:00+0545');
  assert.equal(formatInstant(noon, 'Asia/Kathmandu', 'none'), '2024-01-15T17:45:00');
  assert.equal(formatInstant(noon, 'America/New_York', 'compact'), '2024-01-15T07:00:00-0500');
  assert.equal(formatInstant(noon, 'America/St_Johns', 'colon'), '2024-01-15T08:30:00-03:30');
  assert.equal(formatInstant(noon, 'UTC', 'colon'), '2024-01-15T12:00:00+00:00');
  assert.equal(formatInstant(noon, 'UTC', 'compact'), '2024-01-15T12:00:00+0000');
  assert.equal(formatInstant(noon, 'UTC', 'none'), '2024-01-15T12:00:00');
  assert.equal(formatInstant(at('2024-12-31T23:30:00Z'), 'Europe/Oslo', 'colon'), '2025-01-01T00:30:00+01:00');
});

test('fraction is .NET FFFFFFF: trailing zeros trimmed, no dot when zero', () => {
  assert.equal(fmt('2019-05-21T15:54:02.710Z', 'Europe/Oslo'), '2019-05-21T17:54:02.71+02:00');
  assert.equal(fmt('2019-05-21T15:54:02.000Z', 'Europe/Oslo'), '2019-05-21T17:54:02+02:00');
  assert.equal(fmt('2019-05-21T15:54:02.123Z', 'Europe/Oslo'), '2019-05-21T17:54:02.123+02:00');
  assert.equal(fmt('2019-05-21T15:54:02.100Z', 'Europe/Oslo'), '2019-05-21T17:54:02.1+02:00');
  assert.equal(fmt('2019-05-21T15:54:02.001Z', 'Europe/Oslo'), '2019-05-21T17:54:02.001+02:00');
  assert.equal(fmt('1969-12-31T23:59:59.500Z', 'UTC'), '1969-12-31T23:59:59.5+00:00');
});

test('four-digit years at both ends of the .NET range; invalid Date throws', () => {
  assert.equal(fmt('0001-01-01T00:00:00Z', 'UTC'), '0001-01-01T00:00:00+00:00');
  assert.equal(fmt('0999-06-01T00:00:00Z', 'UTC'), '0999-06-01T00:00:00+00:00');
  assert.equal(fmt('9999-12-31T23:59:59.999Z', 'UTC'), '9999-12-31T23:59:59.999+00:00');
  assert.throws(() => formatInstant(new Date(NaN), 'UTC', 'colon'), RangeError);
});

test('format → parse round trips across a year in several zones', () => {
  const zones = ['Europe/Oslo', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Asia/Kathmandu', 'UTC', 'America/Sao_Paulo'];
  const start = Date.parse('2024-01-01T00:00:00Z');
  const step = 3 * 3_600_000 + 17 * 60_000 + 7_123; // odd step so we hit many minutes and milliseconds
  for (const zone of zones) {
    for (let ms = start; ms < start + 366 * 86_400_000; ms += step) {
      const instant = new Date(ms);
      for (const style of ['colon', 'compact'] as const) {
        assert.equal(parseWireDate(formatInstant(instant, zone, style), 'Asia/Tokyo')?.getTime(), ms, `${zone} ${style} ${instant.toISOString()}`);
      }
      // Without an offset the wall time is read in the zone: exact, except in a fall-back overlap,
      // where the earlier of the two instants with that wall time is chosen.
      const wall = formatInstant(instant, zone, 'none');
      const back = parseWireDate(wall, zone)!;
      if (back.getTime() !== ms) {
        assert.ok(back.getTime() < ms && ms - back.getTime() <= 3_600_000, `${zone} ${wall}`);
        assert.equal(formatInstant(back, zone, 'none'), wall);
      }
    }
  }
});

test('wall times in a spring-forward gap move forward by the gap; overlaps pick the earlier instant', () => {
  assert.equal(parsedIso('2024-03-31T02:30:00', 'Europe/Oslo'), '2024-03-31T01:30:00.000Z'); // = 03:30+02:00
  assert.equal(parsedIso('2024-03-31T02:00:00', 'Europe/Oslo'), '2024-03-31T01:00:00.000Z'); // = 03:00+02:00
  assert.equal(parsedIso('2024-10-27T02:30:00', 'Europe/Oslo'), '2024-10-27T00:30:00.000Z'); // +02:00, not +01:00
  assert.equal(parsedIso('2024-10-27T03:00:00', 'Europe/Oslo'), '2024-10-27T02:00:00.000Z');
  assert.equal(parsedIso('2024-03-10T02:30:00', 'America/New_York'), '2024-03-10T07:30:00.000Z'); // = 03:30-04:00
  assert.equal(parsedIso('2024-11-03T01:30:00', 'America/New_York'), '2024-11-03T05:30:00.000Z'); // EDT
  assert.equal(parsedIso('2024-10-06T02:15:00', 'Australia/Lord_Howe'), '2024-10-05T15:45:00.000Z'); // = 02:45+11:00
  assert.equal(parsedIso('2024-04-07T01:45:00', 'Australia/Lord_Howe'), '2024-04-06T14:45:00.000Z'); // +11:00
});

test('parseWireDate: offsets, Z, date-only, fractions, MinValue', () => {
  assert.equal(parsedIso('2019-05-21T17:54:02.71+02:00', 'UTC'), '2019-05-21T15:54:02.710Z');
  assert.equal(parsedIso('2019-05-21T17:54:02.71+0200', 'UTC'), '2019-05-21T15:54:02.710Z');
  assert.equal(parsedIso('2019-05-21T10:54:02-05:00', 'Europe/Oslo'), '2019-05-21T15:54:02.000Z');
  assert.equal(parsedIso('2019-05-21T15:54:02Z', 'Europe/Oslo'), '2019-05-21T15:54:02.000Z');
  assert.equal(parsedIso('2019-05-21T15:54Z', 'Europe/Oslo'), '2019-05-21T15:54:00.000Z');
  assert.equal(parsedIso('2019-05-21T15:54:02.1234567Z', 'UTC'), '2019-05-21T15:54:02.123Z');
  assert.equal(parsedIso('2019-05-21T15:54:02.9999999Z', 'UTC'), '2019-05-21T15:54:02.999Z');
  assert.equal(parsedIso('2019-05-21T15:54:02.5', 'Asia/Kolkata'), '2019-05-21T10:24:02.500Z');
  assert.equal(parsedIso('2024-03-01', 'Europe/Oslo'), '2024-02-29T23:00:00.000Z');
  assert.equal(parsedIso('2024-02-29', 'UTC'), '2024-02-29T00:00:00.000Z');
  assert.equal(parsedIso('2000-02-29T00:00:00Z', 'UTC'), '2000-02-29T00:00:00.000Z');
  assert.equal(parsedIso(' 2024-03-01T12:00:00Z ', 'UTC'), '2024-03-01T12:00:00.000Z');
  const min = parseWireDate('0001-01-01T00:00:00', 'UTC')!;
  assert.equal(min.getUTCFullYear(), 1);
  assert.equal(min.getTime(), -62135596800000); // .NET DateTime.MinValue as a Unix ms
  assert.equal(parsedIso('9999-12-31T23:59:59.9999999Z', 'UTC'), '9999-12-31T23:59:59.999Z');
});

test('parseWireDate rejects garbage and out-of-range fields', () => {
  const bad = [
    '',
    'abc',
    'null',
    '2024',
    '2024-03',
    '2024-1-01',
    '2024-01-1',
    '24-01-01',
    '2024/01/01',
    '2024-13-01',
    '2024-00-10',
    '2024-01-32',
    '2024-01-00',
    '2024-02-30',
    '2023-02-29',
    '1900-02-29',
    '2024-04-31',
    '0000-01-01',
    '2024-01-01T25:00:00',
    '2024-01-01T24:00:00',
    '2024-01-01T12:60:00',
    '2024-01-01T12:00:60',
    '2024-01-01T12',
    '2024-01-01T1:00:00',
    '2024-01-01T12:00:00.',
    '2024-01-01T12:00:00.12345678',
    '2024-01-01T12:00:00+15:00',
    '2024-01-01T12:00:00+02:60',
    '2024-01-01T12:00:00+2',
    '2024-01-01Z',
    '2024-01-01T12:00:00+02:00junk',
    '2024-01-01T12:00:00ZZ',
    '+002024-01-01T00:00:00Z',
    '2024-01-01T12:00:00 +02:00',
    '1'.repeat(10_000),
  ];
  for (const text of bad) assert.equal(parseWireDate(text, 'Europe/Oslo'), undefined, JSON.stringify(text));
  assert.equal(parseWireDate(undefined as unknown as string, 'UTC'), undefined);
});

test('parseTimeOfDay accepts TimeSpan, ISO duration and ISO date-time forms', () => {
  const cases: Array<[string, number]> = [
    ['08:00:00', 480],
    ['8:00', 480],
    ['08:00', 480],
    ['08:00:00.000', 480],
    ['08:30:59.9999999', 510],
    ['00:00:00', 0],
    ['23:59:59', 1439],
    ['24:00', 1440],
    ['24:00:00', 1440],
    ['1.00:00:00', 1440],
    ['0.08:15:00', 495],
    ['PT8H', 480],
    ['PT8H30M', 510],
    ['PT0S', 0],
    ['PT30M', 30],
    ['PT24H', 1440],
    ['pt8h', 480],
    ['PT1439M', 1439],
    ['PT8H30M45.5S', 510],
    ['P1D', 1440],
    ['PT90S', 1],
    ['2024-03-01T08:15:00+05:00', 495],
    ['2024-03-01T08:15:00Z', 495],
    ['0001-01-01T17:30:00', 1050],
    ['2024-03-01T23:59:59.999-11:00', 1439],
  ];
  for (const [text, expected] of cases) assert.equal(parseTimeOfDay(text), expected, text);
});

test('parseTimeOfDay rejects invalid input', () => {
  const bad = [
    '',
    'abc',
    '8',
    '08',
    '25:00',
    '24:01',
    '24:00:01',
    '08:60',
    '08:00:60',
    '-08:00',
    '8:0',
    '08:00:00.12345678',
    'P',
    'PT',
    'P1DT',
    'PT25H',
    'PT1441M',
    'P2D',
    'PT8H30',
    'T8H',
    '8H',
    '2.00:00:00',
    '2024-03-01',
    '2024-13-01T08:00:00',
    '2024-03-01T25:00:00',
    'x'.repeat(100),
  ];
  for (const text of bad) assert.equal(parseTimeOfDay(text), undefined, JSON.stringify(text));
});

test('formatTimeOfDay writes .NET TimeSpan strings and round-trips through parseTimeOfDay', () => {
  assert.equal(formatTimeOfDay(510), '08:30:00');
  assert.equal(formatTimeOfDay(0), '00:00:00');
  assert.equal(formatTimeOfDay(1439), '23:59:00');
  assert.equal(formatTimeOfDay(1440), '24:00:00', 'the official client parses h:m:s, not .NET day notation');
  assert.equal(formatTimeOfDay(2880), '2.00:00:00');
  for (let m = 0; m <= 1440; m++) assert.equal(parseTimeOfDay(formatTimeOfDay(m)), m);
  assert.throws(() => formatTimeOfDay(NaN), RangeError);
});

test('localParts gives local calendar fields, weekday and minutes since midnight', () => {
  assert.deepEqual(localParts(Date.parse('2024-03-31T01:00:00Z'), 'Europe/Oslo'), { year: 2024, month: 3, day: 31, weekday: 0, minutes: 180 });
  assert.deepEqual(localParts(Date.parse('2024-01-01T03:00:00Z'), 'America/New_York'), { year: 2023, month: 12, day: 31, weekday: 0, minutes: 22 * 60 });
  assert.deepEqual(localParts(Date.parse('2024-01-15T18:20:00Z'), 'Asia/Kathmandu'), { year: 2024, month: 1, day: 16, weekday: 2, minutes: 5 });
});

// Independent reference: a fresh formatToParts computation, no shared code with the module.
function referenceOffset(zone: string, ms: number): number {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, Number(x.value)]));
  const wall = new Date(0);
  wall.setUTCFullYear(p.year, p.month - 1, p.day);
  wall.setUTCHours(p.hour, p.minute, p.second, 0);
  return Math.round((wall.getTime() - Math.floor(ms / 1000) * 1000) / 60_000);
}

test('a historic transition that is not 15-minute aligned is not smeared over its cache bucket', () => {
  // Kathmandu left LMT (+05:41:16) for +05:30 at 1919-12-31T18:18:44Z, mid-bucket. Query the late side
  // first so a naive per-bucket cache would wrongly reuse it for the early side (and vice versa).
  for (const order of [
    ['18:18:44', '18:15:00'],
    ['18:15:00', '18:18:44'],
  ]) {
    for (const hms of order) {
      const ms = Date.parse(`1919-12-31T${hms}Z`);
      assert.equal(zoneOffsetMinutes('Asia/Kathmandu', ms), referenceOffset('Asia/Kathmandu', ms), hms);
    }
  }
  assert.equal(zoneOffsetMinutes('Asia/Kathmandu', Date.parse('1919-12-31T18:18:43Z')), 341);
  assert.equal(zoneOffsetMinutes('Asia/Kathmandu', Date.parse('1919-12-31T18:18:44Z')), 330);
});

test('cached zoneOffsetMinutes agrees with formatToParts for 2,000 random instants in 5 zones', () => {
  let seed = 0x2f6b1d; // mulberry32: reproducible "random" instants
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const zones = ['Europe/Oslo', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/Sao_Paulo'];
  const lo = Date.parse('1900-01-01T00:00:00Z'),
    hi = Date.parse('2100-01-01T00:00:00Z');
  for (let i = 0; i < 2000; i++) {
    const zone = zones[i % zones.length];
    // Half spread over two centuries, half packed into 2024 so that DST edges get dense coverage.
    const ms = i % 2 === 0 ? Math.floor(lo + random() * (hi - lo)) : Math.floor(Date.parse('2024-01-01T00:00:00Z') + random() * 366 * 86_400_000);
    const expected = referenceOffset(zone, ms);
    assert.equal(zoneOffsetMinutes(zone, ms), expected, `${zone} ${new Date(ms).toISOString()}`);
    assert.equal(zoneOffsetMinutes(zone, ms), expected, 'second (cached) lookup');
  }
});
