// Unit tests for src/domain/opening-hours.ts: per-day enable, start/stop edges, lunch, the topic's zone versus the
// default zone, DST days in Europe/Oslo and America/New_York, disabled hours, and hours that run past midnight.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isWithinOpeningHours } from '../../src/domain/opening-hours.ts';
import type { DayHours, OpeningHours } from '../../src/domain/types.ts';

const hm = (h: number, m = 0) => h * 60 + m;
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
type Day = (typeof DAYS)[number];

/** Every day 08:00-16:00 unless told otherwise; lunch 11:30-12:00 but off; in the topic zone `timeZone`. */
function topic(
  o: {
    timeZone?: string | null;
    days?: Partial<Record<Day, Partial<DayHours>>>;
    allDays?: Partial<DayHours>;
    lunch?: [number, number] | false;
    enabled?: boolean;
  } = {},
) {
  const openingHours: OpeningHours = {
    timeZone: o.timeZone === undefined ? 'NO' : o.timeZone,
    days: DAYS.map((d) => ({ enabled: true, start: hm(8), stop: hm(16), ...o.allDays, ...o.days?.[d] })),
    useLunchHours: !!o.lunch,
    lunchStart: o.lunch ? o.lunch[0] : hm(11, 30),
    lunchStop: o.lunch ? o.lunch[1] : hm(12),
  };
  return { openingHoursEnabled: o.enabled ?? true, openingHours };
}
/** Only the listed days are open (with the given hours, or 08:00-16:00). */
const only = (days: Partial<Record<Day, Partial<DayHours>>>, rest: Parameters<typeof topic>[0] = {}) =>
  topic({ ...rest, allDays: { enabled: false }, days: Object.fromEntries(Object.entries(days).map(([d, h]) => [d, { enabled: true, ...h }])) });

const OSLO = 'Europe/Oslo';
const open = (t: ReturnType<typeof topic>, iso: string, zone = OSLO) => isWithinOpeningHours(t, new Date(iso), zone);

// 2026-01-05 is a Monday; Oslo is UTC+1 in January, UTC+2 in July.
test('hours not in use: always open, whatever the days say', () => {
  const closedEverywhere = topic({ enabled: false, allDays: { enabled: false }, lunch: [0, 1440] });
  for (const iso of ['2026-01-05T11:00:00Z', '2026-01-10T02:00:00Z', '2026-03-29T01:30:00Z']) assert.equal(open(closedEverywhere, iso), true, iso);
});

test('each weekday is enabled on its own: Monday is the first entry, Sunday the last', () => {
  for (const [i, day] of DAYS.entries()) {
    const t = only({ [day]: {} });
    for (let offset = 0; offset < 7; offset++) {
      const date = `2026-01-${String(5 + offset).padStart(2, '0')}T11:00:00Z`; // 12:00 in Oslo
      assert.equal(open(t, date), offset === i, `${day} only, ${DAYS[offset]} noon`);
    }
  }
});

test('start is inclusive and stop exclusive, to the minute', () => {
  const t = topic();
  assert.equal(open(t, '2026-01-05T06:59:59Z'), false, '07:59:59');
  assert.equal(open(t, '2026-01-05T07:00:00Z'), true, '08:00');
  assert.equal(open(t, '2026-01-05T14:59:59Z'), true, '15:59:59');
  assert.equal(open(t, '2026-01-05T15:00:00Z'), false, '16:00');
});

test('00:00 to 24:00 is the whole day and no more', () => {
  const t = only({ Mon: { start: 0, stop: hm(24) } });
  assert.equal(open(t, '2026-01-04T22:59:59Z'), false, 'Sunday 23:59:59');
  assert.equal(open(t, '2026-01-04T23:00:00Z'), true, 'Monday 00:00');
  assert.equal(open(t, '2026-01-05T22:59:59Z'), true, 'Monday 23:59:59');
  assert.equal(open(t, '2026-01-05T23:00:00Z'), false, 'Tuesday 00:00');
});

test('lunch closes lunchStart <= time < lunchStop, only when useLunchHours is on', () => {
  const t = topic({ lunch: [hm(11, 30), hm(12)] });
  assert.equal(open(t, '2026-01-05T10:29:00Z'), true, '11:29');
  assert.equal(open(t, '2026-01-05T10:30:00Z'), false, '11:30');
  assert.equal(open(t, '2026-01-05T10:59:59Z'), false, '11:59:59');
  assert.equal(open(t, '2026-01-05T11:00:00Z'), true, '12:00');
  assert.equal(open(topic(), '2026-01-05T10:45:00Z'), true, 'lunch hours off');
  // A break that does not end after it starts closes nothing.
  assert.equal(open(topic({ lunch: [hm(12), hm(11, 30)] }), '2026-01-05T10:45:00Z'), true);
  assert.equal(open(topic({ lunch: [hm(12), hm(12)] }), '2026-01-05T11:00:00Z'), true);
});

