// CSV cells: RFC 4180 quoting, and formula injection disarmed for text (not for numbers).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvCell, encodeCsv } from '../../src/api/csv.ts';
import { nearestRank, nearestRankOfCounts } from '../../src/domain/reports/measures.ts';

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

test('nearest rank: the smallest value with at least p% at or below it', () => {
  assert.equal(nearestRank([], 50), null);
  assert.equal(nearestRank([7], 90), 7);
  assert.equal(nearestRank([1, 2, 3, 4], 50), 2);
  assert.equal(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90), 9);
  assert.equal(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90), 10);
});

test('nearest rank over counts of each value agrees with the sorted list', () => {
  const counted = (values: number[]) => [...new Set(values)].sort((a, b) => a - b).map((v) => [v, values.filter((x) => x === v).length] as [number, number]);
  for (const values of [[], [7], [1, 2, 3, 4], [5, 5, 5, 1], [3, 1, 2, 2, 9, 9, 9, 9, 9, 0, 4]]) {
    const sorted = [...values].sort((a, b) => a - b);
    for (const p of [50, 90]) assert.equal(nearestRankOfCounts(counted(values), values.length, p), nearestRank(sorted, p), `${values} p${p}`);
  }
});
