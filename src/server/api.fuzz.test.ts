import { Agent, request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import { API, errorBodySchema } from '../domain/api-contract.ts';
import { identityResponseSchema, verifyReportSchema } from '../domain/diagnosis-contract.ts';
import { fieldErrorsFrom } from '../domain/field-errors.ts';
import { identityRequestSchema } from '../domain/inputs.ts';
import { sandboxDeployRequestSchema, sandboxDeployResponseSchema } from '../domain/sandbox-contract.ts';
import { verifyRequestSchema } from '../domain/verify-request.ts';
import { CANARY, type LiveStack, okVerifyBody, startLiveStack } from '../testing/live-stack.ts';

// Issue 8, "Bad input": hostile bodies against every route of the real server, over real HTTP on
// an ephemeral port, with the sandbox behind it. Every answer is a 4xx with the structured error
// body naming the field (the same field errors the shared schema gives), never a 5xx; valid bodies
// may reach the sandbox and answer 200. Afterwards the server still answers /api/health.

let stack: LiveStack;
let tried = 0;
const agent = new Agent({ keepAlive: true, maxSockets: 4 });
const BODY_LIMIT = 32_768;

beforeAll(async () => {
  stack = await startLiveStack({ env: { AWS_CONNECT_BODY_LIMIT_BYTES: String(BODY_LIMIT) }, proxy: false });
});
afterAll(async () => {
  agent.destroy();
  await stack?.close();
  console.log(`[fuzz] api: ${tried} requests`);
});

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

/** One request with exact bytes and headers (node:http, so nothing is normalised for us). */
function send(
  method: string,
  path: string,
  body: Buffer | string | null,
  headers: Record<string, string> = {},
  chunked = false,
): Promise<Raw> {
  tried++;
  return new Promise((resolve, reject) => {
    const bytes = body === null ? null : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: new URL(stack.url).port,
        method,
        path,
        agent,
        headers: {
          ...(bytes && !chunked ? { 'content-length': String(bytes.length) } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown = null;
          try {
            json = JSON.parse(text);
          } catch {
            json = null;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    if (bytes && chunked) {
      // Several chunks and no content-length: the limit must hold on what arrives, not on a header.
      for (let i = 0; i < bytes.length; i += 8192) req.write(bytes.subarray(i, i + 8192));
      req.end();
    } else req.end(bytes ?? undefined);
  });
}

const postJson = (path: string, text: string, headers: Record<string, string> = {}) =>
  send('POST', path, text, { 'content-type': 'application/json', ...headers });

/** A refusal: 4xx, the structured error body, and its request id. */
function expectRefusal(res: Raw, context: string) {
  expect(res.status, `${context}\n${res.text.slice(0, 400)}`).toBeGreaterThanOrEqual(400);
  expect(res.status, `${context}\n${res.text.slice(0, 400)}`).toBeLessThan(500);
  const parsed = errorBodySchema.safeParse(res.json);
  expect(parsed.success, `${context}: not an error body: ${res.text.slice(0, 400)}`).toBe(true);
  return parsed.data!;
}

interface Route {
  path: string;
  schema: z.ZodMiniType;
  base: Record<string, unknown>;
  /** What a 200 looks like for a body the schema accepts. */
  success: z.ZodMiniType;
}

const ROUTES: Record<string, Route> = {
  verify: {
    path: API.verify,
    schema: verifyRequestSchema,
    base: okVerifyBody(),
    success: verifyReportSchema,
  },
  'verify (access keys)': {
    path: API.verify,
    schema: verifyRequestSchema,
    base: { ...okVerifyBody(), source: { kind: 'access-keys', ...CANARY.user } },
    success: verifyReportSchema,
  },
  identity: {
    path: API.identity,
    schema: identityRequestSchema,
    base: { source: { kind: 'sdk-default' } },
    success: identityResponseSchema,
  },
  'sandbox stacks': {
    path: API.sandboxStacks,
    schema: sandboxDeployRequestSchema,
    base: {
      accountId: '444444444444',
      stackName: 'FuzzStack',
      roleName: 'FuzzRole',
      parameters: {
        ExternalId: 'fuzz-external-id-01',
        AccountId: '111111111111',
        IAMPrincipal: 'role/prowler*',
      },
    },
    success: sandboxDeployResponseSchema,
  },
};

/**
 * The whole contract for one JSON body: refused with exactly the field errors of the shared schema
 * (the server must not invent, drop or rename fields), or accepted and answered 200.
 */
async function expectContract(route: Route, value: unknown) {
  const text = JSON.stringify(value) ?? 'null';
  const res = await postJson(route.path, text);
  const seen = JSON.parse(text) as unknown; // what the server's parser sees
  const parsed = route.schema.safeParse(seen);
  const context = `POST ${route.path} ${text.slice(0, 300)}`;
  if (!parsed.success) {
    const body = expectRefusal(res, context);
    expect(res.status, context).toBe(400);
    expect(body.error.fields, context).toEqual(fieldErrorsFrom(parsed.error));
    return;
  }
  if (res.status === 200) {
    expect(route.success.safeParse(res.json).success, context).toBe(true);
    return;
  }
  // Valid by the schema, refused by a rule the schema cannot see (confused deputy, partition,
  // a parameter the sandbox's template refuses): still a 400 that names its field.
  const body = expectRefusal(res, context);
  expect(res.status, context).toBe(400);
  expect(body.error.fields.length, context).toBeGreaterThan(0);
}

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({
    unit: fc.oneof(loneSurrogate, fc.constantFrom('\u0000', '\u202e', '\ufeff', '\n', '"', '\\')),
    maxLength: 20,
  }),
  fc.constantFrom(
    'x'.repeat(20_000),
    'arn:aws:iam::123456789012:role/'.padEnd(3000, 'a'),
    'arn:aws:iam::123456789012:role/ProwlerScan ',
    ' 123456789012 ',
    '__proto__',
    'constructor',
    '<script>alert(1)</script>',
    "'; DROP TABLE roles; --",
    ['$', '{jndi:ldap://127.0.0.1/x}'].join(''),
  ),
);
const wrongType = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  fc.integer({ min: 1, max: 3000 }).map((d) => JSON.parse(`${'['.repeat(d)}1${']'.repeat(d)}`) as unknown),
  fc.constantFrom(1e308, -1, 0, 899, 43201, 3600.5, 2 ** 53 + 1),
);
const extraKey = fc.oneof(
  fc.string({ minLength: 1, maxLength: 16 }),
  fc.constantFrom('constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'),
);

function mutations(route: Route) {
  const keys = Object.keys(route.base);
  const nestedKeys = Object.entries(route.base).flatMap(([k, v]) =>
    v && typeof v === 'object' ? Object.keys(v).map((inner) => [k, inner] as const) : [],
  );
  return fc.oneof(
    // one top-level field replaced by something hostile
    fc.tuple(fc.constantFrom(...keys), wrongType).map(([k, v]) => ({ ...route.base, [k]: v })),
    // one nested field replaced
    ...(nestedKeys.length
      ? [
          fc.tuple(fc.constantFrom(...nestedKeys), wrongType).map(([[k, inner], v]) => ({
            ...route.base,
            [k]: { ...(route.base[k] as object), [inner]: v },
          })),
        ]
      : []),
    // some fields missing
    fc
      .subarray(keys, { minLength: 1 })
      .map((drop) => Object.fromEntries(Object.entries(route.base).filter(([k]) => !drop.includes(k)))),
    // an extra field, at the top or inside an object
    fc.tuple(extraKey, fc.jsonValue({ maxDepth: 1 })).map(([k, v]) => ({ ...route.base, [k]: v })),
    // anything at all
    fc.jsonValue({ maxDepth: 4 }),
  );
}

describe('JSON bodies (fast-check, real HTTP)', () => {
  for (const [name, route] of Object.entries(ROUTES)) {
    it(`POST ${name}: malformed bodies are refused with the schema's field errors`, async () => {
      await fc.assert(
        fc.asyncProperty(mutations(route), (value) => expectContract(route, value)),
        { numRuns: name.startsWith('verify') ? 350 : 250 },
      );
    });
  }
});

describe('bytes, content types and sizes (node:http)', () => {
  const verifyBase = JSON.stringify(okVerifyBody());

  it('invalid UTF-8 inside a field is refused naming that field', async () => {
    const before = Buffer.from(verifyBase.replace('"arn:aws:iam::222222222222:role/ProwlerScan"', '"@@"'));
    const at = before.indexOf('@@');
    // Decoded with U+FFFD replacements, the text is JSON with a bad role ARN; a raw NUL is not JSON at all.
    const table: Array<[number[], string]> = [
      [[0xff], 'roleArn'],
      [[0xc3, 0x28], 'roleArn'],
      [[0xe2, 0x82], 'roleArn'],
      [[0xed, 0xa0, 0x80], 'roleArn'],
      [[0xf8, 0x88, 0x80, 0x80, 0x80], 'roleArn'],
      [[0x00], '(body)'],
    ];
    for (const [bad, field] of table) {
      const bytes = Buffer.concat([before.subarray(0, at), Buffer.from(bad), before.subarray(at + 2)]);
      const res = await send('POST', API.verify, bytes, { 'content-type': 'application/json' });
      const body = expectRefusal(res, `bytes ${bad}`);
      expect(
        body.error.fields.map((f) => f.path),
        `bytes ${bad}`,
      ).toEqual([field]);
    }
  });

  it('random bytes are refused as a body, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 512 }),
        fc.constantFrom(API.verify, API.identity, API.sandboxStacks),
        async (bytes, path) => {
          const res = await send('POST', path, Buffer.from(bytes), { 'content-type': 'application/json' });
          const body = expectRefusal(res, `${path} ${Buffer.from(bytes).toString('hex').slice(0, 80)}`);
          expect(body.error.fields.map((f) => f.path)).toContain('(body)');
        },
      ),
      { numRuns: 150 },
    );
  });

  // A valid body for each route, so that only the content type can be the reason for a refusal.
  const validBody: Record<string, string> = {
    [API.verify]: verifyBase,
    [API.identity]: JSON.stringify(ROUTES.identity!.base),
    [API.sandboxStacks]: JSON.stringify(ROUTES['sandbox stacks']!.base),
  };
  const contentTypes = [
    'text/plain',
    'text/plain; charset=utf-8',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=xyz',
    'application/xml',
    'application/jsonx',
    'application/json-patch+json',
    'application/octet-stream',
    '*/*',
    'image/png',
  ];
  for (const path of [API.verify, API.identity, API.sandboxStacks]) {
    it.each(contentTypes)(`${path} with content-type %s is refused`, async (type) => {
      const res = await send('POST', path, validBody[path]!, { 'content-type': type });
      expectRefusal(res, type);
    });

    it(`${path} accepts the same body as application/json (so the refusals above are about the type)`, async () => {
      stack.sandbox.world.reset(); // the fuzzing above deployed stacks that could collide with this one
      // RFC 8259 defines no charset parameter for application/json: it is ignored, not refused.
      for (const type of ['application/json', 'application/json; charset=utf-8', 'Application/JSON']) {
        const res = await send('POST', path, validBody[path]!, { 'content-type': type });
        expect(res.status, `${type}: ${res.text.slice(0, 300)}`).toBe(200);
      }
    });

    it(`${path} with no content-type, an empty body, or "null" is refused`, async () => {
      expectRefusal(await send('POST', path, validBody[path]!), 'no content-type');
      const empty = expectRefusal(
        await send('POST', path, '', { 'content-type': 'application/json' }),
        'empty',
      );
      expect(empty.error.fields.map((f) => f.path)).toContain('(body)');
      expectRefusal(await send('POST', path, null, { 'content-type': 'application/json' }), 'no body at all');
      expectRefusal(await postJson(path, 'null'), 'null');
      expectRefusal(await postJson(path, '"a string"'), 'string');
      expectRefusal(await postJson(path, '[]'), 'array');
    });

    it(`${path} over the body limit is 413, with and without content-length`, async () => {
      const big = JSON.stringify({ ...okVerifyBody(), pad: 'x'.repeat(BODY_LIMIT) });
      for (const chunked of [false, true]) {
        const res = await send('POST', path, big, { 'content-type': 'application/json' }, chunked);
        const body = expectRefusal(res, `chunked=${chunked}`);
        expect(res.status).toBe(413);
        expect(body.error.fields.map((f) => f.path)).toContain('(body)');
      }
    });

    it(`${path} with prototype-poisoning keys is refused and pollutes nothing`, async () => {
      const poisons = [
        `{"__proto__":{"polluted":true},${verifyBase.slice(1)}`,
        `{"constructor":{"prototype":{"polluted":true}},${verifyBase.slice(1)}`,
        `{"source":{"kind":"sdk-default","__proto__":{"kind":"access-keys"}},"roleArn":"x","externalId":"y"}`,
        `{"a":${'['.repeat(5000)}{"__proto__":1}${']'.repeat(5000)}}`,
        `{"a":${'{"b":'.repeat(3000)}{"constructor":{"prototype":{"x":1}}}${'}'.repeat(3000)}}`,
      ];
      for (const text of poisons) {
        const res = await postJson(path, text);
        expectRefusal(res, text.slice(0, 80));
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it(`${path} with deep nesting, 1e309, lone surrogates and duplicate keys answers 4xx`, async () => {
      const texts = [
        `${'['.repeat(16_000)}${']'.repeat(16_000)}`,
        `{"source":${'{"kind":'.repeat(3000)}"x"${'}'.repeat(3000)}}`,
        `{"durationSeconds":1e309,${verifyBase.slice(1)}`,
        `{"roleArn":"\\ud800\\udfff\\ud800",${verifyBase.slice(1).replace(/"roleArn":"[^"]*",/, '')}`,
        `{"roleArn":1,"roleArn":2,"externalId":true}`,
        `{"source":{"kind":"sdk-default"}}garbage`,
        `{"source":{"kind":"sdk-default"}`,
      ];
      for (const text of texts) expectRefusal(await postJson(path, text), text.slice(0, 80));
    });
  }
});

describe('methods and paths', () => {
  const table: Array<[string, string]> = [
    ['GET', API.verify],
    ['PUT', API.verify],
    ['DELETE', API.identity],
    ['PATCH', API.sandboxStacks],
    ['OPTIONS', API.verify],
    ['POST', API.health],
    ['POST', API.config],
    ['POST', API.sandboxScenario],
    ['GET', '/api/nope'],
    ['POST', '/api/verify/extra'],
    ['GET', '/api/../api/nope'],
    ['GET', `/api/${'a'.repeat(4000)}`],
    ['GET', '/api/%ff%fe'],
    ['GET', '/api/health/..%2f..%2fetc%2fpasswd'],
  ];
  const rows = table.map(([method, path]) => ({
    method,
    path,
    label: path.length > 60 ? `${path.slice(0, 60)}…` : path,
  }));
  it.each(rows)('$method $label answers a structured 4xx', async ({ method, path }) => {
    const res = await send(method, path, method === 'GET' || method === 'OPTIONS' ? null : '{}', {
      'content-type': 'application/json',
    });
    expectRefusal(res, `${method} ${path}`);
  });

  it('GET routes ignore junk query strings and still answer', async () => {
    for (const path of [API.health, API.config, API.sandboxScenario]) {
      const res = await send(
        'GET',
        `${path}?__proto__[x]=1&constructor[prototype][y]=2&a=%ff&${'b'.repeat(2000)}=1`,
        null,
      );
      expect(res.status).toBe(200);
    }
  });
});

describe('afterwards', () => {
  it('the server still answers /api/health and verifies', async () => {
    const health = await send('GET', API.health, null);
    expect(health.status).toBe(200);
    expect(health.json).toEqual({ ok: true });
    const verify = await postJson(API.verify, JSON.stringify(okVerifyBody()));
    expect(verify.status).toBe(200);
    expect((verify.json as { diagnosis: { code: string } }).diagnosis.code).toBe('OK');
  });
});
