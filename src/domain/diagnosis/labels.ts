import type { Fact, FactKey, FactSource } from './evidence.ts';
import type { RunIn } from './guidance-schema.ts';

// The words for facts, their sources and where commands run, shared by the web app, the CLI and
// the exports. Apart from the schemas so the first screen does not load them.

/** How each source is labelled everywhere (web, CLI, exports). */
export const SOURCE_LABELS: Record<FactSource, string> = {
  observed: 'AWS answered',
  declared: 'You entered',
  inferred: 'We infer',
};

/** People's words for each fact. */
export const FACT_LABELS: Record<FactKey, string> = {
  callerArn: 'Caller',
  callerAccountId: 'Caller’s account',
  callerPartition: 'Caller’s partition',
  principalArn: 'Caller’s aws:PrincipalArn',
  roleArn: 'Role ARN',
  roleName: 'Role name',
  roleAccountId: 'Role’s account',
  rolePartition: 'Role’s partition',
  accountId: 'Account you are connecting',
  trustedAccountId: 'Trusted AccountId',
  iamPrincipal: 'IAMPrincipal',
  externalId: 'External ID sent',
  durationSeconds: 'Requested session duration (seconds)',
  region: 'Region',
  stackName: 'Stack name',
  accessKeyId: 'Access key ID',
  timeoutMs: 'Timeout per AWS call (ms)',
  expectedPrincipalArn: 'Principal ARN your trust settings admit',
  suggestedTrustedAccountId: 'AccountId that admits this caller',
  suggestedIamPrincipal: 'IAMPrincipal that admits this caller',
  trustSettingsAssumed: 'Trust settings assumed',
  accountContradiction: 'Your AccountId and the caller',
  principalContradiction: 'Your IAMPrincipal and the caller',
  roleAccountContradiction: 'Your account and the role ARN',
  roleChaining: 'Role chaining',
  trustVerdict: 'The role’s trust policy, evaluated',
  templateDrift: 'The role against its stack’s template',
  assumedRoleArn: 'Assumed role session',
  maxSessionDuration: 'Role’s maximum session duration (seconds)',
  missingPolicies: 'Missing policies',
  externalIdEnforced: 'AssumeRole without the External ID',
  policyType: 'Policy type',
  rawCode: 'AWS error code',
  rawMessage: 'AWS error message',
  endpoint: 'Endpoint',
  attempts: 'Attempts',
  roleFound: 'The role',
  evidenceRoleArn: 'Role ARN in the target account',
  roleTrustPolicy: 'Trust policy',
  roleTrustedPrincipals: 'Principals the role trusts',
  roleExternalIds: 'External IDs the role requires',
  rolePrincipalArnPatterns: 'aws:PrincipalArn patterns the role admits',
  roleMaxSessionDuration: 'Role’s maximum session duration (seconds)',
  roleTags: 'Role tags',
  roleAttachedPolicies: 'Attached managed policies',
  roleInlinePolicies: 'Inline policies',
  stackStatus: 'Stack status',
  stackParameters: 'Stack parameters',
  stackOutputs: 'Stack outputs',
  stackDriftStatus: 'Stack drift status',
};

/** Where a fact came from, in words: "sts:GetCallerIdentity, Arn" or "Trust settings: AccountId". */
export function provenance(fact: Fact): string {
  switch (fact.source) {
    case 'observed':
      return `${fact.call}, ${fact.field}${fact.seenBy === 'target-account' ? ' (in the target account)' : ''}`;
    case 'declared':
      return fact.input;
    case 'inferred':
      return fact.from.length ? `from ${fact.from.map((k) => FACT_LABELS[k]).join(', ')}` : 'inferred';
  }
}

export const RUN_IN_LABELS: Record<RunIn, string> = {
  'target-account':
    'with the target account’s credentials (the account the role is in; CloudShell there has them)',
  'scanner-account': 'with the scanner account’s credentials (where the scanner’s identity lives)',
  'organization-management': 'with the organization’s management account credentials',
  'this-shell': 'in this shell',
  'server-host': 'where the server runs',
};

export interface FactItem {
  key: FactKey;
  label: string;
  value: string;
  /** "sts:GetCallerIdentity, Arn", "Trust settings: AccountId", "from Caller, …". */
  provenance: string;
}

export interface FactSection {
  id: 'observed' | 'observed-target' | 'declared' | 'inferred';
  /** "AWS answered", "AWS answered in the target account", "You entered", "We infer". */
  title: string;
  items: FactItem[];
}

const SECTION_TITLES: Record<FactSection['id'], string> = {
  observed: SOURCE_LABELS.observed,
  'observed-target': `${SOURCE_LABELS.observed} in the target account`,
  declared: SOURCE_LABELS.declared,
  inferred: SOURCE_LABELS.inferred,
};

function sectionOf(f: Fact): FactSection['id'] {
  if (f.source === 'observed') return f.seenBy === 'target-account' ? 'observed-target' : 'observed';
  return f.source;
}

/**
 * The facts a guidance shows, grouped by where they came from, in `shows` order within a group
 * (all facts when `shows` is omitted). Observations first: "What AWS saw" holds them alone.
 */
export function factSections(facts: readonly Fact[], shows?: readonly FactKey[]): FactSection[] {
  const order = shows ? new Map(shows.map((k, i) => [k, i])) : null;
  const picked = facts
    .filter((f) => f.value !== '' && (!order || order.has(f.key)))
    .map((f, i) => ({ f, i }))
    .sort((a, b) => (order ? (order.get(a.f.key) ?? 0) - (order.get(b.f.key) ?? 0) : 0) || a.i - b.i)
    .map(({ f }) => f);
  const sections = (['observed', 'observed-target', 'declared', 'inferred'] as const).map((id) => ({
    id,
    title: SECTION_TITLES[id],
    items: picked
      .filter((f) => sectionOf(f) === id)
      .map((f) => ({ key: f.key, label: FACT_LABELS[f.key], value: f.value, provenance: provenance(f) })),
  }));
  return sections.filter((s) => s.items.length > 0);
}
