import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { fieldErrorsFrom } from './field-errors.ts';
import * as inputs from './inputs.ts';
import { verifyRequestSchema } from './verify-request.ts';

// Issue 8, "Bad input": the schemas are the API's and the form's boundary. Whatever arrives,
// safeParse answers (never throws), every failure names a field, and no pattern backtracks.

let tried = 0;
function counted<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return arb.map((v) => {
    tried++;
    return v;
  });
}
afterAll(() => console.log(`[fuzz] domain/inputs: ${tried} inputs`));

const SCHEMAS = {
  accountIdSchema: inputs.accountIdSchema,
  roleArnSchema: inputs.roleArnSchema,
  externalIdSchema: inputs.externalIdSchema,
  iamPrincipalSchema: inputs.iamPrincipalSchema,
  sessionNameSchema: inputs.sessionNameSchema,
  durationSecondsSchema: inputs.durationSecondsSchema,
  accessKeyIdSchema: inputs.accessKeyIdSchema,
  secretAccessKeySchema: inputs.secretAccessKeySchema,
  sessionTokenSchema: inputs.sessionTokenSchema,
  regionSchema: inputs.regionSchema,
  credentialSourceSchema: inputs.credentialSourceSchema,
  trustSettingsSchema: inputs.trustSettingsSchema,
  roleTargetSchema: inputs.roleTargetSchema,
  verifyRequestSchema: verifyRequestSchema,
  identityRequestSchema: inputs.identityRequestSchema,
};

const VALID = {
  source: {
    kind: 'access-keys',
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  },
  roleArn: 'arn:aws:iam::222222222222:role/ProwlerScan',
  externalId: 'ext-0123456789abcdef',
};
const FIELDS = [
  'source',
  'roleArn',
  'externalId',
  'sessionName',
  'durationSeconds',
  'trustedAccountId',
  'iamPrincipal',
];

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const hostileValue = fc.oneof(
  fc.anything({ withNullPrototype: true, withBoxedValues: true, withSparseArray: true, withMap: true }),
  fc.string({ unit: fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), loneSurrogate) }),
  fc.constantFrom('', ' ', '\u0000', 'x'.repeat(100_000), Number.NaN, Infinity, -0, 2 ** 53, [], {}),
);

describe('every input schema', () => {
  for (const [name, schema] of Object.entries(SCHEMAS)) {
    it(`${name}: safeParse never throws, and each failure becomes field errors`, () => {
      fc.assert(
        fc.property(counted(hostileValue), (value) => {
          const result = schema.safeParse(value);
          if (!result.success) {
            const fields = fieldErrorsFrom(result.error);
            expect(fields.length).toBeGreaterThan(0);
            for (const f of fields) expect(f.message.length).toBeGreaterThan(0);
          }
        }),
        { numRuns: 200 },
      );
    });
  }
});

describe('verifyRequestSchema with one field broken', () => {
  it('names the broken field, whatever it was replaced with', () => {
    fc.assert(
      fc.property(counted(fc.constantFrom(...FIELDS)), counted(hostileValue), (field, value) => {
        const body = { ...VALID, [field]: value };
        const result = verifyRequestSchema.safeParse(body);
        if (result.success) return; // the hostile value happened to be valid (e.g. undefined for an optional field)
        const paths = fieldErrorsFrom(result.error).map((f) => f.path.split('.')[0]);
        expect(paths).toContain(field);
      }),
      { numRuns: 1000 },
    );
  });

  it('an unknown key is refused by name, including __proto__ and constructor', () => {
    const key = fc.oneof(
      fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'),
      fc.string({ minLength: 1, maxLength: 20 }),
    );
    fc.assert(
      fc.property(counted(key), (k) => {
        if (k in VALID || FIELDS.includes(k) || ['accountId', 'region', 'partition'].includes(k)) return;
        // JSON.parse makes "__proto__" an own key, as the server's body parser does.
        const body = JSON.parse(
          `{${JSON.stringify(k)}: {"polluted": true}, ${JSON.stringify(VALID).slice(1)}`,
        );
        const result = verifyRequestSchema.safeParse(body);
        expect(result.success).toBe(false);
        expect(fieldErrorsFrom(result.error!).map((f) => f.path)).toContain(k);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});

describe('patterns stay linear on pathological input', () => {
  const big = 1_000_000;
  const table: Array<[keyof typeof SCHEMAS, string]> = [
    ['roleArnSchema', `arn:aws:iam::123456789012:role/${'a/'.repeat(big / 2)}${'a'.repeat(65)}`],
    ['roleArnSchema', `arn:aws:iam::123456789012:role/${'!'.repeat(big)}`],
    ['iamPrincipalSchema', `role/${'*?'.repeat(big / 2)}\u0000`],
    ['externalIdSchema', `${'a:'.repeat(big / 2)} `],
    ['regionSchema', `us${'-a'.repeat(big / 2)}-1x`],
    ['sessionNameSchema', `${'a'.repeat(big)}!`],
    ['accessKeyIdSchema', `AKIA${'A'.repeat(big)}!`],
    ['secretAccessKeySchema', `${'A'.repeat(big)}!`],
    ['sessionTokenSchema', `${'A'.repeat(big)}!`],
    ['accountIdSchema', `${'1'.repeat(big)}x`],
  ];
  for (const [name, value] of table) {
    it(`${name} refuses ${value.length} characters of ${JSON.stringify(value.slice(0, 12))}…`, () => {
      tried++;
      const result = SCHEMAS[name].safeParse(value);
      expect(result.success).toBe(false);
    });
  }
});
