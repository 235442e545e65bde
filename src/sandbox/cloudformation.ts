import { randomUUID } from 'node:crypto';
import {
  type GivenParameter,
  needsNamedIam,
  type Pseudo,
  parseTemplate,
  type RoleProps,
  renderOutputs,
  renderRole,
  resolveParameters,
  type Template,
} from './cfn-template.ts';
import { propertyDifferences, roleProperties } from './drift.ts';
import { alreadyExists, insufficientCapabilities, validationError } from './errors.ts';
import { DeployError, isoSeconds, type RoleState, roleIdentity, statementsOf } from './model.ts';
import { type DriftDetection, type StackState, stackKey } from './stack-state.ts';

/** The parts of the sandbox world the stack operations use (world.ts provides them). */
export interface StackHost {
  readonly partition: string;
  now(): number;
  readonly faults: { current: { propagationDelayMs: number } };
  role(accountId: string, name: string): RoleState | undefined;
  putRole(accountId: string, role: RoleState): void;
  deleteRole(accountId: string, name: string): void;
  stacksOf(accountId: string): { live: Map<string, StackState>; deleted: StackState[] };
}

// The stack operations of CloudFormation for stacks holding the product's role, done at once (a
// stack is never seen IN_PROGRESS, so a waiter's first poll already sees the final status).
// What matters for fixes is modelled as AWS does it:
// - an update changes only the role properties whose rendered value changed between the previous
//   and the new template + parameters; a property changed outside CloudFormation (drift) stays as
//   it is when the template did not change it;
// - an update that changes neither the template nor a parameter value is refused with
//   ValidationError "No updates are to be performed.";
// - drift detection compares the role with what the template last rendered.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-update-behaviors.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-drift.html

export interface StackRequest {
  accountId: string;
  region: string;
  stackName: string;
  /** A template body; absent with usePreviousTemplate. */
  body?: string;
  usePreviousTemplate?: boolean;
  parameters: GivenParameter[];
  capabilities: string[];
}

const NAMED_IAM = 'CAPABILITY_NAMED_IAM';

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
  );
}

/** The live stack named (or with the stack ID) `ref` in this account and region, or undefined. */
export function findStack(
  world: StackHost,
  accountId: string,
  region: string,
  ref: string,
): StackState | undefined {
  const { live, deleted } = world.stacksOf(accountId);
  if (ref.startsWith('arn:')) {
    return [...live.values(), ...deleted].find((s) => s.id === ref && s.region === region);
  }
  return live.get(stackKey(region, ref));
}

export function requireStack(world: StackHost, accountId: string, region: string, ref: string): StackState {
  const stack = findStack(world, accountId, region, ref);
  if (!stack) throw validationError(`Stack with id ${ref} does not exist`);
  return stack;
}

function pseudo(
  world: StackHost,
  s: { accountId: string; region: string; name: string; id: string },
): Pseudo {
  return {
    partition: world.partition,
    accountId: s.accountId,
    region: s.region,
    stackName: s.name,
    stackId: s.id,
  };
}

/** A role as IAM holds it, created from rendered properties. */
export function roleFromProps(
  world: StackHost,
  accountId: string,
  props: RoleProps,
  stackName: string,
  assumableAt: number,
): RoleState {
  return {
    ...roleIdentity(world.partition, accountId, props.roleName, props.path),
    createDate: isoSeconds(world.now()),
    trustPolicy: structuredClone(props.trustPolicy),
    managedPolicyArns: [...props.managedPolicyArns],
    inlinePolicies: structuredClone(props.inlinePolicies),
    statements: statementsOf(props.inlinePolicies),
    maxSessionDuration: props.maxSessionDuration,
    ...(props.description !== undefined ? { description: props.description } : {}),
    tags: props.tags.map((t) => ({ ...t })),
    stackName,
    assumableAt,
  };
}

function checkCapabilities(template: Template, capabilities: string[]): void {
  if (needsNamedIam(template) && !capabilities.includes(NAMED_IAM)) throw insufficientCapabilities(NAMED_IAM);
}

