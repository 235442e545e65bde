import type { AwsErrorInfo, CallerIdentity, Flavour, VerifyReport } from '../api-contract.ts';
import { parseRoleArn, principalArnFromCaller } from '../arn.ts';
import type { CredentialSourceKind } from '../inputs.ts';
import { shellQuote } from '../shell-quote.ts';
import { DEFAULT_STACK_NAME, updateStackCommand } from '../template/links.ts';
import type { TemplateParams } from '../template/role-template.ts';
import type { DiagnosisCode } from './codes.ts';

// The shapes of the guidance catalogue and the context-derived values every entry draws on, so
// each entry reads like prose with the user's own values filled in (issue 3, "Guidance catalogue").

export interface GuidanceContext {
  flavour: Flavour;
  productName: string;
  sourceKind: CredentialSourceKind;
  evidence: Record<string, string>;
  request?: Partial<VerifyReport['request']>;
  caller?: CallerIdentity | null;
  awsError?: AwsErrorInfo | null;
}

export interface GuidanceStep {
  text: string;
  /** A shell command to copy, with the user's values in it. */
  command?: string;
  /** A value to copy into a form or the console. */
  value?: { label: string; value: string };
}

export interface Guidance {
  code: DiagnosisCode;
  severity: 'ok' | 'warning' | 'error';
  title: string;
  /** What happened, in one sentence. */
  what: string;
  why: string[];
  steps: GuidanceStep[];
  /** Evidence keys to show, side by side where they pair up. */
  shows: string[];
  learnMore?: { label: string; url: string }[];
}

export type GuidanceBody = Omit<Guidance, 'code' | 'severity'>;

/** Every evidence key the catalogue may name in `shows` (the verify service fills them). */
export const EVIDENCE_KEYS = [
  'callerArn',
  'principalArn',
  'roleArn',
  'roleAccountId',
  'callerAccountId',
  'trustedAccountId',
  'iamPrincipal',
  'expectedPrincipalArn',
  'suggestedIamPrincipal',
  'suggestedTrustedAccountId',
  'accountId',
  'externalId',
  'durationSeconds',
  'maxSessionDuration',
  'missingPolicies',
  'rawCode',
  'rawMessage',
  'endpoint',
  'timeoutMs',
  'attempts',
  'partition',
  'callerPartition',
  'rolePartition',
  'policyType',
] as const;
export type EvidenceKey = (typeof EVIDENCE_KEYS)[number];

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

export const DOCKER_RECREATE = 'docker compose up -d --force-recreate api worker worker-beat';

/** The values a guidance entry needs, resolved once from the context (evidence first, then the request). */
export function helpersFor(ctx: GuidanceContext) {
  const ev = ctx.evidence ?? {};
  const req = ctx.request ?? {};
  const get = (key: string): string | undefined => {
    const v = ev[key];
    return v === undefined || v === '' ? undefined : v;
  };
  const roleArn = get('roleArn') ?? req.roleArn;
  const role = roleArn ? parseRoleArn(roleArn) : null;
  const callerArn = get('callerArn') ?? ctx.caller?.arn;
  const callerPrincipal = callerArn ? principalArnFromCaller(callerArn) : null;
  const region = req.region ?? 'us-east-1';
  const product = ctx.productName || 'The scanner';
  const selfHosted = ctx.flavour === 'self-hosted';
  const sdk = ctx.sourceKind === 'sdk-default';
  const roleName = role?.name ?? 'ProwlerScan';
  const externalId = get('externalId') ?? req.externalId;
  const trustedAccountId = get('trustedAccountId') ?? req.trustedAccountId;
  const iamPrincipal = get('iamPrincipal') ?? req.iamPrincipal;
  const partition = get('rolePartition') ?? role?.partition ?? req.partition ?? 'aws';
  /** The update-stack command that sets only the given parameters (the others keep their values). */
  const updateStack = (params: Partial<TemplateParams>, templateFile?: string) =>
    updateStackCommand({
      region,
      stackName: DEFAULT_STACK_NAME,
      params,
      ...(templateFile ? { templateFile } : {}),
    });
  /** "the server's own credentials" / "the access key you pasted": who the source is, in words. */
  const sourceWords = sdk
    ? selfHosted
      ? "the server's own AWS credentials (the AWS SDK default chain)"
      : `${product}'s own AWS identity`
    : 'the access key you pasted';
  return {
    ctx,
    get,
    product,
    selfHosted,
    sdk,
    hostedSdk: sdk && !selfHosted,
    region,
    roleArn,
    role,
    roleName,
    roleAccountId: get('roleAccountId') ?? role?.accountId,
    callerArn,
    callerPrincipal,
    callerAccountId: get('callerAccountId') ?? ctx.caller?.account,
    externalId,
    trustedAccountId,
    iamPrincipal,
    partition,
    accountId: get('accountId') ?? req.accountId,
    updateStack,
    sourceWords,
    stackNote: `Replace ${DEFAULT_STACK_NAME} with your stack's name if you chose another.`,
    q: shellQuote,
  };
}

export type Helpers = ReturnType<typeof helpersFor>;
