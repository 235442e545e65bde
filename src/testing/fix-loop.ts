import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// Applies fix steps the way a customer would: each command through `sh -c`, with the real `aws`
// CLI (v1) of this machine, in a shell that holds exactly one account's credentials and points at
// one endpoint (the sandbox or moto). Used by the fix-loop tests: a command the product suggests
// counts as working only once it ran here and the failure was gone afterwards.
//
// The endpoint reaches the aws CLI two ways. botocore reads AWS_ENDPOINT_URL since 1.31 (aws CLI
// v1.29); older v1 releases ignore it, so an `aws` wrapper first on PATH also appends
// `--endpoint-url` to every call (the flag wins over the variable, and a later flag over an
// earlier one). Either way nothing can reach real AWS: the keys are fake.
// https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html

/** Where a step's command runs: the account being connected (the customer's) or the scanner's. */
export type FixRunIn = 'target-account' | 'scanner-account';

export interface FixStep {
  command: string;
  runIn: FixRunIn;
}

/** A shell's AWS identity: keys, region and the endpoint its aws CLI talks to. */
export interface AccountShell {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
  endpoint: string;
}

export interface FixRunOptions {
  accounts: Partial<Record<FixRunIn, AccountShell>>;
  /** Files the commands read (file://trust.json, the downloaded template), written to the working directory first. */
  files?: Record<string, string>;
  /** Per command; the aws CLI retries a few times on its own. */
  timeoutMs?: number;
}

export interface StepResult {
  step: FixStep;
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export class FixStepError extends Error {
  constructor(
    readonly index: number,
    readonly result: StepResult,
  ) {
    super(
      [
        `Fix step ${index + 1} failed (exit ${result.exitCode ?? 'killed'}) in the ${result.step.runIn}'s shell:`,
        `$ ${result.step.command}`,
        '--- stdout',
        result.stdout.trimEnd(),
        '--- stderr',
        result.stderr.trimEnd(),
      ].join('\n'),
    );
  }
}

/** The aws executable this machine has, outside our wrapper. */
function realAws(): string {
  const found = spawnSync('sh', ['-c', 'command -v aws'], { encoding: 'utf8' }).stdout.trim();
  if (!found) throw new Error('The aws CLI is not on PATH (pip install awscli).');
  return found;
}

function shellEnv(account: AccountShell, home: string, bin: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  // Nothing of the developer's own AWS setup may leak in: no AWS_* variable, no ~/.aws.
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_') && k !== 'HOME') env[k] = v;
  return {
    ...env,
    HOME: home,
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    AWS_ACCESS_KEY_ID: account.accessKeyId,
    AWS_SECRET_ACCESS_KEY: account.secretAccessKey,
    ...(account.sessionToken ? { AWS_SESSION_TOKEN: account.sessionToken } : {}),
    AWS_DEFAULT_REGION: account.region,
    AWS_REGION: account.region,
    AWS_ENDPOINT_URL: account.endpoint,
    AWS_CONNECT_FIX_ENDPOINT: account.endpoint,
    AWS_CONFIG_FILE: join(home, '.aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    AWS_MAX_ATTEMPTS: '2',
  };
}

function run(command: string, cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number) {
  return new Promise<{ exitCode: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, stdout, stderr });
    });
  });
}

/**
 * Runs the steps in order and returns what each printed; throws FixStepError at the first
 * command that exits non-zero (the command, its stdout and stderr are in the message).
 */
export async function applyFixSteps(steps: FixStep[], options: FixRunOptions): Promise<StepResult[]> {
  const home = mkdtempSync(join(tmpdir(), 'aws-connect-fix-'));
  try {
    const bin = join(home, 'bin');
    const work = join(home, 'work');
    for (const dir of [bin, work, join(home, '.aws')]) mkdirSync(dir, { recursive: true });
    writeFileSync(join(home, '.aws', 'config'), '');
    writeFileSync(join(home, '.aws', 'credentials'), '');
    const wrapper = join(bin, 'aws');
    writeFileSync(
      wrapper,
      `#!/bin/sh\nexec '${realAws()}' "$@" --endpoint-url "$AWS_CONNECT_FIX_ENDPOINT"\n`,
    );
    chmodSync(wrapper, 0o755);
    for (const [name, content] of Object.entries(options.files ?? {})) {
      const path = join(work, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
    }
    const results: StepResult[] = [];
    for (const [index, step] of steps.entries()) {
      const account = options.accounts[step.runIn];
      if (!account)
        throw new Error(`Fix step ${index + 1} runs in the ${step.runIn}, and no shell was given for it.`);
      const out = await run(step.command, work, shellEnv(account, home, bin), options.timeoutMs ?? 60_000);
      const result = { step, ...out };
      results.push(result);
      if (out.exitCode !== 0) throw new FixStepError(index, result);
    }
    return results;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
