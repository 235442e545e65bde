import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/cli-process.ts';
import { isolatedShell } from '../testing/cli-shell.ts';
import {
  CANARY,
  canaryValues,
  type LiveStack,
  SCANNER_ACCOUNT,
  startLiveStack,
  TARGET_ROLE_ARN,
  TEST_EXTERNAL_ID,
} from '../testing/live-stack.ts';

// Issue 8, "Secrets", the CLI: `aws-connect verify` reads the shell's credentials (environment or
// a shared credentials file). With canary secrets there, on success and on each kind of failure,
// neither stdout nor stderr may contain them, nor the temporary credentials AWS hands out (seen
// by the proxy between the CLI and the sandbox).

let stack: LiveStack;
let dir: string;
const outputs: Array<{ where: string; text: string; code: number | null }> = [];

beforeAll(async () => {
  stack = await startLiveStack();
  dir = mkdtempSync(join(tmpdir(), 'aws-connect-cli-secrets-'));
  writeFileSync(
    join(dir, 'credentials'),
    `[canary]\naws_access_key_id = ${CANARY.session.accessKeyId}\naws_secret_access_key = ${CANARY.session.secretAccessKey}\naws_session_token = ${CANARY.session.sessionToken}\n`,
  );
});
afterAll(async () => {
  await stack?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Both streams together: a secret must be in neither. */
async function cli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; text: string }> {
  const run = await runCli(args, {
    env: {
      ...isolatedShell(dir, stack.aws!.url),
      AWS_CONNECT_AWS_TIMEOUT_MS: '1500',
      ...env,
    },
    killAfterMs: 60_000,
  });
  return { code: run.code, text: run.stdout + run.stderr };
}

const keys = (k: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) => ({
  AWS_ACCESS_KEY_ID: k.accessKeyId,
  AWS_SECRET_ACCESS_KEY: k.secretAccessKey,
  ...(k.sessionToken ? { AWS_SESSION_TOKEN: k.sessionToken } : {}),
});
const VERIFY = [
  'verify',
  '--role-arn',
  TARGET_ROLE_ARN,
  '--external-id',
  TEST_EXTERNAL_ID,
  '--trusted-account-id',
  SCANNER_ACCOUNT,
  '--iam-principal',
  '*',
];

const CASES: Array<[string, string[], Record<string, string>, number]> = [
  ['long-term keys, --json', [...VERIFY, '--json'], keys(CANARY.user), 0],
  ['long-term keys, readable report', VERIFY, keys(CANARY.user), 0],
  ['session keys and token, --json', [...VERIFY, '--json'], keys(CANARY.session), 0],
  [
    'a profile in the shared credentials file',
    VERIFY,
    { AWS_PROFILE: 'canary', AWS_SHARED_CREDENTIALS_FILE: 'credentials' },
    0,
  ],
  ['an expired session', [...VERIFY, '--json'], keys(CANARY.expired), 1],
  ['a wrong secret', VERIFY, keys({ ...CANARY.user, secretAccessKey: CANARY.wrongSecret }), 1],
  [
    'a wrong External ID',
    ['verify', '--role-arn', TARGET_ROLE_ARN, '--external-id', 'not-the-stacks-id'],
    keys(CANARY.session),
    1,
  ],
  [
    'bad input',
    ['verify', '--role-arn', CANARY.wrongSecret, '--external-id', TEST_EXTERNAL_ID],
    keys(CANARY.user),
    2,
  ],
];

describe('aws-connect verify with canary credentials', () => {
  // Two CLI processes at a time: each starts tsx, and the machine has two cores.
  let running = 0;
  const waiting: Array<() => void> = [];
  async function limited<T>(task: () => Promise<T>): Promise<T> {
    if (running >= 2) await new Promise<void>((go) => waiting.push(go));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  }
  it.concurrent.each(CASES)('%s', { timeout: 240_000 }, async (name, args, env, expected) => {
    const resolved = Object.fromEntries(
      Object.entries(env).map(([k, v]) => [k, v === 'credentials' ? join(dir, v) : v]),
    );
    const { code, text } = await limited(() => cli(args, resolved));
    outputs.push({ where: name, text, code });
    expect(code, text.slice(0, 600)).toBe(expected);
  });

  it('under faults (timeout, reset, throttling): exit 1, and nothing leaks', {
    timeout: 120_000,
  }, async () => {
    for (const [name, faults] of [
      ['timeout', { hang: { rate: 1 } }],
      ['reset', { reset: { rate: 1 } }],
      ['throttling', { throttle: { rate: 1 } }],
    ] as const) {
      stack.sandbox.world.setFaults(faults);
      try {
        const { code, text } = await cli([...VERIFY, '--json'], keys(CANARY.session));
        outputs.push({ where: `fault ${name}`, text, code });
        expect(code, text.slice(0, 600)).toBe(1);
      } finally {
        stack.sandbox.world.setFaults({});
      }
    }
  });

  it('stdout and stderr never contain a secret, whole or in part', () => {
    expect(outputs.length).toBe(CASES.length + 3);
    expect(
      stack.aws!.issuedSecrets.size,
      'AWS handed out temporary credentials during the run',
    ).toBeGreaterThan(2);
    const hits: string[] = [];
    for (const secret of [...canaryValues(), ...stack.aws!.issuedSecrets]) {
      const mid = Math.floor(secret.length / 2);
      for (const needle of new Set([secret, secret.slice(mid - 8, mid + 8), encodeURIComponent(secret)])) {
        for (const o of outputs)
          if (o.text.includes(needle)) hits.push(`${secret.slice(0, 6)}… in "${o.where}"`);
      }
    }
    expect(hits).toEqual([]);
  });
});
