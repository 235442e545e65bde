import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guidanceForReport } from '../domain/diagnosis/report-guidance.ts';
import { verifyReportSchema } from '../domain/diagnosis-contract.ts';
import { type SandboxHandle, startSandbox } from '../sandbox/server.ts';
import {
  callsBetween,
  type Keys,
  role,
  SANDBOX_CASES,
  type SandboxCase,
  workerSessionKeys,
} from '../server/sandbox-cases.ts';
import { TEST_EXTERNAL_ID } from '../server/test-support.ts';
import { runInProcess } from '../testing/cli-in-process.ts';
import { runCli } from '../testing/cli-process.ts';
import { isolatedShell, keysEnv } from '../testing/cli-shell.ts';
import { factValues } from '../testing/facts.ts';
import { CLI_GUIDANCE } from './cli-guidance.ts';
import { main } from './main.ts';

// `aws-connect verify` as a user runs it: the spawned binary, the shell's default chain (keys in the
// environment), AWS_ENDPOINT_URL at a real sandbox. Every diagnosis the sandbox can produce, plus
// the readable output. Each case gets its own sandbox so faults cannot leak between parallel runs.

const TIMEOUT_MS = 1500;
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aws-connect-verify-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const spawnCli = (args: string[], env: Record<string, string | undefined>): Promise<Run> =>
  runCli(args, { env });

/** A shell whose default chain holds exactly `keys`, pointed at the sandbox, with no way to reach AWS. */
function shellEnv(
  sandbox: SandboxHandle,
  keys: Keys | null,
  c?: SandboxCase,
): Record<string, string | undefined> {
  return {
    ...isolatedShell(dir, sandbox.url),
    // Short only where the timeout is the point: a loaded CI machine must not turn answers into timeouts.
    AWS_CONNECT_AWS_TIMEOUT_MS: String(c?.faults?.hang ? TIMEOUT_MS : 10_000),
    ...keysEnv(keys),
  };
}

function flags(c: SandboxCase): string[] {
  const out = ['verify', '--role-arn', c.roleArn, '--external-id', c.externalId ?? TEST_EXTERNAL_ID];
  if (c.trustedAccountId) out.push('--trusted-account-id', c.trustedAccountId);
  if (c.iamPrincipal) out.push('--iam-principal', c.iamPrincipal);
  if (c.accountId) out.push('--account-id', c.accountId);
  if (c.durationSeconds) out.push('--duration', String(c.durationSeconds));
  if (c.region) out.push('--region', c.region);
  return out;
}

async function sandboxFor(c: SandboxCase): Promise<{ sandbox: SandboxHandle; keys: Keys | null }> {
  const sandbox = await startSandbox({ port: 0, externalId: TEST_EXTERNAL_ID });
  sandbox.world.setFaults({});
  const keys =
    c.source === 'none'
      ? null
      : c.source === 'worker-session'
        ? await workerSessionKeys(sandbox)
        : (c.source ?? sandbox.world.serverCredentials('scanner'));
  sandbox.world.setFaults({ ...c.faults });
  return { sandbox, keys };
}

/** Runs main() in this process with exactly `env` as the environment; returns exit code and output. */
const inThisProcess = (args: string[], env: Record<string, string | undefined>): Promise<Run> =>
  runInProcess(() => main(args), env);

async function expectCase(
  c: SandboxCase,
  run: (args: string[], env: Record<string, string | undefined>) => Promise<Run>,
) {
  const { sandbox, keys } = await sandboxFor(c);
  try {
    const before = sandbox.world.requestLog.snapshot().byAction;
    const result = await run([...flags(c), '--json'], shellEnv(sandbox, keys, c));
    const report = verifyReportSchema.parse(JSON.parse(result.stdout));
    expect(report.diagnosis.code, result.stderr).toBe(c.code);
    expect(report.ok).toBe(c.code === 'OK');
    expect(result.code).toBe(c.code === 'OK' ? 0 : 1);
    expect(factValues(report.diagnosis.facts)).toMatchObject(c.evidence ?? {});
    if (c.calls) expect(callsBetween(before, sandbox.world.requestLog.snapshot().byAction)).toEqual(c.calls);
  } finally {
    await sandbox.close();
  }
}

