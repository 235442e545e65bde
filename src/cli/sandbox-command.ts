import { resolve } from 'node:path';
import { isTrustSide } from '../domain/diagnosis/catalogue.ts';
import { externalIdSchema } from '../domain/inputs.ts';
import { portSchema } from '../domain/server-inputs.ts';
import { shellCommand, shellQuote } from '../domain/shell-quote.ts';
import { DEMO_EXTERNAL_ID, DEMO_SCENARIO_PATH, loadScenario, type Scenario } from '../sandbox/scenario.ts';
import { type SandboxHandle, startSandbox } from '../sandbox/server.ts';
import { parseOptions, UsageError } from './parse-options.ts';

// `aws-connect sandbox`: the local AWS stand-in on its own, for the aws CLI, SDK scripts or a second
// server (issue 4, "CLI"). The demo keys it prints are fake and work only against this sandbox.

const USAGE = `aws-connect sandbox [--port N] [--host 127.0.0.1] [--scenario FILE] [--external-id ID]
                    [--allowed-hosts NAMES]

Runs the local AWS sandbox (STS, IAM and CloudFormation, SigV4-checked) until Ctrl+C.
  --port N               port to listen on (default 8788; 0 picks a free one)
  --host H               interface to listen on (default 127.0.0.1)
  --scenario FILE        scenario JSON (default: the shipped demo scenario)
  --external-id ID       value for "$SERVER_EXTERNAL_ID" in the scenario (default ${DEMO_EXTERNAL_ID})
  --allowed-hosts NAMES  comma-separated host names the admin API (/__sandbox/) answers to besides
                         127.0.0.1, localhost and [::1]; the AWS endpoints answer to any`;

export const DEFAULT_SANDBOX_PORT = 8788;

function fail(message: string): number {
  process.stderr.write(`aws-connect sandbox: ${message}\n`);
  return 2;
}

export function describeSandbox(handle: SandboxHandle, scenarioPath: string): string {
  const { url, world } = handle;
  const lines = [
    `AWS sandbox (STS, IAM, CloudFormation) listening on ${url}`,
    `Scenario: ${scenarioPath}`,
    `Admin API: ${url}/__sandbox/ (scenario, targets, stacks, faults, reset, requests; JSON writes, loopback Host only, no web pages)`,
    `External ID in the scenario: ${world.externalId}`,
    '',
  ];
  const scanner = world.serverCredentials('scanner');
  if (scanner) {
    lines.push(
      'Scanner identity (fake keys that work only against this sandbox; all demo keys are in the scenario file):',
      // The keys come from a scenario file, which may hold anything: quoted like every command.
      `  export AWS_ACCESS_KEY_ID=${shellQuote(scanner.accessKeyId)}`,
      `  export AWS_SECRET_ACCESS_KEY=${shellQuote(scanner.secretAccessKey)}`,
      '  export AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true',
      `  export AWS_ENDPOINT_URL=${shellQuote(url)}     # AWS SDKs`,
      `  ${shellCommand(['aws', 'sts', 'get-caller-identity', '--endpoint-url', url])}`,
      '',
    );
  }
  const { targets } = world.describeTargets();
  if (targets.length > 0) {
    lines.push('Target accounts (what verify shows with the scanner identity):');
    for (const t of targets) {
      const code = t.expectedDiagnosis;
      // AWS answers every trust-side cause with the same bare AccessDenied: the scanner can only
      // suspect it until the role's real state (the trust doctor) is pasted back.
      const expected = !code
        ? ''
        : isTrustSide(code)
          ? ` -> suspected (AccessDenied, AWS says no more); ${code} once the trust doctor reads the role`
          : ` -> ${code}`;
      lines.push(`  ${t.accountId}  ${t.label}${expected}${t.roleArn ? `  ${t.roleArn}` : ''}`);
    }
    lines.push('');
    const admins = targets.flatMap((t) => {
      const keys = world.administratorCredentials(t.accountId);
      return keys
        ? [
            `  ${t.accountId}  AWS_ACCESS_KEY_ID=${keys.accessKeyId} AWS_SECRET_ACCESS_KEY=${keys.secretAccessKey}`,
          ]
        : [];
    });
    if (admins.length > 0) {
      lines.push(
        "Each account's administrator (the customer's side: reads and fixes the role and its stack; fake keys):",
        ...admins,
        `  e.g. AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... aws cloudformation describe-stacks --region us-east-1 --endpoint-url ${url}`,
        '',
      );
    }
    lines.push(
      '  The trust doctor: aws-connect doctor, or the command the wizard and verify print, run with the',
      "  target account's credentials; pass its output to verify --role-evidence or paste it in the wizard.",
      '',
    );
  }
  lines.push('Press Ctrl+C to stop.');
  return `${lines.join('\n')}\n`;
}

export async function runSandboxCommand(argv: string[]): Promise<number> {
  let values: {
    port?: string;
    host?: string;
    scenario?: string;
    'external-id'?: string;
    'allowed-hosts'?: string;
    help?: boolean;
  };
  try {
    ({ values } = parseOptions(argv, {
      port: { type: 'string' },
      host: { type: 'string' },
      scenario: { type: 'string' },
      'external-id': { type: 'string' },
      'allowed-hosts': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    }));
  } catch (e) {
    if (e instanceof UsageError) return fail(`${e.message} Run "aws-connect sandbox --help".`);
    throw e;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const port =
    values.port === undefined
      ? { success: true as const, data: DEFAULT_SANDBOX_PORT }
      : portSchema.safeParse(values.port);
  if (!port.success) return fail(`--port "${values.port?.slice(0, 40)}": ${port.error.issues[0]?.message}`);
  const externalId = externalIdSchema.safeParse(values['external-id'] ?? DEMO_EXTERNAL_ID);
  if (!externalId.success) return fail(`--external-id: ${externalId.error.issues[0]?.message}`);
  const allowedHosts = (values['allowed-hosts'] ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  if (allowedHosts.some((h) => !/^[a-z0-9.-]+$|^\[[0-9a-f:.]+\]$/.test(h)))
    return fail(
      '--allowed-hosts takes host names without ports, separated by commas (e.g. sandbox.internal).',
    );
  const scenarioPath = values.scenario ? resolve(values.scenario) : DEMO_SCENARIO_PATH;
  let scenario: Scenario;
  try {
    scenario = await loadScenario(scenarioPath);
  } catch (e) {
    return fail((e as Error).message);
  }
  let handle: SandboxHandle;
  try {
    handle = await startSandbox({
      port: port.data,
      host: values.host ?? '127.0.0.1',
      scenario,
      externalId: externalId.data,
      allowedHosts,
    });
  } catch (e) {
    process.stderr.write(`aws-connect sandbox: cannot listen: ${(e as Error).message}\n`);
    return 1;
  }
  process.stdout.write(describeSandbox(handle, scenarioPath));
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await handle.close();
  return 0;
}
