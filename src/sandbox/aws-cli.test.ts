import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTool } from '../testing/tools.ts';
import { type SandboxHandle, startSandbox } from './server.ts';
import type { Keys } from './test-clients.ts';
import { EXTERNAL_ID, KEYS, roleArn, testScenario } from './test-scenario.ts';

// The aws CLI (botocore: an independent SigV4 signer and XML parser) against the sandbox, with only
// the scenario's keys in its environment and empty config files. Issue 4, "Tests".
// Each aws process costs about a second of Python start-up, so the calls run in parallel.

const hasAws = requireTool('aws');
let sb: SandboxHandle;
let skewed: SandboxHandle;
let dir: string;

beforeAll(async () => {
  if (!hasAws) return;
  dir = mkdtempSync(join(tmpdir(), 'aws-cli-test-'));
  writeFileSync(join(dir, 'config'), '');
  writeFileSync(join(dir, 'credentials'), '');
  [sb, skewed] = await Promise.all([
    startSandbox({ scenario: testScenario(), externalId: EXTERNAL_ID }),
    startSandbox({
      scenario: { ...testScenario(), faults: { clockSkewSeconds: 1200 } },
      externalId: EXTERNAL_ID,
    }),
  ]);
});
afterAll(async () => {
  await Promise.all([sb?.close(), skewed?.close()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function aws(args: string[], keys: Keys, opts: { url?: string; region?: string } = {}): Promise<Result> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  Object.assign(env, {
    AWS_ACCESS_KEY_ID: keys.accessKeyId,
    AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
    ...(keys.sessionToken ? { AWS_SESSION_TOKEN: keys.sessionToken } : {}),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_MAX_ATTEMPTS: '1',
    AWS_PAGER: '',
  });
  const full = [
    ...args,
    '--endpoint-url',
    opts.url ?? sb.url,
    '--region',
    opts.region ?? 'us-east-1',
    '--output',
    'json',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('aws', full, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const errorCode = (r: Result) =>
  /An error occurred \(([^)]+)\)/.exec(r.stderr)?.[1] ?? `no error code in: ${r.stderr}`;
const assumeArgs = (arn: string, extra: string[] = []) => [
  'sts',
  'assume-role',
  '--role-arn',
  arn,
  '--role-session-name',
  'cli-test',
  ...extra,
];

describe.skipIf(!hasAws)('aws CLI (botocore) against the sandbox', () => {
  it('get-caller-identity and assume-role succeed; the temporary keys work for STS and IAM calls', async () => {
    const [me, assumed] = await Promise.all([
      aws(['sts', 'get-caller-identity'], KEYS.scanner),
      aws(assumeArgs(roleArn('222222222222'), ['--external-id', EXTERNAL_ID]), KEYS.scanner),
    ]);
    expect(me.code, me.stderr).toBe(0);
    expect(JSON.parse(me.stdout)).toMatchObject({
      Account: '111111111111',
      Arn: 'arn:aws:iam::111111111111:user/prowler-app',
    });
    expect(assumed.code, assumed.stderr).toBe(0);
    const out = JSON.parse(assumed.stdout) as {
      Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string };
      AssumedRoleUser: { Arn: string };
    };
    expect(out.AssumedRoleUser.Arn).toBe('arn:aws:sts::222222222222:assumed-role/ProwlerScan/cli-test');
    expect(out.Credentials.AccessKeyId).toMatch(/^ASIA/);
    const temp = {
      accessKeyId: out.Credentials.AccessKeyId,
      secretAccessKey: out.Credentials.SecretAccessKey,
      sessionToken: out.Credentials.SessionToken,
    };
    const [again, role] = await Promise.all([
      aws(['sts', 'get-caller-identity'], temp),
      aws(['iam', 'list-attached-role-policies', '--role-name', 'ProwlerScan'], temp),
    ]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).Arn).toBe('arn:aws:sts::222222222222:assumed-role/ProwlerScan/cli-test');
    expect(role.code, role.stderr).toBe(0);
    expect(JSON.parse(role.stdout).AttachedPolicies.map((p: { PolicyName: string }) => p.PolicyName)).toEqual(
      ['SecurityAudit', 'ViewOnlyAccess'],
    );
  }, 120_000);

  const cases: [string, string[], Keys, string, RegExp, { url?: () => string; region?: string }?][] = [
    [
      'an unknown key',
      ['sts', 'get-caller-identity'],
      { accessKeyId: 'AKIAEXAMPLEUNKNOWN01', secretAccessKey: 'x'.repeat(40) },
      'InvalidClientTokenId',
      /security token included in the request is invalid/,
    ],
    [
      'a wrong secret',
      ['sts', 'get-caller-identity'],
      { ...KEYS.scanner, secretAccessKey: 'y'.repeat(40) },
      'SignatureDoesNotMatch',
      /signature we calculated does not match/,
    ],
    ['expired temporary keys', ['sts', 'get-caller-identity'], KEYS.expired, 'ExpiredToken', /expired/],
    [
      'a skewed clock',
      ['sts', 'get-caller-identity'],
      KEYS.scanner,
      'SignatureDoesNotMatch',
      /Signature expired: .* - 15 min\.\)/,
      { url: () => skewed.url },
    ],
    [
      'a trust principal mismatch',
      assumeArgs(roleArn('333333333333'), ['--external-id', EXTERNAL_ID]),
      KEYS.scanner,
      'AccessDenied',
      /is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::333333333333:role\/ProwlerScan$/m,
    ],
    [
      'a caller without an identity policy',
      assumeArgs(roleArn('222222222222'), ['--external-id', EXTERNAL_ID]),
      KEYS.noPolicy,
      'AccessDenied',
      /because no identity-based policy allows the sts:AssumeRole action/,
    ],
    [
      'an SCP deny',
      assumeArgs(roleArn('222222222222'), ['--external-id', EXTERNAL_ID]),
      KEYS.scpDenied,
      'AccessDenied',
      /with an explicit deny in a service control policy/,
    ],
    [
      'a duration above the role maximum',
      assumeArgs(roleArn('222222222222'), ['--external-id', EXTERNAL_ID, '--duration-seconds', '7200']),
      KEYS.scanner,
      'ValidationError',
      /exceeds the MaxSessionDuration/,
    ],
    [
      'a disabled region',
      assumeArgs(roleArn('222222222222'), ['--external-id', EXTERNAL_ID]),
      KEYS.scanner,
      'RegionDisabledException',
      /STS is not activated in this region/,
      { region: 'ap-east-1' },
    ],
    [
      'a missing role (IAM)',
      ['iam', 'get-role', '--role-name', 'Nope'],
      KEYS.admin222,
      'NoSuchEntity',
      /The role with name Nope cannot be found\./,
    ],
    [
      'an IAM read without an identity policy that allows it',
      ['iam', 'get-role', '--role-name', 'prowler-worker'],
      KEYS.scanner,
      'AccessDenied',
      /User: arn:aws:iam::111111111111:user\/prowler-app is not authorized to perform: iam:GetRole on resource: role prowler-worker because no identity-based policy allows the iam:GetRole action/,
    ],
  ];

  it('reports each failure with the right error code', async () => {
    const results = await Promise.all(
      cases.map(([, args, keys, , , opts]) => aws(args, keys, { url: opts?.url?.(), region: opts?.region })),
    );
    const got = results.map((r, i) => [cases[i]?.[0], r.code === 0 ? 'succeeded' : errorCode(r)]);
    expect(got).toEqual(cases.map(([name, , , code]) => [name, code]));
    results.forEach((r, i) => {
      expect(r.stderr).toMatch(cases[i]?.[4] ?? /never/);
    });
  }, 120_000);
});
