import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  formatArn,
  formatRoleArn,
  iamPrincipalOf,
  parseArn,
  parseRoleArn,
  principalArnFromCaller,
  suggestTrustSettings,
} from './arn.ts';
import { accountIdSchema, iamPrincipalSchema, PARTITIONS, roleArnSchema } from './inputs.ts';
import { trustPolicyFor } from './template/role-template.ts';
import { evaluate } from './trust/evaluate.ts';

// Issue 8, "Bad input": the ARN parsers take whatever a user pastes or GetCallerIdentity
// answers. They never throw, round-trip what they accept, and agree with the input schemas.

let inputs = 0;
function counted<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return arb.map((v) => {
    inputs++;
    return v;
  });
}
afterAll(() => console.log(`[fuzz] domain/arn: ${inputs} inputs`));

/** Strings that look like ARNs often enough to reach the deep branches: colon-joined junk. */
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const junkChar = fc.oneof(
  fc.constantFrom(':', '/', '*', '?', 'arn', 'aws', 'iam', 'sts', ' ', '\n', '\u0000', '123456789012'),
  fc.string({ unit: 'binary', maxLength: 3 }),
  loneSurrogate,
);
const arnish = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.array(junkChar, { maxLength: 30 }).map((parts) => parts.join('')),
  fc.array(fc.string({ maxLength: 12 }), { maxLength: 9 }).map((parts) => `arn:${parts.join(':')}`),
);

const partition = fc.constantFrom(...PARTITIONS);
const account = fc.stringMatching(/^\d{12}$/);
const iamName = fc.stringMatching(/^[\w+=,.@-]{1,64}$/);
const pathSegment = fc.stringMatching(/^[A-Za-z0-9_+=,.@-]{1,20}$/);
const rolePath = fc
  .array(pathSegment, { maxLength: 4 })
  .map((segs) => (segs.length ? `/${segs.join('/')}/` : '/'));

describe('parseArn', () => {
  it('never throws on junk, and what it accepts formats back to the same text', () => {
    fc.assert(
      fc.property(counted(arnish), (text) => {
        const parsed = parseArn(text);
        if (parsed !== null) expect(formatArn(parsed)).toBe(text);
      }),
      { numRuns: 1500 },
    );
  });

  it('returns null for non-strings instead of throwing', () => {
    fc.assert(
      fc.property(counted(fc.anything().filter((v) => typeof v !== 'string')), (value) => {
        expect(parseArn(value as string)).toBeNull();
      }),
      {
        numRuns: 300,
        examples: [[undefined], [null], [42], [{ toString: () => 'arn:aws:iam::123456789012:root' }]],
      },
    );
  });
});

describe('parseRoleArn', () => {
  it('parses every valid role ARN into its parts and agrees with roleArnSchema', () => {
    fc.assert(
      fc.property(counted(fc.tuple(partition, account, rolePath, iamName)), ([p, a, path, name]) => {
        const text = `arn:${p}:iam::${a}:role${path}${name}`;
        expect(parseRoleArn(text)).toEqual({ partition: p, accountId: a, path, name });
        expect(formatRoleArn(parseRoleArn(text)!)).toBe(text);
        expect(roleArnSchema.safeParse(text).success).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('accepts nothing that roleArnSchema refuses', () => {
    fc.assert(
      fc.property(counted(arnish), (text) => {
        if (parseRoleArn(text) !== null) expect(roleArnSchema.safeParse(text).success).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('stays linear on pathological paths (a backtracking regex would not finish)', () => {
    const base = 'arn:aws:iam::123456789012:role/';
    const cases = [
      `${base}${'a/'.repeat(200_000)}${'a'.repeat(65)}`,
      `${base}${'a'.repeat(1_000_000)}!`,
      `${base}${'a/'.repeat(200_000)}`,
      `${base}${'/'.repeat(500_000)}x`,
    ];
    for (const text of cases) {
      inputs++;
      expect(parseRoleArn(text)).toBeNull();
      expect(roleArnSchema.safeParse(text).success).toBe(false);
    }
  });
});

describe('principalArnFromCaller and suggestTrustSettings', () => {
  const caller = fc.oneof(
    fc.tuple(partition, account, rolePath, iamName).map(([p, a, path, n]) => ({
      arn: `arn:${p}:iam::${a}:user${path}${n}`,
      principalArn: `arn:${p}:iam::${a}:user${path}${n}`,
      kind: 'user' as const,
      pathUnknown: false,
    })),
    fc
      .tuple(partition, account, iamName, fc.stringMatching(/^[\w+=,.@-]{2,64}$/))
      .map(([p, a, role, session]) => ({
        arn: `arn:${p}:sts::${a}:assumed-role/${role}/${session}`,
        principalArn: `arn:${p}:iam::${a}:role/${role}`,
        kind: 'role' as const,
        pathUnknown: true,
      })),
    fc.tuple(partition, account).map(([p, a]) => ({
      arn: `arn:${p}:iam::${a}:root`,
      principalArn: `arn:${p}:iam::${a}:root`,
      kind: 'root' as const,
      pathUnknown: false,
    })),
  );

  it('maps every GetCallerIdentity ARN shape to the aws:PrincipalArn a trust policy sees', () => {
    fc.assert(
      fc.property(counted(caller), (c) => {
        expect(principalArnFromCaller(c.arn)).toEqual({
          principalArn: c.principalArn,
          pathUnknown: c.pathUnknown,
          kind: c.kind,
        });
      }),
      { numRuns: 500 },
    );
  });

  it('suggests only values the wizard itself would accept', () => {
    fc.assert(
      fc.property(counted(caller), (c) => {
        const suggestion = suggestTrustSettings(c.arn);
        expect(suggestion).not.toBeNull();
        expect(accountIdSchema.safeParse(suggestion?.trustedAccountId).success).toBe(true);
        const principal = iamPrincipalSchema.safeParse(suggestion?.iamPrincipal);
        expect(principal.success, `${suggestion?.iamPrincipal}: ${principal.error?.message}`).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('the suggested settings, baked into the template’s own trust policy, admit that caller and no other account', () => {
    const externalId = fc.stringMatching(/^[\w+=,.@:/-]{2,40}$/);
    fc.assert(
      fc.property(counted(caller), externalId, account, (c, id, otherAccount) => {
        const suggestion = suggestTrustSettings(c.arn)!;
        const partition = c.arn.split(':')[1]!;
        const policy = trustPolicyFor({ partition, ...suggestion, externalId: id });
        const admitted = evaluate(policy, { principalArn: c.arn, context: { 'sts:ExternalId': id } });
        expect(admitted.decision, JSON.stringify(admitted.statements)).toBe('allow');
        expect(
          evaluate(policy, { principalArn: c.arn, context: { 'sts:ExternalId': `${id}x` } }).decision,
        ).toBe('deny');
        expect(evaluate(policy, { principalArn: c.arn }).decision).toBe('deny');
        if (otherAccount !== suggestion.trustedAccountId) {
          const stranger = c.arn.replace(/::\d{12}:/, `::${otherAccount}:`);
          expect(
            evaluate(policy, { principalArn: stranger, context: { 'sts:ExternalId': id } }).decision,
          ).toBe('deny');
        }
      }),
      { numRuns: 400 },
    );
  });

  it('never throws on junk', () => {
    fc.assert(
      fc.property(counted(arnish), (text) => {
        iamPrincipalOf(text);
        const principal = principalArnFromCaller(text);
        if (principal) expect(typeof principal.principalArn).toBe('string');
        suggestTrustSettings(text);
      }),
      { numRuns: 1000 },
    );
  });
});
