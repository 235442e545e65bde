import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagnosisCode } from '../domain/diagnosis/codes.ts';
import { DEPLOYMENTS } from '../domain/diagnosis/guidance-schema.ts';
import { guidanceForReport } from '../domain/diagnosis/report-guidance.ts';
import {
  identityResponseSchema,
  type VerifyReport,
  verifyReportSchema,
} from '../domain/diagnosis-contract.ts';
import { type AccountShell, applyFixSteps, FixStepError } from './fix-loop.ts';
import { call, type LiveStack, startLiveStack } from './live-stack.ts';
import { type Moto, startMoto } from './moto.ts';
import { roleArnIn, startLoopStack } from './sandbox-fix-loop.ts';
import { requireTool } from './tools.ts';

// The access-key source's fixes (issue 17), run as printed with this machine's aws CLI v1:
// - a wrong secret (SignatureDoesNotMatch, from moto with its auth switched on): the guidance
//   names the key ID that was entered, finds its user with get-access-key-last-used and creates a
//   new key for that user; the new key then verifies;
// - an expired session token (the sandbox's expired session): the v1 way, get-session-token,
//   prints the three values to paste; the SSO way is labelled AWS CLI v2, and v1 indeed refuses it.
// Every command the access-key guidance prints, in every flavour and deployment, is run here.

const ready = requireTool('moto_server') && requireTool('aws');
const run = promisify(execFile);
const MOTO_ADMIN = { accessKeyId: 'AKIAADMINEXAMPLE0001', secretAccessKey: 'admin-secret-for-moto' };

let moto: Moto;
let onMoto: LiveStack;
let onSandbox: LiveStack;
let admin: AccountShell;
let scanner = { accessKeyId: '', secretAccessKey: '' };

/** The aws CLI as moto's administrator, before auth is switched on (then as the admin user). */
async function aws(keys: typeof MOTO_ADMIN, ...args: string[]): Promise<unknown> {
  const { stdout } = await run('aws', [...args, '--output', 'json', '--endpoint-url', moto.url], {
    env: {
      PATH: process.env.PATH,
      AWS_ACCESS_KEY_ID: keys.accessKeyId,
      AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    timeout: 150_000, // moto loads every AWS managed policy on its first IAM call
  });
  return stdout.trim() ? JSON.parse(stdout) : null;
}

async function createUser(name: string, keys: typeof MOTO_ADMIN, action: string) {
  await aws(keys, 'iam', 'create-user', '--user-name', name);
  await aws(
    keys,
    'iam',
    'put-user-policy',
    '--user-name',
    name,
    '--policy-name',
    'p',
    '--policy-document',
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }],
    }),
  );
  const key = (await aws(keys, 'iam', 'create-access-key', '--user-name', name)) as {
    AccessKey: { AccessKeyId: string; SecretAccessKey: string };
  };
  return { accessKeyId: key.AccessKey.AccessKeyId, secretAccessKey: key.AccessKey.SecretAccessKey };
}

async function verifyWith(
  stack: LiveStack,
  account: string,
  keys: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
): Promise<VerifyReport> {
  const answer = await call(stack, '/api/verify', {
    source: { kind: 'access-keys', ...keys },
    roleArn: roleArnIn(account),
    externalId: stack.externalId,
  });
  if (answer.status !== 200) throw new Error(`verify answered ${answer.status}: ${answer.text}`);
  return verifyReportSchema.parse(answer.body);
}

/** Every command the report's diagnosis prints, in every flavour and deployment, to the wizard. */
function printedCommands(report: VerifyReport, code: DiagnosisCode): string[] {
  const commands = new Set<string>();
  for (const flavour of ['self-hosted', 'hosted'] as const)
    for (const deployment of DEPLOYMENTS)
      for (const step of guidanceForReport(
        report,
        { flavour, productName: 'Prowler', deployment, audience: 'web' },
        code,
      ).steps)
        if (step.command) commands.add(step.command);
  return [...commands];
}

async function runAs(shell: AccountShell, command: string, stdin?: string): Promise<string> {
  // The throw-away profile step prompts for the key: its answers are what the user would type.
  const line = stdin === undefined ? command : `printf '%s\\n' ${stdin} | { ${command}; }`;
  try {
    const [result] = await applyFixSteps([{ command: line, runIn: 'scanner-account' }], {
      accounts: { 'scanner-account': shell },
    });
    return result?.stdout ?? '';
  } catch (e) {
    if (e instanceof FixStepError) throw new Error(e.message);
    throw e;
  }
}

