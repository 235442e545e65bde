import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { VerifyReport } from '../domain/diagnosis-contract.ts';
import { awsCliProfile, scannerCommand } from '../domain/exports.ts';
import { fieldErrorsFrom } from '../domain/field-errors.ts';
import { verifyRequestSchema } from '../domain/verify-request.ts';
import { ConfigError, loadAwsSettings } from '../server/config.ts';
import { createAgents, destroyAgents } from '../server/verify/aws-clients.ts';
import { verifyConnection } from '../server/verify/verify.ts';
import { CLI_GUIDANCE } from './cli-guidance.ts';
import { formatGuidance } from './format-guidance.ts';
import { parseOptions, UsageError } from './parse-options.ts';
import { readInput } from './read-input.ts';
import { checkLine, liveProgress, printReport } from './verify-output.ts';

// `aws-connect verify` (issue 5, "CLI"): the same verification as the wizard, with this shell's
// default credential chain (AWS_PROFILE, AWS_ACCESS_KEY_ID, AWS_ENDPOINT_URL* work as usual) and no
// External-ID restriction: it is the caller's own identity. Exit 0 ok, 1 failed, 2 bad input.

const USAGE = `aws-connect verify --role-arn ARN --external-id ID [options]

Assumes the role with this shell's AWS credentials and explains the result.
  --role-arn ARN              the role to verify, e.g. arn:aws:iam::123456789012:role/ProwlerScan
  --external-id ID            the External ID the stack was deployed with
  --trusted-account-id A      the AccountId parameter of the stack (where the scanner identity lives)
  --iam-principal P           the IAMPrincipal parameter of the stack, e.g. role/prowler* or user/prowler-app
  --account-id A              the account you mean to connect (checked against the role ARN)
  --session-name N            RoleSessionName (default aws-connect-verify)
  --duration S                DurationSeconds, 900-43200 (default 3600)
  --region R                  the STS region (default AWS_REGION, or the partition's home region)
  --stack-name N              the stack that deployed the role (default ProwlerScan), for the fix commands
  --role-evidence FILE        what the trust doctor printed in the role's account ("-" reads stdin);
                              also aws iam get-role output or its NoSuchEntity error. Makes the cause certain.
  --json                      print the report as one JSON object
Exit status: 0 connected with nothing to fix, 1 the verification failed or warns, 2 bad input.`;

const FLAGS = {
  'role-arn': 'roleArn',
  'external-id': 'externalId',
  'trusted-account-id': 'trustedAccountId',
  'iam-principal': 'iamPrincipal',
  'account-id': 'accountId',
  'session-name': 'sessionName',
  duration: 'durationSeconds',
  region: 'region',
  'stack-name': 'stackName',
} as const;

const FLAG_OF: Record<string, string> = {
  ...Object.fromEntries(Object.entries(FLAGS).map(([flag, field]) => [field, `--${flag}`])),
  roleEvidence: '--role-evidence',
};

function fail(message: string): number {
  process.stderr.write(`aws-connect verify: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  return 2;
}

function parse(argv: string[]) {
  const options = Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: 'string' as const }]));
  return parseOptions(argv, {
    ...options,
    'role-evidence': { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
}

export async function runVerifyCommand(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    if (e instanceof UsageError) return fail(`${e.message} Run "aws-connect verify --help".`);
    throw e;
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  if (v.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!v['role-arn'] || !v['external-id']) {
    return fail('--role-arn and --external-id are required. Run "aws-connect verify --help".');
  }
  const raw: Record<string, unknown> = { source: { kind: 'sdk-default' } };
  for (const [flag, field] of Object.entries(FLAGS)) {
    const value = v[flag];
    if (typeof value !== 'string') continue;
    raw[field] = field === 'durationSeconds' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  }
  const evidencePath = v['role-evidence'];
  if (typeof evidencePath === 'string') {
    const read = await readInput(evidencePath, 'the role evidence file');
    if (!read.ok) return fail(`--role-evidence: ${read.message}`);
    raw.roleEvidence = read.text;
  }
  const request = verifyRequestSchema.safeParse(raw);
  if (!request.success) {
    const first = fieldErrorsFrom(request.error)[0];
    const flag = first ? (FLAG_OF[first.path] ?? first.path) : 'input';
    return fail(`${flag}: ${first?.message ?? 'invalid value.'}`);
  }

  let settings: ReturnType<typeof loadAwsSettings>;
  try {
    settings = loadAwsSettings(process.env);
  } catch (e) {
    if (e instanceof ConfigError) return fail(e.message);
    throw e;
  }
  const agents = createAgents();
  // Ctrl+C aborts the verification: no AWS call not yet sent is sent (issue 15).
  const interrupted = new AbortController();
  const onInterrupt = () => interrupted.abort();
  process.once('SIGINT', onInterrupt);
  const live = liveProgress(process.stdout, v.json === true);
  let report: VerifyReport;
  try {
    report = await verifyConnection(
      request.data,
      {
        region: settings.region,
        timeoutMs: settings.timeoutMs,
        endpoints: settings.endpoints,
        defaultCredentials: fromNodeProviderChain(),
        agents,
        guidance: CLI_GUIDANCE,
        signal: interrupted.signal,
      },
      live,
    );
  } finally {
    process.off('SIGINT', onInterrupt);
    destroyAgents(agents);
  }
  if (interrupted.signal.aborted) {
    process.stderr.write('aws-connect verify: interrupted; no further AWS call was sent.\n');
    return 130;
  }
  printReport(process.stdout, report, { json: v.json === true, live: live !== undefined }, formatReport);
  return report.ok ? 0 : 1;
}

export function formatReport(report: VerifyReport, checksShown = false): string {
  const out: string[] = [];
  const { code } = report.diagnosis;
  const suspected = report.diagnosis.confidence === 'suspected' ? ' (suspected)' : '';
  if (report.ok)
    out.push(`Connected: ${report.assumed?.arn} (session expires ${report.assumed?.expiration})`);
  else if (report.connected) out.push(`Connected, with something to fix: ${code}`);
  else out.push(`Not connected: ${code}${suspected}`);
  if (!checksShown) out.push('', 'Checks:', ...report.checks.map(checkLine));
  out.push('', ...formatGuidance(report));
  if (report.findings.length > 1)
    out.push('', `Also found: ${report.findings.filter((f) => f !== code).join(', ')}`);
  if (report.connected) {
    out.push(
      '',
      'AWS CLI profile (~/.aws/config):',
      ...awsCliProfile(report)
        .trimEnd()
        .split('\n')
        .map((l) => `  ${l}`),
    );
    out.push('', 'Scanner command:', `  ${scannerCommand(report)}`);
  }
  out.push(
    '',
    `Request ${report.requestId}; AWS calls: ${report.timings.map((t) => `${t.call} ${t.ms} ms`).join(', ') || 'none'}`,
  );
  return `${out.join('\n')}\n`;
}
