import { parse as parseYaml, type Tags } from 'yaml';
import { validationError } from './errors.ts';
import type { InlinePolicy } from './model.ts';

// CloudFormation's reading of a template, for the one resource type the sandbox models
// (AWS::IAM::Role, which the product's template declares): the parameters with their constraints,
// the intrinsic functions the template can use, and the role's properties once resolved. The
// template a user deploys is parsed as CloudFormation would parse it, so a downloaded, edited or
// older template behaves as it would in AWS. Errors carry CloudFormation's own wording.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-role.html

export interface ParameterSpec {
  name: string;
  default?: string;
  allowedPattern?: string;
  allowedValues?: string[];
  minLength?: number;
  maxLength?: number;
  constraintDescription?: string;
  noEcho: boolean;
}

export interface Template {
  /** The body as the client sent it; GetTemplate answers it unchanged. */
  body: string;
  /** The parsed document, compared to tell "No updates are to be performed." */
  doc: Record<string, unknown>;
  description?: string;
  parameters: ParameterSpec[];
  /** The logical ID of the AWS::IAM::Role resource and its unresolved properties. */
  roleLogicalId: string;
  roleProperties: Record<string, unknown>;
  outputs: { key: string; description?: string; value: unknown }[];
}

/** The role's properties as the template renders them: what CloudFormation would create. */
export interface RoleProps {
  roleName: string;
  path: string;
  description?: string;
  maxSessionDuration: number;
  trustPolicy: Record<string, unknown>;
  managedPolicyArns: string[];
  inlinePolicies: InlinePolicy[];
  /** The role's IAM tags (the product's template writes its version as one). */
  tags: { Key: string; Value: string }[];
}

export interface Pseudo {
  partition: string;
  accountId: string;
  region: string;
  stackName: string;
  stackId: string;
}

const formatError = (detail: string) => validationError(`Template format error: ${detail}`);

// The short forms (!Ref, !Sub, ...) a hand-written YAML template may use.
const SHORT_TAGS: Tags = ['Ref', 'Sub', 'GetAtt', 'Join', 'Select', 'Split', 'Base64'].flatMap((name) => {
  const fn = name === 'Ref' ? 'Ref' : `Fn::${name}`;
  return [
    {
      tag: `!${name}`,
      resolve: (value: string) => ({ [fn]: name === 'GetAtt' ? value.split('.') : value }),
    },
    {
      tag: `!${name}`,
      collection: 'seq' as const,
      resolve: (value: unknown) => ({ [fn]: (value as { toJSON(): unknown }).toJSON() }),
    },
  ];
});

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseBody(body: string): Record<string, unknown> {
  const trimmed = body.trimStart();
  let doc: unknown;
  if (trimmed.startsWith('{')) {
    try {
      doc = JSON.parse(body);
    } catch {
      throw formatError('JSON not well-formed.');
    }
  } else {
    try {
      doc = parseYaml(body, { customTags: SHORT_TAGS, uniqueKeys: true });
    } catch (e) {
      const pos = (e as { linePos?: { line: number; col: number }[] }).linePos?.[0];
      throw formatError(`YAML not well-formed.${pos ? ` (line ${pos.line}, column ${pos.col})` : ''}`);
    }
  }
  if (!isObject(doc)) throw formatError('unsupported structure.');
  return doc;
}

const asString = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;

