import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import { API, errorBodySchema } from '../domain/api-contract.ts';
import { fieldErrorsFrom } from '../domain/field-errors.ts';
import { identityRequestSchema } from '../domain/inputs.ts';
import { sandboxDeployRequestSchema } from '../domain/sandbox-contract.ts';
import { verifyRequestSchema } from '../domain/verify-request.ts';
import {
  CANARY,
  type LiveStack,
  okVerifyBody,
  SCANNER_ACCOUNT,
  startLiveStack,
  TEST_SCENARIO,
} from '../testing/live-stack.ts';

// docs/decisions/018-prototype-keys-are-unknown-fields.md: `__proto__`, `constructor` and
// `prototype` are JSON keys like any other. Every JSON-accepting route refuses them, at every
// object level of its body, with the same field error as any unknown key, and the answer agrees
// with the shared schema applied to JSON.parse of the same text (the oracle of api.fuzz.test.ts).

const KEYS = ['__proto__', 'constructor', 'prototype'] as const;
const VALUES: unknown[] = [1, null, {}, { polluted: true }, { prototype: { polluted: true } }];

interface Route {
  method: 'POST' | 'PUT';
  /** Relative to the server ("api") or to the sandbox it embeds ("sandbox"). */
  on: 'api' | 'sandbox';
  path: string;
  base: Record<string, unknown>;
  /** Dotted paths of the strict objects inside the body ('' is the body itself). */
  levels: string[];
  /** The shared schema the route validates with, when it has one in src/domain. */
  schema?: z.ZodMiniType;
}

const deploy = {
  accountId: '444444444444',
  stackName: 'KeysStack',
  roleName: 'KeysRole',
  parameters: {
    ExternalId: 'keys-external-id-01',
    AccountId: SCANNER_ACCOUNT,
    IAMPrincipal: 'role/prowler*',
  },
};

const ROUTES: Record<string, Route> = {
  'POST /api/verify (sdk-default)': {
    method: 'POST',
    on: 'api',
    path: API.verify,
    base: okVerifyBody(),
    levels: ['', 'source'],
    schema: verifyRequestSchema,
  },
  'POST /api/verify (access keys)': {
    method: 'POST',
    on: 'api',
    path: API.verify,
    base: { ...okVerifyBody(), source: { kind: 'access-keys', ...CANARY.user } },
    levels: ['', 'source'],
    schema: verifyRequestSchema,
  },
  'POST /api/identity': {
    method: 'POST',
    on: 'api',
    path: API.identity,
    base: { source: { kind: 'sdk-default' } },
    levels: ['', 'source'],
    schema: identityRequestSchema,
  },
  'POST /api/sandbox/stacks': {
    method: 'POST',
    on: 'api',
    path: API.sandboxStacks,
    base: deploy,
    levels: ['', 'parameters'],
    schema: sandboxDeployRequestSchema,
  },
  'POST /__sandbox/stacks': {
    method: 'POST',
    on: 'sandbox',
    path: '/__sandbox/stacks',
    base: deploy,
    levels: ['', 'parameters'],
    schema: sandboxDeployRequestSchema,
  },
  'PUT /__sandbox/scenario': {
    method: 'PUT',
    on: 'sandbox',
    path: '/__sandbox/scenario',
    base: TEST_SCENARIO as unknown as Record<string, unknown>,
    levels: ['', 'scanner', `accounts.${SCANNER_ACCOUNT}`],
  },
  'PUT /__sandbox/faults': {
    method: 'PUT',
    on: 'sandbox',
    path: '/__sandbox/faults',
    base: { latencyMs: 0, throttle: { next: 0 } },
    levels: ['', 'throttle'],
  },
};

/** `base` with an own property `key` added to the object at `level` (computed keys never set a prototype). */
function withKey(base: Record<string, unknown>, level: string, key: string, value: unknown): unknown {
  if (level === '') return { ...base, [key]: value };
  const [head, ...rest] = level.split('.');
  const inner = base[head as string] as Record<string, unknown>;
  return { ...base, [head as string]: withKey(inner, rest.join('.'), key, value) };
}

const cases = Object.entries(ROUTES).flatMap(([name, route]) =>
  route.levels.flatMap((level) =>
    KEYS.map((key) => ({ name, route, level, key, path: level ? `${level}.${key}` : key })),
  ),
);

let stack: LiveStack;
beforeAll(async () => {
  stack = await startLiveStack({ proxy: false });
});
afterAll(async () => {
  await stack?.close();
});

describe('prototype-named keys are unknown fields (decision 018)', () => {
  it.each(cases)('$name: "$path" is refused by name', async ({ route, level, key, path }) => {
    for (const value of VALUES) {
      const text = JSON.stringify(withKey(route.base, level, key, value));
      expect(text, 'the key is in the bytes sent').toContain(`"${key}":`);
      const base = route.on === 'api' ? stack.url : stack.sandbox.url;
      const res = await fetch(`${base}${route.path}`, {
        method: route.method,
        headers: { 'content-type': 'application/json' },
        body: text,
      });
      const answer = (await res.json()) as unknown;
      const context = `${route.method} ${route.path} ${text.slice(0, 200)}`;
      expect(res.status, context).toBe(400);
      const parsed = errorBodySchema.safeParse(answer);
      expect(parsed.success, `${context}: ${JSON.stringify(answer)}`).toBe(true);
      expect(parsed.data?.error.fields, context).toEqual([
        { path, message: `Unknown field "${key}": remove it.` },
      ]);
      // The oracle: the shared schema on what JSON.parse makes of the same text says the same.
      if (route.schema) {
        const oracle = route.schema.safeParse(JSON.parse(text));
        expect(oracle.success, context).toBe(false);
        if (!oracle.success)
          expect(parsed.data?.error.fields, context).toEqual(fieldErrorsFrom(oracle.error));
      }
    }
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('the same bodies without the key are accepted (so the key is the reason)', async () => {
    for (const [name, route] of Object.entries(ROUTES)) {
      const base = route.on === 'api' ? stack.url : stack.sandbox.url;
      const res = await fetch(`${base}${route.path}`, {
        method: route.method,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(route.base),
      });
      expect(res.status, `${name}: ${await res.text()}`).toBe(200);
    }
  });
});
