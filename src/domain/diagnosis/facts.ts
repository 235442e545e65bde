import { parseRoleArn } from '../arn.ts';
import type { VerifyReport } from '../diagnosis-contract.ts';
import { trustPolicyFor } from '../template/role-template.ts';
import { declared, type Fact, FactList, type InferredFact, inferred, observed } from './evidence.ts';
import type { CallFailure } from './outcome.ts';
import type { RoleEvidence } from './role-evidence.ts';
import { trustedParts } from './trust-verdict.ts';

// The facts a verification starts from (what was entered), what a failed call answered, and what
// the target account's side showed of the role (role evidence). diagnose.ts adds the rest.

/** The start of the templateDrift fact when the role's trust policy is not the template's. */
export const DRIFTED = 'Changed outside CloudFormation';

/** What the user entered, and the timeout the operator configured. */
export function declaredFacts(req: VerifyReport['request'], timeoutMs: number): FactList {
  const role = parseRoleArn(req.roleArn);
  const facts = new FactList()
    .add(declared('roleArn', req.roleArn, 'Role ARN'))
    .add(declared('externalId', req.externalId, 'External ID'))
    .add(declared('durationSeconds', String(req.durationSeconds), 'Session duration'))
    .add(declared('region', req.region, 'Region'))
    .add(declared('timeoutMs', String(timeoutMs), 'AWS_CONNECT_AWS_TIMEOUT_MS'));
  if (role) {
    facts
      .add(declared('roleName', role.name, 'Role ARN'))
      .add(declared('roleAccountId', role.accountId, 'Role ARN'))
      .add(declared('rolePartition', role.partition, 'Role ARN'));
  }
  if (req.accountId) facts.add(declared('accountId', req.accountId, 'Account you are connecting'));
  if (req.trustedAccountId)
    facts.add(declared('trustedAccountId', req.trustedAccountId, 'Trust settings: AccountId'));
  if (req.iamPrincipal) facts.add(declared('iamPrincipal', req.iamPrincipal, 'Trust settings: IAMPrincipal'));
  if (req.stackName) facts.add(declared('stackName', req.stackName, 'Stack name'));
  return facts;
}

/**
 * The access key ID as entered, for SOURCE_SECRET_INVALID only: SignatureDoesNotMatch means AWS
 * knows the key, and its fix names it (the key ID is not a secret; the secret access key is).
 */
export function enteredKeyFacts(code: string, accessKeyId: string | undefined): Fact[] {
  return code === 'SOURCE_SECRET_INVALID' && accessKeyId
    ? [declared('accessKeyId', accessKeyId, 'Access key ID')]
    : [];
}

/** What AWS answered to the failing call. */
export function failureFacts(f: CallFailure): Fact[] {
  const { call, code, message } = f.error.awsError;
  return [
    observed('rawCode', code, call, 'Code'),
    observed('rawMessage', message, call, 'Message'),
    observed('attempts', String(f.attempts), call, 'attempts'),
    ...(f.endpoint ? [observed('endpoint', f.endpoint, call, 'endpoint')] : []),
  ];
}

const listed = (values: readonly string[], none = 'none') => (values.length ? values.join(', ') : none);

