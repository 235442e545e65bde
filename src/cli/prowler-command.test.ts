import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ProwlerFake } from '../testing/prowler-fake.ts';
import { contractProblems, OpenApiContract } from '../testing/prowler-openapi.ts';
import { PROWLER_ERROR_TEXTS } from '../testing/prowler-texts.ts';
import { runProwlerCommand } from './prowler-command.ts';

// `aws-connect prowler push` as a user runs it (the real binary) against the fake Prowler App:
// exit 0 when Prowler reports connected, 1 when it does not or its API fails, 2 on bad input.

const KEY = 'pk_CanaryCliKey.0123456789abcdefCLICANARY';
const ROLE = 'arn:aws:iam::222222222222:role/ProwlerScan';
const EXTERNAL_ID = '4b7c2b1e-9a39-4d0f-9a6e-3e1f2c6b8d10';
let fake: ProwlerFake;

function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/aws-connect.js', 'prowler', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '', PROWLER_API_URL: fake.url, PROWLER_API_KEY: KEY, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      expect(stdout + stderr).not.toContain(KEY.slice(3, 30));
      resolve({ code, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  fake = await new ProwlerFake({ apiKey: KEY }).start();
});
afterAll(async () => {
  await fake.close();
  expect(contractProblems(new OpenApiContract(), fake.log)).toEqual([]);
});

describe('aws-connect prowler push (spawned)', () => {
  it('exit 0 when Prowler reports connected, with what it did', async () => {
    fake.outcome = () => ({ connected: true, error: null });
    const r = await cli(['push', '--role-arn', ROLE, '--external-id', EXTERNAL_ID, '--alias', 'Production']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('provider: AWS provider 222222222222 created');
    expect(r.stdout).toContain("Prowler's connection test: connected");
  }, 30_000);

  it('exit 1 when Prowler reports connected: false; --json prints the typed result', async () => {
    fake.outcome = () => ({ connected: false, error: PROWLER_ERROR_TEXTS[1]!.text });
    const r = await cli(['push', '--role-arn', ROLE, '--external-id', EXTERNAL_ID, '--json']);
    expect(r.code, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({
      pushed: true,
      prowler: { connected: false, diagnosis: { code: 'ROLE_ACCOUNT_MISMATCH' } },
      steps: [{ outcome: 'found' }, { outcome: 'updated' }, { outcome: 'queued' }, { outcome: 'completed' }],
    });
  }, 30_000);

  it('exit 1 with one clear message for a wrong key; exit 2 without the configuration', async () => {
    const wrong = await cli(['push', '--role-arn', ROLE, '--external-id', EXTERNAL_ID], {
      PROWLER_API_KEY: 'not-the-key',
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain('refused the API key (401');
    expect(wrong.stdout).not.toContain('not-the-key');
    const none = await cli(['push', '--role-arn', ROLE, '--external-id', EXTERNAL_ID], {
      PROWLER_API_URL: '',
      PROWLER_API_KEY: '',
    });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('set PROWLER_API_URL');
  }, 30_000);

  it('exit 2 on bad input, naming the flag', async () => {
    const r = await cli(['push', '--role-arn', 'arn:aws:iam::123:role/x', '--external-id', EXTERNAL_ID]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^aws-connect prowler: --role-arn: /);
    const typo = await cli(['push', '--rolearn', ROLE]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("Did you mean '--role-arn'?");
  }, 30_000);
});

describe('--connection ID', () => {
  const env = { PROWLER_API_URL: '', PROWLER_API_KEY: KEY };
  it('says the registry is not in this build (exit 2), and refuses other role options beside it', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await runProwlerCommand(['push', '--connection', 'c-1'], { env })).toBe(2);
      expect(String(err.mock.calls[0]?.[0])).toContain('needs the connections registry');
      expect(await runProwlerCommand(['push', '--connection', 'c-1', '--role-arn', ROLE], { env })).toBe(2);
      expect(String(err.mock.calls[1]?.[0])).toContain('give no other role option');
    } finally {
      err.mockRestore();
    }
  });

  it('pushes what the lookup gives (the seam the registry plugs into)', async () => {
    fake.outcome = () => ({ connected: true, error: null });
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const code = await runProwlerCommand(['push', '--connection', 'c-7', '--json'], {
        env: { PROWLER_API_URL: fake.url, PROWLER_API_KEY: KEY },
        delayMs: 0,
        connections: {
          pushInput: async (id) =>
            id === 'c-7'
              ? { roleArn: 'arn:aws:iam::444444444444:role/ProwlerScan', externalId: EXTERNAL_ID }
              : null,
        },
      });
      expect(code).toBe(0);
      expect(JSON.parse(String(out.mock.calls[0]?.[0]))).toMatchObject({
        pushed: true,
        providerUid: '444444444444',
      });
    } finally {
      out.mockRestore();
    }
  });
});
