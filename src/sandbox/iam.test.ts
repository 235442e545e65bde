import {
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADDITIONS_POLICY_NAME,
  additionsPolicyDocument,
  managedPolicyArns,
  trustPolicyFor,
} from '../domain/template/role-template.ts';
import { type SandboxHandle, startSandbox } from './server.ts';
import { expectAwsError, iam, type Keys, signedPost, sts } from './test-clients.ts';
import { EXTERNAL_ID, KEYS, roleArn, testScenario } from './test-scenario.ts';

// The IAM reads of the permission audit, through @aws-sdk/client-iam with the assumed credentials:
// the roles a stack deploys are the product's own template (role-template.ts), documents URL-encoded.

let sb: SandboxHandle;
beforeAll(async () => {
  sb = await startSandbox({ scenario: testScenario(), externalId: EXTERNAL_ID });
});
afterAll(() => sb.close());

async function sessionIn(account: string): Promise<Keys> {
  const out = await sts(sb.url, KEYS.scanner).send(
    new AssumeRoleCommand({ RoleArn: roleArn(account), RoleSessionName: 'audit', ExternalId: EXTERNAL_ID }),
  );
  const c = out.Credentials;
  return {
    accessKeyId: c?.AccessKeyId ?? '',
    secretAccessKey: c?.SecretAccessKey ?? '',
    sessionToken: c?.SessionToken ?? '',
  };
}

describe('IAM reads with assumed credentials', () => {
  it('GetRole returns the deployed role with its trust policy URL-encoded', async () => {
    const { Role } = await iam(sb.url, await sessionIn('222222222222')).send(
      new GetRoleCommand({ RoleName: 'ProwlerScan' }),
    );
    expect(Role).toMatchObject({
      Path: '/',
      RoleName: 'ProwlerScan',
      Arn: roleArn('222222222222'),
      MaxSessionDuration: 3600,
    });
    expect(Role?.RoleId).toMatch(/^AROA/);
    expect(Role?.CreateDate).toBeInstanceOf(Date);
    expect(Role?.AssumeRolePolicyDocument).toMatch(/^%7B%22/);
    const trust = JSON.parse(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? ''));
    expect(trust).toEqual(
      trustPolicyFor({
        partition: 'aws',
        trustedAccountId: '111111111111',
        iamPrincipal: 'user/prowler-app',
        externalId: EXTERNAL_ID,
      }),
    );
  });

  it.each([
    ['222222222222', ['SecurityAudit', 'ViewOnlyAccess'], managedPolicyArns('aws')],
    [
      '666666666666',
      ['ViewOnlyAccess'],
      managedPolicyArns('aws').filter((a) => !a.endsWith('/SecurityAudit')),
    ],
  ])('ListAttachedRolePolicies in %s', async (account, names, arns) => {
    const out = await iam(sb.url, await sessionIn(account)).send(
      new ListAttachedRolePoliciesCommand({ RoleName: 'ProwlerScan' }),
    );
    expect(out.AttachedPolicies?.map((p) => p.PolicyName)).toEqual(names);
    expect(out.AttachedPolicies?.map((p) => p.PolicyArn)).toEqual(arns);
    expect(out.IsTruncated).toBe(false);
  });

  it('ListRolePolicies and GetRolePolicy return the additions policy, URL-encoded', async () => {
    const client = iam(sb.url, await sessionIn('222222222222'));
    const list = await client.send(new ListRolePoliciesCommand({ RoleName: 'ProwlerScan' }));
    expect(list.PolicyNames).toEqual([ADDITIONS_POLICY_NAME]);
    const got = await client.send(
      new GetRolePolicyCommand({ RoleName: 'ProwlerScan', PolicyName: ADDITIONS_POLICY_NAME }),
    );
    expect(got).toMatchObject({ RoleName: 'ProwlerScan', PolicyName: ADDITIONS_POLICY_NAME });
    expect(JSON.parse(decodeURIComponent(got.PolicyDocument ?? ''))).toEqual(additionsPolicyDocument);
  });

  it('GetRole shows a trust policy edited after deployment (drift)', async () => {
    const { Role } = await iam(sb.url, await sessionIn('777777777777')).send(
      new GetRoleCommand({ RoleName: 'ProwlerScan' }),
    );
    const trust = JSON.parse(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? ''));
    expect(JSON.stringify(trust)).not.toContain('sts:ExternalId');
  });

  it.each([
    [new GetRoleCommand({ RoleName: 'Nope' }), 'The role with name Nope cannot be found.'],
    [new ListAttachedRolePoliciesCommand({ RoleName: 'Nope' }), 'The role with name Nope cannot be found.'],
    [
      new GetRolePolicyCommand({ RoleName: 'ProwlerScan', PolicyName: 'Nope' }),
      'The role policy with name Nope cannot be found.',
    ],
  ])('answers NoSuchEntity (404): %#', async (command, message) => {
    const client = iam(sb.url, await sessionIn('222222222222'));
    await expectAwsError(client.send(command as GetRoleCommand), {
      name: 'NoSuchEntityException', // the SDK's modelled name for IAM's NoSuchEntity code
      status: 404,
      message,
    });
  });

  it('answers ExpiredToken (403) and errors in the IAM namespace', async () => {
    await expectAwsError(iam(sb.url, KEYS.expired).send(new GetRoleCommand({ RoleName: 'prowler-worker' })), {
      name: 'ExpiredToken',
      status: 403,
    });
    const res = await signedPost(sb.url, 'Action=GetRole&Version=2010-05-08&RoleName=Nope', KEYS.admin222, {
      service: 'iam',
    });
    expect(res.status).toBe(404);
    expect(res.text).toMatch(
      /^<ErrorResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><Error><Type>Sender<\/Type><Code>NoSuchEntity<\/Code>/,
    );
  });
});
