import { describe, expect, it } from 'vitest';
import { contextFrom } from '../domain/trust/conditions.ts';
import { decide } from './policy-match.ts';
import type { Statement } from './scenario.ts';

const ROLE = 'arn:aws:iam::222222222222:role/ProwlerScan';
const allow = (s: Partial<Statement>): Statement =>
  ({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*', ...s }) as Statement;
const deny = (s: Partial<Statement>): Statement => ({ ...allow(s), Effect: 'Deny' }) as Statement;

describe('decide (identity policies and SCPs)', () => {
  it.each([
    ['no statements', [], 'implicit-deny'],
    ['an allow on *', [allow({})], 'allow'],
    ['action names are case-insensitive', [allow({ Action: 'STS:assumerole' })], 'allow'],
    ['action wildcards', [allow({ Action: 'sts:Assume*' })], 'allow'],
    ['another action', [allow({ Action: 'sts:GetCallerIdentity' })], 'implicit-deny'],
    ['NotAction excluding it', [allow({ Action: undefined, NotAction: 'sts:*' })], 'implicit-deny'],
    ['NotAction not excluding it', [allow({ Action: undefined, NotAction: 'iam:*' })], 'allow'],
    [
      'a resource wildcard on the account',
      [allow({ Resource: 'arn:aws:iam::222222222222:role/*' })],
      'allow',
    ],
    [
      'a resource in another account',
      [allow({ Resource: 'arn:aws:iam::333333333333:role/*' })],
      'implicit-deny',
    ],
    [
      'resources are case-sensitive',
      [allow({ Resource: 'arn:aws:iam::222222222222:role/prowlerscan' })],
      'implicit-deny',
    ],
    ['NotResource excluding it', [allow({ Resource: undefined, NotResource: ROLE })], 'implicit-deny'],
    ['a deny wins over an allow', [allow({}), deny({ Resource: ROLE })], 'explicit-deny'],
    [
      'a conditional allow is not assumed to apply',
      [allow({ Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })],
      'implicit-deny',
    ],
    ['a list of actions', [allow({ Action: ['s3:GetObject', 'sts:AssumeRole'] })], 'allow'],
  ] as [string, Statement[], string][])('%s -> %s', (_, statements, expected) => {
    expect(decide(statements, 'sts:AssumeRole', ROLE)).toBe(expected);
  });
});

describe('decide with the request context (conditions)', () => {
  const context = contextFrom({
    'aws:RequestedRegion': 'us-east-1',
    'aws:PrincipalArn': 'arn:aws:iam::111111111111:user/prowler-app',
    'aws:SecureTransport': true,
  });
  const inRegions = (regions: string[]) => ({ StringEquals: { 'aws:RequestedRegion': regions } });
  const outsideRegions = (regions: string[]) => ({ StringNotEquals: { 'aws:RequestedRegion': regions } });

  it.each([
    ['a conditional allow that holds', [allow({ Condition: inRegions(['us-east-1']) })], 'allow'],
    [
      'a conditional allow that does not hold',
      [allow({ Condition: inRegions(['eu-west-1']) })],
      'implicit-deny',
    ],
    [
      'an SCP-style region fence: deny outside the allowed regions, asked inside',
      [allow({}), deny({ Condition: outsideRegions(['us-east-1', 'eu-west-1']) })],
      'allow',
    ],
    [
      'the same fence, asked outside',
      [allow({}), deny({ Condition: outsideRegions(['eu-west-1']) })],
      'explicit-deny',
    ],
    [
      'operators are ANDed: one fails, the statement does not apply',
      [allow({ Condition: { ...inRegions(['us-east-1']), Bool: { 'aws:SecureTransport': 'false' } } })],
      'implicit-deny',
    ],
    [
      'key names are case-insensitive; ArnLike on the principal',
      [allow({ Condition: { ArnLike: { 'AWS:PRINCIPALARN': 'arn:aws:iam::111111111111:user/*' } } })],
      'allow',
    ],
    [
      'a key missing from the context fails a plain operator',
      [allow({ Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })],
      'implicit-deny',
    ],
    [
      'an operator the evaluator cannot read makes the statement not apply',
      [deny({ Condition: { NoSuchOperator: { 'aws:RequestedRegion': 'us-east-1' } } }), allow({})],
      'allow',
    ],
  ] as [string, Statement[], string][])('%s -> %s', (_, statements, expected) => {
    expect(decide(statements, 'sts:AssumeRole', ROLE, context)).toBe(expected);
  });
});

describe('decide on crafted wildcard patterns', () => {
  // A pattern of many stars against a long text that almost matches: a RegExp built from the pattern
  // backtracks through every way of splitting the text (this one did not finish within the test's
  // timeout); the domain's matcher finds each piece once.
  it('answers without backtracking through every split of the text', () => {
    const resource = `arn:aws:iam::222222222222:role/${'a'.repeat(2_000)}`;
    const crafted = allow({ Resource: `arn:aws:iam::222222222222:role/${'*a'.repeat(40)}*b` });
    expect(decide([crafted], 'sts:AssumeRole', resource)).toBe('implicit-deny');
    expect(decide([crafted], 'sts:AssumeRole', `${resource}b`)).toBe('allow');
  });
});
