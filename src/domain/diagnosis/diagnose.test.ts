import { describe, expect, it } from 'vitest';
import {
  doctorOutput,
  getRoleOutput,
  NO_SUCH_ENTITY,
  type StackParams,
} from '../../testing/role-evidence.ts';
import type { VerifyReport } from '../diagnosis-contract.ts';
import { classifyAwsError } from './classify.ts';
import type { DiagnosisCode } from './codes.ts';
import { type CallFailure, type DiagnoseInput, type Diagnosis, diagnose } from './diagnose.ts';
import { FACT_KEYS, factSchema, factValue } from './evidence.ts';
import { parseRoleEvidence } from './role-evidence.ts';

// The diagnosis table: outcomes in, one code out, most specific first, with its confidence. The
// trust part runs the real evaluator on the template's own trust policy (no stand-ins).

const ROLE = 'arn:aws:iam::222222222222:role/ProwlerScan';
const USER = 'arn:aws:iam::111111111111:user/prowler-app';
const WORKER_SESSION = 'arn:aws:sts::111111111111:assumed-role/prowler-worker/i-0abc';
const OTHER_SESSION = 'arn:aws:sts::111111111111:assumed-role/scanner/i-0abc';
const EXT = 'c0ffee00c0ffee00c0ffee00c0ffee00';

function failure(name: string, message: string, status = 400, attempts = 1): CallFailure {
  const err = Object.assign(new Error(message), {
    name,
    $metadata: { httpStatusCode: status, requestId: 'rid-1' },
  });
  return {
    error: classifyAwsError(err, 'sts:AssumeRole'),
    attempts,
    endpoint: 'https://sts.us-east-1.amazonaws.com',
  };
}
const net = (code: string): CallFailure => ({
  error: classifyAwsError(Object.assign(new Error(`connect ${code}`), { code }), 'sts:GetCallerIdentity'),
  attempts: 1,
});
const denied = (callerArn: string, suffix = '') =>
  failure(
    'AccessDenied',
    `User: ${callerArn} is not authorized to perform: sts:AssumeRole on resource: ${ROLE}${suffix}`,
    403,
  );

type Req = VerifyReport['request'];
function input(
  over: Partial<Omit<DiagnoseInput, 'request'>> & { request?: Partial<Req>; callerArn?: string | null } = {},
): DiagnoseInput {
  const { request, callerArn = USER, ...rest } = over;
  const account = callerArn ? (callerArn.split(':')[4] ?? '') : '';
  return {
    request: {
      sourceKind: 'sdk-default',
      roleArn: ROLE,
      externalId: EXT,
      sessionName: 'aws-connect-verify',
      durationSeconds: 3600,
      trustedAccountId: '111111111111',
      iamPrincipal: 'user/prowler-app',
      region: 'us-east-1',
      partition: 'aws',
      ...request,
    },
    timeoutMs: 10_000,
    source: { ok: true, value: null },
    caller: callerArn ? { ok: true, value: { arn: callerArn, account } } : null,
    assume: {
      ok: true,
      value: { arn: 'arn:aws:sts::222222222222:assumed-role/ProwlerScan/aws-connect-verify' },
    },
    audit: { ok: true, value: { missing: [], maxSessionDuration: 3600 } },
    enforcement: { ok: true, value: { enforced: true } },
    ...rest,
  };
}
const assumeFails = (f: CallFailure) => ({
  assume: { ok: false as const, failure: f },
  audit: null,
  enforcement: null,
});

