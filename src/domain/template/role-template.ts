import {
  accountIdSchema,
  externalIdSchema,
  iamPrincipalSchema,
  type Partition,
  TEMPLATE_MAX_SESSION_SECONDS,
} from '../inputs.ts';
import { ADDITION_ACTIONS } from './additions.ts';
import { resolveIntrinsics } from './intrinsics.ts';
import { toYaml } from './yaml.ts';

// The scan role's CloudFormation template: ONE source object, rendered to YAML and JSON, and the
// only place the trust policy, managed policies and additions policy are written down. Everything
// else (the evaluator's picture, the sandbox, the audit) reads them from here. Issue 3.

export interface TemplateParams {
  externalId: string;
  /** The account the scanner's identity lives in (the template's AccountId parameter). */
  trustedAccountId: string;
  iamPrincipal: string;
  roleName?: string;
}

export const DEFAULT_ROLE_NAME = 'ProwlerScan';
export const DEFAULT_IAM_PRINCIPAL = 'role/prowler*';
export const ROLE_LOGICAL_ID = 'ProwlerScanRole';
export const MANAGED_POLICY_NAMES = ['SecurityAudit', 'job-function/ViewOnlyAccess'] as const;
export const ADDITIONS_POLICY_NAME = 'ProwlerScanAdditions';
export const TEMPLATE_PARAMETER_NAMES = ['ExternalId', 'AccountId', 'IAMPrincipal'] as const;
export const ROLE_NAME_RE = /^[\w+=,.@-]{1,64}$/;

/**
 * The template's version, written onto the role as a tag so a drift check can tell which
 * template a role came from and name the update that brings it current. Raise it with every
 * change to the role's definition and say what changed in TEMPLATE_CHANGES.
 */
export const TEMPLATE_VERSION_TAG = 'aws-connect:template-version';
export const TEMPLATE_VERSION = '2';
/** What each version changed; a role without the tag was deployed from version 1. */
export const TEMPLATE_CHANGES: Readonly<Record<string, string>> = {
  '1': 'the first template (no version tag)',
  '2': `tags the role with ${TEMPLATE_VERSION_TAG}, so drift checks name the template a role came from`,
};

/** The read-only additions, resolved (the policy has no intrinsic functions). */
export const additionsPolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'ReadOnlyAdditions',
      Effect: 'Allow',
      Action: ADDITION_ACTIONS.map((a) => a.action),
      Resource: '*',
    },
  ],
} as const;

const TRUST_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      // The whole trusted account; the aws:PrincipalArn condition narrows it to IAMPrincipal.
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not JavaScript
      Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AccountId}:root' } },
      Action: 'sts:AssumeRole',
      Condition: {
        // The confused-deputy guard: https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
        StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } },
        StringLike: {
          // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not JavaScript
          'aws:PrincipalArn': { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AccountId}:${IAMPrincipal}' },
        },
      },
    },
  ],
};

/** The three trust parameters, with the given values as defaults: both templates declare exactly these. */
export function roleParameters(params: Partial<TemplateParams>) {
  const withDefault = (value: string | undefined) => (value === undefined ? {} : { Default: value });
  return {
    ExternalId: {
      Type: 'String',
      Description:
        'The External ID the scanner sends with sts:AssumeRole (issued by the scanner; it guards against the confused-deputy problem).',
      // STS's ExternalId pattern (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html).
      // Not NoEcho: the console quick-create link ignores NoEcho parameters.
      AllowedPattern: '^[\\w+=,.@:\\/-]*$',
      MinLength: 2,
      MaxLength: 1224,
      ConstraintDescription:
        'The External ID is 2 to 1224 characters of letters, digits and + = , . @ : / - _.',
      ...withDefault(params.externalId),
    },
    AccountId: {
      Type: 'String',
      Description: 'The AWS account the scanner identity lives in (12 digits).',
      AllowedPattern: '^\\d{12}$',
      ConstraintDescription: 'An AWS account ID is exactly 12 digits.',
      ...withDefault(params.trustedAccountId),
    },
    IAMPrincipal: {
      Type: 'String',
      Description:
        'Which principals in AccountId may assume this role, e.g. role/prowler* or user/prowler-app.',
      AllowedPattern: '^(\\*|(user|role)/[\\w+=,.@*?/-]+)$',
      ConstraintDescription:
        'role/<name> or user/<name> (a path and the wildcards * and ? are allowed), or *.',
      Default: params.iamPrincipal ?? DEFAULT_IAM_PRINCIPAL,
    },
  };
}

export function validateTemplateParams(params: Partial<TemplateParams>): void {
  const checks: [
    string,
    { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } } },
    unknown,
  ][] = [
    ['externalId', externalIdSchema, params.externalId],
    ['trustedAccountId', accountIdSchema, params.trustedAccountId],
    ['iamPrincipal', iamPrincipalSchema, params.iamPrincipal],
  ];
  for (const [name, schema, value] of checks) {
    if (value === undefined) continue;
    const result = schema.safeParse(value);
    if (!result.success || value !== (value as string).trim()) {
      throw new TypeError(`${name}: ${result.error?.issues[0]?.message ?? 'remove the surrounding spaces.'}`);
    }
  }
  if (params.roleName !== undefined && !ROLE_NAME_RE.test(params.roleName)) {
    throw new TypeError('roleName: a role name is 1 to 64 characters of letters, digits and + = , . @ - _.');
  }
}

