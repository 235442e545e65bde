import type { DriftFinding, DriftReport } from './connection-contract.ts';
import { TEMPLATE_MAX_SESSION_SECONDS } from './inputs.ts';
import { shellQuote } from './shell-quote.ts';
import { TEMPLATE_FILE_NAME, updateStackCommand } from './template/links.ts';
import {
  ADDITIONS_POLICY_NAME,
  additionsPolicyDocument,
  managedPolicyArns,
  TEMPLATE_CHANGES,
  TEMPLATE_VERSION,
  TEMPLATE_VERSION_TAG,
  trustPolicyFor,
} from './template/role-template.ts';

// Drift: the role's real state (read with the assumed credentials) against the canonical
// template for the connection's declared settings (issue 13). Each finding names the AWS CLI
// command that puts the role back; an outdated template names the update that brings it current.

export interface ObservedRole {
  roleName: string;
  /** As GetRole answers it (URL-decoded JSON); null when it could not be read. */
  trustPolicy: unknown;
  managedPolicyArns: string[] | null;
  inlinePolicies: { name: string; document: unknown }[] | null;
  maxSessionDuration: number | null;
  tags: { Key: string; Value: string }[] | null;
}

export interface DeclaredRole {
  partition: string;
  region: string;
  externalId: string;
  trustedAccountId?: string | undefined;
  iamPrincipal?: string | undefined;
}

