import { describe, expect, it } from 'vitest';
import type { Check } from '../../domain/api-contract.ts';
import { DIAGNOSIS_CODES } from '../../domain/diagnosis/codes.ts';
import { EVIDENCE_KEYS, guidanceFor } from '../../domain/diagnosis/guidance.ts';
import { checkRows, EVIDENCE_LABELS, evidenceLabel, evidenceModel } from './guidance-model.ts';
import { GLYPHS } from './status-glyphs.ts';

describe('checkRows', () => {
  it('gives every status its own glyph and words, so colour is never the only cue', () => {
    const checks: Check[] = [
      { id: 'source-identity', title: 'Source', status: 'pass', detail: 'ok' },
      { id: 'assume-role', title: 'Assume', status: 'fail', detail: 'denied' },
      { id: 'external-id-enforced', title: 'ExtId', status: 'warn', detail: 'w' },
      { id: 'permission-audit', title: 'Audit', status: 'skipped', detail: 's' },
    ];
    const rows = checkRows(checks);
    expect(rows.map((r) => [r.id, r.label])).toEqual([
      ['source-identity', 'Passed'],
      ['assume-role', 'Failed'],
      ['external-id-enforced', 'Warning'],
      ['permission-audit', 'Skipped'],
    ]);
    expect(new Set(rows.map((r) => GLYPHS[r.status])).size).toBe(4);
    expect(new Set(Object.values(GLYPHS)).size).toBe(Object.keys(GLYPHS).length);
  });
});

describe('evidenceModel', () => {
  const evidence = {
    expectedPrincipalArn: 'arn:aws:iam::111122223333:role/prowler*',
    principalArn: 'arn:aws:iam::111122223333:role/scanner',
    callerArn: 'arn:aws:sts::111122223333:assumed-role/scanner/s1',
    trustedAccountId: '111122223333',
    empty: '',
  };

  it('pairs settings with what AWS saw and highlights the difference', () => {
    const model = evidenceModel(['callerArn', 'principalArn', 'expectedPrincipalArn'], evidence);
    expect(model.pairs).toHaveLength(1);
    expect(model.pairs[0]?.expected.key).toBe('expectedPrincipalArn');
    expect(model.pairs[0]?.actual.key).toBe('principalArn');
    expect(model.pairs[0]?.diff).toMatchObject({ expected: 'prowler*', actual: 'scanner' });
    expect(model.singles.map((s) => s.key)).toEqual(['callerArn']);
  });

  it('keeps unpaired values in the order of shows and drops missing, empty and repeated keys', () => {
    const model = evidenceModel(['trustedAccountId', 'nope', 'empty', 'callerArn', 'callerArn'], evidence);
    expect(model.pairs).toEqual([]);
    expect(model.singles.map((s) => [s.key, s.value])).toEqual([
      ['trustedAccountId', '111122223333'],
      ['callerArn', evidence.callerArn],
    ]);
  });

  it('labels known keys in words and falls back to a readable form of unknown ones', () => {
    expect(evidenceLabel('externalId')).toBe('External ID');
    expect(evidenceLabel('someNewKey')).toBe('Some New Key');
  });
});

describe('evidenceModel over the real guidance catalogue', () => {
  const evidence: Record<string, string> = Object.fromEntries(
    EVIDENCE_KEYS.map((key) => [key, `value-of-${key}`]),
  );

  it.each(DIAGNOSIS_CODES.map((code) => [code]))(
    '%s: every shown key appears exactly once, in words',
    (code) => {
      const guidance = guidanceFor(code, {
        flavour: 'self-hosted',
        productName: 'Prowler',
        sourceKind: 'sdk-default',
        evidence,
      });
      const model = evidenceModel(guidance.shows, evidence);
      const drawn = [
        ...model.pairs.flatMap((p) => [p.expected.key, p.actual.key]),
        ...model.singles.map((s) => s.key),
      ];
      expect(drawn.sort()).toEqual([...new Set(guidance.shows)].sort());
      // Every key the catalogue may name has a label written for people, not a fallback.
      for (const key of guidance.shows) expect(EVIDENCE_LABELS[key]).toBeDefined();
    },
  );

  it('pairs the principal the role trusts with the caller’s for a principal mismatch', () => {
    const guidance = guidanceFor('TRUST_PRINCIPAL_MISMATCH', {
      flavour: 'self-hosted',
      productName: 'Prowler',
      sourceKind: 'sdk-default',
      evidence,
    });
    const pairs = evidenceModel(guidance.shows, evidence).pairs.map((p) => [p.expected.key, p.actual.key]);
    expect(pairs).toContainEqual(['expectedPrincipalArn', 'principalArn']);
  });
});
