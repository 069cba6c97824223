// Parses a request body by its Content-Type: JSON (and the two patch types), XML, or form-urlencoded.
// XML never expands entities declared by the sender: a DOCTYPE is refused before parsing.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ApiError, badRequest } from './errors.ts';

const JSON_TYPES = new Set(['application/json', 'text/json', 'application/json-patch+json', 'application/merge-patch+json']);
const XML_TYPES = new Set(['application/xml', 'text/xml']);
const FORM_TYPE = 'application/x-www-form-urlencoded';
const MAX_DEPTH = 32;

const xml = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  ignoreDeclaration: true,
  isArray: () => false,
});

export function parseBody(raw: string | undefined, contentType: string | undefined): unknown {
  if (raw === undefined || raw.trim() === '') return undefined;
  const type = (contentType ?? 'application/json').split(';')[0].trim().toLowerCase();
  if (JSON_TYPES.has(type) || type === '') return parseJson(raw);
  if (XML_TYPES.has(type)) return parseXml(raw);
  if (type === FORM_TYPE) return parseForm(raw);
  throw new ApiError(415, 'SoUnsupportedMediaTypeException', `Content-Type '${type.slice(0, 60)}' is not supported; send JSON, XML or form-urlencoded`);
}

function parseJson(raw: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    throw badRequest(`Malformed JSON body: ${(e as Error).message.slice(0, 200)}`);
  }
  checkDepth(value, 0);
  return value;
}

function parseXml(raw: string): unknown {
  if (/<!DOCTYPE|<!ENTITY/i.test(raw)) throw badRequest('XML bodies may not contain a DOCTYPE or entity declarations');
  const valid = XMLValidator.validate(raw);
  if (valid !== true) throw badRequest(`Malformed XML body: ${valid.err.msg} (line ${valid.err.line})`);
  let doc: Record<string, unknown>;
  try {
    doc = xml.parse(raw) as Record<string, unknown>;
  } catch (e) {
    // The parser refuses names such as __proto__ and very deep nesting by throwing.
    throw badRequest(`Malformed XML body: ${(e as Error).message.slice(0, 200)}`);
  }
  const roots = Object.keys(doc);
  if (roots.length !== 1) throw badRequest('An XML body must have exactly one root element');
  const root = doc[roots[0]];
  checkDepth(root, 0);
  // The root element names the request or carrier; its children are the properties.
  return root === '' ? {} : root;
}

function parseForm(raw: string): unknown {
  // Prototype-less objects: "__proto__.x=1" or "constructor.prototype.x=1" must name a property, not reach
  // Object.prototype; the decoder then refuses such names as unknown properties.
  const out: Record<string, unknown> = Object.create(null);
  for (const [key, value] of new URLSearchParams(raw)) {
    // "Useragent.CanListen=true" sets a nested property.
    const path = key.split('.');
    if (path.length > MAX_DEPTH) throw badRequest('Form field name nests too deeply');
    let node = out;
    for (const part of path.slice(0, -1)) {
      const next = Object.hasOwn(node, part) ? node[part] : (node[part] = Object.create(null));
      if (typeof next !== 'object' || next === null) throw badRequest(`Form field '${key.slice(0, 80)}' conflicts with field '${part.slice(0, 80)}'`);
      node = next as Record<string, unknown>;
    }
    node[path[path.length - 1]] = value;
  }
  return out;
}

function checkDepth(value: unknown, depth: number) {
  if (depth > MAX_DEPTH) throw badRequest('Request body nests too deeply');
  if (value && typeof value === 'object') for (const v of Object.values(value)) checkDepth(v, depth + 1);
}
