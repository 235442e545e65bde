import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyReportSchema } from '../domain/diagnosis-contract.ts';
import { type SandboxHandle, startSandbox } from '../sandbox/server.ts';
import { TEST_EXTERNAL_ID } from '../server/test-support.ts';
import { isolatedShell, keysEnv } from '../testing/cli-shell.ts';
import { main } from './main.ts';
import { checkLine } from './verify-output.ts';

// `aws-connect verify` on a terminal prints each check as it finishes (issue 15); piped or with
// --json its output is the one it always was; Ctrl+C stops the calls not yet sent.

const ROOT = join(import.meta.dirname, '..', '..');
let sandbox: SandboxHandle;
let dir = '';
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, externalId: TEST_EXTERNAL_ID });
  sandbox.world.setFaults({ propagationDelayMs: 0 });
  dir = mkdtempSync(join(tmpdir(), 'aws-connect-verify-live-'));
});
afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

function env(): Record<string, string> {
  const keys = sandbox.world.serverCredentials('scanner');
  if (!keys) throw new Error('the sandbox has no scanner keys');
  return { ...isolatedShell(dir, sandbox.url), AWS_CONNECT_AWS_TIMEOUT_MS: '10000', ...keysEnv(keys) };
}

const ARGS = [
  'verify',
  '--role-arn',
  'arn:aws:iam::222222222222:role/ProwlerScan',
  '--external-id',
  TEST_EXTERNAL_ID,
];

/** main() in this process, stdout a terminal or not; each write kept apart. */
async function run(args: string[], tty: boolean): Promise<{ code: number; writes: string[] }> {
  const saved = process.env;
  const savedTty = process.stdout.isTTY;
  process.env = env();
  process.stdout.isTTY = tty;
  const writes: string[] = [];
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    writes.push(String(chunk));
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return { code: await main(args), writes };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.env = saved;
    process.stdout.isTTY = savedTty;
  }
}

describe('aws-connect verify: the output path', () => {
  it('on a terminal: each check on its own write as it finishes, then the report without its check list', async () => {
    const { code, writes } = await run(ARGS, true);
    expect(code).toBe(0);
    const json = await run([...ARGS, '--json'], false);
    const report = verifyReportSchema.parse(JSON.parse(json.writes.join('')));
    expect(writes[0]).toBe('Checks:\n');
    const lines = writes.filter((w) => w.startsWith('  ok  ') || w.startsWith('  WARN'));
    // Every check once, one write each; the audit after the verdict line.
    expect(lines.map((l) => l.split(':')[0]?.trim()).sort()).toEqual(
      report.checks.map((c) => checkLine(c).split(':')[0]?.trim()).sort(),
    );
    const verdictAt = writes.findIndex((w) => w.startsWith('  (connected: '));
    const auditAt = writes.findIndex((w) => w.includes('The role has the scan permissions'));
    expect(verdictAt).toBeGreaterThan(0);
    expect(auditAt).toBeGreaterThan(verdictAt);
    const tail = writes.at(-1) ?? '';
    expect(tail).toContain(`Connected: ${report.assumed?.arn}`);
    expect(tail).not.toContain('Checks:');
  });

  it('not a terminal: one write, the report as formatReport prints it (unchanged)', async () => {
    const { code, writes } = await run(ARGS, false);
    expect(code).toBe(0);
    expect(writes).toHaveLength(1);
    const text = writes[0] ?? '';
    expect(text.startsWith('Connected: ')).toBe(true);
    expect(text).toContain('\nChecks:\n');
    // What piped output always was: the whole report at the end, no line of the live mode in it.
    expect(text).not.toContain('(connected: ');
  });

  it('Ctrl+C during the first round: exit 130, and the audit is never sent', async () => {
    const world = sandbox.world;
    world.requestLog.clear();
    world.setFaults({ propagationDelayMs: 0, latencyMs: 3000, actions: ['sts:AssumeRole'] });
    try {
      const child = spawn(process.execPath, [join(ROOT, 'bin', 'aws-connect.js'), ...ARGS], {
        cwd: ROOT,
        env: env(),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
      });
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      // GetCallerIdentity answered: the first round is on its way, AssumeRole and the probe in flight.
      while (!world.requestLog.snapshot().byAction['sts:GetCallerIdentity'])
        await new Promise((r) => setTimeout(r, 20));
      child.kill('SIGINT');
      expect(await exited, stderr).toBe(130);
      expect(stderr).toContain('interrupted');
      // The sandbox logs the abandoned AssumeRole and probe when it answers them.
      while ((world.requestLog.snapshot().byAction['sts:AssumeRole'] ?? 0) < 2)
        await new Promise((r) => setTimeout(r, 20));
      const { byAction } = world.requestLog.snapshot();
      expect(Object.keys(byAction).filter((a) => a.startsWith('iam:'))).toEqual([]);
    } finally {
      world.setFaults({ propagationDelayMs: 0 });
    }
  }, 60_000);
});