export function createStack(world: StackHost, req: StackRequest): StackState {
  const { live } = world.stacksOf(req.accountId);
  if (live.has(stackKey(req.region, req.stackName))) throw alreadyExists(req.stackName);
  if (req.body === undefined)
    throw validationError('Either Template URL or Template Body must be specified.');
  const template = parseTemplate(req.body);
  checkCapabilities(template, req.capabilities);
  const parameters = resolveParameters(template, req.parameters, null);
  const id = `arn:${world.partition}:cloudformation:${req.region}:${req.accountId}:stack/${req.stackName}/${randomUUID()}`;
  const stack: StackState = {
    name: req.stackName,
    id,
    accountId: req.accountId,
    region: req.region,
    status: 'CREATE_COMPLETE',
    template,
    parameters,
    capabilities: req.capabilities,
    expected: null,
    createdAt: new Date(world.now()).toISOString(),
    detections: [],
  };
  const props = renderRole(
    template,
    parameters,
    pseudo(world, stack),
    `${req.stackName}-${template.roleLogicalId}`,
  );
  try {
    // A new role takes a while to be assumable everywhere (IAM is eventually consistent).
    world.putRole(
      req.accountId,
      roleFromProps(
        world,
        req.accountId,
        props,
        req.stackName,
        world.now() + world.faults.current.propagationDelayMs,
      ),
    );
    stack.expected = props;
  } catch (e) {
    if (!(e instanceof DeployError)) throw e;
    // CloudFormation accepts the request, fails the resource and rolls the stack back.
    stack.status = 'ROLLBACK_COMPLETE';
    stack.statusReason = `The following resource(s) failed to create: [${template.roleLogicalId}]. Rollback requested by user.`;
  }
  live.set(stackKey(stack.region, stack.name), stack);
  return stack;
}

/** Applies to the live role what changed between two renderings of it (CloudFormation's update). */
function applyChanges(role: RoleState, before: RoleProps, after: RoleProps): void {
  if (!same(before.trustPolicy, after.trustPolicy)) role.trustPolicy = structuredClone(after.trustPolicy);
  if (before.maxSessionDuration !== after.maxSessionDuration)
    role.maxSessionDuration = after.maxSessionDuration;
  if (!same(before.tags, after.tags)) {
    // Tags the template no longer names are removed; the ones it names take its values.
    const gone = new Set(before.tags.map((t) => t.Key));
    role.tags = [
      ...role.tags.filter((t) => !gone.has(t.Key) && !after.tags.some((a) => a.Key === t.Key)),
      ...after.tags.map((t) => ({ ...t })),
    ];
  }
  if (before.description !== after.description) {
    if (after.description === undefined) delete role.description;
    else role.description = after.description;
  }
  const detach = before.managedPolicyArns.filter((a) => !after.managedPolicyArns.includes(a));
  const attach = after.managedPolicyArns.filter((a) => !before.managedPolicyArns.includes(a));
  role.managedPolicyArns = [
    ...role.managedPolicyArns.filter((a) => !detach.includes(a)),
    ...attach.filter((a) => !role.managedPolicyArns.includes(a)),
  ];
  for (const old of before.inlinePolicies) {
    if (!after.inlinePolicies.some((p) => p.name === old.name))
      role.inlinePolicies = role.inlinePolicies.filter((p) => p.name !== old.name);
  }
  for (const next of after.inlinePolicies) {
    const old = before.inlinePolicies.find((p) => p.name === next.name);
    if (old && same(old.document, next.document)) continue;
    role.inlinePolicies = [...role.inlinePolicies.filter((p) => p.name !== next.name), structuredClone(next)];
  }
  role.statements = statementsOf(role.inlinePolicies);
}

