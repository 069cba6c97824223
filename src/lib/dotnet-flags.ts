// Writes and reads [Flags] enum values the way .NET does: an exact name first, otherwise the largest named
// parts, listed in ascending order and joined by ", " (15 → "FULL", 65 → "Read, UIHintMandatory").
import type { EnumTable } from '../domain/enums.ts';

const sortedCache = new WeakMap<EnumTable, Array<[string, number]>>();

function entriesDescending(table: EnumTable) {
  let sorted = sortedCache.get(table);
  if (!sorted) {
    // First name wins for duplicate values (e.g. Nullable/Unused4), as in the table's declaration order.
    const seen = new Set<number>();
    sorted = Object.entries(table)
      .filter(([, v]) => {
        if (seen.has(v)) return false;
        seen.add(v);
        return true;
      })
      .sort((a, b) => b[1] - a[1]);
    sortedCache.set(table, sorted);
  }
  return sorted;
}

export function formatFlags(value: number, table: EnumTable): string {
  const entries = entriesDescending(table);
  const exact = entries.find(([, v]) => v === value);
  if (exact) return exact[0];
  let rest = value;
  const parts: string[] = [];
  for (const [name, v] of entries) {
    if (v !== 0 && (rest & v) === v) {
      parts.unshift(name);
      rest &= ~v;
    }
  }
  return rest === 0 && parts.length > 0 ? parts.join(', ') : String(value); // 0 without a zero name → "0"
}

/** Name (or comma/space separated names) or number → value; undefined when something is not a known name. */
export function parseFlags(input: string | number, table: EnumTable): number | undefined {
  if (typeof input === 'number') return Number.isInteger(input) && input >= 0 ? input : undefined;
  const text = input.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const parts = text.split(/[,\s|]+/).filter(Boolean);
  if (parts.length === 0) return undefined; // "" names nothing (.NET's Enum.Parse refuses it too)
  let value = 0;
  for (const part of parts) {
    const key = Object.keys(table).find((k) => k.toLowerCase() === part.toLowerCase());
    if (key === undefined) return undefined;
    value |= table[key];
  }
  return value;
}

/** Plain enum: the name for a value (first declared), or the number itself when it has none. */
export function enumName(value: number, table: EnumTable): string {
  for (const key in table) if (table[key] === value) return key;
  return String(value);
}

export function parseEnum(input: string | number, table: EnumTable): number | undefined {
  if (typeof input === 'number') return Object.values(table).includes(input) ? input : undefined;
  const text = input.trim();
  if (/^-?\d+$/.test(text)) return parseEnum(Number(text), table);
  const key = Object.keys(table).find((k) => k.toLowerCase() === text.toLowerCase());
  return key === undefined ? undefined : table[key];
}
