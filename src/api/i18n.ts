// Resolves string resources ([SR_...]) and multi-language values (NO:"...";US:"...") into the caller's language.
import de from '../resources/de.json' with { type: 'json' };
import en from '../resources/en.json' with { type: 'json' };
import nb from '../resources/nb.json' with { type: 'json' };
import sv from '../resources/sv.json' with { type: 'json' };

const resources: Record<string, Record<string, string>> = { en, de, nb, sv };
export const SUPPORTED_LANGUAGES = Object.keys(resources);

/** Multi-language values are keyed by SuperOffice's country-style codes; these are the ones each language reads. */
const MULTI_CODES: Record<string, string[]> = {
  en: ['US', 'GB', 'EN'],
  nb: ['NO', 'NB', 'NN'],
  sv: ['SE', 'SV'],
  de: ['DE', 'AT', 'CH'],
  da: ['DK', 'DA'],
  fi: ['FI'],
  nl: ['NL'],
  fr: ['FR'],
  es: ['ES'],
  it: ['IT'],
  pt: ['PT', 'BR'],
};

/** The language `translate` takes for a widget language code (`en`, `no`, `nb`, `sv-SE`...); English when none. */
export function languageOfIsoCode(isoCode: string): string {
  const code = isoCode.trim().toLowerCase().slice(0, 2);
  if (code === 'no' || code === 'nn') return 'nb';
  return /^[a-z]{2}$/.test(code) ? code : 'en';
}

const SR = /\[(SR_[A-Z0-9_]+)\]/g;

/** Translates one string; strings without resources or multi-language syntax come back unchanged. */
export function translate(text: string, language: string): string {
  let out = text;
  if (out.includes('[SR_')) {
    const table = resources[language] ?? resources.en;
    out = out.replace(SR, (whole, key: string) => table[key] ?? resources.en[key] ?? whole);
  }
  const values = out.includes(':"') ? parseMultiLanguage(out) : undefined;
  if (values) {
    const wanted = MULTI_CODES[language] ?? [language.toUpperCase()];
    const hit = wanted.find((c) => values.has(c));
    // No value in the caller's language: fall back to English, then to the first value given.
    out = values.get(hit ?? '') ?? values.get('US') ?? values.get('GB') ?? values.values().next().value ?? out;
  }
  return out;
}

const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isSpace = (c: number) =>
  c === 32 ||
  (c >= 9 && c <= 13) ||
  c === 0xa0 ||
  c === 0xfeff ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000 ||
  c === 0x1680;

/**
 * `US:"Customer support";NO:"Kundestøtte"` (quotes doubled inside a value, spaces around parts, an optional last
 * `;`) → code → value; undefined when the text is anything else. One pass over the text, never backtracking: the
 * text is user input (topic texts, bot lines), and a backtracking pattern took seconds on a long run of spaces.
 */
export function parseMultiLanguage(text: string): Map<string, string> | undefined {
  const values = new Map<string, string>();
  const n = text.length;
  let i = 0;
  const skipSpaces = () => {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
  };
  skipSpaces();
  for (;;) {
    if (i + 3 >= n || !isLetter(text.charCodeAt(i)) || !isLetter(text.charCodeAt(i + 1)) || text[i + 2] !== ':' || text[i + 3] !== '"') return undefined;
    const code = text.slice(i, i + 2).toUpperCase();
    i += 4;
    let value = '';
    for (;;) {
      const quote = text.indexOf('"', i);
      if (quote < 0) return undefined;
      value += text.slice(i, quote);
      i = quote + 1;
      if (text[i] !== '"') break;
      value += '"';
      i++;
    }
    values.set(code, value);
    skipSpaces();
    if (i === n) return values;
    if (text[i] !== ';') return undefined;
    i++;
    skipSpaces();
    if (i === n) return values;
  }
}
