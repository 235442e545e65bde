import { describe, expect, it } from 'vitest';
import type { Flavour } from '../api-contract.ts';
import type { CredentialSourceKind } from '../inputs.ts';
import { trustPolicyFor } from '../template/role-template.ts';
import { DIAGNOSIS_CODES, type DiagnosisCode, severityOf } from './codes.ts';
import { EVIDENCE_KEYS, type Guidance, type GuidanceContext, guidanceFor } from './guidance.ts';

const FLAVOURS: Flavour[] = ['self-hosted', 'hosted'];
const SOURCES: CredentialSourceKind[] = ['sdk-default', 'access-keys'];
const ROLE_ARN = 'arn:aws:iam::444455556666:role/ProwlerScan';
const EXT = 'ext-7f3a9c2e1b';

const ctx = (over: Partial<GuidanceContext> = {}): GuidanceContext => ({
  flavour: 'self-hosted',
  productName: 'Prowler',
  sourceKind: 'access-keys',
  evidence: {},
  request: { region: 'eu-west-1', roleArn: ROLE_ARN, externalId: EXT },
  ...over,
});

const allText = (g: Guidance) =>
  [
    g.title,
    g.what,
    ...g.why,
    ...g.steps.flatMap((s) => [s.text, s.command ?? '', s.value?.value ?? '']),
  ].join('\n');
const commands = (g: Guidance) => g.steps.map((s) => s.command).filter((c): c is string => Boolean(c));
const values = (g: Guidance) => g.steps.map((s) => s.value).filter(Boolean);

