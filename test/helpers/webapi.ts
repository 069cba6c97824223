// The official client's types, from its CommonJS declarations (its ESM declarations use extensionless paths that
// NodeNext cannot follow). Biome cannot parse an import attribute on a type-only import yet, so this one line lives
// here, outside the linted files (biome.jsonc).
import type * as WebApi from '@superoffice/webapi' with { 'resolution-mode': 'require' };

export type { WebApi };
