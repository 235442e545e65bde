import { describe, expect, it } from 'vitest';
import { attribute } from './verify-latency.ts';

describe('attribute (splitting a verification with its report timings)', () => {
  it.each([
    [
      'two round trips, the slower call of each counts',
      250,
      [
        { call: 'sts:GetCallerIdentity', ms: 104 },
        { call: 'sts:AssumeRole', ms: 110 },
        { call: 'sts:AssumeRole (without External ID)', ms: 106 },
        { call: 'iam:GetRole', ms: 112 },
        { call: 'iam:ListAttachedRolePolicies', ms: 118 },
        { call: 'iam:GetRolePolicy', ms: 115 },
      ],
      { first: 110, second: 118, outside: 22 },
    ],
    [
      'failed before the second trip',
      130,
      [{ call: 'sts:AssumeRole', ms: 101 }],
      { first: 101, second: 0, outside: 29 },
    ],
    ['no AWS call at all', 12, [], { first: 0, second: 0, outside: 12 }],
  ])('%s', (_name, total, timings, expected) => {
    expect(attribute(total, timings)).toEqual(expected);
  });
});
