import { describe, expect, it } from 'vitest';
import { renderTemplate, trustPolicyFor } from '../domain/template/role-template.ts';
import { parseTemplate, renderOutputs, renderRole, resolveParameters } from './cfn-template.ts';
import { AwsError } from './errors.ts';

// The sandbox's reading of a CloudFormation template: the product's own (YAML and JSON), a
// hand-written one with short tags, and CloudFormation's refusals.

const PSEUDO = {
  partition: 'aws',
  accountId: '333333333333',
  region: 'us-east-1',
  stackName: 'ProwlerScan',
  stackId: 'arn:aws:cloudformation:us-east-1:333333333333:stack/ProwlerScan/x',
};
const VALUES = { ExternalId: 'ext-id-0001', AccountId: '111111111111', IAMPrincipal: 'user/prowler-app' };
const given = (values: Record<string, string>) =>
  Object.entries(values).map(([key, value]) => ({ key, value, usePrevious: false }));

function refusal(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof AwsError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('parseTemplate and renderRole', () => {
  it.each(['yaml', 'json'] as const)(
    'renders the product’s %s template to the role the template describes',
    (format) => {
      const t = parseTemplate(renderTemplate({}, format));
      const role = renderRole(t, resolveParameters(t, given(VALUES), null), PSEUDO, 'x');
      expect(role).toMatchObject({ roleName: 'ProwlerScan', path: '/', maxSessionDuration: 3600 });
      expect(role.trustPolicy).toEqual(
        trustPolicyFor({
          partition: 'aws',
          trustedAccountId: '111111111111',
          iamPrincipal: 'user/prowler-app',
          externalId: 'ext-id-0001',
        }),
      );
      expect(role.managedPolicyArns).toEqual([
        'arn:aws:iam::aws:policy/SecurityAudit',
        'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
      ]);
      expect(
        renderOutputs(t, VALUES, PSEUDO, {
          name: 'ProwlerScan',
          arn: 'arn:aws:iam::333333333333:role/ProwlerScan',
          id: 'AROAX',
        }),
      ).toEqual([
        {
          OutputKey: 'RoleArn',
          OutputValue: 'arn:aws:iam::333333333333:role/ProwlerScan',
          Description: 'Paste this ARN into the connection wizard.',
        },
      ]);
    },
  );

  it('reads the short YAML tags (!Sub, !Ref, !GetAtt, !Join)', () => {
    const t = parseTemplate(`
Parameters:
  Trusted: { Type: String, Default: '111111111111' }
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Join ['-', [scan, !Ref Trusted]]
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { AWS: !Sub 'arn:\${AWS::Partition}:iam::\${Trusted}:root' }
            Action: sts:AssumeRole
Outputs:
  Arn: { Value: !GetAtt R.Arn }
`);
    const values = resolveParameters(t, [], null);
    const role = renderRole(t, values, PSEUDO, 'x');
    expect(role.roleName).toBe('scan-111111111111');
    expect(JSON.stringify(role.trustPolicy)).toContain('arn:aws:iam::111111111111:root');
    expect(renderOutputs(t, values, PSEUDO, { name: 'scan', arn: 'arn:r', id: 'id' })[0]?.OutputValue).toBe(
      'arn:r',
    );
  });

  it.each([
    ['a missing value', { AccountId: '111111111111' }, 'Parameters: [ExternalId] must have values'],
    ['an unknown parameter', { ...VALUES, Extra: 'x' }, 'Parameters: [Extra] do not exist in the template'],
    [
      'a value outside AllowedPattern',
      { ...VALUES, AccountId: '1234' },
      "Parameter 'AccountId' failed to satisfy constraint: An AWS account ID is exactly 12 digits.",
    ],
  ])('resolveParameters refuses %s', (_, values, message) => {
    const t = parseTemplate(renderTemplate({}, 'yaml'));
    expect(refusal(() => resolveParameters(t, given(values), null))).toEqual({
      code: 'ValidationError',
      message,
    });
  });

  it('UsePreviousValue takes the previous value, and is refused with a value or without a previous one', () => {
    const t = parseTemplate(renderTemplate({}, 'yaml'));
    const keep = ['ExternalId', 'AccountId'].map((key) => ({ key, usePrevious: true }));
    expect(
      resolveParameters(t, [...keep, { key: 'IAMPrincipal', value: 'role/x', usePrevious: false }], VALUES),
    ).toEqual({
      ...VALUES,
      IAMPrincipal: 'role/x',
    });
    expect(refusal(() => resolveParameters(t, keep, null)).message).toMatch(
      /Cannot specify usePreviousValue as true for a parameter key not in the previous template/,
    );
  });

  it.each([
    ['not YAML', 'Resources: [', /^Template format error: YAML not well-formed/],
    ['not JSON', '{"Resources": ', /^Template format error: JSON not well-formed/],
    ['no resources', 'Description: x', /At least one Resources member must be defined/],
    [
      'another resource type',
      'Resources:\n  B: { Type: AWS::S3::Bucket }',
      /unsupported resource types: \[AWS::S3::Bucket\]/,
    ],
  ])('parseTemplate refuses %s', (_, body, message) => {
    expect(refusal(() => parseTemplate(body))).toMatchObject({
      code: 'ValidationError',
      message: expect.stringMatching(message),
    });
  });
});
