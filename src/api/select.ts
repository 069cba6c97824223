// $select: a comma list of property paths ("Status,User/AssociateId"), case-insensitive, checked against the
// response schema; everything not selected comes back null. Applies to each element of a list.
import type { TSchema } from '@sinclair/typebox';
import { badRequest } from './errors.ts';

/** true = keep the whole value; a map = keep only these children. */
export type SelectTree = Map<string, SelectTree | true>;

const MAX_LENGTH = 4096;
const MAX_PATHS = 256;

const objectSchema = (s: TSchema | undefined): TSchema | undefined => {
  if (!s) return undefined;
  if (s.type === 'array') return objectSchema(s.items);
  return s.type === 'object' && s.properties ? s : undefined;
};

export function parseSelect(text: string | undefined, responseSchema: TSchema | undefined): SelectTree | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  if (text.length > MAX_LENGTH) throw badRequest(`$select is longer than ${MAX_LENGTH} characters`);
  const root = objectSchema(responseSchema);
  if (!root) throw badRequest('$select applies only to results with properties');
  const paths = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (paths.length > MAX_PATHS) throw badRequest(`$select names more than ${MAX_PATHS} properties`);
  const tree: SelectTree = new Map();
  for (const path of paths) addPath(tree, root, path);
  return tree;
}

function addPath(tree: SelectTree, root: TSchema, path: string) {
  let node = tree;
  let schema: TSchema | undefined = root;
  const parts = path.split('/');
  for (const [i, part] of parts.entries()) {
    const props: Record<string, TSchema> | undefined = schema?.properties;
    const name = props && Object.keys(props).find((k) => k.toLowerCase() === part.trim().toLowerCase());
    if (!name) throw badRequest(`$select: '${path.slice(0, 100)}' is not a property of the result`);
    const last = i === parts.length - 1;
    const existing = node.get(name);
    if (last || existing === true) {
      node.set(name, true);
      return; // the whole value is kept: deeper parts of this path add nothing
    }
    const child: SelectTree = existing ?? new Map();
    node.set(name, child);
    node = child;
    schema = objectSchema(props?.[name]);
  }
}

/** Keeps the selected properties of an object (or of each object in a list); the rest become null. */
export function applySelect(value: unknown, tree: SelectTree): unknown {
  if (Array.isArray(value)) return value.map((v) => applySelect(v, tree));
  if (!value || typeof value !== 'object' || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const sel = tree.get(key);
    out[key] = sel === undefined ? null : sel === true ? v : applySelect(v, sel);
  }
  return out;
}