/** JSON with object keys sorted and one-element arrays unwrapped: IAM may answer either form. */
export function canonicalJson(value: unknown): string {
  const norm = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      const items = v.map(norm);
      if (items.length === 1) return items[0];
      return items.every((i) => typeof i === 'string') ? [...(items as string[])].sort() : items;
    }
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, norm((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(norm(value));
}

const doc = (value: unknown) => shellQuote(JSON.stringify(value));

function trustFinding(declared: DeclaredRole, observed: ObservedRole, notChecked: string[]): DriftFinding[] {
  if (!declared.trustedAccountId || !declared.iamPrincipal) {
    notChecked.push('trust policy: the trusted account ID and IAM principal were not declared');
    return [];
  }
  if (observed.trustPolicy === null) {
    notChecked.push('trust policy: iam:GetRole did not answer');
    return [];
  }
  const expected = trustPolicyFor({
    partition: declared.partition,
    trustedAccountId: declared.trustedAccountId,
    iamPrincipal: declared.iamPrincipal,
    externalId: declared.externalId,
  });
  if (canonicalJson(expected) === canonicalJson(observed.trustPolicy)) return [];
  return [
    {
      kind: 'trust-policy',
      summary: "The role's trust policy differs from the template's for these trust settings.",
      expected: JSON.stringify(expected),
      actual: JSON.stringify(observed.trustPolicy),
      fix: `aws iam update-assume-role-policy --role-name ${shellQuote(observed.roleName)} --policy-document ${doc(expected)}`,
    },
  ];
}

function managedFindings(
  declared: DeclaredRole,
  observed: ObservedRole,
  notChecked: string[],
): DriftFinding[] {
  if (observed.managedPolicyArns === null) {
    notChecked.push('managed policies: iam:ListAttachedRolePolicies did not answer');
    return [];
  }
  const expected = managedPolicyArns(declared.partition);
  const actual = new Set(observed.managedPolicyArns);
  const role = shellQuote(observed.roleName);
  return [
    ...expected
      .filter((arn) => !actual.has(arn))
      .map(
        (arn): DriftFinding => ({
          kind: 'managed-policy-missing',
          summary: `${arn} is not attached.`,
          expected: arn,
          actual: observed.managedPolicyArns?.join(', ') || '(none attached)',
          fix: `aws iam attach-role-policy --role-name ${role} --policy-arn ${shellQuote(arn)}`,
        }),
      ),
    ...observed.managedPolicyArns
      .filter((arn) => !expected.includes(arn))
      .map(
        (arn): DriftFinding => ({
          kind: 'managed-policy-extra',
          summary: `${arn} is attached but is not in the template (more access than the scanner needs).`,
          expected: expected.join(', '),
          actual: arn,
          fix: `aws iam detach-role-policy --role-name ${role} --policy-arn ${shellQuote(arn)}`,
        }),
      ),
  ];
}

function inlineFindings(observed: ObservedRole, notChecked: string[]): DriftFinding[] {
  if (observed.inlinePolicies === null) {
    notChecked.push('inline policies: iam:ListRolePolicies or iam:GetRolePolicy did not answer');
    return [];
  }
  const role = shellQuote(observed.roleName);
  const put = `aws iam put-role-policy --role-name ${role} --policy-name ${ADDITIONS_POLICY_NAME} --policy-document ${doc(additionsPolicyDocument)}`;
  const additions = observed.inlinePolicies.find((p) => p.name === ADDITIONS_POLICY_NAME);
  const out: DriftFinding[] = [];
  if (!additions) {
    out.push({
      kind: 'inline-policy-missing',
      summary: `The read-only additions policy ${ADDITIONS_POLICY_NAME} is missing.`,
      expected: JSON.stringify(additionsPolicyDocument),
      actual: '(none)',
      fix: put,
    });
  } else if (canonicalJson(additions.document) !== canonicalJson(additionsPolicyDocument)) {
    out.push({
      kind: 'inline-policy-changed',
      summary: `The inline policy ${ADDITIONS_POLICY_NAME} differs from the template's.`,
      expected: JSON.stringify(additionsPolicyDocument),
      actual: JSON.stringify(additions.document),
      fix: put,
    });
  }
  for (const p of observed.inlinePolicies) {
    if (p.name === ADDITIONS_POLICY_NAME) continue;
    out.push({
      kind: 'inline-policy-extra',
      summary: `The inline policy ${p.name} is not in the template.`,
      expected: ADDITIONS_POLICY_NAME,
      actual: JSON.stringify(p.document),
      fix: `aws iam delete-role-policy --role-name ${role} --policy-name ${shellQuote(p.name)}`,
    });
  }
  return out;
}

function durationFinding(observed: ObservedRole, notChecked: string[]): DriftFinding[] {
  if (observed.maxSessionDuration === null) {
    notChecked.push('max session duration: iam:GetRole did not answer');
    return [];
  }
  if (observed.maxSessionDuration === TEMPLATE_MAX_SESSION_SECONDS) return [];
  return [
    {
      kind: 'max-session-duration',
      summary: `MaxSessionDuration is ${observed.maxSessionDuration} s; the template sets ${TEMPLATE_MAX_SESSION_SECONDS} s.`,
      expected: String(TEMPLATE_MAX_SESSION_SECONDS),
      actual: String(observed.maxSessionDuration),
      fix: `aws iam update-role --role-name ${shellQuote(observed.roleName)} --max-session-duration ${TEMPLATE_MAX_SESSION_SECONDS}`,
    },
  ];
}

/** The deployed version: the tag's value, '1' for a role without it (before the tag existed). */
function deployedVersion(observed: ObservedRole): string | null {
  if (observed.tags === null) return null;
  return observed.tags.find((t) => t.Key === TEMPLATE_VERSION_TAG)?.Value ?? '1';
}

function versionFinding(
  declared: DeclaredRole,
  deployed: string | null,
  notChecked: string[],
): DriftFinding[] {
  if (deployed === null) {
    notChecked.push('template version: iam:ListRoleTags did not answer');
    return [];
  }
  if (deployed === TEMPLATE_VERSION) return [];
  const newer = Number(deployed) < Number(TEMPLATE_VERSION);
  const changes = Object.keys(TEMPLATE_CHANGES)
    .filter((v) => Number(v) > Number(deployed) && Number(v) <= Number(TEMPLATE_VERSION))
    .map((v) => `version ${v} ${TEMPLATE_CHANGES[v]}`);
  return [
    {
      kind: 'template-version',
      summary: newer
        ? `The role was deployed from template version ${deployed}; the current template is version ${TEMPLATE_VERSION} (${changes.join('; ')}).`
        : `The role says template version ${deployed}, which this version of the product does not know (current: ${TEMPLATE_VERSION}).`,
      expected: TEMPLATE_VERSION,
      actual: deployed,
      fix: `aws-connect template > ${TEMPLATE_FILE_NAME} && ${updateStackCommand({
        region: declared.region,
        templateFile: TEMPLATE_FILE_NAME,
        params: {},
      })}`,
    },
  ];
}

export function detectDrift(declared: DeclaredRole, observed: ObservedRole, checkedAt: string): DriftReport {
  const notChecked: string[] = [];
  const deployed = deployedVersion(observed);
  const findings = [
    ...trustFinding(declared, observed, notChecked),
    ...managedFindings(declared, observed, notChecked),
    ...inlineFindings(observed, notChecked),
    ...durationFinding(observed, notChecked),
    ...versionFinding(declared, deployed, notChecked),
  ];
  return {
    checkedAt,
    provenance: 'observed',
    findings,
    notChecked,
    templateVersion: { current: TEMPLATE_VERSION, deployed },
  };
}
