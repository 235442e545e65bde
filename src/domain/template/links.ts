import { partitionForRegion } from '../regions.ts';
import { shellQuote } from '../shell-quote.ts';
import {
  ADDITIONS_POLICY_NAME,
  additionsPolicyDocument,
  DEFAULT_IAM_PRINCIPAL,
  DEFAULT_ROLE_NAME,
  managedPolicyArns,
  type TemplateParams,
  trustPolicyFor,
} from './role-template.ts';

// Ways to deploy the template besides the download: the console quick-create link, AWS CLI
// commands, and a Terraform variant. docs/design.md#aws-facts-the-validation-follows and issue 3.

export const DEFAULT_STACK_NAME = 'ProwlerScan';
export const TEMPLATE_FILE_NAME = 'prowler-scan-role.yaml';

type Params = Partial<TemplateParams>;

/** Template parameter name -> value, in the template's order, for the values that are set. */
export function templateParameters(params: Params): [string, string][] {
  const out: [string, string][] = [];
  if (params.externalId) out.push(['ExternalId', params.externalId]);
  if (params.trustedAccountId) out.push(['AccountId', params.trustedAccountId]);
  if (params.iamPrincipal) out.push(['IAMPrincipal', params.iamPrincipal]);
  return out;
}

const CONSOLE_HOSTS: Partial<Record<string, string>> = {
  aws: 'console.aws.amazon.com',
  'aws-cn': 'console.amazonaws.cn',
  'aws-us-gov': 'console.amazonaws-us-gov.com',
};

/** A DNS name is at most 253 characters; a longer "host" is no S3 endpoint. */
const MAX_HOST_LENGTH = 253;
const S3_LABEL = /^s3(-[a-z0-9-]+)?$/;
const DNS_LABEL = /^[a-z0-9-]+$/;

/**
 * `s3` or `s3-<region>` (the legacy dash form), then only DNS labels up to amazonaws.com or
 * amazonaws.com.cn: bucket.s3.amazonaws.com, s3.us-east-1.amazonaws.com,
 * bucket.s3-us-west-2.amazonaws.com, bucket.s3.cn-north-1.amazonaws.com.cn.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html
 * Label by label from the end, each label tested once by an anchored pattern: linear in the
 * host's length (a single regex over the whole host backtracked on crafted names).
 */
function isS3Host(host: string): boolean {
  if (host.length > MAX_HOST_LENGTH) return false;
  const labels = host.split('.');
  const suffix = labels.at(-1) === 'cn' ? ['amazonaws', 'com', 'cn'] : ['amazonaws', 'com'];
  const end = labels.length - suffix.length;
  if (end < 1 || suffix.some((label, i) => labels[end + i] !== label)) return false;
  for (let i = end - 1; i >= 0; i--) {
    const label = labels[i] as string;
    if (S3_LABEL.test(label)) return true;
    if (!DNS_LABEL.test(label)) return false;
  }
  return false;
}

/** The console takes quick-create templates only from Amazon S3 (https). */
export function isS3TemplateUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === 'https:' &&
    isS3Host(parsed.hostname) &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/**
 * https://<region>.console.aws.amazon.com/cloudformation/home?region=<region>#/stacks/quickcreate?templateURL=...&stackName=...&param_X=...
 * Null when there is no S3 template URL, or the partition has no public console: callers then offer
 * the download and the CLI command instead of a broken link.
 */
export function quickCreateUrl(args: {
  templateUrl: string | null | undefined;
  region: string;
  stackName?: string;
  params: Params;
  /** More template parameters, e.g. the organization template's OrganizationalUnitIds. */
  extra?: [string, string][];
}): string | null {
  if (!args.templateUrl || !isS3TemplateUrl(args.templateUrl)) return null;
  if (!/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(args.region)) return null;
  const host = CONSOLE_HOSTS[partitionForRegion(args.region)];
  if (!host) return null;
  const query = [
    `templateURL=${encodeURIComponent(args.templateUrl)}`,
    `stackName=${encodeURIComponent(args.stackName ?? DEFAULT_STACK_NAME)}`,
    ...[...templateParameters(args.params), ...(args.extra ?? [])].map(
      ([k, v]) => `param_${k}=${encodeURIComponent(v)}`,
    ),
  ].join('&');
  return `https://${args.region}.${host}/cloudformation/home?region=${args.region}#/stacks/quickcreate?${query}`;
}

