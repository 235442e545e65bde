import { describe, expect, it } from 'vitest';
import type { Evaluation, StatementExplanation } from '../../domain/trust/explanation.ts';
import { callerLink, PATH_UNKNOWN_NOTE, sentence, trustChainModel } from './trust-chain-model.ts';

const TRUSTED = 'arn:aws:iam::111122223333:root';
const CALLER = 'arn:aws:iam::111122223333:role/scanner';

function statement(overrides: Partial<StatementExplanation> = {}): StatementExplanation {
  return {
    index: 0,
    effect: 'Allow',
    principal: { matched: true, policyValues: [TRUSTED], requestValue: CALLER, negated: false },
    action: {
      matched: true,
      policyValues: ['sts:AssumeRole'],
      requestValue: 'sts:AssumeRole',
      negated: false,
    },
    conditions: [
      {
        operator: 'StringEquals',
        key: 'sts:ExternalId',
        policyValues: ['expected-id-1234'],
        requestValue: 'expected-id-1234',
        matched: true,
      },
      {
        operator: 'StringLike',
        key: 'aws:PrincipalArn',
        policyValues: ['arn:aws:iam::111122223333:role/prowler*'],
        requestValue: CALLER,
        matched: false,
      },
    ],
    applies: false,
    ...overrides,
  };
}

function evaluation(statements: StatementExplanation[], overrides: Partial<Evaluation> = {}): Evaluation {
  return { decision: 'deny', reason: 'implicit-deny', statements, policyErrors: [], ...overrides };
}

describe('trustChainModel', () => {
  it('draws principal, action and each condition, with the failing link diffed', () => {
    const model = trustChainModel(evaluation([statement()]));
    expect(model.decision).toBe('deny');
    expect(model.primary?.links.map((l) => [l.title, l.status])).toEqual([
      ['Principal', 'pass'],
      ['Action', 'pass'],
      ['StringEquals sts:ExternalId', 'pass'],
      ['StringLike aws:PrincipalArn', 'fail'],
    ]);
    const failing = model.primary?.links[3];
    expect(failing?.expected).toEqual(['arn:aws:iam::111122223333:role/prowler*']);
    expect(failing?.actual).toBe(CALLER);
    expect(failing?.diff).toMatchObject({ expected: 'prowler*', actual: 'scanner' });
    expect(failing?.statusText).toBe('Does not match');
    // Passing links never carry a highlight.
    expect(model.primary?.links.slice(0, 3).every((l) => l.diff === null)).toBe(true);
  });

  it('says when the request lacks a condition key and does not diff against nothing', () => {
    const s = statement({
      conditions: [
        {
          operator: 'StringEquals',
          key: 'sts:ExternalId',
          policyValues: ['abc'],
          requestValue: null,
          matched: false,
        },
      ],
    });
    const link = trustChainModel(evaluation([s])).primary?.links[2];
    expect(link).toMatchObject({
      actual: null,
      diff: null,
      status: 'fail',
      note: 'sts:ExternalId is not in the request.',
    });
  });

  it('keeps the evaluator’s own note when it has one', () => {
    const s = statement({
      conditions: [
        {
          operator: 'StringEquals',
          key: 'sts:ExternalId',
          policyValues: ['a'],
          requestValue: null,
          matched: false,
          note: 'gone',
        },
      ],
    });
    expect(trustChainModel(evaluation([s])).primary?.links[2]?.note).toBe('Gone.');
  });

  it.each(['StringNotEquals', 'ForAnyValue:StringNotLike', 'ArnNotLikeIfExists'])(
    'does not highlight the negative operator %s (the values are equal when it fails)',
    (operator) => {
      const s = statement({
        conditions: [
          {
            operator,
            key: 'aws:PrincipalArn',
            policyValues: [CALLER],
            requestValue: CALLER,
            matched: false,
          },
        ],
      });
      const link = trustChainModel(evaluation([s])).primary?.links[2];
      expect(link).toMatchObject({ status: 'fail', diff: null, expectedLabel: 'Policy excludes' });
    },
  );

  it('joins multi-valued request keys and does not diff them', () => {
    const s = statement({
      conditions: [
        {
          operator: 'ForAnyValue:StringEquals',
          key: 'aws:TagKeys',
          policyValues: ['x'],
          requestValue: ['a', 'b'],
          matched: false,
        },
      ],
    });
    expect(trustChainModel(evaluation([s])).primary?.links[2]).toMatchObject({ actual: 'a, b', diff: null });
  });

  it('shows the Allow that applied when allowed, and the rest as others', () => {
    const deny = statement({ index: 0, effect: 'Deny', applies: false });
    const allow = statement({ index: 1, sid: 'Scanner', applies: true, conditions: [] });
    const model = trustChainModel(evaluation([deny, allow], { decision: 'allow', reason: 'allowed' }));
    expect(model.primary?.heading).toBe('Statement 2 “Scanner” (Allow)');
    expect(model.summary).toBe('Allowed: Statement 2 “Scanner” (Allow) admits this caller.');
    expect(model.others.map((o) => o.index)).toEqual([0]);
    // A Deny statement's links only match or not: a match there is not a "pass".
    expect(model.others[0]?.links.every((l) => l.status === 'info')).toBe(true);
  });

  it('shows the Deny that applied on an explicit deny', () => {
    const allow = statement({ index: 0, applies: true, conditions: [] });
    const deny = statement({ index: 1, effect: 'Deny', applies: true, conditions: [] });
    const model = trustChainModel(evaluation([allow, deny], { reason: 'explicit-deny' }));
    expect(model.primary?.index).toBe(1);
    expect(model.primary?.verdict).toMatch(/Deny always wins/);
    expect(model.summary).toMatch(/^Denied: Statement 2/);
  });

  it('on an implicit deny picks the Allow that came closest, first on ties', () => {
    const far = statement({
      index: 0,
      principal: {
        matched: false,
        policyValues: ['arn:aws:iam::999999999999:root'],
        requestValue: CALLER,
        negated: false,
      },
    });
    const close = statement({ index: 1 });
    const tie = statement({ index: 2 });
    const model = trustChainModel(evaluation([far, close, tie]));
    expect(model.primary?.index).toBe(1);
    expect(model.summary).toMatch(/closest one/);
    expect(model.others.map((o) => o.index)).toEqual([0, 2]);
    const principal = model.others[0]?.links[0];
    expect(principal?.diff).toMatchObject({
      expected: '999999999999:root',
      actual: '111122223333:role/scanner',
    });
  });

  it('explains a document that could not be read', () => {
    const model = trustChainModel(evaluation([], { policyErrors: ['Statement is missing'] }));
    expect(model).toMatchObject({
      primary: null,
      others: [],
      policyErrors: ['Statement is missing'],
      summary: 'Denied: the policy document could not be read.',
    });
  });

  it('says so when only Deny statements exist', () => {
    const model = trustChainModel(evaluation([statement({ effect: 'Deny' })]));
    expect(model.primary).toBeNull();
    expect(model.summary).toBe('Denied: no Allow statement could admit this caller.');
  });
});