function parameterSpecs(raw: unknown): ParameterSpec[] {
  if (raw === undefined) return [];
  if (!isObject(raw)) throw formatError('Parameters must be an object.');
  return Object.entries(raw).map(([name, spec]) => {
    if (!isObject(spec) || spec.Type === undefined)
      throw formatError(`Every Parameters object must contain a Type member.`);
    if (spec.Type !== 'String')
      throw formatError(`the sandbox models String parameters only; ${name} is ${String(spec.Type)}.`);
    const out: ParameterSpec = { name, noEcho: spec.NoEcho === true || spec.NoEcho === 'true' };
    const dflt = asString(spec.Default);
    if (dflt !== undefined) out.default = dflt;
    if (typeof spec.AllowedPattern === 'string') out.allowedPattern = spec.AllowedPattern;
    if (Array.isArray(spec.AllowedValues)) out.allowedValues = spec.AllowedValues.map(String);
    if (spec.MinLength !== undefined) out.minLength = Number(spec.MinLength);
    if (spec.MaxLength !== undefined) out.maxLength = Number(spec.MaxLength);
    if (typeof spec.ConstraintDescription === 'string')
      out.constraintDescription = spec.ConstraintDescription;
    return out;
  });
}

/** Parses and checks a template body; throws ValidationError "Template format error: ..." as CloudFormation does. */
export function parseTemplate(body: string): Template {
  const doc = parseBody(body);
  const resources = doc.Resources;
  if (!isObject(resources) || Object.keys(resources).length === 0)
    throw formatError('At least one Resources member must be defined.');
  const roles = Object.entries(resources).filter(([, r]) => isObject(r) && r.Type === 'AWS::IAM::Role');
  const others = Object.entries(resources)
    .filter(([, r]) => !isObject(r) || r.Type !== 'AWS::IAM::Role')
    .map(([, r]) => (isObject(r) ? String(r.Type) : 'invalid'));
  if (others.length > 0 || roles.length !== 1) {
    throw formatError(
      `the sandbox models templates with exactly one AWS::IAM::Role resource${others.length ? `; unsupported resource types: [${others.join(', ')}]` : ''}.`,
    );
  }
  const [roleLogicalId, role] = roles[0] as [string, Record<string, unknown>];
  const outputs = isObject(doc.Outputs)
    ? Object.entries(doc.Outputs).map(([key, o]) => ({
        key,
        ...(isObject(o) && typeof o.Description === 'string' ? { description: o.Description } : {}),
        value: isObject(o) ? o.Value : undefined,
      }))
    : [];
  return {
    body,
    doc,
    ...(typeof doc.Description === 'string' ? { description: doc.Description } : {}),
    parameters: parameterSpecs(doc.Parameters),
    roleLogicalId,
    roleProperties: isObject(role.Properties) ? role.Properties : {},
    outputs,
  };
}

/** True when the template names IAM resources (RoleName), so CAPABILITY_NAMED_IAM is required. */
export function needsNamedIam(template: Template): boolean {
  return template.roleProperties.RoleName !== undefined;
}

export interface GivenParameter {
  key: string;
  value?: string;
  usePrevious: boolean;
}

function checkConstraints(spec: ParameterSpec, value: string): void {
  const fail = (what: string) =>
    validationError(
      spec.constraintDescription
        ? `Parameter '${spec.name}' failed to satisfy constraint: ${spec.constraintDescription}`
        : `Parameter '${spec.name}' ${what}`,
    );
  if (spec.minLength !== undefined && value.length < spec.minLength)
    throw fail(`must contain at least ${spec.minLength} characters`);
  if (spec.maxLength !== undefined && value.length > spec.maxLength)
    throw fail(`must contain at most ${spec.maxLength} characters`);
  // CloudFormation matches the whole value (java.util.regex matches()).
  if (spec.allowedPattern !== undefined && !new RegExp(`^(?:${spec.allowedPattern})$`).test(value))
    throw fail(`must match pattern ${spec.allowedPattern}`);
  if (spec.allowedValues && !spec.allowedValues.includes(value)) throw fail('must be one of AllowedValues');
}

/**
 * The parameter values a create or update resolves to: given values, then (update) the previous
 * value where UsePreviousValue is set, then the template's Default. Throws CloudFormation's errors.
 */
