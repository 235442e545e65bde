import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

// Prowler App's published OpenAPI document (src/testing/prowler/openapi-v1.yaml, copied unchanged
// from the prowler-cloud/prowler repository, api/src/backend/api/specs/v1.yaml at 3e000faa) as a
// validator: every request our client sends and every answer the fake gives is checked against
// the operation's schema. Where the running service is known to differ from the document
// (docs/prowler-api.md), the difference is patched in here, by name, and listed in DEVIATIONS.

type Json = Record<string, unknown>;
type Operation = {
  operationId: string;
  parameters?: Json[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Json }> };
  responses: Record<string, { content?: Record<string, { schema: Json }> }>;
};

export const OPENAPI_FILE = new URL('./prowler/openapi-v1.yaml', import.meta.url);

const SCHEMA_ID = 'prowler-openapi';

function walk(node: unknown, visit: (n: Json) => void): void {
  if (Array.isArray(node)) for (const x of node) walk(x, visit);
  else if (node && typeof node === 'object') {
    visit(node as Json);
    for (const v of Object.values(node)) walk(v, visit);
  }
}

function at(doc: Json, path: string[]): Json {
  let node: unknown = doc;
  for (const key of path) {
    node = (node as Json | undefined)?.[key];
    if (!node || typeof node !== 'object') throw new Error(`the OpenAPI document has no ${path.join('.')}`);
  }
  return node as Json;
}

/** Differences between the document and the running service, each applied below. */
export const DEVIATIONS = [
  'M365 Static Credentials: `user` has `type: email`, not a JSON Schema type: read as a string of format email.',
  'ProviderCreate and ProviderSecretCreate (201 answers) allow no `id`, yet the service sends `data.id`.',
  'Provider.attributes.connection: `connected` and `last_checked_at` are null until the first connection test.',
  'Provider.relationships.secret.data is null while the provider has no secret.',
] as const;

function applyDeviations(doc: Json): void {
  let emails = 0;
  walk(doc, (n) => {
    if (n.type === 'email') {
      n.type = 'string';
      n.format = 'email';
      emails++;
    }
  });
  if (emails === 0) throw new Error('the `type: email` defect is gone: drop it from DEVIATIONS');
  const schemas = at(doc, ['components', 'schemas']);
  for (const name of ['ProviderCreate', 'ProviderSecretCreate']) {
    const props = at(schemas, [name, 'properties']);
    if (props.id) throw new Error(`${name} now has an id: drop it from DEVIATIONS`);
    props.id = { type: 'string', format: 'uuid' };
  }
  const connection = at(schemas, [
    'Provider',
    'properties',
    'attributes',
    'properties',
    'connection',
    'properties',
  ]);
  for (const key of ['connected', 'last_checked_at']) at(connection, [key]).nullable = true;
  at(schemas, [
    'Provider',
    'properties',
    'relationships',
    'properties',
    'secret',
    'properties',
    'data',
  ]).nullable = true;
}

/** Facts, not the document: every error answer has this shape (its 4xx answers are not documented). */
const ERROR_SHAPE = {
  type: 'object',
  required: ['errors'],
  properties: {
    errors: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['detail'],
        properties: {
          detail: {},
          status: { type: 'string' },
          source: { type: 'object', properties: { pointer: { type: 'string' } } },
          code: { type: 'string' },
        },
      },
    },
  },
};

/** Every request and answer of a fake's log that the document (or the error shape) refuses. */
export function contractProblems(
  contract: OpenApiContract,
  log: ReadonlyArray<
    RequestToCheck & { status: number; responseContentType: string | null; responseBody: unknown }
  >,
): string[] {
  return log.flatMap((e) => [
    ...contract.checkRequest(e),
    // status 0: no answer was sent (hang, late, reset).
    ...(e.status === 0
      ? []
      : contract.checkResponse({ ...e, contentType: e.responseContentType, body: e.responseBody })),
  ]);
}

export interface RequestToCheck {
  method: string;
  /** The URL path, e.g. /api/v1/providers/6b2…/connection. */
  path: string;
  query: Record<string, string>;
  contentType: string | null;
  body: unknown;
}

export interface ResponseToCheck {
  method: string;
  path: string;
  status: number;
  contentType: string | null;
  body: unknown;
}

type Direction = 'request' | 'response';

/**
 * OpenAPI 3.0: a readOnly member "MAY be required" yet is only sent in answers, a writeOnly one
 * only in requests (the role secret is never returned). So each direction gets its own copy, with
 * the other direction's members dropped from `required`, and refs pointed at that copy.
 */
