import { noSuchEntity, validationError } from './errors.ts';
import type { RoleState } from './model.ts';
import type { ActionContext } from './sts-actions.ts';
import type { XmlNode } from './xml.ts';

// The IAM reads the verify step's permission audit makes, on the caller's own account (IAM has no
// cross-account reads). Policy documents are URL-encoded, as IAM's query API returns them.
// The sandbox does not model the contents of AWS managed policies, so any authenticated principal
// may read its own account's roles.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html

function required(params: URLSearchParams, name: string, field: string): string {
  const value = params.get(name);
  if (value === null || value === '') {
    throw validationError(
      `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

function roleOf({ world, caller, params }: ActionContext): RoleState {
  const name = required(params, 'RoleName', 'roleName');
  const role = world.role(caller.accountId, name);
  if (!role) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return role;
}

const encodeDocument = (doc: unknown) => encodeURIComponent(JSON.stringify(doc));

export function getRole(ctx: ActionContext): XmlNode {
  const role = roleOf(ctx);
  return {
    Role: {
      Path: role.path,
      AssumeRolePolicyDocument: encodeDocument(role.trustPolicy),
      MaxSessionDuration: role.maxSessionDuration,
      RoleId: role.id,
      RoleName: role.name,
      Arn: role.arn,
      CreateDate: role.createDate,
      RoleLastUsed: {},
      ...(role.tags.length > 0 ? { Tags: role.tags.map((t) => ({ Key: t.Key, Value: t.Value })) } : {}),
    },
  };
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListRoleTags.html */
export function listRoleTags(ctx: ActionContext): XmlNode {
  const role = roleOf(ctx);
  return { Tags: role.tags.map((t) => ({ Key: t.Key, Value: t.Value })), IsTruncated: false };
}

export function listAttachedRolePolicies(ctx: ActionContext): XmlNode {
  const role = roleOf(ctx);
  const prefix = ctx.params.get('PathPrefix') ?? '/';
  const attached = role.managedPolicyArns
    .map((arn) => {
      const resource = arn.replace(/^arn:[^:]+:iam::[^:]*:policy/, '');
      const name = resource.slice(resource.lastIndexOf('/') + 1);
      return { path: resource.slice(0, resource.length - name.length), arn, name };
    })
    .filter((p) => p.path.startsWith(prefix));
  return {
    AttachedPolicies: attached.map((p) => ({ PolicyName: p.name, PolicyArn: p.arn })),
    IsTruncated: false,
  };
}

export function listRolePolicies(ctx: ActionContext): XmlNode {
  const role = roleOf(ctx);
  return { PolicyNames: role.inlinePolicies.map((p) => p.name), IsTruncated: false };
}

export function getRolePolicy(ctx: ActionContext): XmlNode {
  const role = roleOf(ctx);
  const name = required(ctx.params, 'PolicyName', 'policyName');
  const policy = role.inlinePolicies.find((p) => p.name === name);
  if (!policy) throw noSuchEntity(`The role policy with name ${name} cannot be found.`);
  return { RoleName: role.name, PolicyName: policy.name, PolicyDocument: encodeDocument(policy.document) };
}