export function resolveParameters(
  template: Template,
  given: GivenParameter[],
  previous: Record<string, string> | null,
): Record<string, string> {
  const known = new Set(template.parameters.map((p) => p.name));
  const unknown = given.filter((g) => !known.has(g.key)).map((g) => g.key);
  if (unknown.length > 0)
    throw validationError(`Parameters: [${unknown.join(', ')}] do not exist in the template`);
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const spec of template.parameters) {
    const g = given.find((p) => p.key === spec.name);
    let value: string | undefined;
    if (g?.usePrevious) {
      if (g.value !== undefined && g.value !== '')
        throw validationError(
          `Invalid input for parameter key ${spec.name}. Cannot specify usePreviousValue as true and non empty value for a parameter`,
        );
      if (!previous || previous[spec.name] === undefined)
        throw validationError(
          `Invalid input for parameter key ${spec.name}. Cannot specify usePreviousValue as true for a parameter key not in the previous template`,
        );
      value = previous[spec.name];
    } else {
      value = g?.value ?? spec.default;
    }
    if (value === undefined) {
      missing.push(spec.name);
      continue;
    }
    checkConstraints(spec, value);
    values[spec.name] = value;
  }
  if (missing.length > 0) throw validationError(`Parameters: [${missing.join(', ')}] must have values`);
  return values;
}

function pseudoValue(name: string, pseudo: Pseudo): string | undefined {
  const urlSuffix = pseudo.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  const table: Record<string, string> = {
    'AWS::Partition': pseudo.partition,
    'AWS::AccountId': pseudo.accountId,
    'AWS::Region': pseudo.region,
    'AWS::StackName': pseudo.stackName,
    'AWS::StackId': pseudo.stackId,
    'AWS::URLSuffix': urlSuffix,
  };
  return table[name];
}

interface Scope {
  values: Record<string, string>;
  pseudo: Pseudo;
  /** Ref and Fn::GetAtt of the role, once it exists (Outputs only). */
  role?: { logicalId: string; name: string; arn: string; id: string };
}

function lookup(name: string, scope: Scope): string {
  const v = scope.values[name] ?? pseudoValue(name, scope.pseudo);
  if (v !== undefined) return v;
  if (scope.role && name === scope.role.logicalId) return scope.role.name;
  throw formatError(`Unresolved resource dependencies [${name}] in the Resources block of the template`);
}

function sub(text: string, scope: Scope, vars: Record<string, string>): string {
  // ${!Literal} is the escape for a literal "${Literal}".
  return text.replace(/\$\{(!?)([^}]+)\}/g, (_, bang: string, raw: string) => {
    if (bang) return `\${${raw}}`;
    const name = raw.trim();
    if (vars[name] !== undefined) return vars[name];
    const dot = name.indexOf('.');
    if (dot > 0 && scope.role && name.slice(0, dot) === scope.role.logicalId)
      return getAtt([name.slice(0, dot), name.slice(dot + 1)], scope);
    return lookup(name, scope);
  });
}

function getAtt(arg: unknown, scope: Scope): string {
  const [id, attr] = Array.isArray(arg) ? arg.map(String) : [];
  if (!scope.role || id !== scope.role.logicalId)
    throw formatError(`Template error: instance of Fn::GetAtt references undefined resource ${id}`);
  if (attr === 'Arn') return scope.role.arn;
  if (attr === 'RoleId') return scope.role.id;
  throw formatError(`Template error: resource ${id} does not support attribute type ${attr} in Fn::GetAtt`);
}

