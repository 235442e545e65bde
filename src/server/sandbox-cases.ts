import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { DiagnosisCode } from '../domain/diagnosis/codes.ts';
import type { FactKey } from '../domain/diagnosis/evidence.ts';
import type { FaultsInput } from '../sandbox/faults.ts';
import type { SandboxHandle } from '../sandbox/server.ts';
import { UNKNOWN_KEY } from '../sandbox/world.ts';
import { TEST_EXTERNAL_ID } from './test-support.ts';

// Every diagnosis the sandbox can produce, as one table shared by the API and the CLI integration
// tests (issue 5, "Tests"). Keys are the demo scenario's fake sandbox keys (src/sandbox/scenarios/demo.json).

export interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SandboxCase {
  name: string;
  code: DiagnosisCode;
  roleArn: string;
  /** The source: the server's/shell's scanner identity (default), explicit keys, or none at all. */
  source?: Keys | 'worker-session' | 'none';
  externalId?: string;
  trustedAccountId?: string;
  iamPrincipal?: string;
  accountId?: string;
  durationSeconds?: number;
  region?: string;
  faults?: FaultsInput;
  /** AWS requests the sandbox must see for this verification, by action. */
  calls?: Record<string, number>;
  /** Fact values by key (testing/facts.ts factValues). */
  evidence?: Partial<Record<FactKey, string>>;
  connected?: boolean;
  /** A bare AccessDenied: AWS did not say why, so the code is the most likely candidate. */
  suspected?: boolean;
}

export const role = (account: string) => `arn:aws:iam::${account}:role/ProwlerScan`;
const SCANNER_TRUST = { trustedAccountId: '111111111111', iamPrincipal: 'user/prowler-app' };
const NO_POLICY: Keys = {
  accessKeyId: 'AKIASANDBOXNOPOLICY1',
  secretAccessKey: 'sandboxOnlyNoPolicyUserNotARealSecret002',
};
const FENCED: Keys = {
  accessKeyId: 'AKIASANDBOXSCPDENY01',
  secretAccessKey: 'sandboxOnlyScpDeniedUserNotARealSecret03',
};
const EXPIRED: Keys = {
  accessKeyId: 'ASIASANDBOXEXPIRED01',
  secretAccessKey: 'sandboxOnlyExpiredSessionNotARealSecret4',
  sessionToken: 'SandboxOnlyExpiredSessionTokenNotReal0000000000000000000000000000000000000000',
};
const WRONG_SECRET: Keys = {
  accessKeyId: 'AKIASANDBOXSCANNER01',
  secretAccessKey: 'sandboxOnlyScannerProwlerAppNotReal99999',
};

/** A full verification: GetCallerIdentity + AssumeRole + the probe, then the audit (3 IAM reads). */
export const FULL_CALLS = {
  'sts:GetCallerIdentity': 1,
  'sts:AssumeRole': 2,
  'iam:GetRole': 1,
  'iam:ListAttachedRolePolicies': 1,
  'iam:GetRolePolicy': 1,
};
/** The role was not assumed: the first round only (the probe goes out with AssumeRole). */
const FIRST_ROUND = { 'sts:GetCallerIdentity': 1, 'sts:AssumeRole': 2 };

