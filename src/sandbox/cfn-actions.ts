import { isS3TemplateUrl } from '../domain/template/links.ts';
import { renderTemplate } from '../domain/template/role-template.ts';
import type { GivenParameter } from './cfn-template.ts';
import {
  createStack,
  deleteStack,
  detectDrift,
  findStack,
  outputsOf,
  requireStack,
  type StackRequest,
  updateStack,
} from './cloudformation.ts';
import { validationError } from './errors.ts';
import { required } from './iam-actions.ts';
import type { DriftDetection, StackState } from './stack-state.ts';
import type { ActionContext } from './sts-actions.ts';
import type { XmlNode } from './xml.ts';

// CloudFormation's query API (Version 2010-05-15) for the stacks of the caller's account and the
// request's region: what `aws cloudformation ...` and @aws-sdk/client-cloudformation send.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Operations.html

/** `Name.member.N` values, in order. */
function list(params: URLSearchParams, name: string): string[] {
  const out: [number, string][] = [];
  for (const [k, v] of params) {
    const m = new RegExp(`^${name}\\.member\\.(\\d+)$`).exec(k);
    if (m) out.push([Number(m[1]), v]);
  }
  return out.sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

/** `Parameters.member.N.Field` structures, in order. */
function parameters(params: URLSearchParams): GivenParameter[] {
  const byIndex = new Map<number, Record<string, string>>();
  for (const [k, v] of params) {
    const m = /^Parameters\.member\.(\d+)\.(\w+)$/.exec(k);
    if (!m) continue;
    const entry = byIndex.get(Number(m[1])) ?? {};
    entry[m[2] as string] = v;
    byIndex.set(Number(m[1]), entry);
  }
  return [...byIndex.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, e]) => {
      if (!e.ParameterKey)
        throw validationError(
          "1 validation error detected: Value null at 'parameters.member.parameterKey' failed to satisfy constraint: Member must not be null",
        );
      return {
        key: e.ParameterKey,
        ...(e.ParameterValue !== undefined ? { value: e.ParameterValue } : {}),
        usePrevious: e.UsePreviousValue === 'true',
      };
    });
}

function stackName(params: URLSearchParams): string {
  return required(params, 'StackName', 'stackName');
}

/** TemplateBody as sent, or the product's published template for an S3 TemplateURL (the sandbox has no S3). */
function templateBody(params: URLSearchParams): string | undefined {
  const body = params.get('TemplateBody');
  const url = params.get('TemplateURL');
  if (body !== null && url !== null)
    throw validationError('You cannot specify both TemplateURL and TemplateBody.');
  if (url !== null) {
    if (!isS3TemplateUrl(url))
      throw validationError('TemplateURL must reference a valid S3 object to which you have access.');
    return renderTemplate({}, 'yaml');
  }
  return body ?? undefined;
}

function request(ctx: ActionContext): StackRequest {
  const body = templateBody(ctx.params);
  return {
    accountId: ctx.caller.accountId,
    region: ctx.region,
    stackName: stackName(ctx.params),
    ...(body !== undefined ? { body } : {}),
    usePreviousTemplate: ctx.params.get('UsePreviousTemplate') === 'true',
    parameters: parameters(ctx.params),
    capabilities: list(ctx.params, 'Capabilities'),
  };
}

const latest = (stack: StackState): DriftDetection | undefined =>
  stack.detections[stack.detections.length - 1];

function stackXml(ctx: ActionContext, stack: StackState): XmlNode {
  const drift = latest(stack);
  const noEcho = new Set(stack.template.parameters.filter((p) => p.noEcho).map((p) => p.name));
  return {
    StackId: stack.id,
    StackName: stack.name,
    ...(stack.template.description ? { Description: stack.template.description } : {}),
    Parameters: Object.entries(stack.parameters).map(([k, v]) => ({
      ParameterKey: k,
      ParameterValue: noEcho.has(k) ? '****' : v,
    })),
    CreationTime: stack.createdAt,
    ...(stack.updatedAt ? { LastUpdatedTime: stack.updatedAt } : {}),
    StackStatus: stack.status,
    ...(stack.statusReason ? { StackStatusReason: stack.statusReason } : {}),
    DisableRollback: false,
    NotificationARNs: [],
    Capabilities: stack.capabilities,
    ...(stack.status === 'DELETE_COMPLETE' ? {} : { Outputs: outputsOf(ctx.world, stack) }),
    Tags: [],
    EnableTerminationProtection: false,
    DriftInformation: {
      StackDriftStatus: drift?.status ?? 'NOT_CHECKED',
      ...(drift ? { LastCheckTimestamp: drift.at } : {}),
    },
  };
}

export function describeStacks(ctx: ActionContext): XmlNode {
  const name = ctx.params.get('StackName');
  if (name)
    return { Stacks: [stackXml(ctx, requireStack(ctx.world, ctx.caller.accountId, ctx.region, name))] };
  const { live } = ctx.world.stacksOf(ctx.caller.accountId);
  return { Stacks: [...live.values()].filter((s) => s.region === ctx.region).map((s) => stackXml(ctx, s)) };
}

