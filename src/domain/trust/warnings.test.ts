import { describe, expect, it } from 'vitest';
import { trustPolicyFor } from '../template/role-template.ts';
import { policyWarnings } from './warnings.ts';

const statement = (fields: Record<string, unknown>) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', ...fields }],
});

describe('policyWarnings: Principal "*" lets anyone assume the role', () => {
  it.each([
    ['"*"', statement({ Principal: '*' })],
    ['{"AWS": "*"}', statement({ Principal: { AWS: '*' } })],
    ['"*" in a list', statement({ Principal: { AWS: ['arn:aws:iam::111122223333:root', '*'] } })],
  ])('Principal %s without a condition', (_, policy) => {
    expect(policyWarnings(policy)).toEqual([
      {
        code: 'PRINCIPAL_ANYONE',
        statement: 1,
        message:
          'Statement 1 allows Principal "*" with no condition: anyone with an AWS account can assume this role.',
      },
    ]);
  });

  it('with conditions: names them, and still warns (an External ID is not a secret)', () => {
    const policy = {
      Statement: {
        Sid: 'Scanner',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': 'x' } },
      },
    };
    expect(policyWarnings(policy).map((w) => w.message)).toEqual([
      'Statement 1 "Scanner" allows Principal "*": any principal of any AWS account can assume this role if it meets the conditions (sts:ExternalId). Name the scanner\'s account in Principal instead.',
    ]);
  });

  it.each([
    [
      'the template',
      trustPolicyFor({
        partition: 'aws',
        trustedAccountId: '111122223333',
        iamPrincipal: '*',
        externalId: 'e',
      }),
    ],
    ['a Deny for everyone', { Statement: [{ Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole' }] }],
    ['one account', statement({ Principal: { AWS: '111122223333' } })],
    ['a service', statement({ Principal: { Service: 'ec2.amazonaws.com' } })],
    ['not a policy', 'nonsense'],
    ['no statement', {}],
  ])('%s: no warning', (_, policy) => {
    expect(policyWarnings(policy)).toEqual([]);
  });
});