const CASES: [string, DiagnoseInput, DiagnosisCode, Record<string, string>?][] = [
  ['everything passes', input(), 'OK'],
  [
    'the default chain found nothing',
    input({
      source: {
        ok: false,
        failure: {
          error: classifyAwsError({
            name: 'CredentialsProviderError',
            message: 'Could not load credentials from any providers',
          }),
          attempts: 1,
        },
      },
      caller: null,
      assume: null,
      audit: null,
      enforcement: null,
    }),
    'SOURCE_NO_CREDENTIALS',
    { rawCode: 'CredentialsProviderError' },
  ],
  ...(
    [
      [
        'InvalidClientTokenId',
        'The security token included in the request is invalid.',
        'SOURCE_KEY_INVALID',
      ],
      [
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match',
        'SOURCE_SECRET_INVALID',
      ],
      [
        'SignatureDoesNotMatch',
        'Signature expired: 20240101T000000Z is now earlier than 20240101T001000Z',
        'SOURCE_CLOCK_SKEW',
      ],
      ['ExpiredToken', 'The security token included in the request is expired', 'SOURCE_TOKEN_EXPIRED'],
      ['RegionDisabledException', 'STS is not activated in this region', 'REGION_DISABLED'],
    ] as const
  ).map(([name, message, code]): [string, DiagnoseInput, DiagnosisCode, Record<string, string>] => [
    `GetCallerIdentity: ${name} ${code}`,
    input({
      caller: { ok: false, failure: failure(name, message, 403) },
      ...assumeFails(failure(name, message, 403)),
      callerArn: null,
    }),
    code,
    { rawCode: name },
  ]),
  [
    'GetCallerIdentity: connection refused',
    input({
      caller: { ok: false, failure: net('ECONNREFUSED') },
      ...assumeFails(net('ECONNREFUSED')),
      callerArn: null,
    }),
    'STS_UNREACHABLE',
    { rawCode: 'ECONNREFUSED', timeoutMs: '10000' },
  ],
  [
    'still throttled after 3 attempts',
    input({
      caller: { ok: false, failure: failure('Throttling', 'Rate exceeded', 400, 3) },
      assume: null,
      audit: null,
      enforcement: null,
      callerArn: null,
    }),
    'THROTTLED',
    { attempts: '3' },
  ],
  [
    'a role session asks for 2 h: the chaining cap, before calling AssumeRole',
    input({
      callerArn: WORKER_SESSION,
      request: { durationSeconds: 7200, iamPrincipal: 'role/prowler*' },
      assume: null,
      audit: null,
      enforcement: null,
    }),
    'DURATION_EXCEEDS_MAX',
    { maxSessionDuration: '3600', durationSeconds: '7200' },
  ],
  [
    'AssumeRole: DurationSeconds above the role maximum',
    input({
      request: { durationSeconds: 7200 },
      ...assumeFails(
        failure(
          'ValidationError',
          'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
        ),
      ),
    }),
    'DURATION_EXCEEDS_MAX',
    { maxSessionDuration: '3600' },
  ],
  [
    'AccessDenied: no identity-based policy allows',
    input(assumeFails(denied(USER, ' because no identity-based policy allows the sts:AssumeRole action'))),
    'CALLER_NOT_PERMITTED',
    { callerArn: USER },
  ],
  [
    'AccessDenied: explicit deny in an SCP',
    input(assumeFails(denied(USER, ' with an explicit deny in a service control policy'))),
    'EXPLICIT_DENY',
    { policyType: 'service control policy' },
  ],
  [
    'AccessDenied, and the role is not in the account the user connects',
    input({ request: { accountId: '999999999999' }, ...assumeFails(denied(USER)) }),
    'ROLE_ACCOUNT_MISMATCH',
    { accountId: '999999999999', roleAccountId: '222222222222' },
  ],
  [
    'AccessDenied across partitions',
    input({
      callerArn: 'arn:aws-cn:iam::111111111111:user/prowler-app',
      ...assumeFails(denied('arn:aws-cn:iam::111111111111:user/prowler-app')),
    }),
    'PARTITION_MISMATCH',
    { callerPartition: 'aws-cn', rolePartition: 'aws' },
  ],
  [
    'AccessDenied: the stack trusts another account',
    input({ request: { trustedAccountId: '121212121212' }, ...assumeFails(denied(USER)) }),
    'TRUST_ACCOUNT_MISMATCH',
    {
      trustedAccountId: '121212121212',
      callerAccountId: '111111111111',
      suggestedTrustedAccountId: '111111111111',
    },
  ],
  [
    'AccessDenied: IAMPrincipal left at role/prowler* while the scanner is a user',
    input({ request: { iamPrincipal: 'role/prowler*' }, ...assumeFails(denied(USER)) }),
    'TRUST_PRINCIPAL_MISMATCH',
    {
      expectedPrincipalArn: 'arn:aws:iam::111111111111:role/prowler*',
      principalArn: USER,
      suggestedIamPrincipal: 'user/prowler-app',
    },
  ],
  [
    'AccessDenied: a role session whose role name is not prowler*',
    input({
      callerArn: OTHER_SESSION,
      request: { iamPrincipal: 'role/prowler*' },
      ...assumeFails(denied(OTHER_SESSION)),
    }),
    'TRUST_PRINCIPAL_MISMATCH',
    { principalArn: 'arn:aws:iam::111111111111:role/scanner', suggestedIamPrincipal: 'role/scanner' },
  ],
  [
    'AccessDenied although the trust settings admit the caller: the External ID differs',
    input(assumeFails(denied(USER))),
    'EXTERNAL_ID_MISMATCH',
    { externalId: EXT },
  ],
  [
    'AccessDenied, no trust settings given, a prowler* role session: the template defaults admit it',
    input({
      callerArn: WORKER_SESSION,
      request: { trustedAccountId: undefined, iamPrincipal: undefined },
      ...assumeFails(denied(WORKER_SESSION)),
    }),
    'EXTERNAL_ID_MISMATCH',
    { expectedPrincipalArn: 'arn:aws:iam::111111111111:role/prowler*' },
  ],
  [
    'AccessDenied, GetCallerIdentity not called: the caller comes from the message',
    input({ callerArn: null, request: { iamPrincipal: 'role/prowler*' }, ...assumeFails(denied(USER)) }),
    'TRUST_PRINCIPAL_MISMATCH',
    { callerArn: USER },
  ],
  [
    'AssumeRole: InternalFailure after retries',
    input(assumeFails(failure('InternalFailure', 'An internal error occurred', 500, 3))),
    'UNKNOWN',
    { rawCode: 'InternalFailure', rawMessage: 'An internal error occurred', attempts: '3' },
  ],
  [
    'assumed, but the role works without the External ID',
    input({ enforcement: { ok: true, value: { enforced: false } } }),
    'EXTERNAL_ID_NOT_ENFORCED',
  ],
  [
    'assumed, SecurityAudit missing',
    input({ audit: { ok: true, value: { missing: ['SecurityAudit'], maxSessionDuration: 3600 } } }),
    'PERMISSIONS_INCOMPLETE',
    { missingPolicies: 'SecurityAudit' },
  ],
  [
    'assumed, but into another account than the one the user connects',
    input({ request: { accountId: '333333333333' } }),
    'ROLE_ACCOUNT_MISMATCH',
    { accountId: '333333333333' },
  ],
  [
    'assumed, the audit still throttled',
    input({ audit: { ok: false, failure: failure('Throttling', 'Rate exceeded', 400, 3) } }),
    'THROTTLED',
  ],
];

