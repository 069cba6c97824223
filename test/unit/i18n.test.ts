// Unit tests for src/api/i18n.ts translate() and src/resources/*.json: [SR_...] resources per language with
// English fallback, multi-language values (NO:"...";US:"..."), and plain text left alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { SUPPORTED_LANGUAGES, translate } from '../../src/api/i18n.ts';

const RESOURCE_DIR = new URL('../../src/resources/', import.meta.url);
const resourceFiles = readdirSync(RESOURCE_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();
const resources = Object.fromEntries(
  resourceFiles.map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(new URL(f, RESOURCE_DIR), 'utf8')) as Record<string, string>]),
);

test('resources: exactly en, de, nb and sv, and all of them are loaded', () => {
  assert.deepEqual(resourceFiles, ['de.json', 'en.json', 'nb.json', 'sv.json']);
  assert.deepEqual([...SUPPORTED_LANGUAGES].sort(), ['de', 'en', 'nb', 'sv']);
});

test('resources: every key is in all four languages, named so [SR_...] can reach it, with a text', () => {
  const keys = Object.keys(resources.en).sort();
  assert.ok(keys.length > 0);
  for (const [lang, table] of Object.entries(resources)) {
    assert.deepEqual(Object.keys(table).sort(), keys, `${lang}.json has other keys than en.json`);
    for (const [key, value] of Object.entries(table)) {
      assert.match(key, /^SR_[A-Z0-9_]+$/, `${lang}: ${key}`);
      assert.equal(typeof value, 'string', `${lang}: ${key}`);
      assert.ok(value.trim().length > 0, `${lang}: ${key} is empty`);
      assert.ok(!value.includes('[SR_'), `${lang}: ${key} refers to another resource`);
    }
  }
});

test("every resource translates to its own language's text", () => {
  for (const [lang, table] of Object.entries(resources)) {
    for (const [key, value] of Object.entries(table)) assert.equal(translate(`[${key}]`, lang), value, `${lang} ${key}`);
  }
});

test('[SR_...] resources in each language, also inside other text', () => {
  assert.equal(translate('[SR_PARLEY_GROUP_NONE]', 'en'), 'No group');
  assert.equal(translate('[SR_PARLEY_GROUP_NONE]', 'de'), 'Keine Gruppe');
  assert.equal(translate('[SR_PARLEY_GROUP_NONE]', 'nb'), 'Ingen gruppe');
  assert.equal(translate('[SR_PARLEY_GROUP_NONE]', 'sv'), 'Ingen grupp');
  assert.equal(translate('Group: [SR_PARLEY_GROUP_NONE] ([SR_PARLEY_TOPIC_SALES])', 'nb'), 'Group: Ingen gruppe (Spørsmål om salg)');
});

test('an unknown SR key is left as it is; known ones next to it are still translated', () => {
  assert.equal(translate('[SR_NO_SUCH_KEY]', 'nb'), '[SR_NO_SUCH_KEY]');
  assert.equal(translate('[SR_NO_SUCH_KEY] / [SR_PARLEY_GROUP_NONE]', 'de'), '[SR_NO_SUCH_KEY] / Keine Gruppe');
  // Resource names are upper case; other spellings are plain text.
  assert.equal(translate('[sr_parley_group_none]', 'en'), '[sr_parley_group_none]');
  assert.equal(translate('[SR_]', 'en'), '[SR_]');
});

test('an unsupported language falls back to English', () => {
  assert.equal(translate('[SR_PARLEY_WELCOME]', 'fr'), 'Hi! How can we help you today?');
  assert.equal(translate('[SR_PARLEY_WELCOME]', 'da'), 'Hi! How can we help you today?');
  assert.equal(translate('[SR_PARLEY_WELCOME]', 'zz'), 'Hi! How can we help you today?');
});

