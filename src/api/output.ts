// The way out: dates written in the negotiated zone, strings translated, then JSON or XML text.
import type { TSchema } from '@sinclair/typebox';
import { XMLBuilder } from 'fast-xml-parser';
import { Verbatim } from '../carriers/kit.ts';
import { formatInstant } from '../lib/date-format.ts';
import { translate } from './i18n.ts';
import type { Negotiated } from './negotiate.ts';

type Localization = Pick<Negotiated, 'language' | 'timeZone' | 'offsetStyle'>;

/** Frozen parts (FieldProperties, TableRight) are shared by every row: localize each once per language. */
const frozenCache = new WeakMap<object, Map<string, unknown>>();

/** One walk over the result: Date → wire text, strings → caller's language. */
export function localize(value: unknown, n: Localization): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return formatInstant(value, n.timeZone, n.offsetStyle);
  if (typeof value === 'string') return n.language ? translate(value, n.language) : value;
  if (typeof value !== 'object') return value;
  if (value instanceof Verbatim) return value.text;
  if (Array.isArray(value)) return value.map((v) => localize(v, n));
  if (Object.isFrozen(value)) {
    // Frozen parts hold no dates, so the language alone decides their localized form.
    if (!n.language) return value;
    let byLanguage = frozenCache.get(value);
    if (!byLanguage) frozenCache.set(value, (byLanguage = new Map()));
    let done = byLanguage.get(n.language);
    if (done === undefined) byLanguage.set(n.language, (done = localizeObject(value, n)));
    return done;
  }
  return localizeObject(value, n);
}

function localizeObject(value: object, n: Localization) {
  const out: Record<string, unknown> = {};
  for (const key in value) out[key] = localize((value as Record<string, unknown>)[key], n);
  return out;
}

// suppressBooleanAttributes: false, or xsi:nil="true" would be written as a bare `xsi:nil`, which is not XML.
const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  suppressEmptyNode: false,
  suppressBooleanAttributes: false,
  format: false,
});
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

const itemName = (s: TSchema | undefined): string => {
  if (!s) return 'anyType';
  if (s.$id) return s.$id;
  if (s.type === 'integer') return 'int';
  if (s.type === 'array') return `ArrayOf${itemName(s.items)}`;
  return s.type ?? 'anyType';
};

/** Element name of the root: the carrier type, ArrayOf<Type> for lists, the primitive's XML Schema name. */
export const xmlRootName = (schema: TSchema | undefined): string => itemName(schema);

// XML 1.0 cannot carry these, not even as character references (control characters, unpaired surrogates): they
// are written as U+FFFD, so an answer holding a pasted control character is still a document a client can read.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's job
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function toXmlNode(value: unknown, schema: TSchema | undefined): unknown {
  if (value === null || value === undefined) return { '@xsi:nil': 'true' };
  if (typeof value === 'string') return value.replace(NOT_XML, '\uFFFD');
  if (Array.isArray(value)) return { [itemName(schema?.items)]: value.map((v) => toXmlNode(v, schema?.items)) };
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const child = schema?.properties?.[k] ?? (typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      out[k] = toXmlNode(v, child);
    }
    return out;
  }
  return value;
}

export function encode(value: unknown, format: 'json' | 'xml', schema: TSchema | undefined): string {
  if (format === 'json') return JSON.stringify(value ?? null);
  const root = xmlRootName(schema);
  const node = toXmlNode(value, schema);
  const withNs = typeof node === 'object' && node !== null ? { ...(node as object), '@xmlns:xsi': XSI } : node;
  return `<?xml version="1.0" encoding="utf-8"?>${builder.build({ [root]: withNs })}`;
}
