// Unit tests for src/api/negotiate.ts: Accept (the six wire types, q-values, wildcards, 406), language
// (SO-Language over Accept-Language, off switches, 400), SO-Culture, and SO-TimeZone (codes, ids, IANA, offset style).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../src/api/errors.ts';
import { negotiateCulture, negotiateFormat, negotiateLanguage, negotiateTimeZone } from '../../src/api/negotiate.ts';

const JSON_CT = 'application/json; charset=utf-8';
const XML_CT = 'application/xml; charset=utf-8';
const SERVER_ZONE = 'Europe/Berlin';

const status = (n: number) => (e: unknown) => e instanceof ApiError && e.status === n;

test('Accept: the six types of the founding page; the patch types answer plain JSON', () => {
  assert.deepEqual(negotiateFormat('application/json'), { format: 'json', contentType: JSON_CT });
  assert.deepEqual(negotiateFormat('text/json'), { format: 'json', contentType: 'text/json; charset=utf-8' });
  assert.deepEqual(negotiateFormat('application/xml'), { format: 'xml', contentType: XML_CT });
  assert.deepEqual(negotiateFormat('text/xml'), { format: 'xml', contentType: 'text/xml; charset=utf-8' });
  assert.deepEqual(negotiateFormat('application/json-patch+json'), { format: 'json', contentType: JSON_CT });
  assert.deepEqual(negotiateFormat('application/merge-patch+json'), { format: 'json', contentType: JSON_CT });
});

test('Accept: missing or blank means JSON; media types are case-insensitive and may carry parameters', () => {
  assert.deepEqual(negotiateFormat(undefined), { format: 'json', contentType: JSON_CT });
  assert.deepEqual(negotiateFormat('  '), { format: 'json', contentType: JSON_CT });
  assert.deepEqual(negotiateFormat('Application/XML'), { format: 'xml', contentType: XML_CT });
  assert.deepEqual(negotiateFormat('application/json; charset=utf-8'), { format: 'json', contentType: JSON_CT });
});

