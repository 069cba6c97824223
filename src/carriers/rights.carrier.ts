// TableRight and FieldProperties, computed from the caller's row rights and the carrier's schema.
// Each (carrier, mask) pair is built once and shared: they are presented on every polled row.
import type { TObject, TSchema } from '@sinclair/typebox';
import { EFieldRight, ETableRight } from '../domain/enums.ts';
import { formatFlags } from '../lib/dotnet-flags.ts';

export interface TableRightWire {
  Mask: string;
  Reason: string;
}

const tableRights = new Map<number, TableRightWire>();
export function tableRight(mask: number): TableRightWire {
  let tr = tableRights.get(mask);
  if (!tr) {
    tr = Object.freeze({ Mask: formatFlags(mask, ETableRight), Reason: mask === 0 ? '[SR_PARLEY_NO_ACCESS]' : '' });
    tableRights.set(mask, tr);
  }
  return tr;
}

const fieldTypeOf = (s: TSchema): string | undefined => {
  if (s['x-enum']) return `SuperOffice.Data.${s['x-enum']}`;
  if (s.format === 'date-time') return 'System.DateTime';
  if (s.format === 'time-span') return 'System.TimeSpan';
  switch (s.type) {
    case 'integer':
      return 'System.Int32';
    case 'number':
      return 'System.Double';
    case 'boolean':
      return 'System.Boolean';
    case 'string':
      return 'System.String';
    default:
      return undefined; // nested carriers and lists have no field entry
  }
};

const cache = new Map<string, Record<string, unknown>>();

/**
 * Field rights for a carrier: writable fields follow the row's Update right; server-owned fields are read-only.
 * 'full' lists every field with its type and length (single entities, for editing); 'exceptions' lists only the
 * fields whose right differs from what TableRight implies (lists, which agents poll every few seconds).
 */
export type FieldDetail = 'full' | 'exceptions';

const NONE: ReadonlySet<string> = new Set();

/**
 * `serverOwned`: fields nobody sets through a save; `managersOnly`: fields only those with full rights on the row
 * (the topic's managers, administrators) change, which everyone else gets as Read with the reason.
 */
export function fieldProperties(
  schema: TObject,
  mask: number,
  serverOwned: ReadonlySet<string>,
  detail: FieldDetail = 'full',
  managersOnly: ReadonlySet<string> = NONE,
): Record<string, unknown> {
  // Each carrier passes its own fixed server-owned set; the managers' set may vary by row (a new one or a saved one).
  const key = `${schema.$id}:${mask}:${detail}:${[...managersOnly].join(',')}`;
  let props = cache.get(key);
  if (props) return props;
  props = {};
  const canUpdate = (mask & ETableRight.Update) !== 0;
  const manager = (mask & ETableRight.FULL) === ETableRight.FULL;
  for (const [name, s] of Object.entries(schema.properties)) {
    const fieldType = fieldTypeOf(s);
    if (!fieldType) continue;
    const reason = !canUpdate
      ? ''
      : serverOwned.has(name)
        ? '[SR_PARLEY_FIELD_SERVER_OWNED]'
        : managersOnly.has(name) && !manager
          ? '[SR_PARLEY_FIELD_MANAGERS_ONLY]'
          : '';
    if (detail === 'exceptions' && !reason) continue;
    const right = mask === 0 ? EFieldRight.None : canUpdate && !reason ? EFieldRight.Update : EFieldRight.Read;
    props[name] = Object.freeze({
      FieldRight: Object.freeze({ Mask: formatFlags(right, EFieldRight), Reason: reason }),
      FieldType: fieldType,
      FieldLength: typeof s.maxLength === 'number' ? s.maxLength : 0,
    });
  }
  cache.set(key, Object.freeze(props));
  return props;
}

/** Nested carriers (the User of a session, its Contact...) are shown read-only to the caller. */
export const NESTED_TABLE_RIGHT = ETableRight.Select;
