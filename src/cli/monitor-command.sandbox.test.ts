import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionVerifiedSchema } from '../domain/connection-contract.ts';
import { type SandboxHandle, startSandbox } from '../sandbox/server.ts';
import { openStore } from '../server/store/database.ts';
import { sandboxApp, TEST_EXTERNAL_ID } from '../server/test-support.ts';
import { runCli } from '../testing/cli-process.ts';
import { SCANNER_ACCOUNT, SCANNER_KEYS, TARGET_ROLE_ARN, TEST_SCENARIO } from '../testing/live-stack.ts';
import { sqliteBackend } from '../testing/store-backends.ts';

// `aws-connect monitor --once`, spawned as cron would run it: against a standalone sandbox as an
// AWS-compatible endpoint (AWS_CONNECT_SANDBOX=off, AWS_ENDPOINT_URL), on the server's SQLite file.

const backend = sqliteBackend();
let sandbox: SandboxHandle;
let dataDir: string;

const run = (args: string[]) =>
  runCli(args, {
    env: {
      PATH: process.env.PATH ?? '',
      AWS_CONNECT_SANDBOX: 'off',
      AWS_CONNECT_DATA_DIR: dataDir,
      AWS_CONNECT_EXTERNAL_ID: TEST_EXTERNAL_ID,
      AWS_ENDPOINT_URL: sandbox.url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: SCANNER_KEYS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: SCANNER_KEYS.secretAccessKey,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/nonexistent',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    },
  });

beforeAll(async () => {
  dataDir = (await backend.fresh()).dataDir;
  sandbox = await startSandbox({ port: 0, externalId: TEST_EXTERNAL_ID, scenario: TEST_SCENARIO });
  sandbox.world.setFaults({ propagationDelayMs: 0 });
  // Save two connections through the server's API, on the same data directory.
  const store = await openStore({ dataDir });
  const app = await sandboxApp({}, { scenario: TEST_SCENARIO, deps: { store } });
  for (const roleArn of [TARGET_ROLE_ARN, 'arn:aws:iam::222222222222:role/Missing']) {
    const res = await fetch(`${app.url}/api/connections`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        source: { kind: 'sdk-default' },
        roleArn,
        externalId: TEST_EXTERNAL_ID,
        trustedAccountId: SCANNER_ACCOUNT,
        iamPrincipal: '*',
      }),
    });
    connectionVerifiedSchema.parse(await res.json());
  }
  await sql`update connections set next_check_at = 0`.execute(store.db);
  await app.close();
  await store.close();
});
afterAll(async () => {
  await sandbox.close();
  await backend.stop();
});

describe('aws-connect monitor --once', () => {
  it('runs one pass over the due connections, prints its summary and exits 0', async () => {
    const before = sandbox.world.requestLog.snapshot();
    const first = await run(['monitor', '--once', '--json']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({
      checked: 2,
      byStatus: { ok: 1, broken: 1 },
      transitions: 0,
      failed: 0,
    });
    // It reached AWS (here, the sandbox as an AWS endpoint) with the shell's credentials.
    expect(sandbox.world.requestLog.snapshot().total).toBeGreaterThan(before.total);
    // Nothing is due any more: the next run checks nothing.
    const second = await run(['monitor', '--once']);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(
      'Checked 0 connection(s): ok 0, warning 0, broken 0, unknown 0; 0 status change(s).\n',
    );
  }, 60_000);

  it('answers --help and refuses unknown options with exit code 2', async () => {
    expect((await run(['monitor', '--help'])).stdout).toContain('--once');
    const bad = await run(['monitor', '--forever']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('aws-connect monitor:');
  }, 60_000);
});
