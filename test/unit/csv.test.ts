// CSV cells: RFC 4180 quoting, and formula injection disarmed for text (not for numbers).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvCell, encodeCsv } from '../../src/api/csv.ts';

test('cells are quoted when they hold a comma, a quote or a line break; quotes are doubled', () => {
  assert.equal(csvCell('plain'), 'plain');
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell('two\nlines'), '"two\nlines"');
  assert.equal(csvCell(null), '');
  assert.equal(csvCell(12.5), '12.5');
});

test('text a spreadsheet would run as a formula gets a leading apostrophe; negative numbers stay numbers', () => {
  for (const start of ['=', '+', '-', '@', '\t', '\r']) assert.ok(csvCell(`${start}1+1`).replace(/^"/, '').startsWith(`'${start}`), JSON.stringify(start));
  assert.equal(csvCell(-3), '-3');
});

test('a single row is one line under the header; columns follow the schema', () => {
  const schema = { type: 'object', properties: { B: {}, A: {} } } as never;
  assert.equal(encodeCsv({ A: 1, B: 'x' }, schema), 'B,A\r\nx,1\r\n');
  assert.equal(encodeCsv({ A: 1, B: 'x' }, schema, new Set(['A'])), 'A\r\n1\r\n');
});
