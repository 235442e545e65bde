import { describe, expect, it } from 'vitest';
import { classifyAwsError } from './classify.ts';
import type { DiagnosisCode } from './codes.ts';
import { type DiagnoseInput, diagnose } from './diagnose.ts';

// The ranking table of a bare cross-account AccessDenied: what AWS answered (the caller) against
// what was entered. Every trust-side code stays a candidate (declared settings rule nothing out);
// a declaration that contradicts the caller ranks its code first. Through diagnose(), so the real
// evaluator decides what "contradicts" means.

const ROLE = 'arn:aws:iam::333333333333:role/ProwlerScan';
const USER = 'arn:aws:iam::111111111111:user/prowler-app';
const WORKER = 'arn:aws:sts::111111111111:assumed-role/prowler-worker/nightly';
const SCANNER_ROLE = 'arn:aws:sts::111111111111:assumed-role/scanner/nightly';

function bareDenied(
  callerArn: string | null,
  trust: { trustedAccountId?: string; iamPrincipal?: string; accountId?: string },
): DiagnoseInput {
  const message = `User: ${callerArn ?? 'arn:aws:iam::111111111111:user/prowler-app'} is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`;
  const error = classifyAwsError(
    Object.assign(new Error(message), { name: 'AccessDenied' }),
    'sts:AssumeRole',
  );
  return {
    request: {
      sourceKind: 'sdk-default',
      roleArn: ROLE,
      externalId: 'ext-issued-0001',
      sessionName: 'aws-connect-verify',
      durationSeconds: 3600,
      region: 'us-east-1',
      partition: 'aws',
      ...trust,
    },
    timeoutMs: 10_000,
    source: { ok: true, value: null },
    caller: callerArn
      ? { ok: true, value: { arn: callerArn, account: callerArn.split(':')[4] ?? '' } }
      : null,
    assume: { ok: false, failure: { error, attempts: 1 } },
    audit: null,
    enforcement: null,
  };
}

const DEFAULTS = { trustedAccountId: '111111111111', iamPrincipal: 'role/prowler*' };
const DETECTED = { trustedAccountId: '111111111111', iamPrincipal: 'user/prowler-app' };

const TABLE: [string, DiagnoseInput, DiagnosisCode[]][] = [
  [
    'the wizard’s default step-3 values (role/prowler*) and a user caller: the principal first',
    bareDenied(USER, DEFAULTS),
    ['TRUST_PRINCIPAL_MISMATCH', 'EXTERNAL_ID_MISMATCH', 'ROLE_NOT_FOUND', 'TRUST_ACCOUNT_MISMATCH'],
  ],
  [
    '"Use detected identity": nothing entered contradicts the caller, the External ID first',
    bareDenied(USER, DETECTED),
    ['EXTERNAL_ID_MISMATCH', 'ROLE_NOT_FOUND', 'TRUST_PRINCIPAL_MISMATCH', 'TRUST_ACCOUNT_MISMATCH'],
  ],
  [
    'another AccountId than the caller’s: the account first',
    bareDenied(USER, { trustedAccountId: '121212121212', iamPrincipal: 'user/prowler-app' }),
    ['TRUST_ACCOUNT_MISMATCH', 'EXTERNAL_ID_MISMATCH', 'ROLE_NOT_FOUND', 'TRUST_PRINCIPAL_MISMATCH'],
  ],
  [
    'both contradict: the account, then the principal',
    bareDenied(USER, { trustedAccountId: '121212121212', iamPrincipal: 'role/prowler*' }),
    ['TRUST_ACCOUNT_MISMATCH', 'TRUST_PRINCIPAL_MISMATCH', 'EXTERNAL_ID_MISMATCH', 'ROLE_NOT_FOUND'],
  ],
  [
    'a prowler* role session and the default pattern: nothing contradicts',
    bareDenied(WORKER, DEFAULTS),
    ['EXTERNAL_ID_MISMATCH', 'ROLE_NOT_FOUND', 'TRUST_PRINCIPAL_MISMATCH', 'TRUST_ACCOUNT_MISMATCH'],
  ],
  [
    'a role session the default pattern does not admit',
    bareDenied(SCANNER_ROLE, DEFAULTS),
    ['TRUST_PRINCIPAL_MISMATCH', 'EXTERNAL_ID_MISMATCH', 'ROLE_NOT_FOUND', 'TRUST_ACCOUNT_MISMATCH'],
  ],
  [
    'no trust settings entered (the CLI without flags): the template default is assumed for the principal',
    bareDenied(USER, {}),
    ['TRUST_PRINCIPAL_MISMATCH', 'EXTERNAL_ID_MISMATCH', 'ROLE_NOT_FOUND', 'TRUST_ACCOUNT_MISMATCH'],
  ],
  [
    'the account entered is not the role ARN’s: that first',
    bareDenied(USER, { ...DETECTED, accountId: '555555555555' }),
    [
      'ROLE_ACCOUNT_MISMATCH',
      'EXTERNAL_ID_MISMATCH',
      'ROLE_NOT_FOUND',
      'TRUST_PRINCIPAL_MISMATCH',
      'TRUST_ACCOUNT_MISMATCH',
    ],
  ],
  [
    'GetCallerIdentity not called: the caller named in AccessDenied still ranks',
    { ...bareDenied(USER, DEFAULTS), caller: null },
    ['TRUST_PRINCIPAL_MISMATCH', 'EXTERNAL_ID_MISMATCH', 'ROLE_NOT_FOUND', 'TRUST_ACCOUNT_MISMATCH'],
  ],
];

describe('candidates of a bare AccessDenied', () => {
  it.each(TABLE)('%s', (_label, input, ranked) => {
    const d = diagnose(input);
    expect(d.confidence).toBe('suspected');
    expect(d.candidates.map((c) => c.code)).toEqual(ranked);
    expect(d.code).toBe(ranked[0]);
  });

  it.each(TABLE)(
    '%s: ROLE_NOT_FOUND is always a candidate, and every candidate has its check',
    (_l, input) => {
      const d = diagnose(input);
      expect(d.candidates.map((c) => c.code)).toContain('ROLE_NOT_FOUND');
      for (const c of d.candidates) {
        expect(c.why.length).toBeGreaterThan(20);
        expect(c.check.text.length).toBeGreaterThan(10);
        if (c.check.command) {
          expect(c.check.command).toMatch(/^aws iam get-role --role-name ProwlerScan /);
          expect(c.check.runIn).toBe('target-account');
        }
      }
    },
  );

  it('names a declaration that contradicts the caller as such, and still only suspects', () => {
    const d = diagnose(bareDenied(USER, { trustedAccountId: '121212121212', iamPrincipal: 'role/prowler*' }));
    const contradictions = d.facts.filter(
      (f) => f.key === 'accountContradiction' || f.key === 'principalContradiction',
    );
    expect(contradictions.map((f) => f.source)).toEqual(['inferred', 'inferred']);
    expect(contradictions[0]?.value).toMatch(
      /You entered AccountId 121212121212, but AWS says the caller is in 111111111111/,
    );
    expect(d.candidates[0]?.why).toMatch(/GetCallerIdentity says the caller is in 111111111111/);
  });

  it('a declaration that agrees with the caller is no contradiction', () => {
    const d = diagnose(bareDenied(USER, DETECTED));
    expect(d.facts.some((f) => f.key === 'accountContradiction' || f.key === 'principalContradiction')).toBe(
      false,
    );
    expect(d.candidates[0]?.why).toMatch(/Your trust settings admit the caller/);
  });
});
