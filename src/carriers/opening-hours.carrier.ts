// ChatOpeningHours with its TzLocation (TimeZoneData): per-day hours and a lunch break in the topic's zone.
import { type TBoolean, Type, type TUnsafe } from '@sinclair/typebox';
import type { OpeningHours } from '../domain/types.ts';
import { WEEKDAYS, type Weekday } from '../domain/types.ts';
import { formatTimeOfDay } from '../lib/time-of-day.ts';
import { resolveTimeZone, timeZoneTable } from '../lib/time-zones.ts';
import { Bool, Int, pick, Plain, Str, TimeOfDay, type WireOf } from './kit.ts';

export const TimeZoneDataSchema = Plain('TimeZoneData', {
  TZLocationID: Int('SuperOffice location id, 0 when the zone has none'),
  Name: Str(255, 'IANA zone name'),
  TZLocationCode: Str(64, 'SuperOffice location code (country, or country-region), or an IANA name'),
  TZLocationCities: Str(255),
  IsoNumber: Int(),
  TimeZoneSTDRules: Type.Unsafe<Record<string, unknown>>({ type: 'object', nullable: true }),
  TimeZoneDSTRules: Type.Unsafe<Record<string, unknown>>({ type: 'object', nullable: true }),
});

/** MonEnabled, MonStart, MonStop, ... SunStop: built from the week, typed as the properties they are. */
type DayProps = { [D in Weekday as `${D}Enabled`]: TBoolean } & { [D in Weekday as `${D}Start` | `${D}Stop`]: TUnsafe<number> };
const dayProps = Object.fromEntries(
  WEEKDAYS.flatMap((d) => [
    [`${d}Enabled`, Bool(`Open on ${d}`)],
    [`${d}Start`, TimeOfDay()],
    [`${d}Stop`, TimeOfDay()],
  ]),
) as DayProps;

export const OpeningHoursSchema = Plain('ChatOpeningHours', {
  TzLocation: TimeZoneDataSchema,
  ...dayProps,
  UseLunchHours: Bool(),
  LunchStart: TimeOfDay(),
  LunchStop: TimeOfDay(),
});

export function presentTimeZone(code: string | null) {
  const zone = code ? resolveTimeZone(code) : undefined;
  if (!zone) return null;
  const entry = timeZoneTable.find((e) => e.code === zone.code);
  return {
    TZLocationID: entry?.id ?? 0,
    Name: zone.iana,
    TZLocationCode: zone.code,
    TZLocationCities: '',
    IsoNumber: 0,
    TimeZoneSTDRules: {},
    TimeZoneDSTRules: {},
  };
}

export function presentOpeningHours(h: OpeningHours) {
  const wire: Record<string, unknown> = { TzLocation: presentTimeZone(h.timeZone) };
  WEEKDAYS.forEach((d, i) => {
    wire[`${d}Enabled`] = h.days[i].enabled;
    wire[`${d}Start`] = formatTimeOfDay(h.days[i].start);
    wire[`${d}Stop`] = formatTimeOfDay(h.days[i].stop);
  });
  return { ...wire, UseLunchHours: h.useLunchHours, LunchStart: formatTimeOfDay(h.lunchStart), LunchStop: formatTimeOfDay(h.lunchStop) };
}

/** The zone a TzLocation names: its code, its id, or its (IANA) name; null clears it. */
function timeZoneFromWire(tz: WireOf<typeof TimeZoneDataSchema> | null | undefined, fallback: string | null): string | null {
  if (tz === undefined) return fallback;
  if (tz === null) return null;
  if (tz.TZLocationCode) return tz.TZLocationCode;
  if (tz.TZLocationID !== undefined && tz.TZLocationID > 0) return String(tz.TZLocationID);
  return tz.Name || null;
}

export function openingHoursFromWire(w: WireOf<typeof OpeningHoursSchema> | null | undefined, base: OpeningHours): OpeningHours {
  if (!w) return base;
  const tz = timeZoneFromWire(w.TzLocation, base.timeZone);
  return {
    timeZone: tz === null ? null : (resolveTimeZone(tz)?.code ?? tz), // unknown zones are reported by the domain
    days: WEEKDAYS.map((d, i) => ({
      enabled: pick(w[`${d}Enabled`], base.days[i].enabled),
      start: pick(w[`${d}Start`], base.days[i].start),
      stop: pick(w[`${d}Stop`], base.days[i].stop),
    })),
    useLunchHours: pick(w.UseLunchHours, base.useLunchHours),
    lunchStart: pick(w.LunchStart, base.lunchStart),
    lunchStop: pick(w.LunchStop, base.lunchStop),
  };
}