test('Accept: wildcards answer JSON, in a content type that matches the wildcard', () => {
  assert.deepEqual(negotiateFormat('*/*'), { format: 'json', contentType: JSON_CT });
  assert.deepEqual(negotiateFormat('application/*'), { format: 'json', contentType: JSON_CT });
  const text = negotiateFormat('text/*');
  assert.equal(text.format, 'json');
  assert.match(text.contentType, /^text\//);
});

test('Accept: the highest q-value wins, ties go to the first listed, q=0 excludes', () => {
  assert.equal(negotiateFormat('application/json;q=0.4, application/xml;q=0.5').format, 'xml');
  assert.equal(negotiateFormat('application/xml;q=0.5, application/json;q=0.4').format, 'xml');
  assert.equal(negotiateFormat('application/json; q=0.5, text/xml').format, 'xml');
  assert.equal(negotiateFormat('text/xml, application/json').format, 'xml');
  assert.equal(negotiateFormat('application/json, text/xml').format, 'json');
  assert.equal(negotiateFormat('application/xml;q=0, */*;q=0.1').format, 'json');
  // A browser's Accept: XML (0.9) beats */* (0.8); HTML cannot be produced.
  assert.deepEqual(negotiateFormat('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'), { format: 'xml', contentType: XML_CT });
  assert.equal(negotiateFormat('text/html, application/xml;q=0.9').format, 'xml');
});

test('Accept: nothing producible is a 406', () => {
  for (const accept of ['image/png', 'text/html', 'application/xml;q=0', 'application/json;q=0, text/xml;q=0', 'application/jsonx']) {
    assert.throws(
      () => negotiateFormat(accept),
      (e: unknown) => status(406)(e) && (e as ApiError).errorType === 'SoNotAcceptableException',
      accept,
    );
  }
  assert.throws(() => negotiateFormat(`application/json,${'x'.repeat(1100)}`), status(400));
});

test('language: Accept-Language gives the first language, reduced to its ISO 639-1 code', () => {
  assert.equal(negotiateLanguage(undefined, 'en-us; en-gb'), 'en');
  assert.equal(negotiateLanguage(undefined, 'fr,de,ru,zh'), 'fr');
  assert.equal(negotiateLanguage(undefined, 'nb-NO'), 'nb');
  assert.equal(negotiateLanguage(undefined, 'SV'), 'sv');
  assert.equal(negotiateLanguage(undefined, undefined), null);
  assert.equal(negotiateLanguage(undefined, ''), null);
});

test('language: SO-Language overrides Accept-Language; a blank SO-Language does not', () => {
  assert.equal(negotiateLanguage('nb-no', 'en-us; en-gb'), 'nb');
  assert.equal(negotiateLanguage('de', 'fr'), 'de');
  assert.equal(negotiateLanguage('  ', 'sv-SE'), 'sv');
});

test('language: "*" or "x" turn translation off', () => {
  assert.equal(negotiateLanguage('*', 'de'), null);
  assert.equal(negotiateLanguage('x', 'de'), null);
  assert.equal(negotiateLanguage('X', undefined), null);
  assert.equal(negotiateLanguage(undefined, '*'), null);
});

test('language: garbage is a 400', () => {
  for (const v of ['123', 'e', '1a', '-', 'ø']) assert.throws(() => negotiateLanguage(v, undefined), status(400), v);
  assert.throws(() => negotiateLanguage(undefined, '12-34'), status(400));
});

test('SO-Culture: ignored without a language, else its ISO 639-1 part; defaults to the language', () => {
  assert.equal(negotiateCulture('de-DE', null), null);
  assert.equal(negotiateCulture('garbage!', null), null);
  assert.equal(negotiateCulture(undefined, 'nb'), 'nb');
  assert.equal(negotiateCulture('  ', 'nb'), 'nb');
  assert.equal(negotiateCulture('de-DE', 'en'), 'de');
  assert.throws(() => negotiateCulture('12', 'en'), status(400));
});

test('SO-TimeZone: none means the server zone with a "+hh:mm" offset', () => {
  assert.deepEqual(negotiateTimeZone(undefined, SERVER_ZONE), { timeZone: SERVER_ZONE, offsetStyle: 'colon' });
  assert.deepEqual(negotiateTimeZone('  ', SERVER_ZONE), { timeZone: SERVER_ZONE, offsetStyle: 'colon' });
});

test('SO-TimeZone: location codes (any case), numeric ids and IANA names; wall time without offset', () => {
  const cases: Array<[string, string]> = [
    ['UTC', 'UTC'],
    ['NO', 'Europe/Oslo'],
    ['261', 'Europe/Oslo'],
    ['no', 'Europe/Oslo'],
    ['US-NY', 'America/New_York'],
    ['us-ny', 'America/New_York'],
    ['460', 'America/New_York'],
    ['Europe/Oslo', 'Europe/Oslo'],
    ['America/Los_Angeles', 'America/Los_Angeles'],
  ];
  for (const [header, iana] of cases) {
    assert.deepEqual(negotiateTimeZone(header, SERVER_ZONE), { timeZone: iana, offsetStyle: 'none' }, header);
  }
});

test('SO-TimeZone: ", includeTZOffset" asks for the compact "+hhmm" offset', () => {
  for (const header of ['US-NY,includeTZOffset', 'US-NY, includeTZOffset', 'us-ny , INCLUDETZOFFSET']) {
    assert.deepEqual(negotiateTimeZone(header, SERVER_ZONE), { timeZone: 'America/New_York', offsetStyle: 'compact' }, header);
  }
  assert.deepEqual(negotiateTimeZone('includeTZOffset', SERVER_ZONE), { timeZone: SERVER_ZONE, offsetStyle: 'compact' });
});

test('SO-TimeZone: unknown zones are a 400', () => {
  for (const header of ['XX', 'Mars/Olympus', '99999', 'US-XX', 'Europe/Oslo; DROP TABLE', 'x'.repeat(300)]) {
    assert.throws(() => negotiateTimeZone(header, SERVER_ZONE), status(400), header.slice(0, 20));
  }
});