/** Blank form fields mean "not given", as in the input schemas; the rest is checked (TypeError). */
export function givenTemplateParams<T extends Partial<TemplateParams>>(given: T): T {
  const params = Object.fromEntries(
    Object.entries(given).filter(([, v]) => typeof v === 'string' && v.trim() !== ''),
  ) as T;
  validateTemplateParams(params);
  return params;
}

/** The parameter labels the console shows for the trust parameters. */
export const ROLE_PARAMETER_LABELS = {
  ExternalId: { default: 'External ID' },
  AccountId: { default: 'Trusted account ID' },
  IAMPrincipal: { default: 'Trusted IAM principal' },
};

/**
 * The scan role itself: the one definition every template deploys (this single-account template,
 * the management-account role and the StackSet's member template in organization-template.ts).
 */
export function roleResource(roleName: string = DEFAULT_ROLE_NAME) {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      RoleName: roleName,
      Description: 'Assumed by the security scanner to read this account (read-only).',
      MaxSessionDuration: TEMPLATE_MAX_SESSION_SECONDS,
      AssumeRolePolicyDocument: TRUST_POLICY,
      ManagedPolicyArns: MANAGED_POLICY_NAMES.map((name) => ({
        'Fn::Sub': `arn:\${AWS::Partition}:iam::aws:policy/${name}`,
      })),
      Policies: [{ PolicyName: ADDITIONS_POLICY_NAME, PolicyDocument: additionsPolicyDocument }],
      Tags: [{ Key: TEMPLATE_VERSION_TAG, Value: TEMPLATE_VERSION }],
    },
  };
}

export const ROLE_ARN_OUTPUT = {
  Description: 'Paste this ARN into the connection wizard.',
  Value: { 'Fn::GetAtt': [ROLE_LOGICAL_ID, 'Arn'] },
};

/**
 * The CloudFormation template as an object, with the given values baked in as parameter defaults
 * (an omitted ExternalId or AccountId stays a required parameter). Throws TypeError on invalid values.
 */
export function buildRoleTemplate(given: Partial<TemplateParams> = {}) {
  const params = givenTemplateParams(given);
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description:
      'Read-only cross-account role for a security scanner (SecurityAudit, ViewOnlyAccess and read-only additions).',
    Metadata: {
      'AWS::CloudFormation::Interface': {
        ParameterGroups: [
          { Label: { default: 'Who may assume this role' }, Parameters: [...TEMPLATE_PARAMETER_NAMES] },
        ],
        ParameterLabels: ROLE_PARAMETER_LABELS,
      },
    },
    Parameters: roleParameters(params),
    Resources: { [ROLE_LOGICAL_ID]: roleResource(params.roleName) },
    Outputs: { RoleArn: ROLE_ARN_OUTPUT },
  };
}

export type RoleTemplate = ReturnType<typeof buildRoleTemplate>;

const YAML_HEADER = `# Deploy: aws cloudformation create-stack --stack-name ProwlerScan --template-body file://prowler-scan-role.yaml \\
#   --capabilities CAPABILITY_NAMED_IAM --parameters ParameterKey=ExternalId,ParameterValue=<external id> ...
`;

export function renderTemplate(params: Partial<TemplateParams>, format: 'yaml' | 'json'): string {
  const template = buildRoleTemplate(params);
  return format === 'json' ? `${JSON.stringify(template, null, 2)}\n` : `${YAML_HEADER}${toYaml(template)}`;
}

function roleProperties(template: RoleTemplate) {
  return template.Resources[ROLE_LOGICAL_ID].Properties;
}

// The template's role, unresolved, is the same for every call below: built once, not on each
// verification (twice in its diagnosis, once in its audit). resolveIntrinsics returns new objects,
// so no caller can change it.
let defaultRole: ReturnType<typeof roleProperties> | undefined;
const defaultRoleProperties = () => {
  defaultRole ??= roleProperties(buildRoleTemplate());
  return defaultRole;
};

/** The trust policy a stack deployed with these parameters has: the template's own text, resolved. */
export function trustPolicyFor(args: {
  partition: Partition | string;
  trustedAccountId: string;
  iamPrincipal: string;
  externalId: string;
}) {
  const doc = defaultRoleProperties().AssumeRolePolicyDocument;
  return resolveIntrinsics(doc, {
    'AWS::Partition': args.partition,
    AccountId: args.trustedAccountId,
    IAMPrincipal: args.iamPrincipal,
    ExternalId: args.externalId,
  }) as {
    Version: string;
    Statement: {
      Effect: 'Allow';
      Principal: { AWS: string };
      Action: string;
      Condition: { StringEquals: { 'sts:ExternalId': string }; StringLike: { 'aws:PrincipalArn': string } };
    }[];
  };
}

/** The managed policy ARNs the template attaches, in the given partition. */
export function managedPolicyArns(partition: Partition | string): string[] {
  return resolveIntrinsics(defaultRoleProperties().ManagedPolicyArns, {
    'AWS::Partition': partition,
  }) as string[];
}
