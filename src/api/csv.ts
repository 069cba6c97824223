// CSV (RFC 4180) for results that are rows: a header line of property names, one line per row, CRLF line ends.
// Cells a spreadsheet would read as a formula (=, +, -, @, tab, CR) get a leading apostrophe: names are user input.
import type { TSchema } from '@sinclair/typebox';

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The result (a row or a list of rows, already localized) as CSV; columns in the schema's order, or the $select-ed ones. */
export function encodeCsv(value: unknown, schema: TSchema | undefined, selected?: ReadonlySet<string>): string {
  const rows = (Array.isArray(value) ? value : value === null || value === undefined ? [] : [value]) as Record<string, unknown>[];
  const rowSchema = schema?.type === 'array' ? schema.items : schema;
  const declared = Object.keys(rowSchema?.properties ?? {});
  // $select nulls what it leaves out; in a CSV file those columns go altogether.
  const columns = selected ? declared.filter((k) => selected.has(k)) : declared;
  const lines = [columns.map(csvCell).join(','), ...rows.map((r) => columns.map((k) => csvCell(r[k])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
