import type { Check } from '../../domain/api-contract.ts';
import { type DiffParts, diffParts } from './text-diff.ts';

// View models for the guidance panel: the "what we checked" rows and the evidence shown side by
// side (issue 6, step 6). Pure, so they are unit-tested; the component only renders.

export interface CheckRow {
  id: Check['id'];
  title: string;
  detail: string;
  status: Check['status'];
  /** The status in words, shown beside its glyph (status-glyphs.ts). */
  label: string;
}

const CHECK_LABELS: Record<Check['status'], string> = {
  pass: 'Passed',
  fail: 'Failed',
  warn: 'Warning',
  skipped: 'Skipped',
};

export function checkRows(checks: readonly Check[]): CheckRow[] {
  return checks.map((c) => ({
    id: c.id,
    title: c.title,
    detail: c.detail,
    status: c.status,
    label: CHECK_LABELS[c.status],
  }));
}

/** People's words for the evidence keys (EVIDENCE_KEYS in src/domain/diagnosis/guidance.ts). */
export const EVIDENCE_LABELS: Record<string, string> = {
  callerArn: 'Caller (GetCallerIdentity)',
  principalArn: 'Caller’s aws:PrincipalArn',
  roleArn: 'Role ARN',
  roleAccountId: 'Role’s account',
  callerAccountId: 'Caller’s account',
  trustedAccountId: 'Trusted AccountId (stack parameter)',
  iamPrincipal: 'IAMPrincipal (stack parameter)',
  expectedPrincipalArn: 'Principal ARN the role trusts',
  suggestedIamPrincipal: 'IAMPrincipal that would admit this caller',
  suggestedTrustedAccountId: 'AccountId that would admit this caller',
  accountId: 'Account you are connecting',
  externalId: 'External ID',
  durationSeconds: 'Requested session duration (seconds)',
  maxSessionDuration: 'Role’s maximum session duration (seconds)',
  missingPolicies: 'Missing policies',
  rawCode: 'AWS error code',
  rawMessage: 'AWS error message',
  endpoint: 'Endpoint',
  timeoutMs: 'Timeout (ms)',
  attempts: 'Attempts',
  partition: 'Partition',
  callerPartition: 'Caller’s partition',
  rolePartition: 'Role’s partition',
  policyType: 'Policy type',
};

export function evidenceLabel(key: string): string {
  return (
    EVIDENCE_LABELS[key] ?? key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase())
  );
}

/**
 * Values that answer each other: [what the settings say, what AWS saw]. When a guidance shows both
 * and they differ, the panel puts them side by side with the differing part highlighted.
 */
export const EVIDENCE_PAIRS: readonly (readonly [string, string])[] = [
  ['expectedPrincipalArn', 'principalArn'],
  ['trustedAccountId', 'callerAccountId'],
  ['accountId', 'roleAccountId'],
  ['rolePartition', 'callerPartition'],
  ['iamPrincipal', 'suggestedIamPrincipal'],
  ['maxSessionDuration', 'durationSeconds'],
];

export interface EvidenceItem {
  key: string;
  label: string;
  value: string;
}
export interface EvidencePair {
  expected: EvidenceItem;
  actual: EvidenceItem;
  diff: DiffParts;
}
export interface EvidenceModel {
  pairs: EvidencePair[];
  singles: EvidenceItem[];
}

/** The evidence named in `shows`, in that order, skipping keys without a value; known pairs grouped. */
export function evidenceModel(
  shows: readonly string[],
  evidence: Readonly<Record<string, string>>,
): EvidenceModel {
  const present = [...new Set(shows)].filter((key) => evidence[key] !== undefined && evidence[key] !== '');
  const item = (key: string): EvidenceItem => ({
    key,
    label: evidenceLabel(key),
    value: evidence[key] ?? '',
  });
  const paired = new Set<string>();
  const pairs: EvidencePair[] = [];
  for (const [left, right] of EVIDENCE_PAIRS) {
    if (!present.includes(left) || !present.includes(right) || paired.has(left) || paired.has(right))
      continue;
    paired.add(left).add(right);
    pairs.push({
      expected: item(left),
      actual: item(right),
      diff: diffParts(evidence[left] ?? '', evidence[right] ?? ''),
    });
  }
  return { pairs, singles: present.filter((key) => !paired.has(key)).map(item) };
}

export const SEVERITY_TEXT = { ok: 'OK', warning: 'Warning', error: 'Error' } as const;