// The whole table through the CLI's entry point, in this process (one binary spawn costs seconds of
// CPU on these machines); the spawned binary below covers one case of each kind end to end.
describe('aws-connect verify --json: every diagnosis the sandbox can produce (main(), env per case)', () => {
  it.each(SANDBOX_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    await expectCase(c, inThisProcess);
  });
});

const SPAWNED = [
  'OK',
  'TRUST_PRINCIPAL_MISMATCH',
  'SOURCE_KEY_INVALID',
  'SOURCE_NO_CREDENTIALS',
  'STS_TIMEOUT',
];
describe('the spawned binary (node bin/aws-connect.js verify --json)', () => {
  it.concurrent.each(SANDBOX_CASES.filter((c) => SPAWNED.includes(c.code)).map((c) => [c.code, c] as const))(
    '%s',
    async (_code, c) => {
      await expectCase(c, spawnCli);
    },
    90_000,
  );
});

describe('aws-connect verify, readable output', () => {
  it('a success names the assumed role and prints the exports; exit 0', async () => {
    const c = SANDBOX_CASES.find((x) => x.code === 'OK')!;
    const { sandbox, keys } = await sandboxFor(c);
    try {
      const run = await spawnCli(flags(c), shellEnv(sandbox, keys));
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(
        'Connected: arn:aws:sts::222222222222:assumed-role/ProwlerScan/aws-connect-verify',
      );
      expect(run.stdout).toContain(
        `prowler aws --role ${role('222222222222')} --external-id ${TEST_EXTERNAL_ID}`,
      );
      expect(run.stdout).toContain('credential_source = Environment');
    } finally {
      await sandbox.close();
    }
  }, 90_000);

  it('a failure prints the guidance with the user’s own values; exit 1', async () => {
    const c = SANDBOX_CASES.find((x) => x.code === 'TRUST_PRINCIPAL_MISMATCH')!;
    const { sandbox, keys } = await sandboxFor(c);
    try {
      const run = await spawnCli(flags(c), shellEnv(sandbox, keys));
      expect(run.code, run.stderr).toBe(1);
      const report = verifyReportSchema.parse(
        JSON.parse((await inThisProcess([...flags(c), '--json'], shellEnv(sandbox, keys))).stdout),
      );
      const g = guidanceForReport(report, CLI_GUIDANCE);
      expect(run.stdout).toContain('Not connected: TRUST_PRINCIPAL_MISMATCH (suspected)');
      expect(g.title).toBe('AWS refused and does not say why');
      expect(run.stdout).toContain(g.title);
      expect(run.stdout).toContain('Possible causes, most likely first:');
      expect(run.stdout).toContain('Run with the target account’s credentials');
      expect(run.stdout).toMatch(
        /You entered:\n(?:.*\n)*?\s+IAMPrincipal: role\/prowler\* {2}\[Trust settings: IAMPrincipal\]/,
      );
      expect(run.stdout).toMatch(
        /AWS answered:\n\s+Caller: arn:aws:iam::111111111111:user\/prowler-app {2}\[sts:GetCallerIdentity, Arn\]/,
      );
      expect(run.stdout).toContain('user/prowler-app');
      expect(run.stdout).toMatch(/FAIL\s+Assume the role/);
    } finally {
      await sandbox.close();
    }
  }, 90_000);

  it('bad input is exit 2 with one line naming the flag, and reaches no AWS endpoint', async () => {
    const c = SANDBOX_CASES[0]!;
    const { sandbox, keys } = await sandboxFor(c);
    try {
      const run = await spawnCli(
        ['verify', '--role-arn', role('222222222222'), '--external-id', 'x'],
        shellEnv(sandbox, keys),
      );
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toContain('--external-id');
      expect(sandbox.world.requestLog.total).toBe(0);
    } finally {
      await sandbox.close();
    }
  }, 90_000);
});
