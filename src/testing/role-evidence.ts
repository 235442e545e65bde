import { DOCTOR_FORMAT } from '../domain/diagnosis/role-evidence.ts';
import {
  ADDITIONS_POLICY_NAME,
  additionsPolicyDocument,
  managedPolicyArns,
  trustPolicyFor,
} from '../domain/template/role-template.ts';
import type { SandboxWorld } from '../sandbox/world.ts';

// Role evidence as the target account would print it, built from the template's own trust policy
// for given stack parameters: what `aws iam get-role` prints, and what the trust doctor prints.

export interface StackParams {
  ExternalId: string;
  AccountId: string;
  IAMPrincipal: string;
}

export function roleArnOf(account: string, name = 'ProwlerScan', path = '/') {
  return `arn:aws:iam::${account}:role${path}${name}`;
}

/** `aws iam get-role --role-name NAME` output (the CLI decodes the policy document). */
export function getRoleOutput(
  account: string,
  params: StackParams,
  opts: { name?: string; path?: string; trustPolicy?: unknown; encoded?: boolean } = {},
) {
  const name = opts.name ?? 'ProwlerScan';
  const path = opts.path ?? '/';
  const policy =
    opts.trustPolicy ??
    trustPolicyFor({
      partition: 'aws',
      trustedAccountId: params.AccountId,
      iamPrincipal: params.IAMPrincipal,
      externalId: params.ExternalId,
    });
  return {
    Role: {
      Path: path,
      RoleName: name,
      RoleId: 'AROAEXAMPLEEXAMPLE01',
      Arn: roleArnOf(account, name, path),
      CreateDate: '2030-01-01T00:00:00Z',
      AssumeRolePolicyDocument: opts.encoded ? encodeURIComponent(JSON.stringify(policy)) : policy,
      MaxSessionDuration: 3600,
      Tags: [{ Key: 'team', Value: 'security' }],
    },
  };
}

/** The trust doctor's output for a role deployed by stack ProwlerScan with these parameters. */
export function doctorOutput(
  account: string,
  params: StackParams,
  opts: { missing?: boolean; trustPolicy?: unknown; stackStatus?: string } = {},
) {
  const notFound = (op: string) => ({
    error: ` An error occurred (NoSuchEntity) when calling the ${op} operation: The role with name ProwlerScan cannot be found. `,
  });
  return {
    awsConnectDoctor: DOCTOR_FORMAT,
    roleName: 'ProwlerScan',
    stackName: 'ProwlerScan',
    region: 'us-east-1',
    getRole: opts.missing ? notFound('GetRole') : getRoleOutput(account, params, opts),
    attachedPolicies: opts.missing
      ? notFound('ListAttachedRolePolicies')
      : {
          AttachedPolicies: managedPolicyArns('aws').map((arn) => ({
            PolicyName: arn.split('/').pop(),
            PolicyArn: arn,
          })),
        },
    inlinePolicies: opts.missing ? notFound('ListRolePolicies') : { PolicyNames: [ADDITIONS_POLICY_NAME] },
    additions: opts.missing
      ? notFound('GetRolePolicy')
      : {
          RoleName: 'ProwlerScan',
          PolicyName: ADDITIONS_POLICY_NAME,
          PolicyDocument: additionsPolicyDocument,
        },
    stack:
      opts.missing && !opts.stackStatus
        ? {
            error:
              ' An error occurred (ValidationError) when calling the DescribeStacks operation: Stack with id ProwlerScan does not exist ',
          }
        : {
            Stacks: [
              {
                StackName: 'ProwlerScan',
                StackStatus: opts.stackStatus ?? 'CREATE_COMPLETE',
                Parameters: Object.entries(params).map(([ParameterKey, ParameterValue]) => ({
                  ParameterKey,
                  ParameterValue,
                })),
                Outputs: [{ OutputKey: 'RoleArn', OutputValue: roleArnOf(account) }],
                DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
              },
            ],
          },
    drifts: { StackResourceDrifts: [] },
  };
}

export const NO_SUCH_ENTITY =
  'An error occurred (NoSuchEntity) when calling the GetRole operation: The role with name ProwlerScan cannot be found.';

/**
 * `aws iam get-role` output for a role of the sandbox, read from the sandbox's own state: the
 * evidence a user of the demo would paste, built from the scenario instead of typed by the test.
 */
export function getRoleFromSandbox(world: SandboxWorld, accountId: string, name = 'ProwlerScan'): string {
  const role = world.role(accountId, name);
  if (!role)
    return `An error occurred (NoSuchEntity) when calling the GetRole operation: The role with name ${name} cannot be found.`;
  return JSON.stringify(
    {
      Role: {
        Path: role.path,
        RoleName: role.name,
        RoleId: role.id,
        Arn: role.arn,
        CreateDate: role.createDate,
        AssumeRolePolicyDocument: role.trustPolicy,
        MaxSessionDuration: role.maxSessionDuration,
      },
    },
    null,
    4,
  );
}