describe('the catalogue covers every code, in every context', () => {
  const combos = DIAGNOSIS_CODES.flatMap((code) =>
    FLAVOURS.flatMap((flavour) => SOURCES.map((sourceKind) => [code, flavour, sourceKind] as const)),
  );
  it.each(combos)('%s (%s, %s)', (code, flavour, sourceKind) => {
    const samples: Record<string, string>[] = [
      {},
      { callerArn: 'arn:aws:sts::111122223333:assumed-role/scanner/s', roleArn: ROLE_ARN },
    ];
    for (const evidence of samples) {
      const g = guidanceFor(code, ctx({ flavour, sourceKind, evidence }));
      expect(g.code).toBe(code);
      expect(g.severity).toBe(severityOf(code));
      expect(g.title.length).toBeGreaterThan(5);
      expect(g.what).not.toMatch(/\n/);
      expect(g.what).not.toMatch(/undefined|null|NaN|\[object/);
      expect(allText(g)).not.toMatch(/undefined|\[object/);
      if (code !== 'OK') expect(g.why.length).toBeGreaterThan(0);
      expect(g.steps.length).toBeGreaterThan(0);
      for (const key of g.shows) expect(EVIDENCE_KEYS as readonly string[]).toContain(key);
      for (const link of g.learnMore ?? []) expect(link.url).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
      // The .env + re-create fix applies only where the operator runs the containers.
      if (flavour === 'hosted') expect(allText(g)).not.toMatch(/docker compose|\.env/);
    }
  });
});

describe('context-dependent guidance', () => {
  it('TRUST_PRINCIPAL_MISMATCH for user/prowler-app against role/prowler*: redeploy with IAMPrincipal user/prowler-app', () => {
    const g = guidanceFor(
      'TRUST_PRINCIPAL_MISMATCH',
      ctx({
        evidence: {
          callerArn: 'arn:aws:iam::111122223333:user/prowler-app',
          principalArn: 'arn:aws:iam::111122223333:user/prowler-app',
          trustedAccountId: '111122223333',
          iamPrincipal: 'role/prowler*',
          expectedPrincipalArn: 'arn:aws:iam::111122223333:role/prowler*',
          suggestedIamPrincipal: 'user/prowler-app',
          roleArn: ROLE_ARN,
        },
      }),
    );
    expect(g.steps[0]?.text).toMatch(/IAMPrincipal user\/prowler-app/);
    const update = commands(g).find((c) => c.includes('update-stack'));
    expect(update).toContain('--region eu-west-1');
    expect(update).toContain('ParameterKey=IAMPrincipal,ParameterValue=user/prowler-app');
    expect(update).toContain('ParameterKey=ExternalId,UsePreviousValue=true');
    expect(values(g)).toContainEqual({ label: 'IAMPrincipal', value: 'user/prowler-app' });
    expect(g.shows).toEqual(
      expect.arrayContaining(['expectedPrincipalArn', 'principalArn', 'suggestedIamPrincipal']),
    );
  });

  it('TRUST_PRINCIPAL_MISMATCH for an assumed-role caller warns about the invisible role path', () => {
    const g = guidanceFor(
      'TRUST_PRINCIPAL_MISMATCH',
      ctx({ evidence: { callerArn: 'arn:aws:sts::111122223333:assumed-role/security-scanner/s' } }),
    );
    expect(commands(g)).toContain(
      'aws cloudformation update-stack \\\n  --region eu-west-1 \\\n  --stack-name ProwlerScan \\\n  --use-previous-template \\\n  --capabilities CAPABILITY_NAMED_IAM \\\n  --parameters ParameterKey=ExternalId,UsePreviousValue=true ParameterKey=AccountId,UsePreviousValue=true ParameterKey=IAMPrincipal,ParameterValue=role/security-scanner',
    );
    expect(commands(g)).toContain(
      'aws iam get-role --role-name security-scanner --query Role.Path --output text',
    );
  });

  it('TRUST_ACCOUNT_MISMATCH offers the caller’s account as AccountId', () => {
    const g = guidanceFor(
      'TRUST_ACCOUNT_MISMATCH',
      ctx({
        evidence: {
          callerArn: 'arn:aws:iam::999988887777:user/prowler-app',
          callerAccountId: '999988887777',
          trustedAccountId: '111122223333',
        },
      }),
    );
    expect(g.what).toContain('999988887777');
    expect(g.what).toContain('111122223333');
    expect(commands(g)[0]).toContain('ParameterKey=AccountId,ParameterValue=999988887777');
    expect(commands(g)[0]).toContain('ParameterKey=IAMPrincipal,ParameterValue=user/prowler-app');
    expect(values(g)).toContainEqual({ label: 'AccountId', value: '999988887777' });
  });

  it('EXTERNAL_ID_MISMATCH shows the External ID to deploy and how to read the role’s', () => {
    const g = guidanceFor('EXTERNAL_ID_MISMATCH', ctx({ evidence: { externalId: EXT, roleArn: ROLE_ARN } }));
    expect(commands(g)).toContain(
      'aws iam get-role --role-name ProwlerScan --query Role.AssumeRolePolicyDocument',
    );
    expect(commands(g).some((c) => c.includes(`ParameterKey=ExternalId,ParameterValue=${EXT}`))).toBe(true);
    expect(values(g)).toContainEqual({ label: 'ExternalId', value: EXT });
  });

  describe('source problems depend on who owns the credentials', () => {
    it.each([
      'SOURCE_NO_CREDENTIALS',
      'SOURCE_KEY_INVALID',
      'SOURCE_SECRET_INVALID',
      'SOURCE_TOKEN_EXPIRED',
    ] as DiagnosisCode[])(
      '%s: self-hosted SDK default -> .env and docker compose --force-recreate',
      (code) => {
        const g = guidanceFor(code, ctx({ sourceKind: 'sdk-default' }));
        expect(commands(g)).toContain('docker compose up -d --force-recreate api worker worker-beat');
        expect(values(g).some((v) => v?.label === '.env' && v.value.includes('AWS_ACCESS_KEY_ID='))).toBe(
          true,
        );
      },
    );

    it.each(['SOURCE_NO_CREDENTIALS', 'SOURCE_KEY_INVALID', 'SOURCE_CLOCK_SKEW'] as DiagnosisCode[])(
      '%s: hosted SDK default -> nothing to change in your account, contact the product',
      (code) => {
        const g = guidanceFor(code, ctx({ flavour: 'hosted', sourceKind: 'sdk-default' }));
        expect(allText(g)).toMatch(/Prowler support/);
        expect(commands(g)).toEqual([]);
      },
    );

    it('SOURCE_KEY_INVALID with access keys -> check and re-create the key of that user', () => {
      const g = guidanceFor(
        'SOURCE_KEY_INVALID',
        ctx({ evidence: { callerArn: 'arn:aws:iam::111122223333:user/prowler-app' } }),
      );
      expect(commands(g)).toContain('aws iam list-access-keys --user-name prowler-app');
      expect(allText(g)).not.toMatch(/docker/);
    });

    it('SOURCE_CLOCK_SKEW self-hosted -> fix the host clock', () => {
      expect(commands(guidanceFor('SOURCE_CLOCK_SKEW', ctx()))).toContain('sudo timedatectl set-ntp true');
    });
  });

  it('CALLER_NOT_PERMITTED gives the identity policy for that user or role', () => {
    const forUser = guidanceFor(
      'CALLER_NOT_PERMITTED',
      ctx({ evidence: { callerArn: 'arn:aws:iam::111122223333:user/prowler-app', roleArn: ROLE_ARN } }),
    );
    const cmd = commands(forUser)[0] ?? '';
    expect(cmd).toMatch(/^aws iam put-user-policy --user-name prowler-app /);
    const doc = JSON.parse(cmd.slice(cmd.indexOf("'") + 1, cmd.lastIndexOf("'")));
    expect(doc.Statement[0]).toEqual({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: ROLE_ARN });
    const forRole = guidanceFor(
      'CALLER_NOT_PERMITTED',
      ctx({ evidence: { callerArn: 'arn:aws:sts::111122223333:assumed-role/scanner/s' } }),
    );
    expect(commands(forRole)[0]).toMatch(/^aws iam put-role-policy --role-name scanner /);
  });

  it('EXPLICIT_DENY by an SCP points at the organization’s policies for the caller’s account', () => {
    const g = guidanceFor(
      'EXPLICIT_DENY',
      ctx({ evidence: { policyType: 'service control policy', callerAccountId: '111122223333' } }),
    );
    expect(g.title).toMatch(/service control policy/);
    expect(commands(g)).toContain(
      'aws organizations list-policies-for-target --target-id 111122223333 --filter SERVICE_CONTROL_POLICY',
    );
  });

  it('DURATION_EXCEEDS_MAX: role chaining caps at one hour; a user caller may raise the role maximum', () => {
    const chained = guidanceFor(
      'DURATION_EXCEEDS_MAX',
      ctx({
        evidence: {
          durationSeconds: '7200',
          maxSessionDuration: '3600',
          callerArn: 'arn:aws:sts::1:assumed-role/r/s',
          roleChaining: 'true',
        },
      }),
    );
    expect(chained.what).toMatch(/role-chaining cap/);
    expect(commands(chained)).toEqual([]);
    const user = guidanceFor(
      'DURATION_EXCEEDS_MAX',
      ctx({
        evidence: {
          durationSeconds: '7200',
          maxSessionDuration: '3600',
          callerArn: 'arn:aws:iam::111122223333:user/u',
        },
      }),
    );
    expect(commands(user)).toContain(
      'aws iam update-role --role-name ProwlerScan --max-session-duration 7200',
    );
    expect(values(user)).toContainEqual({ label: 'Duration (seconds)', value: '3600' });
  });

  it('PERMISSIONS_INCOMPLETE attaches exactly the missing policies, in the role’s partition', () => {
    const g = guidanceFor(
      'PERMISSIONS_INCOMPLETE',
      ctx({
        evidence: {
          missingPolicies: 'SecurityAudit',
          roleArn: 'arn:aws-us-gov:iam::444455556666:role/ProwlerScan',
        },
      }),
    );
    expect(commands(g)).toEqual([
      'aws iam attach-role-policy --role-name ProwlerScan --policy-arn arn:aws-us-gov:iam::aws:policy/SecurityAudit',
    ]);
    const additions = guidanceFor(
      'PERMISSIONS_INCOMPLETE',
      ctx({ evidence: { missingPolicies: 'ProwlerScanAdditions' } }),
    );
    expect(commands(additions)[0]).toContain('--template-body file://prowler-scan-role.yaml');
  });

  it('EXTERNAL_ID_NOT_ENFORCED offers the template’s trust policy for the role', () => {
    const g = guidanceFor(
      'EXTERNAL_ID_NOT_ENFORCED',
      ctx({
        evidence: {
          externalId: EXT,
          trustedAccountId: '111122223333',
          iamPrincipal: 'user/prowler-app',
          roleArn: ROLE_ARN,
        },
      }),
    );
    const trust = values(g).find((v) => v?.label === 'trust.json');
    expect(JSON.parse(trust?.value ?? '{}')).toEqual(
      trustPolicyFor({
        partition: 'aws',
        trustedAccountId: '111122223333',
        iamPrincipal: 'user/prowler-app',
        externalId: EXT,
      }),
    );
    expect(commands(g)).toContain(
      'aws iam update-assume-role-policy --role-name ProwlerScan --policy-document file://trust.json',
    );
  });

  it('STS_TIMEOUT self-hosted names the timeout setting; hosted does not', () => {
    const self = guidanceFor(
      'STS_TIMEOUT',
      ctx({ evidence: { timeoutMs: '10000', endpoint: 'https://sts.eu-west-1.amazonaws.com' } }),
    );
    expect(allText(self)).toMatch(/AWS_CONNECT_AWS_TIMEOUT_MS/);
    expect(allText(guidanceFor('STS_TIMEOUT', ctx({ flavour: 'hosted' })))).not.toMatch(
      /AWS_CONNECT_AWS_TIMEOUT_MS/,
    );
  });

  it('uses the configured product name', () => {
    expect(
      guidanceFor('OK', ctx({ productName: 'Acme Scanner', evidence: { roleArn: ROLE_ARN } })).what,
    ).toMatch(/^Acme Scanner assumed/);
  });
});
