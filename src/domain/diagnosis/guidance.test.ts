import { describe, expect, it } from 'vitest';
import type { Flavour } from '../api-contract.ts';
import type { CredentialSourceKind } from '../inputs.ts';
import { additionsPolicyDocument, trustPolicyFor } from '../template/role-template.ts';
import { evaluate } from '../trust/evaluate.ts';
import { rankCandidates } from './candidates.ts';
import { CATALOGUE, severityOf } from './catalogue.ts';
import { DIAGNOSIS_CODES, type DiagnosisCode } from './codes.ts';
import { FACT_KEYS, type Fact, type FactKey, inferred } from './evidence.ts';
import { type DiagnosisView, type Guidance, type GuidanceEnv, guidanceFor } from './guidance.ts';
import { DEPLOYMENTS, type Deployment } from './guidance-schema.ts';

const FLAVOURS: Flavour[] = ['self-hosted', 'hosted'];
const SOURCES: CredentialSourceKind[] = ['sdk-default', 'access-keys'];
const ROLE_ARN = 'arn:aws:iam::444455556666:role/ProwlerScan';
const EXT = 'ext-7f3a9c2e1b';

/** Facts by key (the source does not change what guidance reads). */
const factsOf = (values: Partial<Record<FactKey, string>>): Fact[] =>
  Object.entries(values).map(([k, v]) => inferred(k as FactKey, v ?? '', []));

const env = (over: Partial<GuidanceEnv> = {}): GuidanceEnv => ({
  flavour: 'self-hosted',
  productName: 'Prowler',
  deployment: 'node',
  audience: 'web',
  ...over,
});

function view(
  code: DiagnosisCode,
  values: Partial<Record<FactKey, string>> = {},
  over: Partial<DiagnosisView> = {},
): DiagnosisView {
  return {
    code,
    confidence: 'confirmed',
    candidates: [],
    facts: factsOf(values),
    sourceKind: 'access-keys',
    request: { region: 'eu-west-1', roleArn: ROLE_ARN, externalId: EXT },
    ...over,
  };
}

const g = (
  code: DiagnosisCode,
  values: Partial<Record<FactKey, string>> = {},
  over: Partial<DiagnosisView> = {},
  e: Partial<GuidanceEnv> = {},
) => guidanceFor(view(code, values, over), env(e));

const allText = (x: Guidance) =>
  [
    x.title,
    x.what,
    ...x.why,
    ...x.steps.flatMap((s) => [s.text, s.command ?? '', s.value?.value ?? '']),
  ].join('\n');
const commands = (x: Guidance) => x.steps.map((s) => s.command).filter((c): c is string => Boolean(c));
const values = (x: Guidance) => x.steps.map((s) => s.value).filter(Boolean);

