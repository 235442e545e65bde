// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings, not JavaScript templates
import { describe, expect, it } from 'vitest';
import { resolveIntrinsics } from './intrinsics.ts';

describe('resolveIntrinsics', () => {
  const values = { 'AWS::Partition': 'aws-cn', AccountId: '111122223333', ExternalId: 'e-1' };
  it('resolves Ref and Fn::Sub, and keeps ${!Literal} literal', () => {
    expect(
      resolveIntrinsics(
        {
          a: { Ref: 'ExternalId' },
          b: [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AccountId}:root ${!Keep}' }],
          c: 3,
        },
        values,
      ),
    ).toEqual({ a: 'e-1', b: ['arn:aws-cn:iam::111122223333:root ${Keep}'], c: 3 });
  });
  it('refuses a reference it has no value for, instead of leaving it half-resolved', () => {
    expect(() => resolveIntrinsics({ Ref: 'Nope' }, values)).toThrow(/Nope/);
    expect(() => resolveIntrinsics({ 'Fn::Sub': '${Nope}' }, values)).toThrow(/Nope/);
  });
});