function cliParameter(key: string, value: string | null): string {
  // The CLI's shorthand syntax splits on commas and reads quotes, brackets and braces, so any value
  // with more than plain ARN characters goes in the JSON form, which it takes as written.
  // https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-shorthand.html
  if (value === null) return `ParameterKey=${key},UsePreviousValue=true`;
  if (!/^[\w+=.@:/*-]+$/.test(value))
    return shellQuote(JSON.stringify({ ParameterKey: key, ParameterValue: value }));
  return shellQuote(`ParameterKey=${key},ParameterValue=${value}`);
}

interface CommandArgs {
  region: string;
  stackName?: string;
  params: Params;
  /** Defaults to file://prowler-scan-role.yaml (the downloaded template). */
  templateFile?: string;
}

/** `aws cloudformation create-stack` with the values; CAPABILITY_NAMED_IAM because the role has a fixed name. */
export function createStackCommand(args: CommandArgs): string {
  const parameters = templateParameters(args.params).map(([k, v]) => cliParameter(k, v));
  return [
    'aws cloudformation create-stack',
    `--region ${shellQuote(args.region)}`,
    `--stack-name ${shellQuote(args.stackName ?? DEFAULT_STACK_NAME)}`,
    `--template-body ${shellQuote(`file://${args.templateFile ?? TEMPLATE_FILE_NAME}`)}`,
    '--capabilities CAPABILITY_NAMED_IAM',
    ...(parameters.length ? [`--parameters ${parameters.join(' ')}`] : []),
  ].join(' \\\n  ');
}

/**
 * `aws cloudformation update-stack` that changes only the parameters given (the fix for a wrong
 * IAMPrincipal or AccountId); the others keep their values. It keeps the deployed template unless
 * `templateFile` names a new one (the fix for a role that drifted from the template).
 */
export function updateStackCommand(args: CommandArgs): string {
  const given = new Map(templateParameters(args.params));
  const parameters = ['ExternalId', 'AccountId', 'IAMPrincipal'].map((k) =>
    cliParameter(k, given.get(k) ?? null),
  );
  return [
    'aws cloudformation update-stack',
    `--region ${shellQuote(args.region)}`,
    `--stack-name ${shellQuote(args.stackName ?? DEFAULT_STACK_NAME)}`,
    args.templateFile
      ? `--template-body ${shellQuote(`file://${args.templateFile}`)}`
      : '--use-previous-template',
    '--capabilities CAPABILITY_NAMED_IAM',
    `--parameters ${parameters.join(' ')}`,
  ].join(' \\\n  ');
}

/** JSON as an HCL object expression, laid out the way `terraform fmt` writes it ("key" : value). */
function hclObject(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/^(\s*"(?:[^"\\]|\\.)*"): /gm, '$1 : ');
}

function hclString(value: string): string {
  // HCL strings: JSON escapes plus "${" and "%{" start templates, so double their first character.
  return JSON.stringify(value).replaceAll('${', '$${').replaceAll('%{', '%%{');
}

/**
 * The same role in Terraform. The trust and managed-policy ARNs come from the template's own
 * text resolved with Terraform references, so the two cannot drift.
 */
export function terraformSnippet(params: Params): string {
  const P = '__PARTITION__';
  const trust = trustPolicyFor({
    partition: P,
    trustedAccountId: '__ACCOUNT__',
    iamPrincipal: '__PRINCIPAL__',
    externalId: '__EXTERNAL_ID__',
  });
  const tf = (expression: string) => `\${${expression}}`;
  const refs: Record<string, string> = {
    __PARTITION__: tf('data.aws_partition.current.partition'),
    __ACCOUNT__: tf('var.trusted_account_id'),
    __PRINCIPAL__: tf('var.iam_principal'),
    __EXTERNAL_ID__: tf('var.external_id'),
  };
  const withRefs = (text: string) => text.replace(/__[A-Z_]+__/g, (m) => refs[m] ?? m);
  const trustJson = withRefs(hclObject(trust).replaceAll('${', '$${'));
  const managed = managedPolicyArns(P).map(
    (arn) => `  ${hclString(arn).replace('__PARTITION__', refs.__PARTITION__ ?? '')}`,
  );
  const variable = (name: string, description: string, value: string | undefined) =>
    `variable "${name}" {\n  type        = string\n  description = ${hclString(description)}${value ? `\n  default     = ${hclString(value)}` : ''}\n}`;
  return `${[
    variable('external_id', 'The External ID the scanner sends with sts:AssumeRole.', params.externalId),
    variable('trusted_account_id', 'The AWS account the scanner identity lives in.', params.trustedAccountId),
    variable(
      'iam_principal',
      'Which principals in that account may assume the role.',
      params.iamPrincipal ?? DEFAULT_IAM_PRINCIPAL,
    ),
    'data "aws_partition" "current" {}',
    `resource "aws_iam_role" "scan" {
  name                 = ${hclString(params.roleName ?? DEFAULT_ROLE_NAME)}
  max_session_duration = 3600
  assume_role_policy = jsonencode(${trustJson.replaceAll('\n', '\n  ')})
}`,
    `resource "aws_iam_role_policy_attachment" "managed" {
  for_each = toset([
${managed.map((l) => `  ${l},`).join('\n')}
  ])
  role       = aws_iam_role.scan.name
  policy_arn = each.value
}`,
    `resource "aws_iam_role_policy" "additions" {
  name = ${hclString(ADDITIONS_POLICY_NAME)}
  role = aws_iam_role.scan.id
  policy = jsonencode(${hclObject(additionsPolicyDocument).replaceAll('\n', '\n  ')})
}`,
    'output "role_arn" {\n  value = aws_iam_role.scan.arn\n}',
  ].join('\n\n')}\n`;
}
