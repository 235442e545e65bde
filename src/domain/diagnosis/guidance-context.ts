import type { AwsErrorInfo, CallerIdentity, Flavour } from '../api-contract.ts';
import { parseRoleArn, principalArnFromCaller } from '../arn.ts';
import type { VerifyReport } from '../diagnosis-contract.ts';
import type { CredentialSourceKind } from '../inputs.ts';
import { shellQuote } from '../shell-quote.ts';
import { DEFAULT_STACK_NAME, updateStackCommand } from '../template/links.ts';
import type { TemplateParams } from '../template/role-template.ts';
import type { DiagnosisCode } from './codes.ts';
import { type Fact, type FactKey, factValue } from './evidence.ts';
import type { Candidate, Confidence, Deployment, GuidanceStep, RenderedGuidance } from './guidance-schema.ts';

// The shapes of the guidance catalogue and the values every entry draws on, resolved once from the
// typed facts, so each entry reads like prose with the user's own values filled in.

export { DEPLOYMENTS, type Deployment } from './guidance-schema.ts';

/** Who reads the guidance: the wizard (about the server), or the CLI (about this shell). */
export interface GuidanceEnv {
  flavour: Flavour;
  productName: string;
  deployment: Deployment;
  audience: 'web' | 'cli';
}

/** What a guidance entry is about: a report's diagnosis, or a failed identity check. */
export interface DiagnosisView {
  code: DiagnosisCode;
  confidence: Confidence;
  candidates: readonly Candidate[];
  facts: readonly Fact[];
  sourceKind: CredentialSourceKind;
  request?: Partial<VerifyReport['request']>;
  caller?: CallerIdentity | null;
  awsError?: AwsErrorInfo | null;
}

export type GuidanceContext = GuidanceEnv & DiagnosisView;

export type { GuidanceStep, RunIn } from './guidance-schema.ts';

export type Guidance = RenderedGuidance;

export type GuidanceBody = Omit<Guidance, 'code' | 'severity' | 'confidence'>;

export const DOCS = {
  confusedDeputy: {
    label: 'The confused deputy problem',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html',
  },
  troubleshootRoles: {
    label: 'Troubleshooting IAM roles',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_roles.html',
  },
  accessDenied: {
    label: 'Troubleshooting access denied errors',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html',
  },
  principalArn: {
    label: 'aws:PrincipalArn',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn',
  },
  principal: {
    label: 'The Principal element',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html',
  },
  assumeRole: {
    label: 'sts:AssumeRole',
    url: 'https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html',
  },
  credentialChain: {
    label: 'The default credential provider chain',
    url: 'https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html',
  },
  accessKeys: {
    label: 'Managing access keys',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html',
  },
  tempCredentials: {
    label: 'Temporary security credentials',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_use-resources.html',
  },
  sigv4: {
    label: 'Troubleshooting Signature Version 4 errors',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-troubleshooting.html',
  },
  scp: {
    label: 'Service control policies',
    url: 'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html',
  },
  boundaries: {
    label: 'Permissions boundaries',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html',
  },
  maxSession: {
    label: 'Role maximum session duration',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-role-settings.html#id_roles_update-session-duration',
  },
  roleChaining: {
    label: 'Role chaining',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining',
  },
  stsRegions: {
    label: 'Managing AWS STS in an AWS Region',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_enable-regions.html',
  },
  optInRegions: {
    label: 'Enable or disable Regions',
    url: 'https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html',
  },
  retries: {
    label: 'Retry behavior in the AWS SDKs',
    url: 'https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html',
  },
  partitions: {
    label: 'AWS partitions',
    url: 'https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html',
  },
  securityAudit: {
    label: 'SecurityAudit managed policy',
    url: 'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/SecurityAudit.html',
  },
  viewOnly: {
    label: 'ViewOnlyAccess managed policy',
    url: 'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/ViewOnlyAccess.html',
  },
  updateStack: {
    label: 'Updating a stack',
    url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks.html',
  },
} as const;

/**
 * aws sso login and aws configure export-credentials exist only in AWS CLI v2; v1 users take the
 * credentials from the access portal instead.
 * https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-sso.html
 * https://docs.aws.amazon.com/singlesignon/latest/userguide/howtogetcredentials.html
 */
export const SSO_NEEDS_V2 =
  'This needs AWS CLI v2 (aws --version prints aws-cli/2…): v1 has no SSO commands; with v1, sign in to the AWS access portal and copy the temporary credentials it shows for the account.';