test("multi-language values pick the caller's language by its country codes", () => {
  const supplier = 'NO:"Leverandør";US:"Supplier"';
  assert.equal(translate(supplier, 'nb'), 'Leverandør');
  assert.equal(translate(supplier, 'en'), 'Supplier');
  const three = 'NO:"Leverandør";SE:"Leverantör";DE:"Lieferant";GB:"Supplier"';
  assert.equal(translate(three, 'sv'), 'Leverantör');
  assert.equal(translate(three, 'de'), 'Lieferant');
  assert.equal(translate(three, 'en'), 'Supplier'); // GB counts as English
  assert.equal(translate('no:"liten";us:"small"', 'nb'), 'liten'); // codes in any case
  assert.equal(translate(' NO:"a" ; US:"b" ; ', 'en'), 'b'); // spaces and a trailing ";"
});

test("multi-language values without the caller's language fall back to US, then GB, then the first", () => {
  assert.equal(translate('NO:"Leverandør";US:"Supplier"', 'sv'), 'Supplier');
  assert.equal(translate('NO:"Leverandør";US:"Supplier"', 'fr'), 'Supplier');
  assert.equal(translate('NO:"Leverandør";GB:"Supplier (GB)"', 'sv'), 'Supplier (GB)');
  assert.equal(translate('NO:"Leverandør";DE:"Lieferant"', 'sv'), 'Leverandør');
});

test('multi-language values unescape doubled quotes and may hold ";" and ":"', () => {
  assert.equal(translate('US:"Say ""hi""";NO:"Si ""hei"""', 'nb'), 'Si "hei"');
  assert.equal(translate('US:"Say ""hi""";NO:"Si ""hei"""', 'en'), 'Say "hi"');
  assert.equal(translate('US:"a;b: c";NO:"x"', 'en'), 'a;b: c');
});

test('resources inside multi-language values are translated too', () => {
  assert.equal(translate('US:"[SR_PARLEY_GROUP_NONE]";XX:"other"', 'en'), 'No group');
});

test('plain text is left alone, including text with :" that is not a multi-language value', () => {
  const plain = [
    '',
    'Hello',
    'Customer support',
    'Note:"urgent" please call',
    'He said:"hi"',
    '{"NO":"x"}',
    'abc:"x"',
    'NO:"unterminated',
    'NO:"a" and US:"b"',
    'URL: "https://example.com"',
    'NO="a";US="b"',
  ];
  for (const lang of ['en', 'nb', 'sv', 'de', 'fr']) {
    for (const text of plain) assert.equal(translate(text, lang), text, `${lang}: ${text}`);
  }
});

test('multi-language parsing is linear: 1 MB adversarial texts are translated at once', () => {
  const spaces = ' '.repeat(1 << 20);
  const shapes: Array<[string, string | undefined]> = [
    // the text, and what it translates to (undefined: itself)
    [`US:"a"${spaces}x`, undefined], // a run of spaces before something that is no further part
    [`${spaces}US:"a"${spaces};NO:"b`, undefined],
    [`US:"${'""'.repeat(1 << 19)}x`, undefined],
    [`${'US:"a";'.repeat(1 << 17)}x`, undefined],
    [`US:"a";${spaces}`, 'a'],
    [`US:"${'x'.repeat(1 << 20)}";${spaces}NO:"ja"${spaces}`, 'ja'],
  ];
  for (const [text, expected] of shapes) {
    const started = performance.now();
    const out = translate(text, 'nb');
    // Quadratic parsing took 0.7 s for 32 kB; 1 MB would take minutes. The bound is far above a linear pass.
    assert.ok(performance.now() - started < 1000, `took ${Math.round(performance.now() - started)} ms`);
    assert.ok(out === (expected ?? text), `${text.slice(0, 20)}...: ${out.slice(0, 40)}`); // no 1 MB diff on failure
  }
});

test('multi-language values: doubled quotes, spaces around parts and a closing semicolon', () => {
  assert.equal(translate(' US:"Say ""hi""" ; NO:"Si ""hei"""; ', 'nb'), 'Si "hei"');
  assert.equal(translate('US:"a";NO:"b";;', 'nb'), 'US:"a";NO:"b";;', 'two semicolons: not the syntax');
  assert.equal(translate('US:"a" NO:"b"', 'nb'), 'US:"a" NO:"b"', 'parts must be separated');
  assert.equal(translate('US:"unterminated', 'nb'), 'US:"unterminated');
});
