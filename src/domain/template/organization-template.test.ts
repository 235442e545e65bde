import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  buildOrganizationTemplate,
  IN_MANAGEMENT_ACCOUNT,
  memberTemplate,
  renderOrganizationTemplate,
  STACK_SET_LOGICAL_ID,
} from './organization-template.ts';
import { buildRoleTemplate, ROLE_LOGICAL_ID, TEMPLATE_PARAMETER_NAMES } from './role-template.ts';

const PARAMS = {
  externalId: 'ext-7f3a9c2e1b',
  trustedAccountId: '111122223333',
  iamPrincipal: 'user/prowler-app',
};
const OU = 'ou-ab12-cd34ef56';

/** The StackSet's member template, as CloudFormation reads it: the rendered text, parsed. */
function memberFromRendered(format: 'yaml' | 'json', params = {}) {
  const text = renderOrganizationTemplate({ ...PARAMS, organizationalUnitIds: [OU], ...params }, format);
  const parsed = format === 'json' ? JSON.parse(text) : parseYaml(text);
  const body = parsed.Resources[STACK_SET_LOGICAL_ID].Properties.TemplateBody;
  expect(typeof body).toBe('string');
  return { parsed, member: JSON.parse(body) };
}

describe('the organization template: one role definition', () => {
  it.each(['yaml', 'json'] as const)(
    'the member-account role (parsed from the StackSet TemplateBody, %s) equals the single-account role',
    (format) => {
      const { member } = memberFromRendered(format);
      const single = JSON.parse(JSON.stringify(buildRoleTemplate(PARAMS)));
      expect(member.Resources[ROLE_LOGICAL_ID]).toEqual(single.Resources[ROLE_LOGICAL_ID]);
      // Same parameters with the same checks; the StackSet passes the values, so no defaults bake in.
      const withoutDefaults = (ps: Record<string, Record<string, unknown>>) =>
        Object.fromEntries(Object.entries(ps).map(([k, { Default: _, ...rest }]) => [k, rest]));
      expect(withoutDefaults(member.Parameters)).toEqual(withoutDefaults(single.Parameters));
      expect(member.Outputs).toEqual(single.Outputs);
    },
  );

  it('the management-account role is the same role, created only when the stack runs as SELF', () => {
    const { parsed } = memberFromRendered('yaml');
    const single = JSON.parse(JSON.stringify(buildRoleTemplate(PARAMS)));
    const { Condition, ...role } = parsed.Resources[ROLE_LOGICAL_ID];
    expect(Condition).toBe(IN_MANAGEMENT_ACCOUNT);
    expect(role).toEqual(single.Resources[ROLE_LOGICAL_ID]);
    expect(parsed.Conditions[IN_MANAGEMENT_ACCOUNT]).toEqual({ 'Fn::Equals': [{ Ref: 'CallAs' }, 'SELF'] });
  });

  it('a custom role name reaches both roles', () => {
    const { parsed, member } = memberFromRendered('json', { roleName: 'ScanRole' });
    expect(member.Resources[ROLE_LOGICAL_ID].Properties.RoleName).toBe('ScanRole');
    expect(parsed.Resources[ROLE_LOGICAL_ID].Properties.RoleName).toBe('ScanRole');
    expect(memberTemplate('ScanRole')).toEqual(buildRoleTemplate({ roleName: 'ScanRole' }));
  });

  it('the trust parameters are the single-account template’s, with the given defaults', () => {
    const t = buildOrganizationTemplate(PARAMS);
    const single = buildRoleTemplate(PARAMS);
    for (const name of TEMPLATE_PARAMETER_NAMES) expect(t.Parameters[name]).toEqual(single.Parameters[name]);
  });
});

describe('the StackSet', () => {
  const t = buildOrganizationTemplate({ ...PARAMS, organizationalUnitIds: [OU, 'r-ab12', OU] });
  const stackSet = t.Resources[STACK_SET_LOGICAL_ID];

  it('is service-managed, deploys automatically, and passes the trust parameters through', () => {
    expect(stackSet.Type).toBe('AWS::CloudFormation::StackSet');
    expect(stackSet.Properties).toMatchObject({
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      CallAs: { Ref: 'CallAs' },
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      OperationPreferences: {
        FailureTolerancePercentage: { Ref: 'FailureTolerancePercentage' },
        MaxConcurrentPercentage: { Ref: 'MaxConcurrentPercentage' },
      },
      StackInstancesGroup: [
        {
          DeploymentTargets: { OrganizationalUnitIds: { Ref: 'OrganizationalUnitIds' } },
          Regions: [{ Ref: 'AWS::Region' }],
        },
      ],
    });
    expect(stackSet.Properties.Parameters).toEqual([
      { ParameterKey: 'ExternalId', ParameterValue: { Ref: 'ExternalId' } },
      { ParameterKey: 'AccountId', ParameterValue: { Ref: 'AccountId' } },
      { ParameterKey: 'IAMPrincipal', ParameterValue: { Ref: 'IAMPrincipal' } },
    ]);
  });

  it('OUs, CallAs and the tolerances are parameters with the given defaults', () => {
    expect(t.Parameters.OrganizationalUnitIds).toMatchObject({
      Type: 'CommaDelimitedList',
      Default: `${OU},r-ab12`,
    });
    expect(t.Parameters.CallAs).toMatchObject({
      AllowedValues: ['SELF', 'DELEGATED_ADMIN'],
      Default: 'SELF',
    });
    expect(t.Parameters.FailureTolerancePercentage).toMatchObject({ Type: 'Number', Default: 10 });
    expect(t.Parameters.MaxConcurrentPercentage).toMatchObject({ Type: 'Number', Default: 25 });
    const delegated = buildOrganizationTemplate({
      callAs: 'DELEGATED_ADMIN',
      failureTolerancePercentage: 0,
      maxConcurrentPercentage: 100,
    });
    expect(delegated.Parameters.CallAs.Default).toBe('DELEGATED_ADMIN');
    expect(delegated.Parameters.FailureTolerancePercentage.Default).toBe(0);
    expect(delegated.Parameters.MaxConcurrentPercentage.Default).toBe(100);
    expect(delegated.Parameters.OrganizationalUnitIds).not.toHaveProperty('Default');
  });

  it('the TemplateBody fits CloudFormation’s 51,200 bytes', () => {
    expect(Buffer.byteLength(stackSet.Properties.TemplateBody)).toBeLessThan(51_200);
  });

  it.each([
    [{ organizationalUnitIds: ['ou-1'] }, /organizationalUnitIds/],
    [{ organizationalUnitIds: ['OU-AB12-CD34EF56'] }, /organizationalUnitIds/],
    [{ failureTolerancePercentage: 101 }, /failureTolerancePercentage/],
    [{ maxConcurrentPercentage: 0 }, /maxConcurrentPercentage/],
    [{ maxConcurrentPercentage: 2.5 }, /maxConcurrentPercentage/],
    [{ externalId: 'x' }, /externalId/],
  ])('refuses %j', (params, message) => {
    expect(() => buildOrganizationTemplate(params)).toThrow(message);
  });

  it('YAML and JSON are the same template', () => {
    const p = { ...PARAMS, organizationalUnitIds: [OU] };
    expect(parseYaml(renderOrganizationTemplate(p, 'yaml'))).toEqual(
      JSON.parse(renderOrganizationTemplate(p, 'json')),
    );
  });
});
