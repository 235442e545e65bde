import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_EVIDENCE_MAX_CHARS } from '../domain/diagnosis/role-evidence.ts';
import { verifyReportSchema } from '../domain/diagnosis-contract.ts';
import { type SandboxHandle, startSandbox } from '../sandbox/server.ts';
import { role } from '../server/sandbox-cases.ts';
import { TEST_EXTERNAL_ID } from '../server/test-support.ts';
import { runInProcess } from '../testing/cli-in-process.ts';
import { isolatedShell, keysEnv } from '../testing/cli-shell.ts';
import { doctorOutput, getRoleFromSandbox, NO_SUCH_ENTITY } from '../testing/role-evidence.ts';
import { main } from './main.ts';

// `aws-connect verify --role-evidence FILE|-`: every accepted form makes the cause confirmed,
// hostile and oversized input is one line on stderr naming the flag (exit 2), never a stack trace.

let sandbox: SandboxHandle;
let dir = '';
const PARAMS = { ExternalId: TEST_EXTERNAL_ID, AccountId: '111111111111', IAMPrincipal: 'role/prowler*' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aws-connect-role-evidence-'));
  sandbox = await startSandbox({ port: 0, externalId: TEST_EXTERNAL_ID });
  sandbox.world.setFaults({});
});
afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

function shellEnv(): Record<string, string> {
  const keys = sandbox.world.serverCredentials('scanner');
  if (!keys) throw new Error('no scanner');
  return { ...isolatedShell(dir, sandbox.url), ...keysEnv(keys) };
}

async function verify(account: string, evidence: string | null, extra: string[] = []) {
  const file = join(dir, `evidence-${Math.random().toString(36).slice(2)}.txt`);
  if (evidence !== null) writeFileSync(file, evidence);
  const args = ['verify', '--role-arn', role(account), '--external-id', TEST_EXTERNAL_ID];
  args.push(
    '--trusted-account-id',
    '111111111111',
    '--iam-principal',
    'role/prowler*',
    '--role-evidence',
    file,
    ...extra,
  );
  return runInProcess(() => main(args), shellEnv());
}

const pretty = (v: unknown) => JSON.stringify(v, null, 4);

describe('accepted forms: the cause becomes confirmed', () => {
  it.each([
    [
      'get-role output (decoded policy)',
      '333333333333',
      () => getRoleFromSandbox(sandbox.world, '333333333333'),
      'TRUST_PRINCIPAL_MISMATCH',
    ],
    [
      'get-role output (URL-encoded policy)',
      '444444444444',
      () => {
        const doc = JSON.parse(getRoleFromSandbox(sandbox.world, '444444444444'));
        doc.Role.AssumeRolePolicyDocument = encodeURIComponent(
          JSON.stringify(doc.Role.AssumeRolePolicyDocument),
        );
        return pretty(doc);
      },
      'TRUST_ACCOUNT_MISMATCH',
    ],
    [
      'the doctor’s output',
      '555555555555',
      () =>
        JSON.stringify(
          doctorOutput('555555555555', {
            ...PARAMS,
            ExternalId: 'an-older-external-id-0001',
            IAMPrincipal: 'user/prowler-app',
          }),
        ),
      'EXTERNAL_ID_MISMATCH',
    ],
    ['the NoSuchEntity error text', '888888888888', () => `\n${NO_SUCH_ENTITY}\n`, 'ROLE_NOT_FOUND'],
  ])('%s (%s) -> %s', async (_label, account, evidence, code) => {
    const r = await verify(account, evidence(), ['--json']);
    expect(r.code, r.stderr).toBe(1);
    const report = verifyReportSchema.parse(JSON.parse(r.stdout));
    expect(report.diagnosis).toMatchObject({ code, confidence: 'confirmed' });
    // The CLI's own guidance: this shell, and each command with whose credentials it runs.
    for (const s of report.guidance.steps) if (s.command) expect(s.runIn).toBeDefined();
  });

  it('the readable output says the cause is confirmed and what the target account answered', async () => {
    const r = await verify('333333333333', getRoleFromSandbox(sandbox.world, '333333333333'));
    expect(r.stdout).toContain('Not connected: TRUST_PRINCIPAL_MISMATCH\n');
    expect(r.stdout).toContain(
      'The role does not trust this principal (TRUST_PRINCIPAL_MISMATCH, confirmed)',
    );
    expect(r.stdout).toContain('AWS answered in the target account:');
    expect(r.stdout).toContain('ParameterKey=IAMPrincipal,ParameterValue=user/prowler-app');
  });
});

describe('refused: exit 2, one line naming --role-evidence, nothing echoed', () => {
  const CANARY = 'canary-3b9e-pasted';
  it.each([
    ['empty', '', /roleEvidence is empty/],
    ['prose', `hello ${CANARY}`, /not output we recognise/],
    ['cut-off JSON', `{"Role": {"Arn": "${CANARY}`, /not valid JSON/],
    ['another role', () => getRoleFromSandbox(sandbox.world, '444444444444'), /account 444444444444/],
    ['binary noise', '\u0000\u0001\u0002\uFFFD{', /not output we recognise/],
    ['oversized', `{"x": "${CANARY}${'y'.repeat(ROLE_EVIDENCE_MAX_CHARS)}"}`, /too long/],
  ])('%s', async (_label, evidence, message) => {
    const r = await verify('333333333333', typeof evidence === 'function' ? evidence() : evidence);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^aws-connect verify: --role-evidence: /);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toContain(CANARY);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a file that is not there', async () => {
    const r = await verify('333333333333', null);
    expect(r).toMatchObject({ code: 2 });
    expect(r.stderr).toMatch(/--role-evidence: cannot read the role evidence file .*: no such file\./);
  });
});

it('"-" reads the evidence from stdin (the spawned binary)', async () => {
  const bin = join(import.meta.dirname, '..', '..', 'bin', 'aws-connect.js');
  const args = [
    'verify',
    '--role-arn',
    role('888888888888'),
    '--external-id',
    TEST_EXTERNAL_ID,
    '--role-evidence',
    '-',
    '--json',
  ];
  const result = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: shellEnv(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
    child.stdin.end(NO_SUCH_ENTITY);
  });
  expect(result.code).toBe(1);
  expect(verifyReportSchema.parse(JSON.parse(result.stdout)).diagnosis).toMatchObject({
    code: 'ROLE_NOT_FOUND',
    confidence: 'confirmed',
  });
}, 60_000);