function viewFor(node: unknown, direction: Direction): unknown {
  const skip = direction === 'request' ? 'readOnly' : 'writeOnly';
  const copy = (n: unknown): unknown => {
    if (Array.isArray(n)) return n.map(copy);
    if (!n || typeof n !== 'object') return n;
    const out: Json = {};
    for (const [k, v] of Object.entries(n)) out[k] = copy(v);
    if (typeof out.$ref === 'string' && out.$ref.startsWith('#/'))
      out.$ref = `${SCHEMA_ID}-${direction}${out.$ref}`;
    const props = out.properties as Record<string, Json> | undefined;
    if (Array.isArray(out.required) && props) {
      out.required = (out.required as string[]).filter((k) => props[k]?.[skip] !== true);
    }
    return out;
  };
  return copy(node);
}

interface Route {
  template: string;
  pattern: RegExp;
  names: string[];
  item: Json;
}

export class OpenApiContract {
  readonly doc: Json;
  readonly #ajv: Ajv;
  readonly #routes: Route[];
  readonly #compiled = {
    request: new Map<object, ValidateFunction>(),
    response: new Map<object, ValidateFunction>(),
  };

  constructor(text = readFileSync(OPENAPI_FILE, 'utf8')) {
    this.doc = parse(text) as Json;
    applyDeviations(this.doc);
    this.#ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    // ajv-formats is CommonJS: its default export arrives wrapped under ESM.
    const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
      addFormatsModule) as (ajv: Ajv) => void;
    addFormats(this.#ajv);
    for (const direction of ['request', 'response'] as const) {
      const components = viewFor(this.doc.components, direction) as Json;
      this.#ajv.addSchema({ $id: `${SCHEMA_ID}-${direction}`, components }, `${SCHEMA_ID}-${direction}`);
    }
    const paths = this.doc.paths as Record<string, Json>;
    this.#routes = Object.entries(paths)
      .map(([template, item]) => {
        const names = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
        const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '([^/]+)');
        return { template, pattern: new RegExp(`^${source.replace(/\{[^}]+\}/g, '([^/]+)')}$`), names, item };
      })
      // A literal segment wins over a parameter: /providers/secrets is not /providers/{id}.
      .sort((a, b) => a.names.length - b.names.length);
  }

  operation(
    method: string,
    path: string,
  ): { template: string; op: Operation; params: Record<string, string> } | null {
    for (const route of this.#routes) {
      const m = route.pattern.exec(path);
      const op = m ? (route.item[method.toLowerCase()] as Operation | undefined) : undefined;
      if (m && op) {
        const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
        return { template: route.template, op, params };
      }
    }
    return null;
  }

  #validate(schema: object, value: unknown, direction: Direction = 'request'): string[] {
    const cache = this.#compiled[direction];
    let fn = cache.get(schema);
    if (!fn) {
      fn = this.#ajv.compile(viewFor(schema, direction) as Json);
      cache.set(schema, fn);
    }
    if (fn(value)) return [];
    return (fn.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message}`);
  }

  #parameter(schema: Json, raw: string): unknown {
    if (schema.type === 'array') return raw.split(',');
    if (schema.type === 'integer' || schema.type === 'number') return Number(raw);
    if (schema.type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
    return raw;
  }

  /** Problems with a request our client sent; empty when the document accepts it. */
  checkRequest(req: RequestToCheck): string[] {
    const found = this.operation(req.method, req.path);
    if (!found) return [`${req.method} ${req.path}: no such operation in the document`];
    const { op, params, template } = found;
    const where = `${req.method} ${template} (${op.operationId})`;
    const problems: string[] = [];
    const declared = (op.parameters ?? []) as Array<{
      in: string;
      name: string;
      schema?: Json;
      required?: boolean;
    }>;
    for (const [name, value] of Object.entries(params)) {
      const p = declared.find((d) => d.in === 'path' && d.name === name);
      if (!p) problems.push(`${where}: path parameter ${name} is not declared`);
      else if (p.schema)
        problems.push(...this.#validate(p.schema, value).map((e) => `${where}: {${name}} ${e}`));
    }
    for (const [name, value] of Object.entries(req.query)) {
      const p = declared.find((d) => d.in === 'query' && d.name === name);
      if (!p) problems.push(`${where}: query parameter ${name} is not declared`);
      else if (p.schema)
        problems.push(
          ...this.#validate(p.schema, this.#parameter(p.schema, value)).map((e) => `${where}: ${name} ${e}`),
        );
    }
    const body = op.requestBody;
    if (req.body === undefined) {
      if (body?.required) problems.push(`${where}: the request body is required`);
      return problems;
    }
    if (!body) return [...problems, `${where}: the operation takes no request body`];
    const media = (req.contentType ?? '').split(';')[0]!.trim();
    const content = body.content[media];
    if (!content)
      return [
        ...problems,
        `${where}: content type "${media}" is not one of ${Object.keys(body.content).join(', ')}`,
      ];
    return [...problems, ...this.#validate(content.schema, req.body).map((e) => `${where}: body ${e}`)];
  }

  /** Problems with an answer (the fake's); a 4xx is held to the error shape the document omits. */
  checkResponse(res: ResponseToCheck): string[] {
    const found = this.operation(res.method, res.path);
    if (!found) return [`${res.method} ${res.path}: no such operation in the document`];
    const { op, template } = found;
    const where = `${res.method} ${template} ${res.status}`;
    const documented = op.responses[String(res.status)];
    if (!documented) {
      if (res.status >= 400)
        return this.#validate(ERROR_SHAPE, res.body, 'response').map((e) => `${where}: error body ${e}`);
      return [`${where}: the document has no ${res.status} answer for ${op.operationId}`];
    }
    if (!documented.content)
      return res.body === null || res.body === undefined ? [] : [`${where}: no body expected`];
    const media = (res.contentType ?? '').split(';')[0]!.trim();
    const content = documented.content[media];
    if (!content)
      return [`${where}: content type "${media}" is not ${Object.keys(documented.content).join(', ')}`];
    return this.#validate(content.schema, res.body, 'response').map((e) => `${where}: ${e}`);
  }

  /** The schema of an operation's documented answer, refs resolved lazily by sample(). */
  responseSchema(method: string, template: string, status: number): Json {
    const op = (this.doc.paths as Record<string, Json>)[template]?.[method.toLowerCase()] as
      | Operation
      | undefined;
    const schema = op?.responses[String(status)]?.content?.['application/vnd.api+json']?.schema;
    if (!schema) throw new Error(`no ${status} answer for ${method} ${template}`);
    return schema;
  }

  /**
   * A value the schema accepts: `minimal` with only required members (and empty arrays), `full`
   * with every member. Each is checked against the schema before it is returned.
   */
  sample(schema: Json, mode: 'minimal' | 'full'): unknown {
    const value = this.#sample(schema, mode, 0);
    const problems = this.#validate(schema, value, 'response');
    if (problems.length) throw new Error(`the sample does not fit its schema: ${problems.join('; ')}`);
    return value;
  }

  #resolve(schema: Json): Json {
    let s = schema;
    while (typeof s.$ref === 'string') {
      const path = s.$ref.slice('#/'.length).split('/');
      s = at(this.doc, path);
    }
    return s;
  }

  #sample(input: Json, mode: 'minimal' | 'full', depth: number): unknown {
    const s = this.#resolve(input);
    if (depth > 12) return null;
    if (Array.isArray(s.oneOf)) return this.#sample(s.oneOf[0] as Json, mode, depth + 1);
    if (Array.isArray(s.enum)) return s.enum[0];
    if (s.type === 'object' || s.properties) {
      const props = (s.properties ?? {}) as Record<string, Json>;
      const required = new Set(
        ((s.required as string[] | undefined) ?? []).filter((k) => props[k]?.writeOnly !== true),
      );
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(props)) {
        if (mode === 'full' || required.has(k)) out[k] = this.#sample(v, mode, depth + 1);
      }
      return out;
    }
    if (s.type === 'array')
      return mode === 'full' ? [this.#sample((s.items ?? {}) as Json, mode, depth + 1)] : [];
    if (s.type === 'integer' || s.type === 'number') return (s.minimum as number | undefined) ?? 1;
    if (s.type === 'boolean') return true;
    if (s.type === 'string') {
      if (s.format === 'uuid') return '7c0ff2a4-5c4e-4a53-9d0e-2f3c1b7d9e01';
      if (s.format === 'date-time') return '2026-12-01T10:00:00Z';
      if (s.format === 'date') return '2026-12-01';
      if (s.format === 'email') return 'someone@example.com';
      const min = (s.minLength as number | undefined) ?? 1;
      return 'x'.repeat(Math.max(min, 3));
    }
    // No type (Task.result, metadata): anything; null is what an unfinished task has.
    return mode === 'full' ? { connected: true, error: null } : null;
  }
}