function resolve(node: unknown, scope: Scope): unknown {
  if (Array.isArray(node)) return node.map((n) => resolve(n, scope));
  if (!isObject(node)) return node;
  const entries = Object.entries(node);
  if (entries.length === 1) {
    const [fn, raw] = entries[0] as [string, unknown];
    if (fn === 'Ref') return lookup(String(raw), scope);
    if (fn === 'Fn::Sub') {
      if (typeof raw === 'string') return sub(raw, scope, {});
      if (Array.isArray(raw) && typeof raw[0] === 'string' && isObject(raw[1])) {
        const vars = Object.fromEntries(
          Object.entries(raw[1]).map(([k, v]) => [k, String(resolve(v, scope))]),
        );
        return sub(raw[0], scope, vars);
      }
      throw formatError(
        'Template error: One or more Fn::Sub intrinsic functions don’t specify expected arguments.',
      );
    }
    if (fn === 'Fn::Join' && Array.isArray(raw) && typeof raw[0] === 'string') {
      const parts = resolve(raw[1], scope);
      if (!Array.isArray(parts))
        throw formatError('Template error: every Fn::Join object requires two parameters.');
      return parts.map(String).join(raw[0]);
    }
    if (fn === 'Fn::GetAtt') return getAtt(typeof raw === 'string' ? raw.split('.') : raw, scope);
    if (fn.startsWith('Fn::')) throw formatError(`the sandbox does not model the intrinsic function ${fn}.`);
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, resolve(v, scope)]));
}

function policyDocument(value: unknown, where: string): Record<string, unknown> {
  // CloudFormation accepts the document as an object or as a JSON string.
  let doc = value;
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc);
    } catch {
      throw validationError(`${where}: the policy document is not valid JSON.`);
    }
  }
  if (!isObject(doc)) throw validationError(`${where}: the policy document must be an object.`);
  return doc;
}

/** The role the template renders with these parameter values. */
export function renderRole(
  template: Template,
  values: Record<string, string>,
  pseudo: Pseudo,
  defaultName: string,
): RoleProps {
  const p = resolve(template.roleProperties, { values, pseudo }) as Record<string, unknown>;
  if (p.AssumeRolePolicyDocument === undefined)
    throw validationError(
      `Properties validation failed for resource ${template.roleLogicalId} with message: #: required key [AssumeRolePolicyDocument] not found`,
    );
  const policies = Array.isArray(p.Policies) ? p.Policies : [];
  const maxSession = p.MaxSessionDuration === undefined ? 3600 : Number(p.MaxSessionDuration);
  if (!Number.isInteger(maxSession) || maxSession < 3600 || maxSession > 43200)
    throw validationError(
      `Properties validation failed for resource ${template.roleLogicalId} with message: #/MaxSessionDuration: ${String(p.MaxSessionDuration)} is not in the range 3600-43200`,
    );
  return {
    roleName: typeof p.RoleName === 'string' ? p.RoleName : defaultName,
    path: typeof p.Path === 'string' ? p.Path : '/',
    ...(typeof p.Description === 'string' ? { description: p.Description } : {}),
    maxSessionDuration: maxSession,
    trustPolicy: policyDocument(p.AssumeRolePolicyDocument, 'AssumeRolePolicyDocument'),
    managedPolicyArns: Array.isArray(p.ManagedPolicyArns) ? p.ManagedPolicyArns.map(String) : [],
    inlinePolicies: policies.map((entry, i) => {
      const e = isObject(entry) ? entry : {};
      return {
        name: String(e.PolicyName ?? `policy${i}`),
        document: policyDocument(e.PolicyDocument, `Policies[${i}]`),
      };
    }),
    tags: (Array.isArray(p.Tags) ? p.Tags : []).flatMap((t) =>
      isObject(t) && typeof t.Key === 'string' ? [{ Key: t.Key, Value: String(t.Value ?? '') }] : [],
    ),
  };
}

/** The stack's Outputs once the role exists. */
export function renderOutputs(
  template: Template,
  values: Record<string, string>,
  pseudo: Pseudo,
  role: { name: string; arn: string; id: string },
): { OutputKey: string; OutputValue: string; Description?: string }[] {
  const scope: Scope = { values, pseudo, role: { logicalId: template.roleLogicalId, ...role } };
  return template.outputs.map((o) => ({
    OutputKey: o.key,
    OutputValue: String(resolve(o.value, scope)),
    ...(o.description ? { Description: o.description } : {}),
  }));
}