describe('sentence', () => {
  it.each([
    ['the caller is in account 1', 'The caller is in account 1.'],
    ['sts:ExternalId is missing from the request', 'sts:ExternalId is missing from the request.'],
    ['aws:PrincipalArn does not match.', 'aws:PrincipalArn does not match.'],
    ['"*" trusts every principal', '"*" trusts every principal.'],
    ['Already fine?', 'Already fine?'],
    ['', undefined],
    [undefined, undefined],
  ])('%s', (input, expected) => {
    expect(sentence(input)).toBe(expected);
  });
});

describe('callerLink', () => {
  it('says the caller is unknown rather than drawing an empty value', () => {
    const link = callerLink({ callerArn: null, principalArn: '' });
    expect(link).toMatchObject({
      actual: null,
      missingText: '(unknown)',
      note: 'AWS did not say who the caller is.',
    });
  });

  it.each([
    [
      'IAM user: the ARN is shown once',
      { callerArn: 'arn:aws:iam::1:user/a', principalArn: 'arn:aws:iam::1:user/a' },
      [],
      undefined,
    ],
    [
      'role session: both ARNs and the path caveat',
      {
        callerArn: 'arn:aws:sts::1:assumed-role/r/s',
        principalArn: 'arn:aws:iam::1:role/r',
        pathUnknown: true,
      },
      ['arn:aws:sts::1:assumed-role/r/s'],
      PATH_UNKNOWN_NOTE,
    ],
    ['no session ARN known', { callerArn: null, principalArn: 'arn:aws:iam::1:role/r' }, [], undefined],
  ])('%s', (_name, input, expected, note) => {
    const link = callerLink(input);
    expect(link.expected).toEqual(expected);
    expect(link.actual).toBe(input.principalArn);
    expect(link.note).toBe(note);
    expect(link.status).toBe('info');
  });
});
