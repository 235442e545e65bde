import {
  CloudFormationClient,
  DescribeStackResourceDriftsCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import {
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { parseRoleArn } from '../domain/arn.ts';
import { doctorView } from '../domain/diagnosis/diagnosis-view.ts';
import { type DoctorInput, doctorInputSchema, doctorVerdict } from '../domain/diagnosis/doctor.ts';
import { guidanceFor } from '../domain/diagnosis/guidance.ts';
import { DOCTOR_FORMAT, parseRoleEvidence } from '../domain/diagnosis/role-evidence.ts';
import { fieldErrorsFrom } from '../domain/field-errors.ts';
import { DEFAULT_STACK_NAME } from '../domain/template/links.ts';
import { ADDITIONS_POLICY_NAME } from '../domain/template/role-template.ts';
import { ConfigError, loadAwsSettings } from '../server/config.ts';
import { CLI_GUIDANCE } from './cli-guidance.ts';
import { formatRendered } from './format-guidance.ts';
import { parseOptions, UsageError } from './parse-options.ts';

// `aws-connect doctor` (issue 12, item 3): run with the TARGET account's credentials, it reads the
// role and its stack itself, evaluates the real trust policy for the scanner's ARN and External ID,
// and prints the confirmed cause and its fix. Its --json output is accepted as role evidence by
// `aws-connect verify --role-evidence` and the wizard. Exit 0 admitted with nothing to fix, 1
// refused or something to fix (like verify, decision 009), 2 bad input or the role unreadable.

const USAGE = `aws-connect doctor --role-arn ARN --scanner-arn ARN --external-id ID [options]

Reads the role with this shell's credentials (those of the role's account) and tells whether the
scanner would be admitted, and if not, exactly why and how to fix it.
  --role-arn ARN       the role, e.g. arn:aws:iam::123456789012:role/ProwlerScan
  --scanner-arn ARN    who the scanner runs as, e.g. arn:aws:iam::111111111111:user/prowler-app
                       (or the assumed-role ARN aws sts get-caller-identity prints for it)
  --external-id ID     the External ID the scanner sends
  --stack-name N       the stack that deployed the role (default ${DEFAULT_STACK_NAME})
  --region R           the stack's region (default AWS_REGION, else us-east-1)
  --json               print the evidence and the verdict as one JSON object (accepted as --role-evidence)
Exit status: 0 the scanner is admitted and nothing needs fixing, 1 it is refused or something
needs fixing, 2 bad input or the role could not be read.`;

const FLAGS = {
  'role-arn': 'roleArn',
  'scanner-arn': 'scannerArn',
  'external-id': 'externalId',
  'stack-name': 'stackName',
  region: 'region',
} as const;

function fail(message: string): number {
  process.stderr.write(`aws-connect doctor: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  return 2;
}

/** A failed call as the aws CLI prints it, so the doctor's JSON reads like its shell command's. */
function asCliError(operation: string, e: unknown): { error: string } {
  // The SDK names the class (NoSuchEntityException); the CLI, like AWS, prints the code (NoSuchEntity).
  const err = e as { name?: string; Code?: unknown; message?: string };
  const code = typeof err.Code === 'string' ? err.Code : (err.name ?? 'Error');
  return {
    error: `An error occurred (${code}) when calling the ${operation} operation: ${err.message ?? ''}`,
  };
}

async function attempt<T>(operation: string, call: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await call();
  } catch (e) {
    if ((e as { name?: string }).name === 'CredentialsProviderError') throw e;
    return asCliError(operation, e);
  }
}

/** What the doctor's shell command prints, read with the SDK instead. */
export async function readRole(
  input: DoctorInput,
  settings: ReturnType<typeof loadAwsSettings>,
  credentials: AwsCredentialIdentityProvider,
) {
  const role = parseRoleArn(input.roleArn);
  if (!role) throw new TypeError('roleArn was not validated');
  const region = input.region ?? settings.region;
  const stackName = input.stackName ?? DEFAULT_STACK_NAME;
  const common = { region, credentials, maxAttempts: 3 };
  const iam = new IAMClient({
    ...common,
    ...(settings.endpoints.iam ? { endpoint: settings.endpoints.iam } : {}),
  });
  const cfn = new CloudFormationClient({
    ...common,
    ...(settings.endpoints.cloudformation ? { endpoint: settings.endpoints.cloudformation } : {}),
  });
  try {
    const RoleName = role.name;
    const strip = <T extends { $metadata?: unknown }>(out: T) => {
      const { $metadata, ...rest } = out;
      void $metadata;
      return rest;
    };
    const [getRole, attachedPolicies, inlinePolicies, additions, stack, drifts] = await Promise.all([
      attempt('GetRole', async () => strip(await iam.send(new GetRoleCommand({ RoleName })))),
      attempt('ListAttachedRolePolicies', async () =>
        strip(await iam.send(new ListAttachedRolePoliciesCommand({ RoleName, MaxItems: 1000 }))),
      ),
      attempt('ListRolePolicies', async () =>
        strip(await iam.send(new ListRolePoliciesCommand({ RoleName }))),
      ),
      attempt('GetRolePolicy', async () =>
        strip(await iam.send(new GetRolePolicyCommand({ RoleName, PolicyName: ADDITIONS_POLICY_NAME }))),
      ),
      attempt('DescribeStacks', async () =>
        strip(await cfn.send(new DescribeStacksCommand({ StackName: stackName }))),
      ),
      attempt('DescribeStackResourceDrifts', async () =>
        strip(await cfn.send(new DescribeStackResourceDriftsCommand({ StackName: stackName }))),
      ),
    ]);
    return {
      awsConnectDoctor: DOCTOR_FORMAT,
      roleName: RoleName,
      stackName,
      region,
      getRole,
      attachedPolicies,
      inlinePolicies,
      additions,
      stack,
      drifts,
    };
  } finally {
    iam.destroy();
    cfn.destroy();
  }
}

export async function runDoctorCommand(
  argv: string[],
  credentials?: AwsCredentialIdentityProvider,
): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    const options = Object.fromEntries(Object.keys(FLAGS).map((f) => [f, { type: 'string' as const }]));
    values = parseOptions(argv, {
      ...options,
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    }).values;
  } catch (e) {
    if (e instanceof UsageError) return fail(`${e.message} Run "aws-connect doctor --help".`);
    throw e;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const raw = Object.fromEntries(
    Object.entries(FLAGS).flatMap(([flag, field]) =>
      typeof values[flag] === 'string' ? [[field, values[flag]]] : [],
    ),
  );
  const parsed = doctorInputSchema.safeParse(raw);
  if (!parsed.success) {
    const first = fieldErrorsFrom(parsed.error)[0];
    const flag = Object.entries(FLAGS).find(([, field]) => field === first?.path)?.[0];
    return fail(`${flag ? `--${flag}` : (first?.path ?? 'input')}: ${first?.message ?? 'invalid value.'}`);
  }
  const input = parsed.data;
  let settings: ReturnType<typeof loadAwsSettings>;
  try {
    settings = loadAwsSettings(process.env);
  } catch (e) {
    if (e instanceof ConfigError) return fail(e.message);
    throw e;
  }
  let doc: Awaited<ReturnType<typeof readRole>>;
  try {
    doc = await readRole(input, settings, credentials ?? fromNodeProviderChain());
  } catch (e) {
    return fail(
      `this shell has no AWS credentials (${(e as Error).message.split('\n')[0]}). Run it with the credentials of the role's account, e.g. in CloudShell there.`,
    );
  }
  const evidence = parseRoleEvidence(JSON.stringify(doc));
  if (!evidence.ok) return fail(evidence.message.replace(/^roleEvidence: /, ''));
  const v = doctorVerdict(evidence.evidence, input);
  const guidance = v.code === 'OK' ? null : guidanceFor(doctorView(v, input, doc), CLI_GUIDANCE);
  const verdict = {
    code: v.code,
    admitted: v.admitted,
    enforced: v.enforced,
    causes: v.causes,
    because: v.because,
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ ...doc, verdict, guidance }, null, 2)}\n`);
  } else {
    const head =
      v.code === 'OK'
        ? 'The scanner would be admitted'
        : v.admitted
          ? `The scanner would be admitted, with something to fix: ${v.code}`
          : `The scanner would be refused: ${v.code}`;
    const out = [`${head} (confirmed from the role itself).`, `  ${v.because}`];
    if (v.causes.length > 1) out.push(`  Also: ${v.causes.slice(1).join(', ')}`);
    if (guidance) out.push('', ...formatRendered(guidance, [], v.facts));
    process.stdout.write(`${out.join('\n')}\n`);
  }
  return v.code === 'OK' ? 0 : 1;
}