describe.skipIf(!ready)('the access-key source’s fixes, run with the aws CLI v1', () => {
  beforeAll(async () => {
    moto = await startMoto();
    const adminKeys = await createUser('admin', MOTO_ADMIN, '*');
    scanner = await createUser('prowler-app', MOTO_ADMIN, 'sts:*');
    admin = { ...adminKeys, region: 'us-east-1', endpoint: moto.url };
    await moto.enableAuth();
    [onMoto, onSandbox] = await Promise.all([
      startLiveStack({ awsEndpoint: moto.url, proxy: false }),
      startLoopStack(),
    ]);
  }, 300_000);
  afterAll(async () => {
    await Promise.all([onMoto?.close(), onSandbox?.close()]);
    await moto?.stop();
  });

  it('SOURCE_SECRET_INVALID: the entered key ID names its user, the new key for that user verifies', async () => {
    const report = await verifyWith(onMoto, '123456789012', {
      accessKeyId: scanner.accessKeyId,
      secretAccessKey: `${scanner.secretAccessKey.slice(0, -4)}XXXX`,
    });
    expect(report.diagnosis.code).toBe('SOURCE_SECRET_INVALID');
    expect(report.awsError?.code).toBe('SignatureDoesNotMatch');
    const text = JSON.stringify(report.guidance);
    // AWS knows the key, so the guidance does not ask whether it exists, and fills in what it knows.
    expect(text).not.toMatch(/check that the key exists/i);
    expect(text).not.toMatch(/<[a-z ]+>/);
    expect(report.guidance.what).toContain(scanner.accessKeyId);

    const printed = printedCommands(report, 'SOURCE_SECRET_INVALID');
    const owner = `aws iam get-access-key-last-used --access-key-id ${scanner.accessKeyId} --query UserName --output text`;
    expect(printed).toEqual([
      owner,
      `aws iam create-access-key --user-name "$(${owner})"`,
      'aws configure --profile scanner-test && aws sts get-caller-identity --profile scanner-test',
    ]);
    // Step 1 of the wizard (the identity check) prints the same steps.
    const wrong = {
      accessKeyId: scanner.accessKeyId,
      secretAccessKey: `${scanner.secretAccessKey.slice(0, -4)}XXXX`,
    };
    const identity = await call(onMoto, '/api/identity', { source: { kind: 'access-keys', ...wrong } });
    const stepOne = identityResponseSchema.parse(identity.body);
    expect(stepOne.ok ? [] : stepOne.guidance.steps.flatMap((s) => (s.command ? [s.command] : []))).toEqual(
      printed,
    );
    expect((await runAs(admin, printed[0] ?? '')).trim()).toBe('prowler-app');
    const created = JSON.parse(await runAs(admin, printed[1] ?? '')) as {
      AccessKey: { UserName: string; AccessKeyId: string; SecretAccessKey: string };
    };
    expect(created.AccessKey.UserName).toBe('prowler-app');
    const fresh = {
      accessKeyId: created.AccessKey.AccessKeyId,
      secretAccessKey: created.AccessKey.SecretAccessKey,
    };
    const tested = await runAs(
      admin,
      printed[2] ?? '',
      `${fresh.accessKeyId} ${fresh.secretAccessKey} us-east-1 json`,
    );
    expect(JSON.parse(tested.slice(tested.indexOf('{'))).Arn).toBe(
      'arn:aws:iam::123456789012:user/prowler-app',
    );
    // Pasted into the wizard, the new key gets past the source: AWS accepts its signature.
    const again = await verifyWith(onMoto, '123456789012', fresh);
    expect(again.caller?.arn).toBe('arn:aws:iam::123456789012:user/prowler-app');
    expect(again.diagnosis.code).not.toMatch(/^SOURCE_/);
  }, 240_000);

  it('SOURCE_TOKEN_EXPIRED: SSO is labelled AWS CLI v2 (v1 refuses it); v1’s get-session-token prints the three values', async () => {
    const report = await verifyWith(onSandbox, '222222222222', {
      accessKeyId: 'ASIASANDBOXEXPIRED01',
      secretAccessKey: 'sandboxOnlyExpiredSessionNotARealSecret4',
      sessionToken: 'SandboxOnlyExpiredSessionTokenNotReal0000000000000000000000000000000000000000',
    });
    expect(report.diagnosis.code).toBe('SOURCE_TOKEN_EXPIRED');
    const printed = printedCommands(report, 'SOURCE_TOKEN_EXPIRED');
    const sso =
      'aws sso login --profile my-sso-profile && aws configure export-credentials --profile my-sso-profile --format env';
    const v1 = 'aws sts get-session-token --duration-seconds 3600 --output json';
    expect(printed).toEqual([sso, v1]);
    const steps = report.guidance.steps;
    expect(steps.find((s) => s.command === sso)?.text).toMatch(/needs AWS CLI v2.*v1 has no SSO commands/);
    expect(steps.find((s) => s.command === v1)?.text).toMatch(/AWS CLI v1/);

    // The label is true: this machine's v1 does not know `aws sso`.
    const refused = await runAs(admin, `{ ${sso}; } 2>&1 || echo "refused: $?"`);
    expect(refused).toMatch(/invalid choice[\s\S]*refused: [1-9]/i);
    // In a shell holding the IAM user's long-term key, v1 prints the three values to paste.
    const issued = JSON.parse(await runAs({ ...scanner, region: 'us-east-1', endpoint: moto.url }, v1)) as {
      Credentials: Record<string, string>;
    };
    expect(Object.keys(issued.Credentials)).toEqual(
      expect.arrayContaining(['AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration']),
    );
  }, 240_000);
});
