import {
  ADDITIONS_POLICY_NAME,
  additionsPolicyDocument,
  buildRoleTemplate,
  DEFAULT_ROLE_NAME,
  managedPolicyArns,
  ROLE_LOGICAL_ID,
  TEMPLATE_VERSION_TAG,
  trustPolicyFor,
} from '../domain/template/role-template.ts';
import { DeployError, isoSeconds, type RoleState, roleIdentity, statementsOf } from './model.ts';
import type { StackSpec } from './scenario.ts';

// A stack is the product's own template (src/domain/template/role-template.ts) deployed with three
// parameters: the role it creates has the template's trust policy, managed policies, additions
// policy and MaxSessionDuration, never a copy of them. `drift` then applies changes made outside
// CloudFormation (a detached policy, an edited trust policy), to illustrate broken setups.

const TEMPLATE_FIELDS: Record<string, string> = {
  externalId: 'parameters.ExternalId',
  trustedAccountId: 'parameters.AccountId',
  iamPrincipal: 'parameters.IAMPrincipal',
  roleName: 'roleName',
};

export type StackInput = Pick<StackSpec, 'name' | 'roleName' | 'parameters' | 'drift'>;

/** The role a stack creates; throws DeployError where CloudFormation would refuse the parameters. */
export function roleFromStack(args: {
  partition: string;
  accountId: string;
  stack: StackInput;
  now: number;
  assumableAt: number;
}): RoleState {
  const { partition, accountId, stack } = args;
  const { ExternalId, AccountId, IAMPrincipal } = stack.parameters;
  let props: { RoleName: string; MaxSessionDuration: number; Tags: { Key: string; Value: string }[] };
  try {
    // The template checks its parameters as CloudFormation's AllowedPattern would.
    props = buildRoleTemplate({
      externalId: ExternalId,
      trustedAccountId: AccountId,
      iamPrincipal: IAMPrincipal,
      roleName: stack.roleName ?? DEFAULT_ROLE_NAME,
    }).Resources[ROLE_LOGICAL_ID].Properties;
  } catch (e) {
    const message = (e as Error).message;
    const field = TEMPLATE_FIELDS[message.split(':')[0] ?? ''] ?? 'parameters';
    throw new DeployError(message.replace(/^\w+: /, ''), field);
  }
  const drift = stack.drift ?? {};
  const detached = new Set(drift.detachManagedPolicies ?? []);
  const inline = [
    { name: ADDITIONS_POLICY_NAME, document: additionsPolicyDocument as Record<string, unknown> },
    ...(drift.addInlinePolicies ?? []),
  ].filter((p) => !drift.deleteInlinePolicies?.includes(p.name));
  const tags = props.Tags.flatMap((t) => {
    if (t.Key !== TEMPLATE_VERSION_TAG || drift.templateVersion === undefined) return [t];
    return drift.templateVersion === null ? [] : [{ Key: t.Key, Value: drift.templateVersion }];
  });
  return {
    ...roleIdentity(partition, accountId, props.RoleName, '/'),
    createDate: isoSeconds(args.now),
    trustPolicy:
      drift.trustPolicy ??
      trustPolicyFor({
        partition,
        trustedAccountId: AccountId,
        iamPrincipal: IAMPrincipal,
        externalId: ExternalId,
      }),
    managedPolicyArns: managedPolicyArns(partition).filter(
      (arn) => !detached.has(arn) && !detached.has(arn.replace(/^arn:[^:]+:iam::aws:policy\//, '')),
    ),
    inlinePolicies: inline,
    statements: statementsOf(inline),
    maxSessionDuration: drift.maxSessionDuration ?? props.MaxSessionDuration,
    tags,
    stackName: stack.name,
    assumableAt: args.assumableAt,
  };
}
