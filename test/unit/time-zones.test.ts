// Unit tests for src/lib/time-zones.ts: table integrity (every zone valid in this Node's Intl, unique
// codes/ids, documented SuperOffice ids) and resolveTimeZone for codes, ids and IANA names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveTimeZone, timeZoneTable } from '../../src/lib/time-zones.ts';

test('every IANA name in the table is accepted by Intl', () => {
  const invalid = timeZoneTable.filter((e) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: e.iana });
      return false;
    } catch {
      return true;
    }
  });
  assert.deepEqual(invalid, []);
});

test('codes and ids are unique and well-formed', () => {
  const codes = timeZoneTable.map((e) => e.code.toUpperCase());
  assert.equal(new Set(codes).size, codes.length, 'duplicate code');
  const ids = timeZoneTable.flatMap((e) => (e.id === undefined ? [] : [e.id]));
  assert.equal(new Set(ids).size, ids.length, 'duplicate id');
  for (const e of timeZoneTable) assert.match(e.code, /^(UTC|[A-Z]{2}(-[A-Z0-9]{1,3})?)$/, e.code);
  assert.ok(timeZoneTable.length >= 300, `only ${timeZoneTable.length} entries`);
});

test('documented SuperOffice location ids map to the right codes', () => {
  const documented: Record<string, number> = {
    UTC: 1,
    NO: 261,
    DK: 140,
    FR: 156,
    'US-NY': 460,
    'US-CA': 425,
    'US-HI': 433,
    'AU-ACT': 36,
    BD: 50,
    'CA-QC': 114,
  };
  for (const [code, id] of Object.entries(documented)) {
    assert.equal(timeZoneTable.find((e) => e.code === code)?.id, id, code);
    assert.equal(resolveTimeZone(String(id))?.code, code);
  }
  assert.equal(timeZoneTable.filter((e) => e.id !== undefined).length, Object.keys(documented).length);
});

test('coverage: all US states + DC, Canadian provinces, Australian states, European countries', () => {
  const states =
    'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY';
  for (const s of states.split(' ')) assert.ok(resolveTimeZone(`US-${s}`), `US-${s}`);
  for (const p of 'AB BC MB NB NL NS NT NU ON PE QC SK YT'.split(' ')) assert.ok(resolveTimeZone(`CA-${p}`), `CA-${p}`);
  for (const s of 'ACT NSW NT QLD SA TAS VIC WA'.split(' ')) assert.ok(resolveTimeZone(`AU-${s}`), `AU-${s}`);
  const europe = 'AD AL AT BA BE BG BY CH CY CZ DE DK EE ES FI FR GB GR HR HU IE IS IT LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SK SM TR UA VA';
  for (const c of europe.split(' ')) assert.ok(resolveTimeZone(c), c);
  const expected: Record<string, string> = {
    'US-AZ': 'America/Phoenix',
    'US-IN': 'America/Indiana/Indianapolis',
    'US-HI': 'Pacific/Honolulu',
    'CA-NL': 'America/St_Johns',
    'CA-BC': 'America/Vancouver',
    'AU-WA': 'Australia/Perth',
    'AU-NT': 'Australia/Darwin',
    DE: 'Europe/Berlin',
    GB: 'Europe/London',
    JP: 'Asia/Tokyo',
  };
  for (const [code, iana] of Object.entries(expected)) assert.equal(resolveTimeZone(code)?.iana, iana, code);
});

test('resolveTimeZone by code, lower-case code, id and IANA name', () => {
  assert.deepEqual(resolveTimeZone('NO'), { code: 'NO', iana: 'Europe/Oslo' });
  assert.deepEqual(resolveTimeZone('us-ny'), { code: 'US-NY', iana: 'America/New_York' });
  assert.deepEqual(resolveTimeZone('Ca-Qc'), { code: 'CA-QC', iana: 'America/Toronto' });
  assert.deepEqual(resolveTimeZone('261'), { code: 'NO', iana: 'Europe/Oslo' });
  assert.deepEqual(resolveTimeZone('1'), { code: 'UTC', iana: 'UTC' });
  assert.deepEqual(resolveTimeZone('utc'), { code: 'UTC', iana: 'UTC' });
  assert.deepEqual(resolveTimeZone(' NO '), { code: 'NO', iana: 'Europe/Oslo' });
  assert.deepEqual(resolveTimeZone('Europe/Oslo'), { code: 'Europe/Oslo', iana: 'Europe/Oslo' });
  assert.deepEqual(resolveTimeZone('america/new_york'), { code: 'America/New_York', iana: 'America/New_York' });
  // ICU reports legacy aliases (Asia/Calcutta); the modern spelling from the table wins.
  assert.deepEqual(resolveTimeZone('Asia/Kolkata'), { code: 'Asia/Kolkata', iana: 'Asia/Kolkata' });
  assert.deepEqual(resolveTimeZone('asia/kathmandu'), { code: 'Asia/Kathmandu', iana: 'Asia/Kathmandu' });
  assert.equal(resolveTimeZone('Etc/UTC')?.iana, 'UTC');
  // Zones outside the table still resolve to a name Intl accepts.
  const other = resolveTimeZone('America/Argentina/Cordoba');
  assert.ok(other);
  assert.doesNotThrow(() => new Intl.DateTimeFormat('en', { timeZone: other.iana }));
});

test('resolveTimeZone rejects unknown and absurd input quickly', () => {
  for (const bad of ['', ' ', 'XX', 'US-XX', '99999', '0', '-1', '261.0', 'Mars/Olympus_Mons', 'Europe/Osl', 'NO;drop', '../etc/passwd', 'Europe Oslo']) {
    assert.equal(resolveTimeZone(bad), undefined, JSON.stringify(bad));
  }
  assert.equal(resolveTimeZone(undefined as unknown as string), undefined);
  const started = performance.now();
  for (let i = 0; i < 1000; i++) {
    assert.equal(resolveTimeZone('A'.repeat(65)), undefined);
    assert.equal(resolveTimeZone(`Europe/${'x'.repeat(10_000 + i)}`), undefined);
  }
  assert.ok(performance.now() - started < 500, 'long input should be rejected without work');
  assert.equal(resolveTimeZone(`Europe/Oslo${' '.repeat(60)}`), undefined); // over 64 before trimming
});
