import {
  buildRoleTemplate,
  DEFAULT_ROLE_NAME,
  renderTemplate,
  TEMPLATE_VERSION_TAG,
} from '../domain/template/role-template.ts';
import { parseTemplate, renderRole, resolveParameters } from './cfn-template.ts';
import { roleFromProps, type StackHost } from './cloudformation.ts';
import { AwsError } from './errors.ts';
import { DeployError, type RoleState, statementsOf } from './model.ts';
import type { StackSpec } from './scenario.ts';
import type { StackState } from './stack-state.ts';

// A stack of the scenario (or of the admin API's deploy) is the product's own template
// (src/domain/template/role-template.ts), downloaded with the three parameters as defaults and
// deployed with them, read by the sandbox's CloudFormation (cfn-template.ts): the role it creates
// has the template's trust policy, managed policies, additions policy and MaxSessionDuration,
// never a copy of them. `drift` then applies changes made outside CloudFormation (a detached
// policy, an edited trust policy), to illustrate broken setups; drift detection sees them.

const TEMPLATE_FIELDS: Record<string, string> = {
  externalId: 'parameters.ExternalId',
  trustedAccountId: 'parameters.AccountId',
  iamPrincipal: 'parameters.IAMPrincipal',
  roleName: 'roleName',
};

export type StackInput = Pick<StackSpec, 'name' | 'roleName' | 'parameters' | 'drift'> & { region?: string };

/** The stack and the role it creates; throws DeployError where CloudFormation would refuse the parameters. */
export function stackFromSpec(
  world: StackHost,
  accountId: string,
  spec: StackInput,
  assumableAt: number,
): { stack: StackState; role: RoleState } {
  const { ExternalId, AccountId, IAMPrincipal } = spec.parameters;
  const values = {
    externalId: ExternalId,
    trustedAccountId: AccountId,
    iamPrincipal: IAMPrincipal,
    roleName: spec.roleName ?? DEFAULT_ROLE_NAME,
  };
  try {
    // The template checks its parameters as CloudFormation's AllowedPattern would.
    buildRoleTemplate(values);
  } catch (e) {
    const message = (e as Error).message;
    const field = TEMPLATE_FIELDS[message.split(':')[0] ?? ''] ?? 'parameters';
    throw new DeployError(message.replace(/^\w+: /, ''), field);
  }
  const region = spec.region ?? 'us-east-1';
  const template = parseTemplate(renderTemplate(values, 'yaml'));
  const given = Object.entries(spec.parameters).map(([key, value]) => ({ key, value, usePrevious: false }));
  let parameters: Record<string, string>;
  try {
    parameters = resolveParameters(template, given, null);
  } catch (e) {
    // A value the template's own constraints refuse (an empty ExternalId renders the template with
    // no default, and CloudFormation's MinLength then refuses it): the user's input, on its field.
    const name = /^Parameter '(\w+)'/.exec((e as Error).message)?.[1];
    if (!(e instanceof AwsError) || !name) throw e;
    throw new DeployError(e.message, `parameters.${name}`);
  }
  const id = `arn:${world.partition}:cloudformation:${region}:${accountId}:stack/${spec.name}/${crypto.randomUUID()}`;
  const pseudo = { partition: world.partition, accountId, region, stackName: spec.name, stackId: id };
  const props = renderRole(template, parameters, pseudo, spec.name);
  const role = roleFromProps(world, accountId, props, spec.name, assumableAt);

  const drift = spec.drift ?? {};
  const detached = new Set(drift.detachManagedPolicies ?? []);
  role.managedPolicyArns = role.managedPolicyArns.filter(
    (arn) => !detached.has(arn) && !detached.has(arn.replace(/^arn:[^:]+:iam::aws:policy\//, '')),
  );
  role.inlinePolicies = [...role.inlinePolicies, ...structuredClone(drift.addInlinePolicies ?? [])].filter(
    (p) => !drift.deleteInlinePolicies?.includes(p.name),
  );
  role.statements = statementsOf(role.inlinePolicies);
  if (drift.trustPolicy) role.trustPolicy = structuredClone(drift.trustPolicy);
  if (drift.maxSessionDuration !== undefined) role.maxSessionDuration = drift.maxSessionDuration;
  if (drift.templateVersion !== undefined) {
    const others = role.tags.filter((t) => t.Key !== TEMPLATE_VERSION_TAG);
    role.tags =
      drift.templateVersion === null
        ? others
        : [...others, { Key: TEMPLATE_VERSION_TAG, Value: drift.templateVersion }];
  }

  const stack: StackState = {
    name: spec.name,
    id,
    accountId,
    region,
    status: 'CREATE_COMPLETE',
    template,
    parameters,
    capabilities: ['CAPABILITY_NAMED_IAM'],
    expected: props,
    createdAt: new Date(world.now()).toISOString(),
    detections: [],
  };
  return { stack, role };
}
