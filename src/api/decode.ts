// Checks and converts a parsed body (or query value) against an input schema: property names case-insensitive,
// numbers and booleans also from text (XML, forms), enums by name or number, dates in the caller's time zone,
// strings within their column length. Every mistake is a 400 naming the property.
import type { TSchema } from '@sinclair/typebox';
import { parseWireDate } from '../lib/date-format.ts';
import { parseTimeOfDay } from '../lib/time-of-day.ts';
import { parseEnum, parseFlags } from '../lib/dotnet-flags.ts';
import { badRequest } from './errors.ts';

/** Carrier members that describe the response; clients echo them back, and they are ignored on input. */
const IGNORED = new Set(['tableright', 'fieldproperties', '_links']);

export interface DecodeContext {
  timeZone: string;
}

const fail = (path: string, message: string) => badRequest(`${path || 'Body'}: ${message}`);

export function decode(schema: TSchema, value: unknown, ctx: DecodeContext, path = ''): unknown {
  if (value === undefined) return undefined;
  // An empty date is null too: XML writes a null date as <WhenEnded xsi:nil="true"/>, which parses as ''.
  if (value === null || (value === '' && (schema.type !== 'string' || schema.format === 'date-time'))) {
    if (schema.format === 'date-time' || schema.nullable || schema.type === 'object' || schema.type === 'array') return null;
    if (value === null) throw fail(path, 'may not be null');
  }
  if (schema['x-enum-values']) return decodeEnum(schema, value, path);
  switch (schema.format) {
    case 'date-time':
      return decodeDate(value, ctx, path);
    case 'time-span':
      return decodeTimeOfDay(value, path);
  }
  switch (schema.type) {
    case 'object':
      return schema.properties ? decodeObject(schema, value, ctx, path) : decodeDictionary(value, path);
    case 'array':
      return decodeArray(schema, value, ctx, path);
    case 'integer':
      return decodeInteger(schema, value, path);
    case 'number':
      return decodeNumber(value, path);
    case 'boolean':
      return decodeBoolean(value, path);
    case 'string':
      return decodeString(schema, value, path);
    default:
      return value;
  }
}

function decodeObject(schema: TSchema, value: unknown, ctx: DecodeContext, path: string) {
  if (typeof value !== 'object' || Array.isArray(value)) throw fail(path, 'must be an object');
  const byLower = new Map(Object.keys(schema.properties).map((k) => [k.toLowerCase(), k]));
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(value as Record<string, unknown>)) {
    const lower = key.toLowerCase();
    if (IGNORED.has(lower)) continue;
    const name = byLower.get(lower);
    if (!name) throw fail(path, `unknown property '${key.slice(0, 80)}'`);
    if (name in out) throw fail(path, `property '${name}' is given twice`);
    out[name] = decode(schema.properties[name], raw, ctx, path ? `${path}.${name}` : name);
  }
  return out;
}

function decodeDictionary(value: unknown, path: string) {
  if (typeof value !== 'object' || Array.isArray(value)) throw fail(path, 'must be an object');
  return value;
}

function decodeArray(schema: TSchema, value: unknown, ctx: DecodeContext, path: string) {
  let list = value;
  // XML and forms wrap lists: <Useragents><ChatTopicAgent>…</ChatTopicAgent><ChatTopicAgent>…</ChatTopicAgent></Useragents>
  if (list && typeof list === 'object' && !Array.isArray(list)) {
    const inner = Object.values(list as Record<string, unknown>);
    if (inner.length !== 1) throw fail(path, 'must be a list');
    list = Array.isArray(inner[0]) ? inner[0] : [inner[0]];
  }
  if (!Array.isArray(list)) throw fail(path, 'must be a list');
  if (list.length > 10_000) throw fail(path, 'has more than 10000 items');
  return list.map((item, i) => decode(schema.items, item, ctx, `${path}[${i}]`));
}

function decodeInteger(schema: TSchema, value: unknown, path: string) {
  const n = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw fail(path, `must be an integer, not ${describe(value)}`);
  if (n < schema.minimum || n > schema.maximum) throw fail(path, 'is outside the 32-bit integer range');
  return n;
}

function decodeNumber(value: unknown, path: string) {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw fail(path, `must be a number, not ${describe(value)}`);
  return n;
}

function decodeBoolean(value: unknown, path: string) {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'True' || value === '1' || value === 1) return true;
  if (value === 'false' || value === 'False' || value === '0' || value === 0) return false;
  throw fail(path, `must be true or false, not ${describe(value)}`);
}

function decodeString(schema: TSchema, value: unknown, path: string) {
  if (typeof value !== 'string') throw fail(path, `must be a string, not ${describe(value)}`);
  if (schema.maxLength !== undefined && value.length > schema.maxLength) {
    throw fail(path, `is ${value.length} characters long; at most ${schema.maxLength} are allowed`);
  }
  if (value.length > 1_000_000) throw fail(path, 'is longer than 1000000 characters');
  // PostgreSQL text cannot hold NUL; refuse it everywhere so both databases answer alike.
  if (value.includes('\u0000')) throw fail(path, 'may not contain NUL (\\u0000) characters');
  return value;
}

function decodeEnum(schema: TSchema, value: unknown, path: string) {
  if (typeof value !== 'string' && typeof value !== 'number') throw fail(path, `must be a ${schema['x-enum']} name or number`);
  const table = schema['x-enum-values'];
  const parsed = schema['x-flags'] ? parseFlags(value, table) : parseEnum(value, table);
  // Stored in 32-bit integer columns: a larger [Flags] number is a bad request, not a database error.
  if (parsed === undefined || parsed > 2147483647) {
    throw fail(path, `'${String(value).slice(0, 60)}' is not a ${schema['x-enum']} value (${Object.keys(table).join(', ')})`);
  }
  return parsed;
}

function decodeDate(value: unknown, ctx: DecodeContext, path: string) {
  if (typeof value !== 'string') throw fail(path, `must be an ISO 8601 date-time text, not ${describe(value)}`);
  const date = parseWireDate(value.trim(), ctx.timeZone);
  if (!date) throw fail(path, `'${value.slice(0, 40)}' is not an ISO 8601 date-time`);
  return date.getTime() <= -62135596800000 ? null : date; // .NET's DateTime.MinValue means "no date"
}

function decodeTimeOfDay(value: unknown, path: string) {
  const minutes = typeof value === 'string' ? parseTimeOfDay(value.trim()) : undefined;
  if (minutes === undefined) throw fail(path, `must be a time of day such as "08:00:00", not ${describe(value)}`);
  return minutes;
}

const describe = (v: unknown) => (typeof v === 'string' ? `'${v.slice(0, 40)}'` : Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v);
