import { parseArgs } from 'node:util';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { VerifyReport } from '../domain/api-contract.ts';
import { guidanceFor } from '../domain/diagnosis/guidance.ts';
import { awsCliProfile, scannerCommand } from '../domain/exports.ts';
import { fieldErrorsFrom } from '../domain/field-errors.ts';
import { verifyRequestSchema } from '../domain/inputs.ts';
import { ConfigError, loadAwsSettings } from '../server/config.ts';
import { createAgents, destroyAgents } from '../server/verify/aws-clients.ts';
import { verifyConnection } from '../server/verify/verify.ts';

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
} as const;

const FLAG_OF: Record<string, string> = Object.fromEntries(
  Object.entries(FLAGS).map(([flag, field]) => [field, `--${flag}`]),
);

function fail(message: string): number {
  process.stderr.write(`aws-connect verify: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  return 2;
}

function parse(argv: string[]) {
  const options = Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: 'string' as const }]));
  return parseArgs({
    args: argv,
    options: { ...options, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
    allowPositionals: false,
  });
}

export async function runVerifyCommand(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    return fail(`${(e as Error).message.split('\n')[0]} Run "aws-connect verify --help".`);
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
  let report: VerifyReport;
  try {
    report = await verifyConnection(request.data, {
      region: settings.region,
      timeoutMs: settings.timeoutMs,
      endpoints: settings.endpoints,
      defaultCredentials: fromNodeProviderChain(),
      agents,
    });
  } finally {
    destroyAgents(agents);
  }
  process.stdout.write(v.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return report.ok ? 0 : 1;
}

const MARK = { pass: 'ok  ', fail: 'FAIL', warn: 'WARN', skipped: '--  ' } as const;

export function formatReport(report: VerifyReport): string {
  const out: string[] = [];
  const { code } = report.diagnosis;
  if (report.ok)
    out.push(`Connected: ${report.assumed?.arn} (session expires ${report.assumed?.expiration})`);
  else if (report.connected) out.push(`Connected, with something to fix: ${code}`);
  else out.push(`Not connected: ${code}`);
  out.push('', 'Checks:');
  for (const c of report.checks) out.push(`  ${MARK[c.status]}  ${c.title}: ${c.detail}`);
  const g = guidanceFor(code, {
    flavour: 'self-hosted',
    productName: 'Prowler',
    sourceKind: report.request.sourceKind,
    evidence: report.diagnosis.evidence,
    request: report.request,
    caller: report.caller,
    awsError: report.awsError,
  });
  out.push('', `${g.title} (${code})`, `  ${g.what}`);
  if (g.why.length) out.push('', '  Why:', ...g.why.map((w) => `    - ${w}`));
  if (g.steps.length) {
    out.push('', '  Fix:');
    g.steps.forEach((s, i) => {
      out.push(`    ${i + 1}. ${s.text}`);
      if (s.command) out.push(...s.command.split('\n').map((l) => `         $ ${l}`));
      if (s.value) out.push(`         ${s.value.label}: ${s.value.value}`);
    });
  }
  const shown = g.shows.filter((k) => report.diagnosis.evidence[k] !== undefined);
  if (shown.length) {
    out.push('', '  Evidence:');
    for (const k of shown) out.push(`    ${k}: ${report.diagnosis.evidence[k]}`);
  }
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
