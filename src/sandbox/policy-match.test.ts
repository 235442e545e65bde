import { describe, expect, it } from 'vitest';
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
