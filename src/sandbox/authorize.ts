import { contextFrom } from '../domain/trust/conditions.ts';
import { accessDenied, type Service } from './errors.ts';
import type { Caller } from './model.ts';
import { decide } from './policy-match.ts';
import { callerArn, principalArn, principalType } from './principals.ts';
import type { SandboxWorld } from './world.ts';

// Who may call the IAM and CloudFormation actions, decided as AWS decides a same-account call:
// the root user may do anything; an IAM user needs an identity policy that allows the action (the
// account's administrator has one for "*"); a role session has its role's inline policies and, as
// a stand-in for the read-only part of SecurityAudit (managed policy contents are not modelled),
// the reads the permission audit and a look at the stack make. Otherwise AccessDenied, with AWS's
// wording. STS decides its own calls (sts-actions.ts).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// https://docs.aws.amazon.com/aws-managed-policy/latest/reference/SecurityAudit.html

const SESSION_READS = new Set([
  'iam:GetRole',
  'iam:ListAttachedRolePolicies',
  'iam:ListRolePolicies',
  'iam:GetRolePolicy',
  'iam:ListRoleTags',
  'cloudformation:DescribeStacks',
  'cloudformation:DescribeStackResources',
  'cloudformation:GetTemplate',
  'cloudformation:DescribeStackResourceDrifts',
  'cloudformation:DescribeStackDriftDetectionStatus',
]);

/** The resource an action acts on: ARN for the policy match, and the wording of the refusal. */
export function resourceOf(
  world: SandboxWorld,
  caller: Caller,
  service: Service,
  params: URLSearchParams,
  region: string,
): { arn: string; shown: string } {
  const p = world.partition;
  const a = caller.accountId;
  if (service === 'iam') {
    const name = params.get('RoleName') ?? '*';
    return { arn: `arn:${p}:iam::${a}:role/${name}`, shown: `role ${name}` };
  }
  const stack = params.get('StackName');
  const arn =
    stack?.startsWith('arn:') === true
      ? stack
      : `arn:${p}:cloudformation:${region}:${a}:stack/${stack ?? '*'}/*`;
  return { arn, shown: arn };
}

export function authorize(
  world: SandboxWorld,
  caller: Caller,
  service: Service,
  action: string,
  params: URLSearchParams,
  region: string,
): void {
  if (service === 'sts' || caller.kind === 'root') return;
  const name = `${service}:${action}`;
  const resource = resourceOf(world, caller, service, params, region);
  if (caller.kind === 'session' && SESSION_READS.has(name)) return;
  const context = contextFrom({
    'aws:PrincipalArn': principalArn(caller, world.partition),
    'aws:PrincipalAccount': caller.accountId,
    'aws:PrincipalType': principalType(caller),
    'aws:RequestedRegion': region,
    'aws:SecureTransport': true,
  });
  const decision = decide(world.identityStatements(caller), name, resource.arn, context);
  if (decision === 'allow') return;
  const why =
    decision === 'explicit-deny'
      ? 'with an explicit deny in an identity-based policy'
      : `because no identity-based policy allows the ${name} action`;
  throw accessDenied(
    `User: ${callerArn(caller, world.partition)} is not authorized to perform: ${name} on resource: ${resource.shown} ${why}`,
  );
}
