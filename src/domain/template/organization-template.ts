import { type CallAs, OU_ID_RE, ROOT_ID_RE } from '../org-inputs.ts';
import {
  buildRoleTemplate,
  DEFAULT_ROLE_NAME,
  givenTemplateParams,
  ROLE_ARN_OUTPUT,
  ROLE_LOGICAL_ID,
  ROLE_PARAMETER_LABELS,
  roleParameters,
  roleResource,
  TEMPLATE_PARAMETER_NAMES,
  type TemplateParams,
} from './role-template.ts';
import { toYaml } from './yaml.ts';

// The organization template (issue 14): the scan role in the management account, and a
// SERVICE_MANAGED StackSet that deploys the member-account template to chosen OUs, now and to every
// account that joins them later. Both roles come from roleResource() and the member template is
// buildRoleTemplate() itself, so the StackSet's copy cannot drift from the single-account role.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudformation-stackset.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-manage-auto-deployment.html

export const STACK_SET_LOGICAL_ID = 'ProwlerScanStackSet';
export const ORGANIZATION_TEMPLATE_FILE_NAME = 'prowler-scan-organization.yaml';
export const ORGANIZATION_PARAMETER_NAMES = [
  'OrganizationalUnitIds',
  'CallAs',
  'FailureTolerancePercentage',
  'MaxConcurrentPercentage',
] as const;
export const DEFAULT_FAILURE_TOLERANCE_PERCENTAGE = 10;
export const DEFAULT_MAX_CONCURRENT_PERCENTAGE = 25;
/** The condition under which this stack also creates the role in its own account. */
export const IN_MANAGEMENT_ACCOUNT = 'InManagementAccount';

export interface OrganizationTemplateParams extends Partial<TemplateParams> {
  /** OUs (ou-…) or the root (r-…) the StackSet deploys to; omitted: a required parameter. */
  organizationalUnitIds?: readonly string[];
  callAs?: CallAs;
  failureTolerancePercentage?: number;
  maxConcurrentPercentage?: number;
}

function percentage(name: string, value: number | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < min || value > 100)
    throw new TypeError(`${name}: a whole percentage from ${min} to 100.`);
  return value;
}

function checkedOus(ids: readonly string[] | undefined): string[] | undefined {
  if (ids === undefined) return undefined;
  const trimmed = ids.map((id) => id.trim()).filter(Boolean);
  const bad = trimmed.find((id) => !OU_ID_RE.test(id) && !ROOT_ID_RE.test(id));
  if (bad !== undefined) {
    throw new TypeError(
      `organizationalUnitIds: "${bad.slice(0, 70)}" is not an OU ID (ou-ab12-cd34ef56) or a root ID (r-ab12).`,
    );
  }
  return trimmed.length ? [...new Set(trimmed)] : undefined;
}

/** The member accounts' template: the single-account template without defaults (the StackSet passes them). */
export function memberTemplate(roleName: string = DEFAULT_ROLE_NAME) {
  return buildRoleTemplate({ roleName });
}

/** The StackSet's TemplateBody: compact JSON (TemplateBody is at most 51,200 bytes). */
export function memberTemplateBody(roleName: string = DEFAULT_ROLE_NAME): string {
  return JSON.stringify(memberTemplate(roleName));
}

function organizationParameters(p: OrganizationTemplateParams) {
  const withDefault = <T>(value: T | undefined) => (value === undefined ? {} : { Default: value });
  return {
    OrganizationalUnitIds: {
      Type: 'CommaDelimitedList',
      Description:
        'The OUs (ou-...) the StackSet deploys the role to, comma-separated; the root ID (r-...) means every account. Accounts that join these OUs later get it too.',
      ...withDefault(checkedOus(p.organizationalUnitIds)?.join(',')),
    },
    CallAs: {
      Type: 'String',
      Description:
        'SELF when this stack runs in the management account; DELEGATED_ADMIN when it runs in a delegated administrator account for StackSets (the management account then needs its own role: deploy the single-account template there).',
      AllowedValues: ['SELF', 'DELEGATED_ADMIN'],
      Default: p.callAs ?? 'SELF',
    },
    FailureTolerancePercentage: {
      Type: 'Number',
      Description:
        'Share of accounts per Region whose stack may fail before CloudFormation stops the operation.',
      MinValue: 0,
      MaxValue: 100,
      Default:
        percentage('failureTolerancePercentage', p.failureTolerancePercentage, 0) ??
        DEFAULT_FAILURE_TOLERANCE_PERCENTAGE,
    },
    MaxConcurrentPercentage: {
      Type: 'Number',
      Description: 'Share of accounts CloudFormation deploys to at once.',
      MinValue: 1,
      MaxValue: 100,
      Default:
        percentage('maxConcurrentPercentage', p.maxConcurrentPercentage, 1) ??
        DEFAULT_MAX_CONCURRENT_PERCENTAGE,
    },
  };
}