test('the topic zone decides; the default zone applies only when the topic names none (or an unknown one)', () => {
  // 07:30 UTC on a Monday in January: 08:30 in Oslo (open), 02:30 in New York (closed).
  const at = '2026-01-05T07:30:00Z';
  assert.equal(open(topic({ timeZone: 'NO' }), at, 'America/New_York'), true, 'topic in Oslo, server in New York');
  assert.equal(open(topic({ timeZone: 'US-NY' }), at, OSLO), false, 'topic in New York, server in Oslo');
  assert.equal(open(topic({ timeZone: 'America/New_York' }), at, OSLO), false, 'an IANA name');
  assert.equal(open(topic({ timeZone: '460' }), at, OSLO), false, 'a SuperOffice location id (460 = US-NY)');
  assert.equal(open(topic({ timeZone: null }), at, OSLO), true, 'no topic zone: the default, Oslo');
  assert.equal(open(topic({ timeZone: null }), at, 'America/New_York'), false, 'no topic zone: the default, New York');
  assert.equal(open(topic({ timeZone: 'Nowhere/Atlantis' }), at, 'America/New_York'), false, 'unknown topic zone: the default');
  // 14:30 UTC: 15:30 in Oslo (open), 09:30 in New York (open); 15:30 UTC: 16:30 in Oslo (closed), 10:30 in New York.
  assert.equal(open(topic({ timeZone: 'US-NY' }), '2026-01-05T15:30:00Z', OSLO), true);
  assert.equal(open(topic({ timeZone: 'NO' }), '2026-01-05T15:30:00Z', 'America/New_York'), false);
});

test('the weekday is the local one: late Sunday in New York is Monday in UTC', () => {
  const t = only({ Sun: { start: hm(20), stop: hm(24) } }, { timeZone: 'US-NY' });
  assert.equal(open(t, '2026-01-05T02:00:00Z'), true, 'Sunday 21:00 in New York');
  assert.equal(open(only({ Mon: { start: 0, stop: hm(24) } }, { timeZone: 'US-NY' }), '2026-01-05T02:00:00Z'), false);
});

test('Europe/Oslo spring forward (Sunday 2026-03-29, 02:00 CET -> 03:00 CEST): wall-clock hours hold', () => {
  const t = only({ Sat: {}, Sun: {} });
  // Saturday, still UTC+1.
  assert.equal(open(t, '2026-03-28T06:59:00Z'), false, 'Sat 07:59 CET');
  assert.equal(open(t, '2026-03-28T07:00:00Z'), true, 'Sat 08:00 CET');
  // Sunday, UTC+2 from 01:00 UTC: 08:00 local is 06:00 UTC (a fixed +1 would still say 07:00 closed).
  assert.equal(open(t, '2026-03-29T05:59:00Z'), false, 'Sun 07:59 CEST');
  assert.equal(open(t, '2026-03-29T06:00:00Z'), true, 'Sun 08:00 CEST');
  assert.equal(open(t, '2026-03-29T13:59:00Z'), true, 'Sun 15:59 CEST');
  assert.equal(open(t, '2026-03-29T14:00:00Z'), false, 'Sun 16:00 CEST');
  // Hours that start inside the skipped hour open when the clock jumps past their start.
  const night = only({ Sun: { start: hm(2, 30), stop: hm(4) } });
  assert.equal(open(night, '2026-03-29T00:59:00Z'), false, '01:59 CET');
  assert.equal(open(night, '2026-03-29T01:00:00Z'), true, '03:00 CEST');
  assert.equal(open(night, '2026-03-29T01:59:00Z'), true, '03:59 CEST');
  assert.equal(open(night, '2026-03-29T02:00:00Z'), false, '04:00 CEST');
});

test('Europe/Oslo fall back (Sunday 2026-10-25, 03:00 CEST -> 02:00 CET): the repeated hour is open twice', () => {
  const t = only({ Sun: {} });
  assert.equal(open(t, '2026-10-25T06:59:00Z'), false, 'Sun 07:59 CET');
  assert.equal(open(t, '2026-10-25T07:00:00Z'), true, 'Sun 08:00 CET');
  assert.equal(open(t, '2026-10-25T15:00:00Z'), false, 'Sun 16:00 CET');
  const night = only({ Sun: { start: hm(2), stop: hm(2, 30) } });
  assert.equal(open(night, '2026-10-25T00:15:00Z'), true, 'first 02:15 (CEST)');
  assert.equal(open(night, '2026-10-25T00:45:00Z'), false, 'first 02:45 (CEST)');
  assert.equal(open(night, '2026-10-25T01:15:00Z'), true, 'second 02:15 (CET)');
});

