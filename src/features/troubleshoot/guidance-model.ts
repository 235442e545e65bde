import type { Fact, FactKey } from '../../domain/diagnosis/evidence.ts';
import { type FactItem, type FactSection, factSections } from '../../domain/diagnosis/labels.ts';
import type { Check } from '../../domain/diagnosis-contract.ts';
import { type DiffParts, diffParts } from './text-diff.ts';

// View models for the guidance panel: the "what we checked" rows and the facts, grouped by where
// they came from and paired side by side. Pure, so they are unit-tested; the component only renders.

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

/**
 * Facts that answer each other: [what was entered (or concluded from it), what AWS answered].
 * When a guidance shows both and they differ, the panel puts them side by side, each labelled by
 * its source, with the differing part highlighted.
 */
export const FACT_PAIRS: readonly (readonly [FactKey, FactKey])[] = [
  ['expectedPrincipalArn', 'principalArn'],
  ['trustedAccountId', 'callerAccountId'],
  ['accountId', 'roleAccountId'],
  ['rolePartition', 'callerPartition'],
  ['externalId', 'roleExternalIds'],
  ['maxSessionDuration', 'durationSeconds'],
  ['roleArn', 'evidenceRoleArn'],
];

export interface PairSide extends FactItem {
  /** "You entered", "AWS answered", ... */
  source: string;
}
export interface FactPair {
  expected: PairSide;
  actual: PairSide;
  diff: DiffParts;
}
export interface EvidenceModel {
  pairs: FactPair[];
  /** The rest, grouped by source; "What AWS saw" is the observed sections alone. */
  sections: FactSection[];
}

/** The facts named in `shows`, known pairs side by side, the rest by where they came from. */
export function evidenceModel(shows: readonly FactKey[], facts: readonly Fact[]): EvidenceModel {
  const sections = factSections(facts, shows);
  const find = (key: FactKey) => {
    for (const section of sections) {
      const item = section.items.find((i) => i.key === key);
      if (item) return { ...item, source: section.title };
    }
    return null;
  };
  const paired = new Set<FactKey>();
  const pairs: FactPair[] = [];
  for (const [left, right] of FACT_PAIRS) {
    const expected = find(left);
    const actual = find(right);
    if (!expected || !actual || paired.has(left) || paired.has(right)) continue;
    paired.add(left).add(right);
    pairs.push({ expected, actual, diff: diffParts(expected.value, actual.value) });
  }
  return {
    pairs,
    sections: sections
      .map((s) => ({ ...s, items: s.items.filter((i) => !paired.has(i.key)) }))
      .filter((s) => s.items.length > 0),
  };
}

export const SEVERITY_TEXT = { ok: 'OK', warning: 'Warning', error: 'Error' } as const;
export const CONFIDENCE_TEXT = { confirmed: 'Confirmed', suspected: 'Suspected' } as const;