function stackSetResource(roleName: string) {
  return {
    Type: 'AWS::CloudFormation::StackSet',
    Properties: {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not JavaScript
      StackSetName: { 'Fn::Sub': '${AWS::StackName}-members' },
      Description: 'The read-only scan role in every member account of the chosen OUs.',
      // SERVICE_MANAGED: CloudFormation creates the execution roles in the member accounts itself
      // and can deploy automatically; it never deploys to the management account (hence the role above).
      // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-enable-trusted-access.html
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      CallAs: { Ref: 'CallAs' },
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      OperationPreferences: {
        FailureTolerancePercentage: { Ref: 'FailureTolerancePercentage' },
        MaxConcurrentPercentage: { Ref: 'MaxConcurrentPercentage' },
      },
      Parameters: TEMPLATE_PARAMETER_NAMES.map((name) => ({
        ParameterKey: name,
        ParameterValue: { Ref: name },
      })),
      StackInstancesGroup: [
        {
          DeploymentTargets: { OrganizationalUnitIds: { Ref: 'OrganizationalUnitIds' } },
          // IAM is global: one Region per account creates the role once.
          Regions: [{ Ref: 'AWS::Region' }],
        },
      ],
      TemplateBody: memberTemplateBody(roleName),
    },
  };
}

/**
 * The organization template as an object; the given values become parameter defaults, as in
 * buildRoleTemplate. Throws TypeError on invalid values.
 */
export function buildOrganizationTemplate(given: OrganizationTemplateParams = {}) {
  const { organizationalUnitIds, callAs, failureTolerancePercentage, maxConcurrentPercentage, ...trust } =
    given;
  const params = givenTemplateParams(trust);
  const roleName = params.roleName ?? DEFAULT_ROLE_NAME;
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description:
      'Read-only cross-account role for a security scanner in the management account and, through a service-managed StackSet, in every member account of the chosen OUs.',
    Metadata: {
      'AWS::CloudFormation::Interface': {
        ParameterGroups: [
          { Label: { default: 'Who may assume the role' }, Parameters: [...TEMPLATE_PARAMETER_NAMES] },
          {
            Label: { default: 'Where the StackSet deploys it' },
            Parameters: [...ORGANIZATION_PARAMETER_NAMES],
          },
        ],
        ParameterLabels: {
          ...ROLE_PARAMETER_LABELS,
          OrganizationalUnitIds: { default: 'Target OUs' },
          CallAs: { default: 'This stack runs as' },
          FailureTolerancePercentage: { default: 'Failure tolerance (%)' },
          MaxConcurrentPercentage: { default: 'Accounts at once (%)' },
        },
      },
    },
    Parameters: {
      ...roleParameters(params),
      ...organizationParameters({
        organizationalUnitIds,
        callAs,
        failureTolerancePercentage,
        maxConcurrentPercentage,
      }),
    },
    Conditions: { [IN_MANAGEMENT_ACCOUNT]: { 'Fn::Equals': [{ Ref: 'CallAs' }, 'SELF'] } },
    Resources: {
      [ROLE_LOGICAL_ID]: { Condition: IN_MANAGEMENT_ACCOUNT, ...roleResource(roleName) },
      [STACK_SET_LOGICAL_ID]: stackSetResource(roleName),
    },
    Outputs: {
      RoleArn: { Condition: IN_MANAGEMENT_ACCOUNT, ...ROLE_ARN_OUTPUT },
      StackSetId: {
        Description: 'The StackSet that deploys the role to the member accounts.',
        Value: { Ref: STACK_SET_LOGICAL_ID },
      },
    },
  };
}

const YAML_HEADER = `# Deploy in the management account (or, with CallAs DELEGATED_ADMIN, a delegated administrator):
# aws cloudformation create-stack --stack-name ProwlerScanOrganization --template-body file://${ORGANIZATION_TEMPLATE_FILE_NAME} \\
#   --capabilities CAPABILITY_NAMED_IAM --parameters ParameterKey=ExternalId,ParameterValue=<external id> ...
`;

export function renderOrganizationTemplate(
  params: OrganizationTemplateParams,
  format: 'yaml' | 'json',
): string {
  const template = buildOrganizationTemplate(params);
  return format === 'json' ? `${JSON.stringify(template, null, 2)}\n` : `${YAML_HEADER}${toYaml(template)}`;
}
