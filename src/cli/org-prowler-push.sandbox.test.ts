import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulkPushEventSchema } from '../domain/org-prowler-push.ts';
import { type SandboxHandle, startSandbox } from '../sandbox/server.ts';
import { managementRoleArn, organizationScenario, SCANNER } from '../sandbox/test-organization.ts';
import { TEST_EXTERNAL_ID } from '../server/test-support.ts';
import { runInProcess } from '../testing/cli-in-process.ts';
import { isolatedShell, keysEnv } from '../testing/cli-shell.ts';
import { ProwlerFake } from '../testing/prowler-fake.ts';
import { contractProblems, OpenApiContract } from '../testing/prowler-openapi.ts';
import { PROWLER_ERROR_TEXTS } from '../testing/prowler-texts.ts';
import { main } from './main.ts';

// `aws-connect org verify --push-to-prowler` against the sandbox's organization and the fake
// Prowler App (every exchange held to the OpenAPI document): the run, then its connected accounts
// pushed, each account's Prowler result in --json, one Prowler failure read as our code, the key in
// no output.

const KEY = 'pk_CanaryOrgCliKey.0123456789abcdefORGCLICANARY';
const scenario = organizationScenario({ count: 16 });
let sb: SandboxHandle;
let fake: ProwlerFake;
let dir = '';
let env: Record<string, string | undefined> = {};
const outputs: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aws-connect-org-prowler-'));
  sb = await startSandbox({ scenario, externalId: TEST_EXTERNAL_ID });
  sb.world.setFaults({});
  fake = await new ProwlerFake({ apiKey: KEY, tenantId: TEST_EXTERNAL_ID, taskLooks: -1 }).start();
  const keys = sb.world.serverCredentials('scanner');
  env = {
    ...isolatedShell(dir, sb.url),
    ...keysEnv(keys),
    AWS_CONNECT_ORG_STS_RATE: '1000',
    PROWLER_API_URL: fake.url,
    PROWLER_API_KEY: KEY,
  };
});
afterAll(async () => {
  await sb.close();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
  expect(contractProblems(new OpenApiContract(), fake.log)).toEqual([]);
  expect(outputs.join('\n')).not.toContain(KEY.slice(3, 30));
});

async function run(args: string[], extra: Record<string, string> = {}) {
  const merged = Object.entries({ ...env, ...extra }).filter(([, v]) => v !== '');
  const result = await runInProcess(() => main(args), Object.fromEntries(merged));
  outputs.push(result.stdout, result.stderr);
  return result;
}

const VERIFY = [
  'org',
  'verify',
  '--role-arn',
  managementRoleArn(),
  '--role-name',
  'ProwlerScan',
  '--external-id',
  TEST_EXTERNAL_ID,
  '--trusted-account-id',
  SCANNER.accountId,
  '--iam-principal',
  SCANNER.iamPrincipal,
  '--push-to-prowler',
];

interface Entry {
  accountId: string;
  connected: boolean;
  prowler: null | { pushed: boolean; connected?: boolean; diagnosis?: { code: string } | null };
}

describe('aws-connect org verify --push-to-prowler', () => {
  it('--json: each connected account pushed with its Prowler result; the others not pushed', async () => {
    const mismatch = PROWLER_ERROR_TEXTS.find((t) => t.code === 'ROLE_ACCOUNT_MISMATCH')!;
    let failing: string | null = null;
    fake.outcome = ({ provider }) => {
      failing ??= provider.uid;
      return provider.uid === failing
        ? { connected: false, error: mismatch.text }
        : { connected: true, error: null };
    };
    const r = await run([...VERIFY, '--json']);
    expect(r.code, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout) as { accounts: Entry[]; prowler: Record<string, unknown> };
    const connected = out.accounts.filter((a) => a.connected);
    const refused = out.accounts.filter((a) => !a.connected);
    expect(connected.length).toBeGreaterThan(2);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((a) => a.prowler === null)).toBe(true);
    expect(connected.every((a) => a.prowler?.pushed === true)).toBe(true);
    expect(connected.find((a) => a.accountId === failing)?.prowler).toMatchObject({
      connected: false,
      diagnosis: { code: 'ROLE_ACCOUNT_MISMATCH' },
    });
    expect(out.prowler).toMatchObject({
      total: connected.length,
      pushed: connected.length,
      prowlerConnected: connected.length - 1,
      prowlerFailed: [{ accountId: failing, code: 'ROLE_ACCOUNT_MISMATCH' }],
      pushFailed: [],
    });
    const uids = new Set([...fake.providers.values()].map((p) => p.uid));
    expect(refused.filter((a) => uids.has(a.accountId))).toEqual([]);
  }, 60_000);

  it('piped: the push events as {"prowler": event} lines after the run’s own', async () => {
    fake.outcome = () => ({ connected: true, error: null });
    const r = await run(VERIFY);
    const lines = r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const pushLines = lines.filter((l) => 'prowler' in l).map((l) => bulkPushEventSchema.parse(l.prowler));
    expect(pushLines[0]?.type).toBe('start');
    expect(pushLines.at(-1)).toMatchObject({ type: 'summary', pushFailed: [], prowlerFailed: [] });
    const firstPush = lines.findIndex((l) => 'prowler' in l);
    expect(lines.slice(0, firstPush).at(-1)).toMatchObject({ type: 'summary' });
  }, 60_000);

  it('without the Prowler configuration: exit 2 before the run', async () => {
    const before = sb.world.requestLog.total;
    const r = await run(VERIFY, { PROWLER_API_URL: '', PROWLER_API_KEY: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--push-to-prowler needs PROWLER_API_URL');
    expect(sb.world.requestLog.total).toBe(before);
  });
});