describe('the catalogue covers every code, in every context', () => {
  const combos = DIAGNOSIS_CODES.flatMap((code) =>
    FLAVOURS.flatMap((flavour) =>
      SOURCES.flatMap((sourceKind) =>
        (['web', 'cli'] as const).flatMap((audience) =>
          DEPLOYMENTS.map((deployment) => [code, flavour, sourceKind, audience, deployment] as const),
        ),
      ),
    ),
  );
  it.each(combos)('%s (%s, %s, %s, %s)', (code, flavour, sourceKind, audience, deployment) => {
    const samples: Partial<Record<FactKey, string>>[] = [
      {},
      { callerArn: 'arn:aws:sts::111122223333:assumed-role/scanner/s', roleArn: ROLE_ARN },
    ];
    for (const confidence of ['confirmed', 'suspected'] as const) {
      for (const sample of samples) {
        const candidates =
          confidence === 'suspected'
            ? rankCandidates({
                roleName: 'ProwlerScan',
                roleAccountId: '444455556666',
                caller: null,
                externalId: EXT,
                declaredAdmitsAccount: null,
                declaredAdmitsPrincipal: null,
              })
            : [];
        const x = guidanceFor(
          view(code, sample, { sourceKind, confidence, candidates }),
          env({ flavour, audience, deployment }),
        );
        expect(x.code).toBe(code);
        expect(x.severity).toBe(severityOf(code));
        expect(x.title.length).toBeGreaterThan(5);
        expect(x.what).not.toMatch(/\n/);
        expect(allText(x).replaceAll('/dev/null', '')).not.toMatch(/undefined|null|NaN|\[object/);
        if (code !== 'OK') expect(x.why.length).toBeGreaterThan(0);
        expect(x.steps.length).toBeGreaterThan(0);
        for (const key of x.shows) expect(FACT_KEYS as readonly string[]).toContain(key);
        for (const link of x.learnMore ?? []) expect(link.url).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
        // Every command says whose credentials it runs with.
        for (const s of x.steps) if (s.command) expect(s.runIn, `${code}: ${s.command}`).toBeDefined();
        // The .env + re-create fix applies only where the operator runs the containers.
        if (flavour === 'hosted' && audience === 'web')
          expect(allText(x)).not.toMatch(/docker compose|\.env/);
        if (deployment !== 'compose' || audience === 'cli')
          expect(allText(x)).not.toMatch(/docker compose|\.env/);
      }
    }
  });

  it('every code has its facts written down', () => {
    for (const code of DIAGNOSIS_CODES) expect(CATALOGUE[code].label.length).toBeGreaterThan(3);
    const trustSide = DIAGNOSIS_CODES.filter((c) => CATALOGUE[c].trustSide);
    expect(trustSide).toEqual([
      'TRUST_ACCOUNT_MISMATCH',
      'TRUST_PRINCIPAL_MISMATCH',
      'ROLE_NOT_FOUND',
      'EXTERNAL_ID_MISMATCH',
    ]);
  });
});

describe('a suspected trust-side cause', () => {
  const candidates = rankCandidates({
    roleName: 'ProwlerScan',
    roleAccountId: '444455556666',
    caller: {
      principalArn: 'arn:aws:iam::111122223333:user/prowler-app',
      pathUnknown: false,
      accountId: '111122223333',
    },
    trustedAccountId: '111122223333',
    iamPrincipal: 'role/prowler*',
    externalId: EXT,
    declaredAdmitsAccount: true,
    declaredAdmitsPrincipal: false,
  });
  const x = g('TRUST_PRINCIPAL_MISMATCH', {}, { confidence: 'suspected', candidates });

  it('opens with "AWS refused and does not say why" and names the likeliest cause as such', () => {
    expect(x.title).toBe('AWS refused and does not say why');
    expect(x.confidence).toBe('suspected');
    expect(x.what).toMatch(/most likely cause is that the role does not trust this principal/);
  });

  it('offers the trust doctor, with the target account’s credentials, instead of a fix', () => {
    expect(x.steps[0]?.runIn).toBe('target-account');
    expect(x.steps[0]?.command).toMatch(/^r=ProwlerScan g=eu-west-1 s=ProwlerScan; /);
    expect(commands(x).some((c) => c.includes('update-stack'))).toBe(false);
  });

  it('the CLI says how to bring the doctor’s output back', () => {
    const cli = g(
      'TRUST_PRINCIPAL_MISMATCH',
      {},
      { confidence: 'suspected', candidates },
      { audience: 'cli' },
    );
    expect(allText(cli)).toMatch(/--role-evidence FILE/);
  });
});

describe('confirmed trust-side causes: fixes built from the caller AWS named', () => {
  it('TRUST_PRINCIPAL_MISMATCH for user/prowler-app: update the stack with IAMPrincipal user/prowler-app', () => {
    const x = g('TRUST_PRINCIPAL_MISMATCH', {
      callerArn: 'arn:aws:iam::111122223333:user/prowler-app',
      iamPrincipal: 'role/prowler*',
      rolePrincipalArnPatterns: 'arn:aws:iam::111122223333:role/prowler*',
      stackStatus: 'CREATE_COMPLETE',
      roleFound: 'Exists',
    });
    expect(x.steps[0]?.text).toMatch(/IAMPrincipal user\/prowler-app/);
    expect(x.steps[0]?.runIn).toBe('target-account');
    const update = commands(x).find((c) => c.includes('update-stack'));
    expect(update).toContain('--region eu-west-1');
    expect(update).toContain('ParameterKey=IAMPrincipal,ParameterValue=user/prowler-app');
    expect(update).toContain('ParameterKey=ExternalId,UsePreviousValue=true');
    expect(values(x)).toContainEqual({ label: 'IAMPrincipal', value: 'user/prowler-app' });
    expect(x.what).toContain('arn:aws:iam::111122223333:role/prowler*');
  });

  it('TRUST_PRINCIPAL_MISMATCH for an assumed-role caller warns about the invisible role path', () => {
    const x = g('TRUST_PRINCIPAL_MISMATCH', {
      callerArn: 'arn:aws:sts::111122223333:assumed-role/security-scanner/s',
    });
    expect(commands(x)).toContain(
      'aws cloudformation update-stack \\\n  --region eu-west-1 \\\n  --stack-name ProwlerScan \\\n  --use-previous-template \\\n  --capabilities CAPABILITY_NAMED_IAM \\\n  --parameters ParameterKey=ExternalId,UsePreviousValue=true ParameterKey=AccountId,UsePreviousValue=true ParameterKey=IAMPrincipal,ParameterValue=role/security-scanner',
    );
    const path = x.steps.find((s) => s.command?.includes('Role.Path'));
    expect(path).toMatchObject({
      command: 'aws iam get-role --role-name security-scanner --query Role.Path --output text',
      runIn: 'scanner-account',
    });
  });

  it('TRUST_ACCOUNT_MISMATCH offers the caller’s account as AccountId and says what the role trusts', () => {
    const x = g('TRUST_ACCOUNT_MISMATCH', {
      callerArn: 'arn:aws:iam::999988887777:user/prowler-app',
      callerAccountId: '999988887777',
      trustedAccountId: '111122223333',
      roleTrustedPrincipals: 'account 111122223333',
    });
    expect(x.what).toContain('999988887777');
    expect(x.what).toContain('account 111122223333');
    expect(commands(x)[0]).toContain('ParameterKey=AccountId,ParameterValue=999988887777');
    expect(commands(x)[0]).toContain('ParameterKey=IAMPrincipal,ParameterValue=user/prowler-app');
    expect(values(x)).toContainEqual({ label: 'AccountId', value: '999988887777' });
  });

  it('EXTERNAL_ID_MISMATCH: update the stack with this installation’s External ID', () => {
    const x = g('EXTERNAL_ID_MISMATCH', {
      externalId: EXT,
      roleExternalIds: 'an-older-one',
      callerArn: 'arn:aws:iam::111122223333:user/prowler-app',
    });
    expect(x.what).toContain('an-older-one');
    expect(commands(x).some((c) => c.includes(`ParameterKey=ExternalId,ParameterValue=${EXT}`))).toBe(true);
    expect(values(x)).toContainEqual({ label: 'ExternalId', value: EXT });
  });

  it('a trust policy changed outside its stack: replace the policy, and say why update-stack would not', () => {
    const x = g('EXTERNAL_ID_MISMATCH', {
      externalId: EXT,
      callerArn: 'arn:aws:iam::111122223333:user/prowler-app',
      roleFound: 'Exists',
      stackStatus: 'UPDATE_COMPLETE',
      templateDrift: 'Changed outside CloudFormation: …',
    });
    expect(commands(x)[0]).toMatch(
      /^aws iam update-assume-role-policy --role-name ProwlerScan --policy-document '/,
    );
    expect(x.steps[0]?.text).toMatch(/No updates are to be performed/);
  });

  it('a role without a stack: replace its policy', () => {
    const x = g('TRUST_PRINCIPAL_MISMATCH', {
      callerArn: 'arn:aws:iam::111122223333:user/prowler-app',
      roleFound: 'Exists',
      stackStatus: 'not found',
    });
    expect(commands(x)[0]).toMatch(/^aws iam update-assume-role-policy/);
    expect(commands(x).some((c) => c.includes('update-stack'))).toBe(false);
  });

  it.each([
    [
      'no stack: create it with values that admit the caller',
      { stackStatus: 'not found' },
      /create-stack[\s\S]*AccountId,ParameterValue=111122223333[\s\S]*IAMPrincipal,ParameterValue=user\/prowler-app/,
    ],
    ['a failed stack: delete it first', { stackStatus: 'ROLLBACK_COMPLETE' }, /delete-stack/],
    [
      'a stack still being created: wait',
      { stackStatus: 'CREATE_IN_PROGRESS' },
      /wait stack-create-complete/,
    ],
  ] as const)('ROLE_NOT_FOUND, %s', (_label, facts, command) => {
    const x = g('ROLE_NOT_FOUND', {
      callerArn: 'arn:aws:iam::111122223333:user/prowler-app',
      roleFound: 'No such role',
      ...facts,
    });
    expect(commands(x).join('\n')).toMatch(command);
    for (const s of x.steps) if (s.command) expect(s.runIn).toBe('target-account');
  });

  it('ROLE_NOT_FOUND for a role under another path gives its real ARN', () => {
    const x = g('ROLE_NOT_FOUND', { evidenceRoleArn: 'arn:aws:iam::444455556666:role/team/ProwlerScan' });
    expect(values(x)).toContainEqual({
      label: 'Role ARN',
      value: 'arn:aws:iam::444455556666:role/team/ProwlerScan',
    });
  });
});

describe('server credentials: the steps follow how the server runs', () => {
  const SERVER_CODES: DiagnosisCode[] = [
    'SOURCE_NO_CREDENTIALS',
    'SOURCE_KEY_INVALID',
    'SOURCE_SECRET_INVALID',
    'SOURCE_TOKEN_EXPIRED',
  ];
  const EXPECTED: Record<Deployment, RegExp> = {
    node: /AWS_PROFILE=my-profile npm start[\s\S]*aws sso login --profile my-profile/,
    compose: /docker compose up -d --force-recreate api worker worker-beat/,
    ecs: /taskRoleArn[\s\S]*update-service .*--force-new-deployment/,
    ec2: /associate-iam-instance-profile/,
    kubernetes: /eks\.amazonaws\.com\/role-arn=[\s\S]*create-pod-identity-association/,
  };
  it.each(SERVER_CODES.flatMap((code) => DEPLOYMENTS.map((d) => [code, d] as const)))(
    '%s on %s',
    (code, deployment) => {
      const x = g(code, {}, { sourceKind: 'sdk-default' }, { deployment });
      expect(commands(x).join('\n')).toMatch(EXPECTED[deployment]);
      if (deployment === 'compose')
        expect(values(x).some((v) => v?.label === '.env' && v.value.includes('AWS_ACCESS_KEY_ID='))).toBe(
          true,
        );
    },
  );

  it('the CLI speaks of this shell', () => {
    const x = g(
      'SOURCE_NO_CREDENTIALS',
      {},
      { sourceKind: 'sdk-default' },
      { audience: 'cli', deployment: 'compose' },
    );
    expect(x.title).toBe('This shell has no AWS credentials');
    expect(allText(x)).not.toMatch(/server|docker|\.env/i);
    for (const s of x.steps) if (s.command) expect(s.runIn).toBe('this-shell');
  });

  it.each(['SOURCE_NO_CREDENTIALS', 'SOURCE_KEY_INVALID', 'SOURCE_CLOCK_SKEW'] as DiagnosisCode[])(
    '%s: hosted SDK default -> nothing to change in your account, contact the product',
    (code) => {
      const x = g(code, {}, { sourceKind: 'sdk-default' }, { flavour: 'hosted' });
      expect(allText(x)).toMatch(/Prowler support/);
      expect(commands(x)).toEqual([]);
    },
  );

  it('SOURCE_KEY_INVALID with access keys -> check and re-create the key of that user, in the scanner account', () => {
    const x = g('SOURCE_KEY_INVALID', { callerArn: 'arn:aws:iam::111122223333:user/prowler-app' });
    expect(x.steps.find((s) => s.command === 'aws iam list-access-keys --user-name prowler-app')?.runIn).toBe(
      'scanner-account',
    );
    expect(allText(x)).not.toMatch(/docker/);
  });

  it('SOURCE_CLOCK_SKEW self-hosted -> fix the host clock', () => {
    expect(commands(g('SOURCE_CLOCK_SKEW'))).toContain('sudo timedatectl set-ntp true');
  });
});

describe('other causes', () => {
  it('CALLER_NOT_PERMITTED gives the identity policy for that user or role, in the scanner account', () => {
    const forUser = g('CALLER_NOT_PERMITTED', {
      callerArn: 'arn:aws:iam::111122223333:user/prowler-app',
      roleArn: ROLE_ARN,
    });
    const cmd = commands(forUser)[0] ?? '';
    expect(cmd).toMatch(/^aws iam put-user-policy --user-name prowler-app /);
    expect(forUser.steps[0]?.runIn).toBe('scanner-account');
    const doc = JSON.parse(cmd.slice(cmd.indexOf("'") + 1, cmd.lastIndexOf("'")));
    expect(doc.Statement[0]).toEqual({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: ROLE_ARN });
    const forRole = g('CALLER_NOT_PERMITTED', {
      callerArn: 'arn:aws:sts::111122223333:assumed-role/scanner/s',
    });
    expect(commands(forRole)[0]).toMatch(/^aws iam put-role-policy --role-name scanner /);
  });

  it('EXPLICIT_DENY by an SCP points at the organization’s policies, run in its management account', () => {
    const x = g('EXPLICIT_DENY', { policyType: 'service control policy', callerAccountId: '111122223333' });
    expect(x.title).toMatch(/service control policy/);
    expect(x.steps[0]).toMatchObject({
      command:
        'aws organizations list-policies-for-target --target-id 111122223333 --filter SERVICE_CONTROL_POLICY',
      runIn: 'organization-management',
    });
  });

  it('DURATION_EXCEEDS_MAX: role chaining caps at one hour; otherwise change the stack, not the role', () => {
    const chained = g('DURATION_EXCEEDS_MAX', {
      durationSeconds: '7200',
      maxSessionDuration: '3600',
      callerArn: 'arn:aws:sts::1:assumed-role/r/s',
      roleChaining: 'The caller is a role session',
    });
    expect(chained.what).toMatch(/role-chaining cap/);
    expect(commands(chained)).toEqual([]);
    const user = g('DURATION_EXCEEDS_MAX', {
      durationSeconds: '7200',
      maxSessionDuration: '3600',
      callerArn: 'arn:aws:iam::111122223333:user/u',
    });
    expect(commands(user).some((c) => c.includes('update-role'))).toBe(false);
    // The downloaded template says 3600: sent unchanged, CloudFormation would have nothing to do.
    expect(commands(user)[0]).toMatch(
      /^sed 's\/MaxSessionDuration: \[0-9\]\*\/MaxSessionDuration: 7200\/' prowler-scan-role\.yaml > prowler-scan-role-max-7200\.yaml && aws cloudformation update-stack /,
    );
    expect(commands(user)[0]).toContain('--template-body file://prowler-scan-role-max-7200.yaml');
    expect(commands(user)[1]).toBe(
      'aws cloudformation wait stack-update-complete --region eu-west-1 --stack-name ProwlerScan',
    );
    expect(user.steps[1]?.text).toMatch(/MaxSessionDuration 7200/);
    expect(values(user)).toContainEqual({ label: 'Duration (seconds)', value: '3600' });
  });

  it('PERMISSIONS_INCOMPLETE attaches exactly the missing policies, in the role’s partition', () => {
    const x = g('PERMISSIONS_INCOMPLETE', {
      missingPolicies: 'SecurityAudit',
      roleArn: 'arn:aws-us-gov:iam::444455556666:role/ProwlerScan',
    });
    expect(commands(x)).toEqual([
      'aws iam attach-role-policy --role-name ProwlerScan --policy-arn arn:aws-us-gov:iam::aws:policy/SecurityAudit',
    ]);
  });

  it('PERMISSIONS_INCOMPLETE without the additions policy puts it back directly (update-stack would not)', () => {
    const x = g('PERMISSIONS_INCOMPLETE', { missingPolicies: 'ProwlerScanAdditions' });
    const cmd = commands(x)[0] ?? '';
    expect(cmd).toMatch(
      /^aws iam put-role-policy --role-name ProwlerScan --policy-name ProwlerScanAdditions --policy-document '/,
    );
    expect(JSON.parse(cmd.slice(cmd.indexOf("'") + 1, cmd.lastIndexOf("'")))).toEqual(
      additionsPolicyDocument,
    );
    expect(x.steps[0]?.text).toMatch(/No updates are to be performed/);
  });

  it('EXTERNAL_ID_NOT_ENFORCED leads with update-assume-role-policy, built from the caller that just worked', () => {
    const x = g('EXTERNAL_ID_NOT_ENFORCED', {
      externalId: EXT,
      // Entered role/prowler*, but the scanner connected as a user: the policy must admit the user.
      trustedAccountId: '111122223333',
      iamPrincipal: 'role/prowler*',
      callerArn: 'arn:aws:iam::111122223333:user/prowler-app',
      roleArn: ROLE_ARN,
    });
    const cmd = commands(x)[0] ?? '';
    expect(cmd).toMatch(/^aws iam update-assume-role-policy --role-name ProwlerScan --policy-document '/);
    expect(x.steps[0]?.runIn).toBe('target-account');
    expect(x.steps[0]?.text).toMatch(/No updates are to be performed/);
    const policy = JSON.parse(cmd.slice(cmd.indexOf("'") + 1, cmd.lastIndexOf("'")));
    expect(policy).toEqual(
      trustPolicyFor({
        partition: 'aws',
        trustedAccountId: '111122223333',
        iamPrincipal: 'user/prowler-app',
        externalId: EXT,
      }),
    );
    const ask = (externalId?: string) =>
      evaluate(policy, {
        principalArn: 'arn:aws:iam::111122223333:user/prowler-app',
        context: externalId ? { 'sts:ExternalId': externalId } : {},
      }).decision;
    expect(ask(EXT)).toBe('allow');
    expect(ask()).toBe('deny');
    expect(commands(x)[1]).toBe(
      'aws cloudformation detect-stack-drift --region eu-west-1 --stack-name ProwlerScan',
    );
  });

  it('STS_TIMEOUT self-hosted names the timeout setting; hosted does not', () => {
    const self = g('STS_TIMEOUT', { timeoutMs: '10000', endpoint: 'https://sts.eu-west-1.amazonaws.com' });
    expect(allText(self)).toMatch(/AWS_CONNECT_AWS_TIMEOUT_MS/);
    expect(allText(g('STS_TIMEOUT', {}, {}, { flavour: 'hosted' }))).not.toMatch(
      /AWS_CONNECT_AWS_TIMEOUT_MS/,
    );
  });

  it('uses the configured product name', () => {
    expect(g('OK', { roleArn: ROLE_ARN }, {}, { productName: 'Acme Scanner' }).what).toMatch(
      /^Acme Scanner assumed/,
    );
  });

  it('uses the stack name entered, in every command', () => {
    const x = g('TRUST_PRINCIPAL_MISMATCH', {
      callerArn: 'arn:aws:iam::111122223333:user/prowler-app',
      stackName: 'scan-role-prod',
    });
    expect(commands(x)[0]).toContain('--stack-name scan-role-prod');
    expect(allText(x)).not.toMatch(/Replace ProwlerScan/);
  });
});
