// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings, not JavaScript templates
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { externalIdSchema, PARTITIONS } from '../inputs.ts';
import { evaluate } from '../trust/evaluate.ts';
import { ADDITION_ACTIONS } from './additions.ts';
import {
  ADDITIONS_POLICY_NAME,
  additionsPolicyDocument,
  buildRoleTemplate,
  DEFAULT_IAM_PRINCIPAL,
  DEFAULT_ROLE_NAME,
  MANAGED_POLICY_NAMES,
  managedPolicyArns,
  ROLE_LOGICAL_ID,
  renderTemplate,
  trustPolicyFor,
} from './role-template.ts';

const PARAMS = {
  externalId: 'ext-7f3a9c2e1b',
  trustedAccountId: '111122223333',
  iamPrincipal: 'user/prowler-app',
};

/** CloudFormation's own substitution, done independently of intrinsics.ts, on the parsed YAML text. */
function substitute(node: unknown, values: Record<string, string>): unknown {
  if (Array.isArray(node)) return node.map((n) => substitute(n, values));
  if (typeof node !== 'object' || node === null) return node;
  const o = node as Record<string, unknown>;
  if (typeof o.Ref === 'string') return values[o.Ref];
  if (typeof o['Fn::Sub'] === 'string')
    return o['Fn::Sub'].replace(/\$\{([^}]+)\}/g, (_, k: string) => values[k] ?? `?${k}`);
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, substitute(v, values)]));
}

describe('buildRoleTemplate', () => {
  const t = buildRoleTemplate(PARAMS);
  const role = t.Resources[ROLE_LOGICAL_ID];

  it('bakes the values in as parameter defaults', () => {
    expect(t.Parameters.ExternalId).toMatchObject({ Type: 'String', Default: PARAMS.externalId });
    expect(t.Parameters.AccountId).toMatchObject({ Type: 'String', Default: PARAMS.trustedAccountId });
    expect(t.Parameters.IAMPrincipal).toMatchObject({ Type: 'String', Default: PARAMS.iamPrincipal });
  });

  it('leaves ExternalId and AccountId required when not given, and defaults IAMPrincipal to role/prowler*', () => {
    const bare = buildRoleTemplate({});
    expect(bare.Parameters.ExternalId).not.toHaveProperty('Default');
    expect(bare.Parameters.AccountId).not.toHaveProperty('Default');
    expect(bare.Parameters.IAMPrincipal.Default).toBe(DEFAULT_IAM_PRINCIPAL);
    expect(DEFAULT_IAM_PRINCIPAL).toBe('role/prowler*');
  });

  it('ExternalId is not NoEcho (the quick-create link would drop it) and follows the STS pattern', () => {
    expect(t.Parameters.ExternalId).not.toHaveProperty('NoEcho');
    const pattern = new RegExp(t.Parameters.ExternalId.AllowedPattern);
    for (const ok of ['ab', 'ext-1', 'a+=,.@:/-_Z9', 'x'.repeat(1224)]) {
      expect(pattern.test(ok) && ok.length >= t.Parameters.ExternalId.MinLength).toBe(
        externalIdSchema.safeParse(ok).success,
      );
    }
    for (const bad of ['has space', 'semi;colon', 'quote"']) expect(pattern.test(bad)).toBe(false);
  });

  it('AccountId is exactly 12 digits', () => {
    const pattern = new RegExp(t.Parameters.AccountId.AllowedPattern);
    expect(pattern.test('111122223333')).toBe(true);
    for (const bad of ['11112222333', '1111222233334', '1111-2222-3333'])
      expect(pattern.test(bad)).toBe(false);
  });

  it('the role: default name, custom name, one-hour sessions', () => {
    expect(role.Type).toBe('AWS::IAM::Role');
    expect(role.Properties.RoleName).toBe(DEFAULT_ROLE_NAME);
    expect(DEFAULT_ROLE_NAME).toBe('ProwlerScan');
    expect(buildRoleTemplate({ roleName: 'ScanRole' }).Resources[ROLE_LOGICAL_ID].Properties.RoleName).toBe(
      'ScanRole',
    );
    expect(role.Properties.MaxSessionDuration).toBe(3600);
  });

  it('the trust policy is exactly the one in issue 3', () => {
    expect(role.Properties.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AccountId}:root' } },
          Action: 'sts:AssumeRole',
          Condition: {
            StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } },
            StringLike: {
              'aws:PrincipalArn': { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AccountId}:${IAMPrincipal}' },
            },
          },
        },
      ],
    });
  });

  it('attaches SecurityAudit and job-function/ViewOnlyAccess with partition-aware ARNs', () => {
    expect(MANAGED_POLICY_NAMES).toEqual(['SecurityAudit', 'job-function/ViewOnlyAccess']);
    expect(managedPolicyArns('aws')).toEqual([
      'arn:aws:iam::aws:policy/SecurityAudit',
      'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
    ]);
    expect(managedPolicyArns('aws-us-gov')[0]).toBe('arn:aws-us-gov:iam::aws:policy/SecurityAudit');
    expect(role.Properties.ManagedPolicyArns).toEqual([
      { 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/SecurityAudit' },
      { 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/job-function/ViewOnlyAccess' },
    ]);
  });

  it('the additions policy is read-only, and every action has its reason', () => {
    expect(role.Properties.Policies).toEqual([
      { PolicyName: ADDITIONS_POLICY_NAME, PolicyDocument: additionsPolicyDocument },
    ]);
    const actions = additionsPolicyDocument.Statement[0].Action;
    expect(actions).toEqual(ADDITION_ACTIONS.map((a) => a.action));
    expect(new Set(actions).size).toBe(actions.length);
    for (const { action, reason } of ADDITION_ACTIONS) {
      // Read verbs only: Get, List, Describe, BatchGet, Search, Filter (e.g. logs:FilterLogEvents).
      expect(action, action).toMatch(/^[a-z0-9-]+:(Get|List|Describe|BatchGet|Search|Filter)[A-Za-z]*\*?$/);
      expect(reason.length, action).toBeGreaterThan(20);
    }
    for (const needed of [
      'account:Get*',
      'backup:List*',
      'ec2:GetEbsEncryptionByDefault',
      'ecr:Describe*',
      'lambda:GetFunction*',
    ]) {
      expect(actions).toContain(needed);
    }
    for (const needed of [
      'logs:FilterLogEvents',
      's3:GetAccountPublicAccessBlock',
      'ssm:GetDocument',
      'support:Describe*',
      'tag:GetTagKeys',
    ]) {
      expect(actions).toContain(needed);
    }
    expect(additionsPolicyDocument.Statement.every((s) => s.Effect === 'Allow')).toBe(true);
  });

  it('outputs the role ARN', () => {
    expect(t.Outputs.RoleArn.Value).toEqual({ 'Fn::GetAtt': [ROLE_LOGICAL_ID, 'Arn'] });
  });

  it('treats blank values as not given', () => {
    expect(buildRoleTemplate({ externalId: '', trustedAccountId: '  ', iamPrincipal: '' })).toEqual(
      buildRoleTemplate({}),
    );
  });

  it.each([
    [{ externalId: 'x' }, /externalId/],
    [{ externalId: 'has space' }, /externalId/],
    [{ trustedAccountId: '1234' }, /trustedAccountId/],
    [{ iamPrincipal: 'group/admins' }, /iamPrincipal/],
    [{ roleName: 'bad name' }, /roleName/],
    [{ roleName: 'x'.repeat(65) }, /roleName/],
  ])('refuses %j', (params, message) => {
    expect(() => buildRoleTemplate(params)).toThrow(message);
  });
});

