import { describe, expect, it } from 'vitest';
import { DIAGNOSIS_CODES } from '../../domain/diagnosis/codes.ts';
import { declared, FACT_KEYS, type Fact, inferred, observed } from '../../domain/diagnosis/evidence.ts';
import { guidanceFor } from '../../domain/diagnosis/guidance.ts';
import { FACT_LABELS } from '../../domain/diagnosis/labels.ts';
import type { Check } from '../../domain/diagnosis-contract.ts';
import { checkRows, evidenceModel } from './guidance-model.ts';
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
  const facts: Fact[] = [
    inferred('expectedPrincipalArn', 'arn:aws:iam::111122223333:role/prowler*', [
      'trustedAccountId',
      'iamPrincipal',
    ]),
    inferred('principalArn', 'arn:aws:iam::111122223333:role/scanner', ['callerArn']),
    observed(
      'callerArn',
      'arn:aws:sts::111122223333:assumed-role/scanner/s1',
      'sts:GetCallerIdentity',
      'Arn',
    ),
    declared('trustedAccountId', '111122223333', 'Trust settings: AccountId'),
    declared('roleArn', '', 'Role ARN'),
  ];

  it('pairs what was entered with what AWS answered, each labelled by its source, and highlights the difference', () => {
    const model = evidenceModel(['callerArn', 'principalArn', 'expectedPrincipalArn'], facts);
    expect(model.pairs).toHaveLength(1);
    expect(model.pairs[0]?.expected).toMatchObject({ key: 'expectedPrincipalArn', source: 'We infer' });
    expect(model.pairs[0]?.actual.key).toBe('principalArn');
    expect(model.pairs[0]?.diff).toMatchObject({ expected: 'prowler*', actual: 'scanner' });
    expect(model.sections.map((s) => [s.id, s.items.map((i) => i.key)])).toEqual([
      ['observed', ['callerArn']],
    ]);
  });

  it('groups the rest by source, in the order of shows, and drops missing and empty facts', () => {
    const model = evidenceModel(['trustedAccountId', 'roleArn', 'callerArn', 'callerArn'], facts);
    expect(model.pairs).toEqual([]);
    expect(model.sections).toEqual([
      {
        id: 'observed',
        title: 'AWS answered',
        items: [
          {
            key: 'callerArn',
            label: 'Caller',
            value: 'arn:aws:sts::111122223333:assumed-role/scanner/s1',
            provenance: 'sts:GetCallerIdentity, Arn',
          },
        ],
      },
      {
        id: 'declared',
        title: 'You entered',
        items: [
          {
            key: 'trustedAccountId',
            label: 'Trusted AccountId',
            value: '111122223333',
            provenance: 'Trust settings: AccountId',
          },
        ],
      },
    ]);
  });

  it('observations of the target account are a section of their own', () => {
    const model = evidenceModel(
      ['roleExternalIds'],
      [
        observed(
          'roleExternalIds',
          'an-older-id',
          'iam:GetRole',
          'Role.AssumeRolePolicyDocument',
          'target-account',
        ),
      ],
    );
    expect(model.sections[0]).toMatchObject({
      id: 'observed-target',
      title: 'AWS answered in the target account',
    });
  });
});

describe('evidenceModel over the real guidance catalogue', () => {
  const facts: Fact[] = FACT_KEYS.map((key) => inferred(key, `value-of-${key}`, []));

  it.each(DIAGNOSIS_CODES.map((code) => [code]))(
    '%s: every shown fact appears exactly once, in words',
    (code) => {
      const guidance = guidanceFor(
        { code, confidence: 'confirmed', candidates: [], facts, sourceKind: 'sdk-default' },
        { flavour: 'self-hosted', productName: 'Prowler', deployment: 'node', audience: 'web' },
      );
      const model = evidenceModel(guidance.shows, facts);
      const drawn = [
        ...model.pairs.flatMap((p) => [p.expected.key, p.actual.key]),
        ...model.sections.flatMap((s) => s.items.map((i) => i.key)),
      ];
      expect(drawn.sort()).toEqual([...new Set(guidance.shows)].sort());
      for (const key of guidance.shows) expect(FACT_LABELS[key]).toBeDefined();
    },
  );
});
