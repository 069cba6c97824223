// Building blocks for carrier schemas: TypeBox schemas that also carry what the pipeline needs at run time
// (int32 bounds, column lengths, date-time and time-of-day markers, enum tables) and read as OpenAPI 3.0.
import { type Static, type TObject, type TProperties, type TSchema, Type } from '@sinclair/typebox';
import type { EnumTable } from '../domain/enums.ts';

export const INT32 = { minimum: -2147483648, maximum: 2147483647 };

export const Int = (description?: string) => Type.Integer({ format: 'int32', ...INT32, description });
export const Double = (description?: string) => Type.Number({ format: 'double', description });
export const Bool = (description?: string) => Type.Boolean({ description });
/** A string; `maxLength` is the column's length, which FieldProperties reports and input checks. */
export const Str = (maxLength?: number, description?: string) => Type.String({ ...(maxLength ? { maxLength } : {}), description });
export const DateTime = (description?: string) => Type.Unsafe<Date | null>({ type: 'string', format: 'date-time', nullable: true, description });
/** A .NET TimeSpan used as a time of day (opening hours): "08:00:00" on the wire, minutes in the domain. */
export const TimeOfDay = (description?: string) => Type.Unsafe<number>({ type: 'string', format: 'time-span', example: '08:00:00', description });
/** An enum written as its name; numbers are accepted on input. */
export const Enum = (name: string, table: EnumTable, description?: string) =>
  Type.Unsafe<number>({ type: 'string', enum: Object.keys(table), 'x-enum': name, 'x-enum-values': table, description });
/** A [Flags] enum written as .NET writes it ("Update, UIHintMandatory"); numbers or name lists on input. */
export const Flags = (name: string, table: EnumTable, description?: string) =>
  Type.Unsafe<number>({ type: 'string', 'x-enum': name, 'x-enum-values': table, 'x-flags': true, description });
export const Nullable = <T extends TSchema>(schema: T) => ({ ...schema, nullable: true }) as T;
export const ArrayOf = <T extends TSchema>(schema: T, description?: string) => Type.Array(schema, { description, nullable: true });

export const TableRightSchema = Type.Object(
  {
    Mask: Type.Unsafe<string>({ type: 'string', 'x-enum': 'ETableRight', 'x-flags': true }),
    Reason: Type.String(),
  },
  { $id: 'TableRight', nullable: true, additionalProperties: false },
);

export const FieldPropertiesSchema = Type.Unsafe<Record<string, unknown>>({
  type: 'object',
  nullable: true,
  additionalProperties: {
    type: 'object',
    properties: {
      FieldRight: { type: 'object', nullable: true, properties: { Mask: { type: 'string' }, Reason: { type: 'string' } } },
      FieldType: { type: 'string' },
      FieldLength: { type: 'integer', format: 'int32' },
    },
  },
  description: 'Field property dictionary mapping field names to field access rights.',
});

/** A SuperOffice Carrier: its own properties, then TableRight and FieldProperties, in that order on the wire. */
export function Carrier<P extends TProperties>(name: string, properties: P, description?: string) {
  return Type.Object(
    { ...properties, TableRight: TableRightSchema, FieldProperties: FieldPropertiesSchema },
    { $id: name, title: name, description, nullable: true, additionalProperties: false, 'x-carrier': true },
  );
}

/** A plain data object (not a Carrier: no TableRight/FieldProperties). */
export function Plain<P extends TProperties>(name: string, properties: P, description?: string): TObject<P> {
  return Type.Object(properties, { $id: name, title: name, description, nullable: true, additionalProperties: false });
}

export type WireObject = Record<string, unknown>;

/**
 * Text written by people (customer names, chat messages): shown exactly as written, never translated, even when
 * it happens to look like a resource reference or a multi-language value.
 */
export class Verbatim {
  constructor(readonly text: string) {}
  toJSON() {
    return this.text;
  }
}
export const verbatim = (text: string) => new Verbatim(text);

/** A carrier as a client may send it back: any property may be missing, at any depth. */
export type Wire<T> = T extends Date ? T : T extends readonly (infer E)[] ? Wire<E>[] : T extends object ? { [K in keyof T]?: Wire<T[K]> } : T;
/** The wire form of a carrier schema, as the pipeline decoded it from a request body. */
export type WireOf<S extends TSchema> = Wire<Static<S>>;

/** The id a nested reference names on input (Id, AssociateId, ReplyTemplateId...); null when absent, null or 0. */
export const refId = (wire: object | null | undefined, key = 'Id'): number | null => {
  const v = (wire as Record<string, unknown> | null | undefined)?.[key];
  return typeof v === 'number' && v > 0 ? v : null;
};

/** A saved carrier's value where the body gave one, else what the record had: absent properties keep theirs. */
export const pick = <T>(value: T | undefined, fallback: T): T => (value === undefined ? fallback : value);
