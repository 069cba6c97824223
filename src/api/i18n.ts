// Resolves string resources ([SR_...]) and multi-language values (NO:"...";US:"...") into the caller's language.
import de from '../resources/de.json' with { type: 'json' };
import en from '../resources/en.json' with { type: 'json' };
import nb from '../resources/nb.json' with { type: 'json' };
import sv from '../resources/sv.json' with { type: 'json' };

const resources: Record<string, Record<string, string>> = { en, de, nb, sv };
export const SUPPORTED_LANGUAGES = Object.keys(resources);

/** Multi-language values are keyed by SuperOffice's country-style codes; these are the ones each language reads. */
const MULTI_CODES: Record<string, string[]> = {
  en: ['US', 'GB', 'EN'], nb: ['NO', 'NB', 'NN'], sv: ['SE', 'SV'], de: ['DE', 'AT', 'CH'], da: ['DK', 'DA'],
  fi: ['FI'], nl: ['NL'], fr: ['FR'], es: ['ES'], it: ['IT'], pt: ['PT', 'BR'],
};

const MULTI = /^\s*([A-Za-z]{2}):"((?:[^"]|"")*)"\s*(;\s*[A-Za-z]{2}:"(?:[^"]|"")*"\s*)*;?\s*$/;
const MULTI_PART = /([A-Za-z]{2}):"((?:[^"]|"")*)"/g;
const SR = /\[(SR_[A-Z0-9_]+)\]/g;

/** Translates one string; strings without resources or multi-language syntax come back unchanged. */
export function translate(text: string, language: string): string {
  let out = text;
  if (out.includes('[SR_')) {
    const table = resources[language] ?? resources.en;
    out = out.replace(SR, (whole, key: string) => table[key] ?? resources.en[key] ?? whole);
  }
  if (out.includes(':"') && MULTI.test(out)) {
    const values = new Map<string, string>();
    for (const [, code, value] of out.matchAll(MULTI_PART)) values.set(code.toUpperCase(), value.replace(/""/g, '"'));
    const wanted = MULTI_CODES[language] ?? [language.toUpperCase()];
    const hit = wanted.find((c) => values.has(c));
    // No value in the caller's language: fall back to English, then to the first value given.
    out = values.get(hit ?? '') ?? values.get('US') ?? values.get('GB') ?? values.values().next().value ?? out;
  }
  return out;
}