/** Each fact's value by key, the best-sourced one (evidence.ts). */
const values = (d: Diagnosis) =>
  Object.fromEntries(FACT_KEYS.flatMap((k) => (factValue(d.facts, k) ? [[k, factValue(d.facts, k)]] : [])));

/** The cases whose cause AWS did not state: a bare AccessDenied without role evidence. */
const SUSPECTED = new Set([
  'AccessDenied, and the role is not in the account the user connects',
  'AccessDenied: the stack trusts another account',
  'AccessDenied: IAMPrincipal left at role/prowler* while the scanner is a user',
  'AccessDenied: a role session whose role name is not prowler*',
  'AccessDenied although the trust settings admit the caller: the External ID differs',
  'AccessDenied, no trust settings given, a prowler* role session: the template defaults admit it',
  'AccessDenied, GetCallerIdentity not called: the caller comes from the message',
]);

describe('diagnose', () => {
  it.each(CASES)('%s -> %s', (label, evidence, code, expected = {}) => {
    const d = diagnose(evidence);
    expect(d.code).toBe(code);
    expect(d.confidence).toBe(SUSPECTED.has(label) ? 'suspected' : 'confirmed');
    if (d.confidence === 'suspected') expect(d.candidates[0]?.code).toBe(code);
    else expect(d.candidates).toEqual([]);
    expect(values(d)).toMatchObject(expected);
    for (const f of d.facts) expect(factSchema.safeParse(f).success).toBe(true);
  });

  it('tags each fact with where it came from', () => {
    const d = diagnose(input({ request: { iamPrincipal: 'role/prowler*' }, ...assumeFails(denied(USER)) }));
    const byKey = (key: string) => d.facts.filter((f) => f.key === key);
    expect(byKey('callerArn')).toEqual([
      {
        source: 'observed',
        key: 'callerArn',
        value: USER,
        call: 'sts:GetCallerIdentity',
        field: 'Arn',
        seenBy: 'scanner',
      },
    ]);
    expect(byKey('iamPrincipal')).toEqual([
      {
        source: 'declared',
        key: 'iamPrincipal',
        value: 'role/prowler*',
        input: 'Trust settings: IAMPrincipal',
      },
    ]);
    expect(byKey('principalContradiction')[0]).toMatchObject({
      source: 'inferred',
      from: ['iamPrincipal', 'principalArn'],
    });
    expect(byKey('rawCode')[0]).toMatchObject({
      source: 'observed',
      call: 'sts:AssumeRole',
      value: 'AccessDenied',
    });
    // Nothing the user typed is presented as something AWS answered.
    for (const f of d.facts.filter((f) => f.source === 'observed'))
      expect([
        'callerArn',
        'callerAccountId',
        'callerPartition',
        'rawCode',
        'rawMessage',
        'attempts',
        'endpoint',
      ]).toContain(f.key);
  });

  it('lists both warnings, the confused deputy first', () => {
    const d = diagnose(
      input({
        enforcement: { ok: true, value: { enforced: false } },
        audit: {
          ok: true,
          value: { missing: ['SecurityAudit', 'job-function/ViewOnlyAccess'], maxSessionDuration: 3600 },
        },
      }),
    );
    expect(d.code).toBe('EXTERNAL_ID_NOT_ENFORCED');
    expect(d.severity).toBe('warning');
    expect(d.findings).toEqual(['EXTERNAL_ID_NOT_ENFORCED', 'PERMISSIONS_INCOMPLETE']);
  });

  it('draws the trust chain for a failure: principal matched, aws:PrincipalArn condition not', () => {
    const d = diagnose(input({ request: { iamPrincipal: 'role/prowler*' }, ...assumeFails(denied(USER)) }));
    expect(d.trust?.evaluation.decision).toBe('deny');
    const statement = d.trust?.evaluation.statements[0];
    expect(statement?.principal.matched).toBe(true);
    const principalArn = statement?.conditions.find((c) => c.key === 'aws:PrincipalArn');
    expect(principalArn).toMatchObject({ matched: false, requestValue: USER });
    const externalId = statement?.conditions.find((c) => c.key === 'sts:ExternalId');
    expect(externalId?.matched).toBe(true);
  });

  it('carries the raw AWS error of the failing call', () => {
    const d = diagnose(
      input(assumeFails(denied(USER, ' because no identity-based policy allows the sts:AssumeRole action'))),
    );
    expect(d.awsError).toMatchObject({
      call: 'sts:AssumeRole',
      code: 'AccessDenied',
      requestId: 'rid-1',
      httpStatus: 403,
    });
  });

  it('leaves out a guessed trust picture once the role was assumed', () => {
    const d = diagnose(input({ request: { trustedAccountId: undefined, iamPrincipal: undefined } }));
    expect(d.code).toBe('OK');
    expect(d.trust).toBeNull();
  });
});

