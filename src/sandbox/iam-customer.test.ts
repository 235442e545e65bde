import {
  AttachRolePolicyCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { trustPolicyFor } from '../domain/template/role-template.ts';
import { type SandboxHandle, startSandbox } from './server.ts';
import { expectAwsError, iam, type Keys, sts } from './test-clients.ts';
import { EXTERNAL_ID, KEYS, roleArn, testScenario } from './test-scenario.ts';

// The customer's side of IAM through @aws-sdk/client-iam: the account's administrator reads and
// changes the role, and STS enforces what it changed. Other callers get AccessDenied as in AWS.

let sb: SandboxHandle;
beforeAll(async () => {
  sb = await startSandbox({ scenario: testScenario(), externalId: EXTERNAL_ID });
});
beforeEach(() => sb.world.reset());
afterAll(() => sb.close());

const admin = (account: '222' | '333' | '777' | '123') => iam(sb.url, KEYS[`admin${account}`]);
const assume = (account: string, extra: { ExternalId?: string; DurationSeconds?: number } = {}) =>
  sts(sb.url, KEYS.scanner).send(
    new AssumeRoleCommand({
      RoleArn: roleArn(account),
      RoleSessionName: 'customer-test',
      ExternalId: EXTERNAL_ID,
      ...extra,
    }),
  );
const scannerTrust = trustPolicyFor({
  partition: 'aws',
  trustedAccountId: '111111111111',
  iamPrincipal: 'user/prowler-app',
  externalId: EXTERNAL_ID,
});

async function sessionKeys(account: string): Promise<Keys> {
  const c = (await assume(account)).Credentials;
  return {
    accessKeyId: c?.AccessKeyId ?? '',
    secretAccessKey: c?.SecretAccessKey ?? '',
    sessionToken: c?.SessionToken ?? '',
  };
}

describe('IAM reads by the administrator', () => {
  it('GetRole: trust policy URL-encoded, MaxSessionDuration, Description, Tags, RoleLastUsed after an AssumeRole', async () => {
    const before = await admin('222').send(new GetRoleCommand({ RoleName: 'ProwlerScan' }));
    expect(before.Role?.AssumeRolePolicyDocument).toMatch(/^%7B%22/);
    expect(JSON.parse(decodeURIComponent(before.Role?.AssumeRolePolicyDocument ?? ''))).toEqual(scannerTrust);
    expect(before.Role).toMatchObject({
      MaxSessionDuration: 3600,
      Description: 'Assumed by the security scanner to read this account (read-only).',
    });
    expect(before.Role?.RoleLastUsed).toEqual({});
    await assume('222222222222');
    const after = await admin('222').send(new GetRoleCommand({ RoleName: 'ProwlerScan' }));
    expect(after.Role?.RoleLastUsed?.Region).toBe('us-east-1');
    expect(after.Role?.RoleLastUsed?.LastUsedDate).toBeInstanceOf(Date);
    const tagged = await admin('123').send(new GetRoleCommand({ RoleName: 'RootOnly' }));
    expect(tagged.Role?.Tags).toEqual([{ Key: 'team', Value: 'security' }]);
    expect(tagged.Role?.MaxSessionDuration).toBe(7200);
  });

  it('ListAttachedRolePolicies, ListRolePolicies, GetRolePolicy, ListRoleTags', async () => {
    const c = admin('123');
    const attached = await admin('222').send(
      new ListAttachedRolePoliciesCommand({ RoleName: 'ProwlerScan' }),
    );
    expect(attached.AttachedPolicies?.map((p) => p.PolicyName)).toEqual(['SecurityAudit', 'ViewOnlyAccess']);
    const names = await admin('222').send(new ListRolePoliciesCommand({ RoleName: 'ProwlerScan' }));
    expect(names.PolicyNames).toEqual(['ProwlerScanAdditions']);
    const doc = await admin('222').send(
      new GetRolePolicyCommand({ RoleName: 'ProwlerScan', PolicyName: 'ProwlerScanAdditions' }),
    );
    expect(decodeURIComponent(doc.PolicyDocument ?? '')).toContain('ReadOnlyAdditions');
    expect((await c.send(new ListRoleTagsCommand({ RoleName: 'RootOnly' }))).Tags).toEqual([
      { Key: 'team', Value: 'security' },
    ]);
    expect((await c.send(new ListRoleTagsCommand({ RoleName: 'LongSession' }))).Tags).toEqual([]);
  });

  it.each([
    ['GetRole', new GetRoleCommand({ RoleName: 'Nope' })],
    ['ListAttachedRolePolicies', new ListAttachedRolePoliciesCommand({ RoleName: 'Nope' })],
    ['ListRolePolicies', new ListRolePoliciesCommand({ RoleName: 'Nope' })],
    ['ListRoleTags', new ListRoleTagsCommand({ RoleName: 'Nope' })],
    ['UpdateAssumeRolePolicy', new UpdateAssumeRolePolicyCommand({ RoleName: 'Nope', PolicyDocument: '{}' })],
    ['UpdateRole', new UpdateRoleCommand({ RoleName: 'Nope', MaxSessionDuration: 3600 })],
  ])('%s of a missing role: NoSuchEntity with IAM’s message', async (_, command) => {
    await expectAwsError(admin('222').send(command as GetRoleCommand), {
      name: 'NoSuchEntityException',
      status: 404,
      message: 'The role with name Nope cannot be found.',
    });
  });
});

describe('IAM writes change what STS enforces', () => {
  it('UpdateAssumeRolePolicy: 333 refuses the scanner until its trust names user/prowler-app', async () => {
    await expectAwsError(assume('333333333333'), { name: 'AccessDenied', status: 403 });
    await admin('333').send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: 'ProwlerScan',
        PolicyDocument: JSON.stringify(scannerTrust),
      }),
    );
    expect((await assume('333333333333')).AssumedRoleUser?.Arn).toBe(
      'arn:aws:sts::333333333333:assumed-role/ProwlerScan/customer-test',
    );
  });

  it('UpdateAssumeRolePolicy: 777 admits the scanner without an External ID until the condition is back', async () => {
    await expect(assume('777777777777', { ExternalId: undefined })).resolves.toBeDefined();
    await admin('777').send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: 'ProwlerScan',
        PolicyDocument: JSON.stringify(scannerTrust),
      }),
    );
    await expectAwsError(assume('777777777777', { ExternalId: undefined }), {
      name: 'AccessDenied',
      status: 403,
    });
    await expect(assume('777777777777')).resolves.toBeDefined();
  });

  it.each([
    ['invalid JSON', '{"Version":', 'MalformedPolicyDocument', 'This policy contains invalid Json'],
    [
      'a wildcard in a principal ARN',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::111111111111:role/prowler*' },
            Action: 'sts:AssumeRole',
          },
        ],
      }),
      'MalformedPolicyDocument',
      'Invalid principal in policy: "AWS":"arn:aws:iam::111111111111:role/prowler*"',
    ],
    [
      'a user that does not exist',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::111111111111:user/nobody' },
            Action: 'sts:AssumeRole',
          },
        ],
      }),
      'MalformedPolicyDocument',
      'Invalid principal in policy: "AWS":"arn:aws:iam::111111111111:user/nobody"',
    ],
  ])('UpdateAssumeRolePolicy refuses %s, and the trust stays', async (_, document, name, message) => {
    await expectAwsError(
      admin('222').send(
        new UpdateAssumeRolePolicyCommand({ RoleName: 'ProwlerScan', PolicyDocument: document }),
      ),
      { name: `${name}Exception`, status: 400, message },
    );
    await expect(assume('222222222222')).resolves.toBeDefined();
  });

  it('AttachRolePolicy and DetachRolePolicy change what the audit reads; unknown or unattached policies are NoSuchEntity', async () => {
    const c = admin('222');
    const security = 'arn:aws:iam::aws:policy/SecurityAudit';
    await c.send(new DetachRolePolicyCommand({ RoleName: 'ProwlerScan', PolicyArn: security }));
    const audit = iam(sb.url, await sessionKeys('222222222222'));
    const names = async () =>
      (
        await audit.send(new ListAttachedRolePoliciesCommand({ RoleName: 'ProwlerScan' }))
      ).AttachedPolicies?.map((p) => p.PolicyName);
    expect(await names()).toEqual(['ViewOnlyAccess']);
    await expectAwsError(
      c.send(new DetachRolePolicyCommand({ RoleName: 'ProwlerScan', PolicyArn: security })),
      {
        name: 'NoSuchEntityException',
        status: 404,
        message: `Policy ${security} was not found.`,
      },
    );
    await c.send(new AttachRolePolicyCommand({ RoleName: 'ProwlerScan', PolicyArn: security }));
    await c.send(new AttachRolePolicyCommand({ RoleName: 'ProwlerScan', PolicyArn: security })); // idempotent
    expect(await names()).toEqual(['ViewOnlyAccess', 'SecurityAudit']);
    // ViewOnlyAccess lives under job-function/: the short ARN does not exist.
    await expectAwsError(
      c.send(
        new AttachRolePolicyCommand({
          RoleName: 'ProwlerScan',
          PolicyArn: 'arn:aws:iam::aws:policy/ViewOnlyAccess',
        }),
      ),
      {
        name: 'NoSuchEntityException',
        status: 404,
        message: 'Policy arn:aws:iam::aws:policy/ViewOnlyAccess does not exist or is not attachable.',
      },
    );
    await expectAwsError(
      c.send(new AttachRolePolicyCommand({ RoleName: 'ProwlerScan', PolicyArn: 'SecurityAudit' })),
      {
        name: 'InvalidInputException',
        status: 400,
        message: 'ARN SecurityAudit is not valid.',
      },
    );
  });

  it('PutRolePolicy and DeleteRolePolicy: the inline policy appears and goes', async () => {
    const c = admin('222');
    const document = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:List*', Resource: '*' }],
    });
    await c.send(
      new PutRolePolicyCommand({ RoleName: 'ProwlerScan', PolicyName: 'Extra', PolicyDocument: document }),
    );
    const got = await c.send(new GetRolePolicyCommand({ RoleName: 'ProwlerScan', PolicyName: 'Extra' }));
    expect(JSON.parse(decodeURIComponent(got.PolicyDocument ?? ''))).toEqual(JSON.parse(document));
    expect((await c.send(new ListRolePoliciesCommand({ RoleName: 'ProwlerScan' }))).PolicyNames).toEqual([
      'ProwlerScanAdditions',
      'Extra',
    ]);
    await c.send(new DeleteRolePolicyCommand({ RoleName: 'ProwlerScan', PolicyName: 'Extra' }));
    await expectAwsError(c.send(new GetRolePolicyCommand({ RoleName: 'ProwlerScan', PolicyName: 'Extra' })), {
      name: 'NoSuchEntityException',
      status: 404,
      message: 'The role policy with name Extra cannot be found.',
    });
  });

  it('UpdateRole MaxSessionDuration: a 2 h session is refused, then granted; out-of-range values are refused', async () => {
    await expectAwsError(assume('222222222222', { DurationSeconds: 7200 }), {
      name: 'ValidationError',
      status: 400,
    });
    await admin('222').send(new UpdateRoleCommand({ RoleName: 'ProwlerScan', MaxSessionDuration: 7200 }));
    await expect(assume('222222222222', { DurationSeconds: 7200 })).resolves.toBeDefined();
    await expectAwsError(
      admin('222').send(new UpdateRoleCommand({ RoleName: 'ProwlerScan', MaxSessionDuration: 100 })),
      {
        name: 'ValidationError',
        status: 400,
        message:
          "1 validation error detected: Value '100' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600",
      },
    );
  });
});