test('America/New_York spring forward (Sunday 2026-03-08, 02:00 EST -> 03:00 EDT) and fall back (2026-11-01)', () => {
  const t = only({ Sat: {}, Sun: {} }, { timeZone: 'US-NY' });
  assert.equal(open(t, '2026-03-07T12:59:00Z'), false, 'Sat 07:59 EST');
  assert.equal(open(t, '2026-03-07T13:00:00Z'), true, 'Sat 08:00 EST');
  assert.equal(open(t, '2026-03-08T11:59:00Z'), false, 'Sun 07:59 EDT');
  assert.equal(open(t, '2026-03-08T12:00:00Z'), true, 'Sun 08:00 EDT (a fixed -5 would say 07:00)');
  assert.equal(open(t, '2026-03-08T19:59:00Z'), true, 'Sun 15:59 EDT');
  assert.equal(open(t, '2026-03-08T20:00:00Z'), false, 'Sun 16:00 EDT');
  assert.equal(open(t, '2026-11-01T12:59:00Z'), false, 'Sun 07:59 EST');
  assert.equal(open(t, '2026-11-01T13:00:00Z'), true, 'Sun 08:00 EST');
  assert.equal(open(t, '2026-11-01T20:59:00Z'), true, 'Sun 15:59 EST');
  assert.equal(open(t, '2026-11-01T21:00:00Z'), false, 'Sun 16:00 EST');
  // The same topic read in the default zone instead: no topic zone and a New York server.
  const server = only({ Sun: {} }, { timeZone: null });
  assert.equal(open(server, '2026-03-08T12:00:00Z', 'America/New_York'), true);
  assert.equal(open(server, '2026-03-08T12:00:00Z', OSLO), true, '13:00 in Oslo');
  assert.equal(open(server, '2026-03-08T06:30:00Z', 'America/New_York'), false, '01:30 EST');
  assert.equal(open(server, '2026-03-08T06:30:00Z', OSLO), false, '07:30 in Oslo');
});

test('stop <= start runs past midnight into the next day, whether or not that day is enabled', () => {
  // 2026-01-09 is a Friday: Friday 22:00 until Saturday 02:00, Saturday itself closed.
  const t = only({ Fri: { start: hm(22), stop: hm(2) } });
  assert.equal(open(t, '2026-01-09T20:59:00Z'), false, 'Fri 21:59');
  assert.equal(open(t, '2026-01-09T21:00:00Z'), true, 'Fri 22:00');
  assert.equal(open(t, '2026-01-09T22:59:00Z'), true, 'Fri 23:59');
  assert.equal(open(t, '2026-01-09T23:00:00Z'), true, 'Sat 00:00');
  assert.equal(open(t, '2026-01-10T00:59:00Z'), true, 'Sat 01:59');
  assert.equal(open(t, '2026-01-10T01:00:00Z'), false, 'Sat 02:00');
  assert.equal(open(t, '2026-01-09T00:30:00Z'), false, 'Fri 01:30: Thursday is closed, so nothing spills over');
  // Sunday night spills into Monday (the week wraps).
  const sunday = only({ Sun: { start: hm(22), stop: hm(2) } });
  assert.equal(open(sunday, '2026-01-05T00:30:00Z'), true, 'Mon 01:30');
  assert.equal(open(sunday, '2026-01-05T01:00:00Z'), false, 'Mon 02:00');
  // A later day's own hours still count in the spilled-over morning.
  const both = only({ Fri: { start: hm(22), stop: hm(2) }, Sat: { start: hm(1), stop: hm(3) } });
  assert.equal(open(both, '2026-01-10T01:30:00Z'), true, "Sat 02:30 from Saturday's own hours");
  // The lunch break closes the small hours too.
  assert.equal(open(only({ Fri: { start: hm(22), stop: hm(2) } }, { lunch: [hm(0, 30), hm(1)] }), '2026-01-09T23:45:00Z'), false, 'Sat 00:45');
});

test('start == stop is open 24 hours from start; 00:00-00:00 is the whole day', () => {
  const t = only({ Mon: { start: hm(8), stop: hm(8) } });
  assert.equal(open(t, '2026-01-05T06:59:00Z'), false, 'Mon 07:59');
  assert.equal(open(t, '2026-01-05T07:00:00Z'), true, 'Mon 08:00');
  assert.equal(open(t, '2026-01-06T06:59:00Z'), true, 'Tue 07:59');
  assert.equal(open(t, '2026-01-06T07:00:00Z'), false, 'Tue 08:00');
  const day = only({ Mon: { start: 0, stop: 0 } });
  assert.equal(open(day, '2026-01-04T23:00:00Z'), true, 'Mon 00:00');
  assert.equal(open(day, '2026-01-05T22:59:00Z'), true, 'Mon 23:59');
  assert.equal(open(day, '2026-01-05T23:00:00Z'), false, 'Tue 00:00');
});