export const DOCKER_RECREATE = 'docker compose up -d --force-recreate api worker worker-beat';

/** The values a guidance entry needs, resolved once from the context (facts first, then the request). */
export function helpersFor(ctx: GuidanceContext) {
  const req = ctx.request ?? {};
  const get = (key: FactKey): string | undefined => factValue(ctx.facts, key);
  const roleArn = get('roleArn') ?? req.roleArn;
  const role = roleArn ? parseRoleArn(roleArn) : null;
  const callerArn = get('callerArn') ?? ctx.caller?.arn;
  const callerPrincipal = callerArn ? principalArnFromCaller(callerArn) : null;
  const region = req.region ?? get('region') ?? 'us-east-1';
  const product = ctx.productName || 'The scanner';
  const selfHosted = ctx.flavour === 'self-hosted';
  const sdk = ctx.sourceKind === 'sdk-default';
  const cli = ctx.audience === 'cli';
  const roleName = role?.name ?? 'ProwlerScan';
  const externalId = get('externalId') ?? req.externalId;
  const trustedAccountId = get('trustedAccountId') ?? req.trustedAccountId;
  const iamPrincipal = get('iamPrincipal') ?? req.iamPrincipal;
  const partition = get('rolePartition') ?? role?.partition ?? req.partition ?? 'aws';
  const declaredStack = get('stackName') ?? req.stackName;
  const stackName = declaredStack ?? DEFAULT_STACK_NAME;
  const roleAccountId = get('roleAccountId') ?? role?.accountId;
  const accessKeyId = get('accessKeyId');
  /** The update-stack command that sets only the given parameters (the others keep their values). */
  const updateStack = (params: Partial<TemplateParams>, templateFile?: string) =>
    updateStackCommand({ region, stackName, params, ...(templateFile ? { templateFile } : {}) });
  /** "the server's own credentials" / "this shell's credentials" / "the access key you pasted". */
  const sourceWords = sdk
    ? cli
      ? 'this shell’s AWS credentials (the AWS SDK default chain)'
      : selfHosted
        ? "the server's own AWS credentials (the AWS SDK default chain)"
        : `${product}'s own AWS identity`
    : cli
      ? 'the access key given'
      : 'the access key you pasted';
  return {
    ctx,
    get,
    product,
    selfHosted,
    sdk,
    cli,
    deployment: ctx.deployment,
    hostedSdk: sdk && !selfHosted && !cli,
    region,
    roleArn,
    role,
    roleName,
    roleAccountId,
    callerArn,
    callerPrincipal,
    callerAccountId: get('callerAccountId') ?? ctx.caller?.account,
    externalId,
    trustedAccountId,
    iamPrincipal,
    partition,
    accountId: get('accountId') ?? req.accountId,
    stackName,
    /** The access key ID the user entered, when the fix names it (SOURCE_SECRET_INVALID). */
    accessKeyId,
    updateStack,
    sourceWords,
    /** Said when the stack name was not given, so the default in the commands may be wrong. */
    stackNote: declaredStack
      ? ''
      : `Replace ${DEFAULT_STACK_NAME} with your stack's name if you chose another.`,
    q: shellQuote,
  };
}

export type Helpers = ReturnType<typeof helpersFor>;

/**
 * CloudFormation creates and updates stacks in the background: the command returns at once, and
 * verifying before the stack is complete still meets the old role. The waiter returns when it is
 * complete and fails when it rolls back.
 * https://docs.aws.amazon.com/cli/latest/reference/cloudformation/wait/stack-update-complete.html
 */
export function waitStep(h: Helpers, operation: 'create' | 'update' | 'delete'): GuidanceStep {
  const done = { create: 'CREATE_COMPLETE', update: 'UPDATE_COMPLETE', delete: 'deleted' }[operation];
  return {
    text:
      operation === 'delete'
        ? 'Wait until the stack is deleted: a stack of that name cannot be created before.'
        : operation === 'create'
          ? `Wait until the stack is ${done} (a minute or so), then verify again. A new role can take a few seconds more before AWS lets anyone assume it (IAM is eventually consistent): an AccessDenied right after creation may pass on the next try${h.cli ? '' : ' (Verify with “Wait for deployment” keeps trying)'}.`
          : `Wait until the stack is ${done} (a minute or so), then verify again.`,
    command: `aws cloudformation wait stack-${operation}-complete --region ${h.q(h.region)} --stack-name ${h.q(h.stackName)}`,
    runIn: 'target-account',
  };
}
