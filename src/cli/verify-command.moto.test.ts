import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type VerifyReport, verifyReportSchema } from '../domain/diagnosis-contract.ts';
import { renderTemplate } from '../domain/template/role-template.ts';
import { isolatedShell } from '../testing/cli-shell.ts';
import { factValues } from '../testing/facts.ts';
import { type Moto, startMoto } from '../testing/moto.ts';
import { requireTool } from '../testing/tools.ts';

// Issue 5, "Integration against moto": an AWS implementation that is not ours. The stack is deployed
// with the aws CLI from the rendered template, a user with a key and an sts:AssumeRole policy is
// created with the aws CLI, and `aws-connect verify` (the spawned binary) runs with AWS_ENDPOINT_URL at
// moto. Moto's CloudFormation does not attach ManagedPolicyArns and moto ignores trust policies: the
// audit and the External-ID probe must notice both.

const ready = requireTool('moto_server') && requireTool('aws');
const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'aws-connect.js');
const ACCOUNT = '123456789012'; // moto's default account
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/ProwlerScan`;
const EXTERNAL_ID = 'moto-external-id-0123456789';
const run = promisify(execFile);

let moto: Moto;
let dir = '';
let userKeys = { accessKeyId: '', secretAccessKey: '' };

function baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...isolatedShell(dir, moto.url), AWS_DEFAULT_REGION: 'us-east-1', ...extra };
}

/** The aws CLI as an administrator would run it (moto accepts any key until auth is switched on). */
async function aws(...args: string[]): Promise<unknown> {
  const { stdout } = await run('aws', [...args, '--output', 'json'], {
    env: baseEnv({
      AWS_ACCESS_KEY_ID: 'AKIAADMINEXAMPLE0001',
      AWS_SECRET_ACCESS_KEY: 'admin-secret-for-moto',
    }),
    timeout: 150_000, // moto loads every AWS managed policy on its first IAM call: slow on a busy machine
  });
  return stdout.trim() ? JSON.parse(stdout) : null;
}

async function verify(keys: {
  accessKeyId: string;
  secretAccessKey: string;
}): Promise<{ code: number; report: VerifyReport }> {
  const args = [BIN, 'verify', '--role-arn', ROLE_ARN, '--external-id', EXTERNAL_ID, '--json'];
  const env = baseEnv({ AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey });
  const result = await run(process.execPath, args, { cwd: ROOT, env, timeout: 80_000 }).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (e: { code?: number; stdout?: string; stderr?: string }) => {
      if (typeof e.code !== 'number') throw e;
      return { code: e.code, stdout: e.stdout ?? '' };
    },
  );
  return { code: result.code, report: verifyReportSchema.parse(JSON.parse(result.stdout)) };
}

describe.skipIf(!ready)('aws-connect verify against moto_server', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aws-connect-moto-'));
    writeFileSync(
      join(dir, 'template.yaml'),
      renderTemplate(
        { externalId: EXTERNAL_ID, trustedAccountId: ACCOUNT, iamPrincipal: 'user/prowler-app' },
        'yaml',
      ),
    );
    moto = await startMoto();
    await aws(
      'cloudformation',
      'create-stack',
      '--stack-name',
      'ProwlerScan',
      '--template-body',
      `file://${join(dir, 'template.yaml')}`,
      '--capabilities',
      'CAPABILITY_NAMED_IAM',
    );
    await aws('iam', 'create-user', '--user-name', 'prowler-app');
    await aws(
      'iam',
      'put-user-policy',
      '--user-name',
      'prowler-app',
      '--policy-name',
      'assume-scan-roles',
      '--policy-document',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }],
      }),
    );
    const key = (await aws('iam', 'create-access-key', '--user-name', 'prowler-app')) as {
      AccessKey: { AccessKeyId: string; SecretAccessKey: string };
    };
    userKeys = { accessKeyId: key.AccessKey.AccessKeyId, secretAccessKey: key.AccessKey.SecretAccessKey };
  }, 300_000);
  afterAll(async () => {
    await moto?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('assumes the role; the audit flags both managed policies; the External ID is not enforced (moto)', async () => {
    const { code, report } = await verify(userKeys);
    expect(code).toBe(1);
    expect(report.connected).toBe(true);
    expect(report.caller?.arn).toBe(`arn:aws:iam::${ACCOUNT}:user/prowler-app`);
    expect(report.assumed?.arn).toMatch(new RegExp(`^arn:aws:sts::${ACCOUNT}:assumed-role/ProwlerScan/`));
    expect(report.findings).toEqual(['EXTERNAL_ID_NOT_ENFORCED', 'PERMISSIONS_INCOMPLETE']);
    expect(report.audit?.managedPolicies.map((p) => [p.name, p.present])).toEqual([
      ['SecurityAudit', false],
      ['job-function/ViewOnlyAccess', false],
    ]);
    expect(report.audit?.additionsPolicy.present).toBe(true);
    expect(factValues(report.diagnosis.facts).missingPolicies).toBe(
      'SecurityAudit, job-function/ViewOnlyAccess',
    );
    expect(report.checks.find((c) => c.id === 'external-id-enforced')?.status).toBe('warn');
  }, 120_000);

  it('after attach-role-policy of both, a second verification finds them', async () => {
    for (const name of ['SecurityAudit', 'job-function/ViewOnlyAccess']) {
      await aws(
        'iam',
        'attach-role-policy',
        '--role-name',
        'ProwlerScan',
        '--policy-arn',
        `arn:aws:iam::aws:policy/${name}`,
      );
    }
    const { report } = await verify(userKeys);
    expect(report.audit?.managedPolicies.every((p) => p.present)).toBe(true);
    expect(report.findings).toEqual(['EXTERNAL_ID_NOT_ENFORCED']);
    expect(report.diagnosis.code).toBe('EXTERNAL_ID_NOT_ENFORCED');
    expect(report.checks.find((c) => c.id === 'permission-audit')?.status).toBe('pass');
  }, 120_000);

  it('with auth switched on: an unknown key is SOURCE_KEY_INVALID, a wrong secret SOURCE_SECRET_INVALID', async () => {
    await moto.enableAuth();
    const [unknown, wrongSecret] = await Promise.all([
      verify({ accessKeyId: 'AKIAUNKNOWNKEY000001', secretAccessKey: userKeys.secretAccessKey }),
      verify({
        accessKeyId: userKeys.accessKeyId,
        secretAccessKey: `${userKeys.secretAccessKey.slice(0, -4)}XXXX`,
      }),
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.report.diagnosis.code).toBe('SOURCE_KEY_INVALID');
    expect(unknown.report.awsError?.code).toBe('InvalidClientTokenId');
    expect(wrongSecret.report.diagnosis.code).toBe('SOURCE_SECRET_INVALID');
    expect(wrongSecret.report.awsError?.code).toBe('SignatureDoesNotMatch');
  }, 120_000);
});
