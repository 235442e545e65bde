import { MANAGED_POLICY_NAMES } from '../domain/template/role-template.ts';
import { AwsError, invalidInput, malformedPolicyDocument, noSuchEntity, validationError } from './errors.ts';
import { required, roleOf } from './iam-actions.ts';
import { statementsOf } from './model.ts';
import type { ActionContext } from './sts-actions.ts';
import type { XmlNode } from './xml.ts';

// The IAM writes a customer's fix makes to the role: its trust policy, managed and inline
// policies, its maximum session. Each changes the role STS then enforces, and a role a stack
// manages then differs from its template: drift detection reports it MODIFIED.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateAssumeRolePolicy.html
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachRolePolicy.html
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateRole.html

/** The default quota for a trust policy, in characters without white space. */
const TRUST_POLICY_MAX = 2048;

// AWS managed policies the sandbox knows by name: the template's, and the common ones a fix might
// name. Any other name is reported as IAM reports a policy that does not exist.
const AWS_MANAGED = new Set<string>([
  ...MANAGED_POLICY_NAMES,
  'AdministratorAccess',
  'ReadOnlyAccess',
  'IAMReadOnlyAccess',
  'PowerUserAccess',
  'job-function/SystemAdministrator',
]);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function policyDocument(text: string, kind: 'trust' | 'identity'): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw malformedPolicyDocument('This policy contains invalid Json');
  }
  if (!isObject(doc)) throw malformedPolicyDocument('This policy contains invalid Json');
  const raw = doc.Statement;
  const statements = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (statements.length === 0) throw malformedPolicyDocument('Syntax errors in policy.');
  for (const s of statements) {
    if (!isObject(s) || (s.Effect !== 'Allow' && s.Effect !== 'Deny'))
      throw malformedPolicyDocument('Syntax errors in policy.');
    if (s.Action === undefined && s.NotAction === undefined)
      throw malformedPolicyDocument('Policy statement must contain actions.');
    if (kind === 'trust' && s.Principal === undefined && s.NotPrincipal === undefined)
      throw malformedPolicyDocument(
        'AssumeRolepolicy contained an invalid principal: "Principal" is missing.',
      );
    if (kind === 'trust' && s.Resource !== undefined)
      throw malformedPolicyDocument('Has prohibited field Resource');
    if (kind === 'identity' && s.Principal !== undefined)
      throw malformedPolicyDocument('Has prohibited field Principal');
  }
  return doc;
}

/** IAM checks that each named user or role exists; wildcards are not allowed in a Principal's ARN. */
function checkPrincipals(ctx: ActionContext, doc: Record<string, unknown>): void {
  const raw = doc.Statement;
  for (const s of (Array.isArray(raw) ? raw : [raw]) as Record<string, unknown>[]) {
    const principal = s.Principal;
    const aws = isObject(principal) ? principal.AWS : undefined;
    for (const value of Array.isArray(aws) ? aws : aws === undefined ? [] : [aws]) {
      const text = String(value);
      const m = /^arn:([^:]+):iam::(\d{12}):(user|role)(\/.*)$/.exec(text);
      if (!m) continue;
      const [, , account = '', kind = '', rest = ''] = m;
      const name = rest.slice(rest.lastIndexOf('/') + 1);
      const invalid = () => malformedPolicyDocument(`Invalid principal in policy: "AWS":"${text}"`);
      if (/[*?]/.test(rest)) throw invalid();
      if (!ctx.world.knowsAccount(account)) continue;
      const exists = kind === 'role' ? ctx.world.role(account, name) : ctx.world.user(account, name);
      if (!exists || exists.arn !== text) throw invalid();
    }
  }
}

export function updateAssumeRolePolicy(ctx: ActionContext): XmlNode {
  const role = roleOf(ctx);
  const text = required(ctx.params, 'PolicyDocument', 'policyDocument');
  const doc = policyDocument(text, 'trust');
  if (text.replace(/\s/g, '').length > TRUST_POLICY_MAX)
    throw new AwsError(409, 'LimitExceeded', `Cannot exceed quota for ACLSizePerRole: ${TRUST_POLICY_MAX}`);
  checkPrincipals(ctx, doc);
  role.trustPolicy = doc;
  return null;
}

const POLICY_ARN_RE = /^arn:([\w-]+):iam::(aws|\d{12}):policy\/(.+)$/;

export function attachRolePolicy(ctx: ActionContext): XmlNode {
  const role = roleOf(ctx);
  const arn = required(ctx.params, 'PolicyArn', 'policyArn');
  const m = POLICY_ARN_RE.exec(arn);
  if (!m) throw invalidInput(`ARN ${arn} is not valid.`);
  const [, partition, owner, name = ''] = m;
  const known = partition === ctx.world.partition && owner === 'aws' && AWS_MANAGED.has(name);
  // Customer managed policies are not modelled: only AWS managed ones can be attached.
  if (!known) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  if (!role.managedPolicyArns.includes(arn)) role.managedPolicyArns = [...role.managedPolicyArns, arn];
  return null;
}

export function detachRolePolicy(ctx: ActionContext): XmlNode {
  const role = roleOf(ctx);
  const arn = required(ctx.params, 'PolicyArn', 'policyArn');
  if (!POLICY_ARN_RE.test(arn)) throw invalidInput(`ARN ${arn} is not valid.`);
  if (!role.managedPolicyArns.includes(arn)) throw noSuchEntity(`Policy ${arn} was not found.`);
  role.managedPolicyArns = role.managedPolicyArns.filter((a) => a !== arn);
  return null;
}

function policyName(ctx: ActionContext): string {
  const name = required(ctx.params, 'PolicyName', 'policyName');
  if (!/^[\w+=,.@-]{1,128}$/.test(name))
    throw validationError(
      `1 validation error detected: Value '${name}' at 'policyName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`,
    );
  return name;
}

export function putRolePolicy(ctx: ActionContext): XmlNode {
  const role = roleOf(ctx);
  const name = policyName(ctx);
  const document = policyDocument(required(ctx.params, 'PolicyDocument', 'policyDocument'), 'identity');
  role.inlinePolicies = [...role.inlinePolicies.filter((p) => p.name !== name), { name, document }];
  role.statements = statementsOf(role.inlinePolicies);
  return null;
}

export function deleteRolePolicy(ctx: ActionContext): XmlNode {
  const role = roleOf(ctx);
  const name = policyName(ctx);
  if (!role.inlinePolicies.some((p) => p.name === name))
    throw noSuchEntity(`The role policy with name ${name} cannot be found.`);
  role.inlinePolicies = role.inlinePolicies.filter((p) => p.name !== name);
  role.statements = statementsOf(role.inlinePolicies);
  return null;
}

export function updateRole(ctx: ActionContext): XmlNode {
  const role = roleOf(ctx);
  const max = ctx.params.get('MaxSessionDuration');
  const description = ctx.params.get('Description');
  if (max !== null) {
    const n = Number(max);
    const bad = (constraint: string) =>
      validationError(
        `1 validation error detected: Value '${max}' at 'maxSessionDuration' failed to satisfy constraint: Member must ${constraint}`,
      );
    if (!Number.isInteger(n)) throw bad('be an integer');
    if (n < 3600) throw bad('have value greater than or equal to 3600');
    if (n > 43200) throw bad('have value less than or equal to 43200');
    role.maxSessionDuration = n;
  }
  if (description !== null) role.description = description;
  // UpdateRole, unlike the other writes, has an (empty) result element that clients expect.
  return {};
}