describe('who may call IAM', () => {
  it('the scanner’s user reads nothing and changes nothing, in its own account or another', async () => {
    await expectAwsError(iam(sb.url, KEYS.scanner).send(new GetRoleCommand({ RoleName: 'prowler-worker' })), {
      name: 'AccessDenied',
      status: 403,
      message:
        'User: arn:aws:iam::111111111111:user/prowler-app is not authorized to perform: iam:GetRole on resource: role prowler-worker because no identity-based policy allows the iam:GetRole action',
    });
  });

  it('the scanner’s assumed session reads the role but cannot change it', async () => {
    const session = iam(sb.url, await sessionKeys('222222222222'));
    await expect(session.send(new GetRoleCommand({ RoleName: 'ProwlerScan' }))).resolves.toBeDefined();
    await expectAwsError(
      session.send(
        new UpdateAssumeRolePolicyCommand({
          RoleName: 'ProwlerScan',
          PolicyDocument: JSON.stringify(scannerTrust),
        }),
      ),
      {
        name: 'AccessDenied',
        status: 403,
        message:
          'User: arn:aws:sts::222222222222:assumed-role/ProwlerScan/customer-test is not authorized to perform: iam:UpdateAssumeRolePolicy on resource: role ProwlerScan because no identity-based policy allows the iam:UpdateAssumeRolePolicy action',
      },
    );
  });

  it('an administrator acts on its own account only: 333’s admin changing "ProwlerScan" leaves 444 as it was', async () => {
    await admin('333').send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: 'ProwlerScan',
        PolicyDocument: JSON.stringify(scannerTrust),
      }),
    );
    await expectAwsError(assume('444444444444'), { name: 'AccessDenied', status: 403 });
  });
});
