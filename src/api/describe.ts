// Self-description generated from the registry: GET on an agent URL, GET /api and /api/v1, and OpenAPI 3.
import type { TSchema } from '@sinclair/typebox';
import { type Endpoint, offersSelect, pathOf } from './endpoint.ts';
import { endpoints } from './registry.ts';

export const VERSION = { Version: 'v1', Product: 'Parley', ProductVersion: '0.1.0' };

/** What GET on an agent URL answers: the call described, not executed. */
export function describeEndpoint(e: Endpoint) {
  return {
    Method: e.name,
    Verb: 'POST',
    Url: pathOf(e),
    Summary: e.summary,
    Rights: e.rights,
    QueryParameters: Object.keys(e.query ?? {}).concat(offersSelect(e) ? ['$select'] : []),
    Body: e.body ? Object.keys(e.body.properties ?? {}) : [],
    Response: e.response === 'void' ? '204 No Content' : schemaName(e.response),
  };
}

const schemaName = (s: TSchema): string => (s.type === 'array' ? `${schemaName(s.items)}[]` : (s.$id ?? s.type));

/** GET /api/v1: every endpoint's absolute URL → { verb: one-line description }, as SuperOffice lists them. */
export function discovery(baseUrl: string) {
  return Object.fromEntries(endpoints.map((e) => [`${baseUrl}${pathOf(e)}`, { POST: e.summary }]));
}

/** Nested schemas with an $id become components; the rest stays inline. */
function toOpenApi(schema: TSchema, components: Record<string, unknown>, root = false): unknown {
  if (!schema || typeof schema !== 'object') return schema;
  if (schema.$id && !root) {
    if (!(schema.$id in components)) {
      components[schema.$id] = {};
      components[schema.$id] = toOpenApi(schema, components, true);
    }
    const ref = { $ref: `#/components/schemas/${schema.$id}` };
    return schema.nullable ? { allOf: [ref], nullable: true } : ref;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === '$id' || k === 'x-enum-values' || k === 'x-request' || k === 'x-carrier') continue;
    if (k === 'properties') out[k] = Object.fromEntries(Object.entries(v as Record<string, TSchema>).map(([p, s]) => [p, toOpenApi(s, components)]));
    else if (k === 'items' || (k === 'additionalProperties' && typeof v === 'object')) out[k] = toOpenApi(v as TSchema, components);
    else out[k] = v;
  }
  if (schema['x-flags']) out.description = `${schema.description ?? ''} [Flags] names joined by ", "`.trim();
  return out;
}

const HEADERS = ['Accept-Language', 'SO-Language', 'SO-Culture', 'SO-TimeZone', 'SO-AppToken', 'X-XSRF-TOKEN'];

export function openApiDocument() {
  const components: Record<string, unknown> = {};
  const paths: Record<string, unknown> = {};
  const errorRef = { $ref: '#/components/schemas/Error' };
  for (const e of endpoints) {
    const parameters = [
      ...Object.entries(e.query ?? {}).map(([name, s]) => ({ name, in: 'query', required: true, schema: toOpenApi(s, components) })),
      ...(!offersSelect(e)
        ? []
        : [
            {
              name: '$select',
              in: 'query',
              required: false,
              schema: { type: 'string' },
              description: 'Comma separated list of properties to include; others are nulled. Nested with "/".',
            },
          ]),
      ...HEADERS.map((name) => ({ name, in: 'header', required: false, schema: { type: 'string' } })),
    ];
    const content = (s: unknown) => Object.fromEntries(['application/json', 'application/xml'].map((t) => [t, { schema: s }]));
    paths[pathOf(e)] = {
      post: {
        operationId: e.name,
        summary: e.summary,
        description: `Rights: ${e.rights}`,
        parameters,
        ...(e.body ? { requestBody: { required: true, content: content(toOpenApi(e.body, components)) } } : {}),
        responses: {
          ...(e.response === 'void'
            ? { 204: { description: 'No Content' } }
            : {
                200: {
                  description: 'OK',
                  content: {
                    ...content(toOpenApi(e.response, components)),
                    ...(e.csv ? { 'text/csv': { schema: { type: 'string', description: 'One CSV line per row, with a header line' } } } : {}),
                  },
                },
              }),
          400: { description: 'Bad input', content: content(errorRef) },
          401: { description: 'Not authenticated', content: content(errorRef) },
          403: { description: 'No right', content: content(errorRef) },
        },
        security: e.anonymous ? [] : [{ basic: [] }, { soTicket: [] }, { bearer: [] }],
      },
    };
  }
  components.Error = {
    type: 'object',
    properties: { Error: { type: 'boolean' }, ErrorType: { type: 'string' }, ErrorMessage: { type: 'string' }, ErrorSource: { type: 'string' } },
  };
  return {
    openapi: '3.0.3',
    info: {
      title: 'Parley agent WebAPI',
      version: VERSION.ProductVersion,
      description: 'Wire-compatible with the SuperOffice WebAPI Chat agent (POST /api/v1/Agents/Chat/<Method>).',
    },
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        basic: { type: 'http', scheme: 'basic' },
        soTicket: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'SOTicket 7T:...' },
        bearer: { type: 'http', scheme: 'bearer' },
      },
    },
  };
}
