import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SandboxHandle, startSandbox } from '../sandbox/server.ts';
import { type AccountShell, applyFixSteps, FixStepError } from './fix-loop.ts';
import { requireTool } from './tools.ts';

// The harness itself: commands run with exactly the given account's keys and endpoint, files
// are in the working directory, and a failing command is reported with its output.

const hasAws = requireTool('aws');
let sb: SandboxHandle;
let admin: AccountShell;

beforeAll(async () => {
  sb = await startSandbox({ port: 0 });
  admin = {
    accessKeyId: 'AKIASANDBOXADMIN2222',
    secretAccessKey: 'sandboxOnlyAdminOf222222222222NotARealKey',
    region: 'us-east-1',
    endpoint: sb.url,
  };
});
afterAll(() => sb.close());

describe('applyFixSteps', () => {
  it('reports the failing command with its exit code, stdout and stderr, and runs nothing after it', async () => {
    const error = await applyFixSteps(
      [
        { command: 'echo first', runIn: 'target-account' },
        { command: 'echo to-stdout; echo to-stderr >&2; exit 3', runIn: 'target-account' },
        { command: 'echo never', runIn: 'target-account' },
      ],
      { accounts: { 'target-account': admin } },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FixStepError);
    const e = error as FixStepError;
    expect(e.index).toBe(1);
    expect(e.message).toContain('Fix step 2 failed (exit 3)');
    expect(e.message).toContain('$ echo to-stdout; echo to-stderr >&2; exit 3');
    expect(e.message).toMatch(/--- stdout\nto-stdout\n--- stderr\nto-stderr/);
  });

  it('writes the files the commands read, and hides the developer’s own AWS settings', async () => {
    const saved = process.env.AWS_PROFILE;
    process.env.AWS_PROFILE = 'developer-profile';
    try {
      const [cat, env] = await applyFixSteps(
        [
          { command: 'cat trust.json', runIn: 'target-account' },
          { command: 'env | grep -c "^AWS_PROFILE=" || true', runIn: 'target-account' },
        ],
        { accounts: { 'target-account': admin }, files: { 'trust.json': '{"Version":"2012-10-17"}' } },
      );
      expect(cat?.stdout).toBe('{"Version":"2012-10-17"}');
      expect(env?.stdout.trim()).toBe('0');
    } finally {
      if (saved === undefined) delete process.env.AWS_PROFILE;
      else process.env.AWS_PROFILE = saved;
    }
  });

  it('refuses a step for an account it has no shell for', async () => {
    await expect(
      applyFixSteps([{ command: 'true', runIn: 'scanner-account' }], {
        accounts: { 'target-account': admin },
      }),
    ).rejects.toThrow('runs in the scanner-account, and no shell was given for it');
  });

  it.skipIf(!hasAws)(
    'reaches the endpoint as the account’s identity, also when the aws CLI ignores AWS_ENDPOINT_URL',
    async () => {
      sb.world.requestLog.clear();
      const [plain, ignoring] = await applyFixSteps(
        [
          { command: 'aws sts get-caller-identity --output json', runIn: 'target-account' },
          // botocore's switch to ignore configured endpoints: only the wrapper's flag is left.
          {
            command: 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true aws sts get-caller-identity --output json',
            runIn: 'target-account',
          },
        ],
        { accounts: { 'target-account': admin } },
      );
      for (const r of [plain, ignoring])
        expect(JSON.parse(r?.stdout ?? '{}').Arn).toBe('arn:aws:iam::222222222222:user/admin');
      expect(sb.world.requestLog.byAction['sts:GetCallerIdentity']).toBe(2);
    },
    60_000,
  );
});
