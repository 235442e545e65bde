import { describe, expect, it } from 'vitest';
import { declared, inferred, observed } from './diagnosis/evidence.ts';
import type { VerifyReport } from './diagnosis-contract.ts';
import { verifyReportSchema } from './diagnosis-contract.ts';
import { awsCliProfile, markdownReport, maskExternalId, scannerCommand } from './exports.ts';

const EXT = 'c0ffee00c0ffee00c0ffee00c0ffee00';

function report(over: Partial<VerifyReport['request']> = {}): VerifyReport {
  return verifyReportSchema.parse({
    ok: false,
    connected: true,
    diagnosis: {
      code: 'PERMISSIONS_INCOMPLETE',
      severity: 'warning',
      confidence: 'confirmed',
      candidates: [],
      facts: [
        declared('externalId', EXT, 'External ID'),
        observed('missingPolicies', 'SecurityAudit', 'iam:ListAttachedRolePolicies', 'AttachedPolicies'),
        declared('iamPrincipal', 'user/prowler-app', 'Trust settings: IAMPrincipal'),
        inferred('principalArn', 'arn:aws:iam::111111111111:user/prowler-app', ['callerArn']),
      ],
      traits: { worthWaiting: true, fixedByRedeploy: true, trustSide: false },
    },
    findingsGuidance: [],
    guidance: {
      code: 'PERMISSIONS_INCOMPLETE',
      severity: 'warning',
      confidence: 'confirmed',
      shows: ['missingPolicies'],
      title: 'The role is missing scan permissions',
      what: `Connected, but the role lacks SecurityAudit (External ID ${EXT}).`,
      why: [],
      steps: [
        {
          text: 'Attach SecurityAudit to the role again.',
          command:
            'aws iam attach-role-policy --role-name ProwlerScan --policy-arn arn:aws:iam::aws:policy/SecurityAudit',
          runIn: 'target-account',
        },
      ],
    },
    findings: ['PERMISSIONS_INCOMPLETE'],
    checks: [
      { id: 'source-identity', title: 'Source credentials', status: 'pass', detail: 'ok | with a pipe' },
      { id: 'permission-audit', title: 'Permissions', status: 'warn', detail: 'Missing: SecurityAudit.' },
    ],
    caller: {
      arn: 'arn:aws:iam::111111111111:user/prowler-app',
      account: '111111111111',
      userId: 'AIDA',
      principalArn: 'arn:aws:iam::111111111111:user/prowler-app',
      pathUnknown: false,
    },
    assumed: {
      arn: 'arn:aws:sts::222222222222:assumed-role/ProwlerScan/s',
      assumedRoleId: 'AROA:s',
      expiration: '2030-01-01T00:00:00.000Z',
      accessKeyId: 'ASIA…ABCD',
    },
    audit: {
      managedPolicies: [
        { name: 'SecurityAudit', arn: 'arn:aws:iam::aws:policy/SecurityAudit', present: false },
        {
          name: 'job-function/ViewOnlyAccess',
          arn: 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
          present: true,
        },
      ],
      additionsPolicy: { name: 'ProwlerScanAdditions', present: true },
      maxSessionDuration: 3600,
    },
    trust: null,
    request: {
      sourceKind: 'sdk-default',
      roleArn: 'arn:aws:iam::222222222222:role/ProwlerScan',
      externalId: EXT,
      sessionName: 'aws-connect-verify',
      durationSeconds: 3600,
      region: 'eu-west-1',
      partition: 'aws',
      ...over,
    },
    timings: [{ call: 'sts:AssumeRole', ms: 12.5 }],
    awsError: null,
    requestId: 'rid',
    finishedAt: '2030-01-01T00:00:00.000Z',
  });
}

// The profile is also used for real by the aws CLI against the sandbox (src/server/verify.sandbox.test.ts).
describe('awsCliProfile', () => {
  it.each([
    ['sdk-default', 'credential_source = Environment'],
    ['access-keys', 'source_profile = default'],
  ] as const)('%s -> %s', (sourceKind, line) => {
    const lines = awsCliProfile(report({ sourceKind })).split('\n');
    expect(lines[0]).toBe('[profile prowler-scan]');
    expect(lines).toContain('role_arn = arn:aws:iam::222222222222:role/ProwlerScan');
    expect(lines).toContain(`external_id = ${EXT}`);
    expect(lines).toContain('region = eu-west-1');
    expect(lines).toContain(line);
  });
});

describe('scannerCommand', () => {
  it.each([
    [{}, `prowler aws --role arn:aws:iam::222222222222:role/ProwlerScan --external-id ${EXT}`],
    [
      { durationSeconds: 900 },
      `prowler aws --role arn:aws:iam::222222222222:role/ProwlerScan --external-id ${EXT} --session-duration 900`,
    ],
  ])('%j', (over, expected) => {
    expect(scannerCommand(report(over))).toBe(expected);
  });
});

describe('markdownReport', () => {
  const md = markdownReport(report());
  it('states the outcome, the checks and the audit', () => {
    expect(md).toContain('`PERMISSIONS_INCOMPLETE`');
    expect(md).toContain('connected with warnings');
    expect(md).toContain('- [ ] SecurityAudit');
    expect(md).toContain('ok \\| with a pipe');
  });
  it('masks the External ID everywhere', () => {
    expect(md).not.toContain(EXT);
    expect(md).toContain(maskExternalId(EXT));
  });
});

describe('markdownReport: every fact labelled by where it came from', () => {
  const md = markdownReport(report());
  it('groups the facts under AWS answered / You entered / We infer, each with its provenance', () => {
    expect(md).toMatch(
      /## AWS answered\n\n\| fact \| value \| from \|\n\| --- \| --- \| --- \|\n\| Missing policies \| SecurityAudit \| iam:ListAttachedRolePolicies, AttachedPolicies \|/,
    );
    expect(md).toMatch(
      /## You entered\n[\s\S]*\| IAMPrincipal \| user\/prowler-app \| Trust settings: IAMPrincipal \|/,
    );
    expect(md).toMatch(
      /## We infer\n[\s\S]*\| Caller’s aws:PrincipalArn \| arn:aws:iam::111111111111:user\/prowler-app \| from Caller \|/,
    );
  });
  it('carries the rendered guidance, each command with whose credentials it runs', () => {
    expect(md).toContain('## The role is missing scan permissions');
    expect(md).toContain('Run with the target account’s credentials');
    expect(md).toContain('aws iam attach-role-policy --role-name ProwlerScan');
  });
});