describe('renderTemplate', () => {
  it('YAML and JSON are the same template', () => {
    const fromYaml = parseYaml(renderTemplate(PARAMS, 'yaml'));
    const fromJson = JSON.parse(renderTemplate(PARAMS, 'json'));
    expect(fromYaml).toEqual(fromJson);
    expect(fromJson).toEqual(JSON.parse(JSON.stringify(buildRoleTemplate(PARAMS))));
  });

  it('YAML keeps the 12-digit account and the version date as strings', () => {
    const yaml = parseYaml(renderTemplate(PARAMS, 'yaml'));
    expect(yaml.AWSTemplateFormatVersion).toBe('2010-09-09');
    expect(yaml.Parameters.AccountId.Default).toBe('111122223333');
  });
});

describe('trustPolicyFor: the template’s own text, resolved', () => {
  it.each(PARTITIONS.map((p) => [p]))('matches the rendered YAML resolved by hand in %s', (partition) => {
    const parsed = parseYaml(renderTemplate({}, 'yaml'));
    const fromText = substitute(parsed.Resources[ROLE_LOGICAL_ID].Properties.AssumeRolePolicyDocument, {
      'AWS::Partition': partition,
      AccountId: PARAMS.trustedAccountId,
      IAMPrincipal: PARAMS.iamPrincipal,
      ExternalId: PARAMS.externalId,
    });
    expect(trustPolicyFor({ partition, ...PARAMS })).toEqual(fromText);
  });

  it('is what the evaluator decides on', () => {
    const policy = trustPolicyFor({ partition: 'aws', ...PARAMS });
    const request = (principalArn: string, ext = PARAMS.externalId) => ({
      principalArn,
      context: { 'sts:ExternalId': ext },
    });
    expect(evaluate(policy, request('arn:aws:iam::111122223333:user/prowler-app')).decision).toBe('allow');
    expect(evaluate(policy, request('arn:aws:iam::111122223333:user/prowler-app', 'other')).decision).toBe(
      'deny',
    );
    expect(evaluate(policy, request('arn:aws:sts::111122223333:assumed-role/prowler-x/s')).decision).toBe(
      'deny',
    );
  });
});