/** What the target account's side showed: observed, but by the customer's calls, not ours. */
export function evidenceFacts(e: RoleEvidence): Fact[] {
  const seen = (key: Fact['key'], value: string, call: string, field: string) =>
    observed(key, value, call, field, 'target-account');
  const out: Fact[] = [];
  if (!e.found) {
    out.push(
      seen(
        'roleFound',
        `No such role${e.name ? ` ${e.name}` : ''} (NoSuchEntity)`,
        'iam:GetRole',
        'Error.Code',
      ),
    );
  } else {
    const parts = trustedParts(e.trustPolicy);
    const doc = 'Role.AssumeRolePolicyDocument';
    out.push(
      seen('roleFound', `Exists: ${e.arn}`, 'iam:GetRole', 'Role'),
      seen('evidenceRoleArn', e.arn, 'iam:GetRole', 'Role.Arn'),
      seen(
        'roleTrustedPrincipals',
        listed(parts.accounts.map((a) => (a === '*' ? '* (everyone)' : `account ${a}`))),
        'iam:GetRole',
        `${doc} Principal`,
      ),
      seen(
        'rolePrincipalArnPatterns',
        listed(parts.patterns, 'none (any principal of the trusted accounts)'),
        'iam:GetRole',
        `${doc} Condition aws:PrincipalArn`,
      ),
      seen(
        'roleExternalIds',
        listed(parts.externalIds, 'none (no sts:ExternalId condition)'),
        'iam:GetRole',
        `${doc} Condition sts:ExternalId`,
      ),
    );
    if (e.maxSessionDuration !== null)
      out.push(
        seen(
          'roleMaxSessionDuration',
          String(e.maxSessionDuration),
          'iam:GetRole',
          'Role.MaxSessionDuration',
        ),
      );
    if (e.tags.length)
      out.push(
        seen('roleTags', e.tags.map((t) => `${t.Key}=${t.Value}`).join(', '), 'iam:GetRole', 'Role.Tags'),
      );
    if (e.attachedPolicyArns)
      out.push(
        seen(
          'roleAttachedPolicies',
          listed(e.attachedPolicyArns),
          'iam:ListAttachedRolePolicies',
          'AttachedPolicies',
        ),
      );
    if (e.inlinePolicyNames)
      out.push(
        seen('roleInlinePolicies', listed(e.inlinePolicyNames), 'iam:ListRolePolicies', 'PolicyNames'),
      );
  }
  if (e.stack) {
    const s = e.stack;
    out.push(
      seen('stackName', s.name, 'cloudformation:DescribeStacks', 'Stacks[0].StackName'),
      seen('stackStatus', s.status, 'cloudformation:DescribeStacks', 'Stacks[0].StackStatus'),
      seen(
        'stackParameters',
        listed(Object.entries(s.parameters).map(([k, v]) => `${k}=${v}`)),
        'cloudformation:DescribeStacks',
        'Stacks[0].Parameters',
      ),
    );
    if (Object.keys(s.outputs).length)
      out.push(
        seen(
          'stackOutputs',
          Object.entries(s.outputs)
            .map(([k, v]) => `${k}=${v}`)
            .join(', '),
          'cloudformation:DescribeStacks',
          'Stacks[0].Outputs',
        ),
      );
    if (s.driftStatus || s.driftedResources.length)
      out.push(
        seen(
          'stackDriftStatus',
          [s.driftStatus ?? 'unknown', ...s.driftedResources].join('; '),
          'cloudformation:DescribeStacks, DescribeStackResourceDrifts',
          'DriftInformation, StackResourceDrifts',
        ),
      );
  } else if (e.stackError) {
    out.push(
      seen(
        'stackStatus',
        e.stackError === 'ValidationError' ? 'not found' : `not read (${e.stackError})`,
        'cloudformation:DescribeStacks',
        'Error.Code',
      ),
    );
  }
  return out;
}

/** Keys sorted, lists kept in order, single values as one-element lists: two policies compare by meaning. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.length === 1 ? canonical(v[0]) : v.map(canonical);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  return v;
}

/**
 * Is the role's trust policy the one its stack's template writes for the stack's parameters? Null
 * when there is no stack with the template's parameters to compare with.
 */
export function templateDrift(e: RoleEvidence, partition: string): InferredFact | null {
  if (!e.found || !e.stack) return null;
  const p = e.stack.parameters;
  if (!p.ExternalId || !p.AccountId || !p.IAMPrincipal) return null;
  const expected = trustPolicyFor({
    partition,
    trustedAccountId: p.AccountId,
    iamPrincipal: p.IAMPrincipal,
    externalId: p.ExternalId,
  });
  const same = JSON.stringify(canonical(expected)) === JSON.stringify(canonical(e.trustPolicy));
  return inferred(
    'templateDrift',
    same
      ? 'Matches: the role’s trust policy is what the template writes for the stack’s parameters.'
      : `${DRIFTED}: the role’s trust policy is not what the template writes for the stack’s parameters.`,
    ['roleTrustedPrincipals', 'stackParameters'],
  );
}
