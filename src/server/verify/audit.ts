import {
  GetRoleCommand,
  GetRolePolicyCommand,
  type IAMClient,
  ListAttachedRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import type { CallFailure, Outcome } from '../../domain/diagnosis/diagnose.ts';
import type { Audit } from '../../domain/diagnosis-contract.ts';
import type { Partition } from '../../domain/inputs.ts';
import {
  ADDITIONS_POLICY_NAME,
  additionsPolicyDocument,
  MANAGED_POLICY_NAMES,
  managedPolicyArns,
} from '../../domain/template/role-template.ts';
import { type CallPolicy, callAws } from './aws-call.ts';
import type { ScopedClient } from './aws-clients.ts';

// The permission audit, run with the assumed credentials on the role itself (issue 5): are
// SecurityAudit, ViewOnlyAccess and the additions policy there? SecurityAudit grants the role the
// iam:Get*/List* it needs to read itself. GetRolePolicy by name answers NoSuchEntity when the
// inline policy is absent, so ListRolePolicies would only add a third round trip.

export interface AuditResult {
  audit: Audit;
  missing: string[];
  /** What could not be read, e.g. "iam:ListAttachedRolePolicies was denied". */
  notes: string[];
}

const isDenied = (f: CallFailure) =>
  f.error.accessDenied !== undefined || f.error.awsError.code === 'AccessDenied';
const isMissing = (f: CallFailure) => f.error.awsError.code === 'NoSuchEntity';

/** The template's additions actions all appear in the role's inline policy document. */
function coversAdditions(documentText: string | undefined): boolean {
  if (!documentText) return false;
  const wanted = additionsPolicyDocument.Statement.flatMap((s) => [...s.Action]);
  let text = documentText;
  try {
    text = decodeURIComponent(documentText);
  } catch {
    // not URL-encoded after all
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // IAM returns URL-encoded JSON; moto returns a Python dict repr for policies created by its
    // CloudFormation. Fall back to finding each action as a quoted string.
    return wanted.every((a) => text.includes(`'${a}'`) || text.includes(`"${a}"`));
  }
  const statements = (doc as { Statement?: unknown }).Statement;
  const list = Array.isArray(statements) ? statements : [statements];
  const granted = new Set<string>();
  for (const s of list as { Effect?: string; Action?: unknown }[]) {
    if (s?.Effect !== 'Allow') continue;
    for (const a of Array.isArray(s.Action) ? s.Action : [s.Action])
      if (typeof a === 'string') granted.add(a);
  }
  return wanted.every((a) => granted.has(a));
}

export async function auditRole(
  iam: ScopedClient<IAMClient>,
  roleName: string,
  partition: Partition,
  policy: CallPolicy,
): Promise<Outcome<AuditResult>> {
  const [role, attached, inline] = await Promise.all([
    callAws('iam:GetRole', policy, (abortSignal) =>
      iam.send(new GetRoleCommand({ RoleName: roleName }), { abortSignal }),
    ),
    callAws('iam:ListAttachedRolePolicies', policy, (abortSignal) =>
      iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName, MaxItems: 1000 }), { abortSignal }),
    ),
    callAws('iam:GetRolePolicy', policy, (abortSignal) =>
      iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: ADDITIONS_POLICY_NAME }), {
        abortSignal,
      }),
    ),
  ]);
  // Anything but "denied" or "no such policy" means the audit did not run (timeout, throttling, ...).
  for (const r of [role, attached, inline]) {
    if (!r.ok && !isDenied(r.failure) && !(r === inline && isMissing(r.failure))) return r;
  }
  const notes: string[] = [];
  for (const r of [role, attached, inline]) {
    if (!r.ok && isDenied(r.failure))
      notes.push(`${r.failure.error.awsError.call} was denied to the role itself`);
  }
  const attachedArns = new Set(
    attached.ok ? (attached.value.AttachedPolicies ?? []).map((p) => p.PolicyArn) : [],
  );
  const arns = managedPolicyArns(partition);
  const managedPolicies = MANAGED_POLICY_NAMES.map((name, i) => {
    const arn = arns[i] ?? name;
    return { name, arn, present: attachedArns.has(arn) };
  });
  const additionsPresent = inline.ok && coversAdditions(inline.value.PolicyDocument);
  const audit: Audit = {
    managedPolicies,
    additionsPolicy: { name: ADDITIONS_POLICY_NAME, present: additionsPresent },
    maxSessionDuration: role.ok ? (role.value.Role?.MaxSessionDuration ?? null) : null,
  };
  const missing = [
    ...managedPolicies.filter((p) => !p.present).map((p) => p.name),
    ...(additionsPresent ? [] : [ADDITIONS_POLICY_NAME]),
  ];
  return { ok: true, value: { audit, missing, notes } };
}