export const SANDBOX_CASES: SandboxCase[] = [
  {
    name: 'the ready account',
    code: 'OK',
    roleArn: role('222222222222'),
    ...SCANNER_TRUST,
    calls: FULL_CALLS,
    connected: true,
  },
  {
    name: 'IAMPrincipal left at role/prowler* while the scanner is a user',
    suspected: true,
    code: 'TRUST_PRINCIPAL_MISMATCH',
    roleArn: role('333333333333'),
    trustedAccountId: '111111111111',
    iamPrincipal: 'role/prowler*',
    calls: FIRST_ROUND,
    evidence: {
      suggestedIamPrincipal: 'user/prowler-app',
      expectedPrincipalArn: 'arn:aws:iam::111111111111:role/prowler*',
    },
  },
  {
    name: 'the stack trusts another account',
    suspected: true,
    code: 'TRUST_ACCOUNT_MISMATCH',
    roleArn: role('444444444444'),
    trustedAccountId: '121212121212',
    iamPrincipal: 'user/prowler-app',
    evidence: { callerAccountId: '111111111111', trustedAccountId: '121212121212' },
  },
  {
    name: 'the stack has another External ID',
    suspected: true,
    code: 'EXTERNAL_ID_MISMATCH',
    roleArn: role('555555555555'),
    ...SCANNER_TRUST,
    evidence: { externalId: TEST_EXTERNAL_ID },
  },
  {
    name: 'SecurityAudit detached',
    code: 'PERMISSIONS_INCOMPLETE',
    roleArn: role('666666666666'),
    ...SCANNER_TRUST,
    calls: FULL_CALLS,
    evidence: { missingPolicies: 'SecurityAudit' },
    connected: true,
  },
  {
    name: 'the trust policy lost its sts:ExternalId condition',
    code: 'EXTERNAL_ID_NOT_ENFORCED',
    roleArn: role('777777777777'),
    ...SCANNER_TRUST,
    calls: FULL_CALLS,
    connected: true,
  },
  {
    name: 'a user without sts:AssumeRole',
    code: 'CALLER_NOT_PERMITTED',
    roleArn: role('222222222222'),
    source: NO_POLICY,
    calls: FIRST_ROUND,
    evidence: { callerArn: 'arn:aws:iam::111111111111:user/no-assume' },
  },
  {
    name: 'an SCP denies sts:AssumeRole',
    code: 'EXPLICIT_DENY',
    roleArn: role('222222222222'),
    source: FENCED,
    evidence: { policyType: 'service control policy' },
  },
  {
    name: 'expired temporary keys',
    code: 'SOURCE_TOKEN_EXPIRED',
    roleArn: role('222222222222'),
    source: EXPIRED,
  },
  {
    name: 'an unknown access key',
    code: 'SOURCE_KEY_INVALID',
    roleArn: role('222222222222'),
    source: { ...UNKNOWN_KEY },
  },
  {
    name: 'a wrong secret',
    code: 'SOURCE_SECRET_INVALID',
    roleArn: role('222222222222'),
    source: WRONG_SECRET,
  },
  {
    name: 'no credentials at all',
    code: 'SOURCE_NO_CREDENTIALS',
    roleArn: role('222222222222'),
    source: 'none',
    calls: {},
  },
  {
    name: 'a clock an hour off',
    code: 'SOURCE_CLOCK_SKEW',
    roleArn: role('222222222222'),
    ...SCANNER_TRUST,
    faults: { clockSkewSeconds: 3600 },
  },
  {
    name: 'DurationSeconds above the role maximum',
    code: 'DURATION_EXCEEDS_MAX',
    roleArn: role('222222222222'),
    ...SCANNER_TRUST,
    durationSeconds: 7200,
    calls: FIRST_ROUND,
    evidence: { maxSessionDuration: '3600', durationSeconds: '7200' },
  },
  {
    name: 'a role session asking for 2 h (role chaining), refused before AssumeRole',
    code: 'DURATION_EXCEEDS_MAX',
    roleArn: role('222222222222'),
    source: 'worker-session',
    externalId: TEST_EXTERNAL_ID,
    durationSeconds: 7200,
    calls: { 'sts:GetCallerIdentity': 1 },
    evidence: {
      roleChaining: 'The caller is a role session: AWS caps the session it assumes at 3600 seconds.',
    },
  },
  {
    name: 'a disabled region',
    code: 'REGION_DISABLED',
    roleArn: role('222222222222'),
    ...SCANNER_TRUST,
    region: 'ap-east-1',
  },
  {
    name: 'the role is not in the account being connected',
    code: 'ROLE_ACCOUNT_MISMATCH',
    roleArn: role('222222222222'),
    ...SCANNER_TRUST,
    accountId: '101010101010',
    connected: true,
    evidence: { accountId: '101010101010', roleAccountId: '222222222222' },
  },
  {
    name: 'a role ARN in another partition',
    code: 'PARTITION_MISMATCH',
    roleArn: 'arn:aws-cn:iam::222222222222:role/ProwlerScan',
    ...SCANNER_TRUST,
    evidence: { callerPartition: 'aws', rolePartition: 'aws-cn' },
  },
  {
    name: 'every connection reset',
    code: 'STS_UNREACHABLE',
    roleArn: role('222222222222'),
    ...SCANNER_TRUST,
    faults: { reset: { rate: 1 } },
    evidence: { rawCode: 'ECONNRESET' },
  },
  {
    name: 'an endpoint that never answers',
    code: 'STS_TIMEOUT',
    roleArn: role('222222222222'),
    ...SCANNER_TRUST,
    faults: { hang: { rate: 1 } },
    calls: FIRST_ROUND,
  },
  {
    name: 'throttled on every attempt',
    code: 'THROTTLED',
    roleArn: role('222222222222'),
    ...SCANNER_TRUST,
    faults: { throttle: { rate: 1 } },
    calls: { 'sts:GetCallerIdentity': 3, 'sts:AssumeRole': 6 },
    evidence: { attempts: '3' },
  },
  {
    name: 'HTTP 500 on every attempt',
    code: 'UNKNOWN',
    roleArn: role('222222222222'),
    ...SCANNER_TRUST,
    faults: { serverError: { rate: 1, status: 500 } },
    evidence: { attempts: '3' },
  },
  {
    name: 'a malformed XML answer',
    code: 'UNKNOWN',
    roleArn: role('222222222222'),
    ...SCANNER_TRUST,
    faults: { malformed: { rate: 1 } },
  },
];

/** Temporary keys of a prowler-worker role session (for the role-chaining cap). */
export async function workerSessionKeys(sandbox: SandboxHandle): Promise<Keys> {
  const scanner = sandbox.world.serverCredentials('scanner');
  if (!scanner) throw new Error('the scenario has no scanner');
  const sts = new STSClient({
    endpoint: sandbox.url,
    region: 'us-east-1',
    credentials: scanner,
    maxAttempts: 1,
  });
  const out = await sts.send(
    new AssumeRoleCommand({
      RoleArn: 'arn:aws:iam::111111111111:role/prowler-worker',
      RoleSessionName: 'nightly',
    }),
  );
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error('no credentials');
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

/** What the sandbox saw between two snapshots, by action. */
export function callsBetween(
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [action, n] of Object.entries(after)) {
    const d = n - (before[action] ?? 0);
    if (d > 0) out[action] = d;
  }
  return out;
}
