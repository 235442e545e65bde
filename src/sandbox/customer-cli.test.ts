import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  renderTemplate,
  TEMPLATE_VERSION,
  TEMPLATE_VERSION_TAG,
  trustPolicyFor,
} from '../domain/template/role-template.ts';
import { requireTool } from '../testing/tools.ts';
import { type SandboxHandle, startSandbox } from './server.ts';
import type { Keys } from './test-clients.ts';
import { EXTERNAL_ID, KEYS, testScenario } from './test-scenario.ts';

// The customer's side with the aws CLI (botocore: its own signer, XML parser and waiters): every
// IAM and CloudFormation call the sandbox serves for an account's administrator, as a customer
// types it in CloudShell. One chain of calls per account; the chains run in parallel, since each
// aws process costs about a second of Python start-up.

const hasAws = requireTool('aws');
let sb: SandboxHandle;
let dir: string;

beforeAll(async () => {
  if (!hasAws) return;
  dir = mkdtempSync(join(tmpdir(), 'customer-cli-test-'));
  writeFileSync(join(dir, 'config'), '');
  writeFileSync(join(dir, 'credentials'), '');
  writeFileSync(join(dir, 'template.yaml'), renderTemplate({}, 'yaml'));
  const trust = trustPolicyFor({
    partition: 'aws',
    trustedAccountId: '111111111111',
    iamPrincipal: 'user/prowler-app',
    externalId: EXTERNAL_ID,
  });
  writeFileSync(join(dir, 'trust.json'), JSON.stringify(trust));
  sb = await startSandbox({ scenario: testScenario(), externalId: EXTERNAL_ID });
});
afterAll(async () => {
  await sb?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

const admin = (account: string): Keys => ({
  accessKeyId: `AKIASANDBOXADMIN${account.slice(0, 4)}`,
  secretAccessKey: `sandboxOnlyAdminOf${account}NotARealKey`,
});

function aws(args: string[], keys: Keys): Promise<Result> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  Object.assign(env, {
    AWS_ACCESS_KEY_ID: keys.accessKeyId,
    AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_MAX_ATTEMPTS: '1',
    AWS_PAGER: '',
  });
  const full = [...args, '--endpoint-url', sb.url, '--region', 'us-east-1', '--output', 'json'];
  return new Promise((resolve, reject) => {
    const child = spawn('aws', full, { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
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

async function ok(args: string[], keys: Keys): Promise<unknown> {
  const r = await aws(args, keys);
  expect(r.code, `aws ${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r.stdout.trim() ? JSON.parse(r.stdout) : null;
}

async function fails(args: string[], keys: Keys, code: string, message: string | RegExp): Promise<void> {
  const r = await aws(args, keys);
  expect(r.code, r.stdout).not.toBe(0);
  expect(/An error occurred \(([^)]+)\)/.exec(r.stderr)?.[1], r.stderr).toBe(code);
  if (typeof message === 'string') expect(r.stderr).toContain(message);
  else expect(r.stderr).toMatch(message);
}

const role = ['--role-name', 'ProwlerScan'];
const stack = ['--stack-name', 'ProwlerScan'];
const NAMED_IAM = ['--capabilities', 'CAPABILITY_NAMED_IAM'];
const keep = (key: string) => `ParameterKey=${key},UsePreviousValue=true`;

describe.skipIf(!hasAws)('aws CLI as an account’s administrator', () => {
  it('every IAM read and write, and CloudFormation read, update, drift, create, delete and the waiters', async () => {
    const chains = [
      // 222: the IAM reads, then each write and its trace in the reads and in drift detection.
      async () => {
        const k = admin('222222222222');
        const got = (await ok(['iam', 'get-role', ...role], k)) as { Role: Record<string, unknown> };
        expect(got.Role).toMatchObject({ RoleName: 'ProwlerScan', MaxSessionDuration: 3600 });
        expect(JSON.stringify(got.Role.AssumeRolePolicyDocument)).toContain('sts:ExternalId');
        expect(await ok(['iam', 'list-attached-role-policies', ...role], k)).toMatchObject({
          AttachedPolicies: [{ PolicyName: 'SecurityAudit' }, { PolicyName: 'ViewOnlyAccess' }],
        });
        expect(await ok(['iam', 'list-role-policies', ...role], k)).toEqual({
          PolicyNames: ['ProwlerScanAdditions'],
        });
        expect(
          await ok(['iam', 'get-role-policy', ...role, '--policy-name', 'ProwlerScanAdditions'], k),
        ).toMatchObject({ PolicyName: 'ProwlerScanAdditions' });
        expect(await ok(['iam', 'list-role-tags', ...role], k)).toEqual({
          Tags: [{ Key: TEMPLATE_VERSION_TAG, Value: TEMPLATE_VERSION }],
        });
        await fails(
          ['iam', 'get-role', '--role-name', 'Nope'],
          k,
          'NoSuchEntity',
          'The role with name Nope cannot be found.',
        );
        await ok(['iam', 'update-assume-role-policy', ...role, '--policy-document', 'file://trust.json'], k);
        const sa = 'arn:aws:iam::aws:policy/SecurityAudit';
        await ok(['iam', 'detach-role-policy', ...role, '--policy-arn', sa], k);
        await fails(
          ['iam', 'detach-role-policy', ...role, '--policy-arn', sa],
          k,
          'NoSuchEntity',
          `Policy ${sa} was not found.`,
        );
        await ok(['iam', 'attach-role-policy', ...role, '--policy-arn', sa], k);
        const doc =
          '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:List*","Resource":"*"}]}';
        await ok(['iam', 'put-role-policy', ...role, '--policy-name', 'Extra', '--policy-document', doc], k);
        await ok(['iam', 'delete-role-policy', ...role, '--policy-name', 'Extra'], k);
        await ok(['iam', 'update-role', ...role, '--max-session-duration', '7200'], k);
        const id = (
          (await ok(['cloudformation', 'detect-stack-drift', ...stack], k)) as {
            StackDriftDetectionId: string;
          }
        ).StackDriftDetectionId;
        expect(
          await ok(
            ['cloudformation', 'describe-stack-drift-detection-status', '--stack-drift-detection-id', id],
            k,
          ),
        ).toMatchObject({ StackDriftStatus: 'DRIFTED', DetectionStatus: 'DETECTION_COMPLETE' });
        const drifts = (await ok(['cloudformation', 'describe-stack-resource-drifts', ...stack], k)) as {
          StackResourceDrifts: {
            StackResourceDriftStatus: string;
            PropertyDifferences: { PropertyPath: string }[];
          }[];
        };
        expect(drifts.StackResourceDrifts[0]?.StackResourceDriftStatus).toBe('MODIFIED');
        // Detached and re-attached SecurityAudit is back in the set; the trust is the template's: only the duration drifted.
        expect(drifts.StackResourceDrifts[0]?.PropertyDifferences.map((d) => d.PropertyPath)).toEqual([
          '/MaxSessionDuration',
        ]);
      },
      // 333: describe, update with the previous template and one new value, the waiter, the no-op update.
      async () => {
        const k = admin('333333333333');
        const before = (await ok(['cloudformation', 'describe-stacks', ...stack], k)) as {
          Stacks: { StackStatus: string; Parameters: unknown[]; Outputs: unknown[] }[];
        };
        expect(before.Stacks[0]).toMatchObject({
          StackStatus: 'CREATE_COMPLETE',
          Parameters: expect.arrayContaining([
            { ParameterKey: 'IAMPrincipal', ParameterValue: 'role/prowler*' },
          ]),
          Outputs: [expect.objectContaining({ OutputKey: 'RoleArn' })],
        });
        const update = [
          'cloudformation',
          'update-stack',
          ...stack,
          '--use-previous-template',
          ...NAMED_IAM,
          '--parameters',
          keep('ExternalId'),
          keep('AccountId'),
          'ParameterKey=IAMPrincipal,ParameterValue=user/prowler-app',
        ];
        await ok(update, k);
        await ok(['cloudformation', 'wait', 'stack-update-complete', ...stack], k);
        await fails(update, k, 'ValidationError', 'No updates are to be performed.');
        expect(await ok(['cloudformation', 'get-template', ...stack], k)).toMatchObject({
          StagesAvailable: ['Original', 'Processed'],
        });
        expect(
          await ok(
            [
              'cloudformation',
              'detect-stack-resource-drift',
              ...stack,
              '--logical-resource-id',
              'ProwlerScanRole',
            ],
            k,
          ),
        ).toMatchObject({ StackResourceDrift: { StackResourceDriftStatus: 'IN_SYNC' } }); // an update through CloudFormation is no drift
        expect(await ok(['cloudformation', 'describe-stack-resources', ...stack], k)).toMatchObject({
          StackResources: [{ LogicalResourceId: 'ProwlerScanRole', PhysicalResourceId: 'ProwlerScan' }],
        });
      },
      // 888: create from the downloaded template, the create waiter, delete, the delete waiter.
      async () => {
        const k = admin('888888888888');
        const create = [
          'cloudformation',
          'create-stack',
          ...stack,
          '--template-body',
          'file://template.yaml',
          '--parameters',
          `ParameterKey=ExternalId,ParameterValue=${EXTERNAL_ID}`,
          'ParameterKey=AccountId,ParameterValue=111111111111',
          'ParameterKey=IAMPrincipal,ParameterValue=user/prowler-app',
        ];
        await fails(
          create,
          k,
          'InsufficientCapabilitiesException',
          'Requires capabilities : [CAPABILITY_NAMED_IAM]',
        );
        await ok([...create, ...NAMED_IAM], k);
        await ok(['cloudformation', 'wait', 'stack-create-complete', ...stack], k);
        await ok(['iam', 'get-role', ...role], k);
        await ok(['cloudformation', 'delete-stack', ...stack], k);
        await ok(['cloudformation', 'wait', 'stack-delete-complete', ...stack], k);
        await fails(
          ['iam', 'get-role', ...role],
          k,
          'NoSuchEntity',
          'The role with name ProwlerScan cannot be found.',
        );
      },
      // Anyone else: AccessDenied with AWS's wording.
      async () => {
        await fails(
          ['cloudformation', 'describe-stacks'],
          KEYS.scanner,
          'AccessDenied',
          /user\/prowler-app is not authorized to perform: cloudformation:DescribeStacks on resource: .* because no identity-based policy allows the cloudformation:DescribeStacks action/,
        );
        await fails(
          ['iam', 'update-role', ...role, '--max-session-duration', '7200'],
          KEYS.scanner,
          'AccessDenied',
          'is not authorized to perform: iam:UpdateRole on resource: role ProwlerScan',
        );
      },
    ];
    await Promise.all(chains.map((c) => c()));
  }, 180_000);
});