describe('with role evidence: the role’s real trust policy decides, confirmed', () => {
  const evidenceOf = (text: string) => {
    const parsed = parseRoleEvidence(text);
    if (!parsed.ok) throw new Error(parsed.message);
    return parsed.evidence;
  };
  const DEFAULT_STEP3 = { trustedAccountId: '111111111111', iamPrincipal: 'role/prowler*' };
  const stack = (over: Partial<StackParams> = {}): StackParams => ({
    ExternalId: EXT,
    AccountId: '111111111111',
    IAMPrincipal: 'user/prowler-app',
    ...over,
  });
  const withEvidence = (text: string, request: Partial<Req> = DEFAULT_STEP3) =>
    diagnose({ ...input({ request, ...assumeFails(denied(USER)) }), roleEvidence: evidenceOf(text) });
  const doctor = (p: StackParams, opts: Parameters<typeof doctorOutput>[2] = {}) =>
    JSON.stringify(doctorOutput('222222222222', p, opts));

  it.each([
    [
      'IAMPrincipal role/prowler* in the stack',
      stack({ IAMPrincipal: 'role/prowler*' }),
      ['TRUST_PRINCIPAL_MISMATCH'],
    ],
    [
      'the stack trusts account 121212121212',
      stack({ AccountId: '121212121212' }),
      ['TRUST_ACCOUNT_MISMATCH'],
    ],
    [
      'another External ID in the stack',
      stack({ ExternalId: 'an-older-external-id-0001' }),
      ['EXTERNAL_ID_MISMATCH'],
    ],
    [
      'another account and another External ID: both, the account first',
      stack({ AccountId: '121212121212', ExternalId: 'an-older-external-id-0001' }),
      ['TRUST_ACCOUNT_MISMATCH', 'EXTERNAL_ID_MISMATCH'],
    ],
  ] as const)('%s -> %s, whatever step 3 says', (_label, params, codes) => {
    for (const request of [
      DEFAULT_STEP3,
      { trustedAccountId: '111111111111', iamPrincipal: 'user/prowler-app' },
    ]) {
      const d = withEvidence(doctor(params), request);
      expect(d.code).toBe(codes[0]);
      expect(d.confidence).toBe('confirmed');
      expect(d.candidates).toEqual([]);
      expect(d.findings).toEqual(codes);
      expect(d.trust?.basis).toBe('role-evidence');
      expect(d.facts.find((f) => f.key === 'trustVerdict')).toMatchObject({ source: 'inferred' });
      expect(d.facts.find((f) => f.key === 'roleTrustedPrincipals')).toMatchObject({
        source: 'observed',
        seenBy: 'target-account',
        call: 'iam:GetRole',
      });
    }
  });

  it('NoSuchEntity -> ROLE_NOT_FOUND, confirmed', () => {
    const d = withEvidence(NO_SUCH_ENTITY);
    expect(d).toMatchObject({ code: 'ROLE_NOT_FOUND', confidence: 'confirmed' });
    expect(values(d).roleFound).toMatch(/No such role ProwlerScan \(NoSuchEntity\)/);
  });

  it('a role of that name under another path -> ROLE_NOT_FOUND: the ARN entered names no role', () => {
    const d = withEvidence(JSON.stringify(getRoleOutput('222222222222', stack(), { path: '/team/' })));
    expect(d).toMatchObject({ code: 'ROLE_NOT_FOUND', confidence: 'confirmed' });
    expect(values(d).evidenceRoleArn).toBe('arn:aws:iam::222222222222:role/team/ProwlerScan');
  });

  it('a policy that admits the caller, yet AWS refused: not a trust cause, suspected', () => {
    const d = withEvidence(doctor(stack()));
    expect(d).toMatchObject({ code: 'UNKNOWN', confidence: 'suspected' });
    expect(values(d).trustVerdict).toMatch(/admits the caller with this External ID, yet AWS refused/);
  });

  it('a trust policy changed outside its stack is named as drift', () => {
    const open = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'sts:AssumeRole' },
      ],
    };
    const d = withEvidence(doctor(stack(), { trustPolicy: open }));
    expect(d.code).toBe('TRUST_ACCOUNT_MISMATCH');
    expect(values(d).templateDrift).toMatch(/^Changed outside CloudFormation/);
    const same = withEvidence(doctor(stack({ IAMPrincipal: 'role/prowler*' })));
    expect(values(same).templateDrift).toMatch(/^Matches/);
  });

  it('assumed, with evidence: the trust chain is the real policy, the warning stays observed', () => {
    const open = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'sts:AssumeRole' },
      ],
    };
    const d = diagnose({
      ...input({ enforcement: { ok: true, value: { enforced: false } } }),
      roleEvidence: evidenceOf(doctor(stack(), { trustPolicy: open })),
    });
    expect(d).toMatchObject({ code: 'EXTERNAL_ID_NOT_ENFORCED', confidence: 'confirmed' });
    expect(d.trust?.basis).toBe('role-evidence');
    expect(values(d).templateDrift).toMatch(/^Changed outside CloudFormation/);
    expect(d.facts.find((f) => f.key === 'externalIdEnforced')).toMatchObject({
      source: 'observed',
      seenBy: 'scanner',
    });
  });
});