export function describeStackResources(ctx: ActionContext): XmlNode {
  const stack = requireStack(ctx.world, ctx.caller.accountId, ctx.region, stackName(ctx.params));
  if (!stack.expected || stack.status === 'DELETE_COMPLETE') return { StackResources: [] };
  const drift = latest(stack)?.resources[0];
  return {
    StackResources: [
      {
        StackName: stack.name,
        StackId: stack.id,
        LogicalResourceId: stack.template.roleLogicalId,
        PhysicalResourceId: stack.expected.roleName,
        ResourceType: 'AWS::IAM::Role',
        Timestamp: stack.updatedAt ?? stack.createdAt,
        ResourceStatus: stack.status === 'UPDATE_COMPLETE' ? 'UPDATE_COMPLETE' : 'CREATE_COMPLETE',
        DriftInformation: {
          StackResourceDriftStatus: drift?.status ?? 'NOT_CHECKED',
          ...(drift ? { LastCheckTimestamp: latest(stack)?.at } : {}),
        },
      },
    ],
  };
}

export function getTemplate(ctx: ActionContext): XmlNode {
  const stack = requireStack(ctx.world, ctx.caller.accountId, ctx.region, stackName(ctx.params));
  return { TemplateBody: stack.template.body, StagesAvailable: ['Original', 'Processed'] };
}

export function createStackAction(ctx: ActionContext): XmlNode {
  return { StackId: createStack(ctx.world, request(ctx)).id };
}

export function updateStackAction(ctx: ActionContext): XmlNode {
  return { StackId: updateStack(ctx.world, request(ctx)).id };
}

export function deleteStackAction(ctx: ActionContext): XmlNode {
  deleteStack(ctx.world, ctx.caller.accountId, ctx.region, stackName(ctx.params));
  return null;
}

export function detectStackDrift(ctx: ActionContext): XmlNode {
  const stack = findStack(ctx.world, ctx.caller.accountId, ctx.region, stackName(ctx.params));
  if (!stack || stack.status === 'DELETE_COMPLETE')
    throw validationError(`Stack with id ${stackName(ctx.params)} does not exist`);
  return { StackDriftDetectionId: detectDrift(ctx.world, stack).id };
}

export function describeStackDriftDetectionStatus(ctx: ActionContext): XmlNode {
  const id = required(ctx.params, 'StackDriftDetectionId', 'stackDriftDetectionId');
  const { live, deleted } = ctx.world.stacksOf(ctx.caller.accountId);
  for (const stack of [...live.values(), ...deleted]) {
    const d = stack.detections.find((x) => x.id === id);
    if (!d) continue;
    return {
      StackId: stack.id,
      StackDriftDetectionId: d.id,
      StackDriftStatus: d.status,
      DetectionStatus: 'DETECTION_COMPLETE',
      DriftedStackResourceCount: d.resources.filter((r) => r.status !== 'IN_SYNC').length,
      Timestamp: d.at,
    };
  }
  throw validationError(`Drift detection with id ${id} does not exist`);
}

function resourceDriftXml(
  stack: StackState,
  d: DriftDetection,
  r: DriftDetection['resources'][number],
): XmlNode {
  return {
    StackId: stack.id,
    LogicalResourceId: r.logicalId,
    PhysicalResourceId: r.physicalId,
    ResourceType: 'AWS::IAM::Role',
    ExpectedProperties: r.expected,
    ...(r.actual ? { ActualProperties: r.actual } : {}),
    PropertyDifferences: r.differences.map((p) => ({ ...p })),
    StackResourceDriftStatus: r.status,
    Timestamp: d.at,
  };
}

export function describeStackResourceDrifts(ctx: ActionContext): XmlNode {
  const stack = requireStack(ctx.world, ctx.caller.accountId, ctx.region, stackName(ctx.params));
  const filters = list(ctx.params, 'StackResourceDriftStatusFilters');
  const d = latest(stack);
  const resources = (d?.resources ?? []).filter((r) => filters.length === 0 || filters.includes(r.status));
  return { StackResourceDrifts: d ? resources.map((r) => resourceDriftXml(stack, d, r)) : [] };
}

export function detectStackResourceDrift(ctx: ActionContext): XmlNode {
  const stack = requireStack(ctx.world, ctx.caller.accountId, ctx.region, stackName(ctx.params));
  const logicalId = required(ctx.params, 'LogicalResourceId', 'logicalResourceId');
  const d = detectDrift(ctx.world, stack);
  const r = d.resources.find((x) => x.logicalId === logicalId);
  if (!r) throw validationError(`Resource ${logicalId} does not exist for stack ${stack.name}`);
  return { StackResourceDrift: resourceDriftXml(stack, d, r) };
}
