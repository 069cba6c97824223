// Reads the negotiation headers once per request: Accept, Accept-Language/SO-Language, SO-Culture, SO-TimeZone.
import { resolveTimeZone } from '../lib/time-zones.ts';
import { ApiError, badRequest } from './errors.ts';

export type WireFormat = 'json' | 'xml';

export interface Negotiated {
  format: OutputFormat;
  contentType: string;
  /** Two-letter language to translate into, or null when translation is off. */
  language: string | null;
  culture: string | null;
  /** IANA zone dates are written in, and how the offset is shown. */
  timeZone: string;
  offsetStyle: 'colon' | 'compact' | 'none';
}

const ACCEPTED: Record<string, WireFormat> = {
  'application/json': 'json',
  'text/json': 'json',
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'json',
  'application/xml': 'xml',
  'text/xml': 'xml',
  '*/*': 'json',
  'application/*': 'json',
  'text/*': 'json',
};

/** The best type of `table` in Accept by q-value, ties going to the first listed. */
function bestType<F extends string>(accept: string, table: Record<string, F>): { format: F; type: string } | undefined {
  if (accept.length > 1024) throw badRequest('Accept header is too long');
  let best: { format: F; type: string; q: number } | undefined;
  for (const part of accept.split(',')) {
    const [typeRaw, ...params] = part.split(';');
    const type = typeRaw.trim().toLowerCase();
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    const format = table[type];
    if (format && q > 0 && (!best || q > best.q)) best = { format, type, q };
  }
  return best;
}

const notAcceptable = (table: Record<string, string>) =>
  new ApiError(
    406,
    'SoNotAcceptableException',
    `None of the types in Accept can be produced; use one of ${Object.keys(table)
      .filter((t) => !t.includes('*'))
      .join(', ')}`,
  );

/** The best acceptable type by q-value, ties going to the first listed; 406 when none is acceptable. */
export function negotiateFormat(accept: string | undefined): { format: WireFormat; contentType: string } {
  if (!accept?.trim()) return { format: 'json', contentType: 'application/json; charset=utf-8' };
  const best = bestType(accept, ACCEPTED);
  if (!best) throw notAcceptable(ACCEPTED);
  const contentType =
    best.format === 'xml'
      ? `${best.type === 'text/xml' ? 'text/xml' : 'application/xml'}; charset=utf-8`
      : `${best.type === 'text/json' || best.type === 'text/*' ? 'text/json' : 'application/json'}; charset=utf-8`; // text/* must get a text/ type
  return { format: best.format, contentType };
}

/** What a response is written as: JSON or XML, or CSV for the endpoints that offer it. */
export type OutputFormat = WireFormat | 'csv';
const WITH_CSV: Record<string, OutputFormat> = { ...ACCEPTED, 'text/csv': 'csv' };
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8; header=present';

/** As negotiateFormat, with text/csv acceptable too where the endpoint offers it (only when asked for by name). */
export function negotiateOutput(accept: string | undefined, offersCsv: boolean): { format: OutputFormat; contentType: string } {
  if (!offersCsv || !accept?.trim()) return negotiateFormat(accept);
  const best = bestType(accept, WITH_CSV);
  if (!best) throw notAcceptable(WITH_CSV);
  return best.format === 'csv' ? { format: 'csv', contentType: CSV_CONTENT_TYPE } : negotiateFormat(accept);
}

/** SO-Language overrides Accept-Language; '*' or 'x' turns translation off; only the iso2 part counts. */
export function negotiateLanguage(soLanguage: string | undefined, acceptLanguage: string | undefined): string | null {
  const raw = soLanguage?.trim() ? soLanguage : acceptLanguage;
  if (!raw?.trim()) return null;
  const first = raw.split(/[;,]/)[0].trim().toLowerCase();
  if (first === '*' || first === 'x' || first === '') return null;
  const iso2 = first.slice(0, 2);
  if (!/^[a-z]{2}$/.test(iso2)) throw badRequest(`Language '${first.slice(0, 20)}' is not an ISO 639-1 code`);
  return iso2;
}

export function negotiateCulture(soCulture: string | undefined, language: string | null): string | null {
  if (!language) return null; // SO-Culture is ignored when no language is set
  if (!soCulture?.trim()) return language;
  const iso2 = soCulture.trim().toLowerCase().slice(0, 2);
  if (!/^[a-z]{2}$/.test(iso2)) throw badRequest(`SO-Culture '${soCulture.slice(0, 20)}' is not an ISO 639-1 code`);
  return iso2;
}

/**
 * SO-TimeZone: "<code|id|IANA>[, includeTZOffset]". Without it dates carry the server zone's offset, as on the
 * SuperOffice reference pages; with a zone they are that zone's wall time, with a "+hhmm" offset only when asked.
 */
export function negotiateTimeZone(header: string | undefined, serverZone: string): Pick<Negotiated, 'timeZone' | 'offsetStyle'> {
  if (!header?.trim()) return { timeZone: serverZone, offsetStyle: 'colon' };
  if (header.length > 200) throw badRequest('SO-TimeZone header is too long');
  const parts = header
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const include = parts.some((p) => p.toLowerCase() === 'includetzoffset');
  const zonePart = parts.find((p) => p.toLowerCase() !== 'includetzoffset');
  if (!zonePart) return { timeZone: serverZone, offsetStyle: include ? 'compact' : 'colon' };
  const zone = resolveTimeZone(zonePart);
  if (!zone) throw badRequest(`SO-TimeZone: unknown time zone '${zonePart.slice(0, 64)}'`);
  return { timeZone: zone.iana, offsetStyle: include ? 'compact' : 'none' };
}