export function updateStack(world: StackHost, req: StackRequest): StackState {
  const stack = findStack(world, req.accountId, req.region, req.stackName);
  if (!stack || stack.status === 'DELETE_COMPLETE')
    throw validationError(`Stack [${req.stackName}] does not exist`);
  if (stack.status === 'ROLLBACK_COMPLETE')
    throw validationError(`Stack:${stack.id} is in ROLLBACK_COMPLETE state and can not be updated.`);
  let template: Template;
  if (req.usePreviousTemplate) {
    if (req.body !== undefined)
      throw validationError('You cannot specify both usePreviousTemplate and Template Body/Template URL.');
    template = stack.template;
  } else if (req.body !== undefined) {
    template = parseTemplate(req.body);
  } else {
    throw validationError('Either Template URL or Template Body or UsePreviousTemplate must be specified.');
  }
  checkCapabilities(template, req.capabilities);
  const parameters = resolveParameters(template, req.parameters, stack.parameters);
  if (same(template.doc, stack.template.doc) && same(parameters, stack.parameters))
    throw validationError('No updates are to be performed.');
  const after = renderRole(
    template,
    parameters,
    pseudo(world, stack),
    `${stack.name}-${template.roleLogicalId}`,
  );
  const before = stack.expected;
  const live = before ? world.role(stack.accountId, before.roleName) : undefined;
  if (!before || !live || before.roleName !== after.roleName || before.path !== after.path) {
    // A new name or path replaces the role: the new one is created, then the old one deleted.
    try {
      world.putRole(
        stack.accountId,
        roleFromProps(
          world,
          stack.accountId,
          after,
          stack.name,
          world.now() + world.faults.current.propagationDelayMs,
        ),
      );
    } catch (e) {
      if (!(e instanceof DeployError)) throw e;
      stack.status = 'UPDATE_ROLLBACK_COMPLETE';
      stack.statusReason = `The following resource(s) failed to update: [${template.roleLogicalId}].`;
      stack.updatedAt = new Date(world.now()).toISOString();
      return stack;
    }
    if (before && live && before.roleName !== after.roleName)
      world.deleteRole(stack.accountId, before.roleName);
  } else {
    applyChanges(live, before, after);
  }
  Object.assign(stack, {
    template,
    parameters,
    expected: after,
    capabilities: req.capabilities,
    status: 'UPDATE_COMPLETE',
  });
  delete stack.statusReason;
  stack.updatedAt = new Date(world.now()).toISOString();
  return stack;
}

/** Deletes the stack and its role; a stack that does not exist is not an error (as in AWS). */
export function deleteStack(world: StackHost, accountId: string, region: string, ref: string): void {
  const stack = findStack(world, accountId, region, ref);
  if (!stack || stack.status === 'DELETE_COMPLETE') return;
  const role = stack.expected ? world.role(accountId, stack.expected.roleName) : undefined;
  if (role && role.stackName === stack.name) world.deleteRole(accountId, role.name);
  const { live, deleted } = world.stacksOf(accountId);
  live.delete(stackKey(stack.region, stack.name));
  stack.status = 'DELETE_COMPLETE';
  delete stack.statusReason;
  deleted.push(stack);
}

export function detectDrift(world: StackHost, stack: StackState): DriftDetection {
  const resources: DriftDetection['resources'] = [];
  if (stack.expected) {
    const expected = roleProperties(stack.expected);
    const role = world.role(stack.accountId, stack.expected.roleName);
    const actual = role ? roleProperties(role) : null;
    const differences = actual ? propertyDifferences(expected, actual) : [];
    resources.push({
      logicalId: stack.template.roleLogicalId,
      physicalId: stack.expected.roleName,
      status: !role ? 'DELETED' : differences.length > 0 ? 'MODIFIED' : 'IN_SYNC',
      expected: JSON.stringify(expected),
      actual: actual ? JSON.stringify(actual) : '',
      differences,
    });
  }
  const detection: DriftDetection = {
    id: randomUUID(),
    at: new Date(world.now()).toISOString(),
    status: resources.some((r) => r.status !== 'IN_SYNC') ? 'DRIFTED' : 'IN_SYNC',
    resources,
  };
  stack.detections.push(detection);
  if (stack.detections.length > 20) stack.detections.shift();
  return detection;
}

export function outputsOf(world: StackHost, stack: StackState) {
  if (!stack.expected) return [];
  const role = world.role(stack.accountId, stack.expected.roleName);
  const identity = roleIdentity(
    world.partition,
    stack.accountId,
    stack.expected.roleName,
    stack.expected.path,
  );
  return renderOutputs(stack.template, stack.parameters, pseudo(world, stack), {
    name: identity.name,
    arn: role?.arn ?? identity.arn,
    id: role?.id ?? identity.id,
  });
}
