import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_GUIDANCE } from '../../cli/cli-guidance.ts';
import {
  ADDITIONS_POLICY_NAME,
  additionsPolicyDocument,
  managedPolicyArns,
  renderTemplate,
  TEMPLATE_VERSION,
  TEMPLATE_VERSION_TAG,
  trustPolicyFor,
} from '../../domain/template/role-template.ts';
import { verifyRequestSchema } from '../../domain/verify-request.ts';
import { type Moto, startMoto } from '../../testing/moto.ts';
import { requireTool } from '../../testing/tools.ts';
import { createAgents, destroyAgents } from '../verify/aws-clients.ts';
import { driftChecker } from './drift.ts';

// The drift check against an independent IAM (moto_server), and every fix it suggests applied
// with the aws CLI as a user would paste it: after the fix, the same check finds nothing.

const run = promisify(execFile);
const haveTools = requireTool('moto_server') && requireTool('aws');
const BIN = fileURLToPath(new URL('../../../bin/aws-connect.js', import.meta.url));
const ACCOUNT = '123456789012'; // moto's default account
const SETTINGS = {
  externalId: 'drift-moto-external-id',
  trustedAccountId: '111122223333',
  iamPrincipal: 'user/prowler-app',
};

describe.runIf(haveTools)('drift on moto_server, and its fixes', () => {
  let moto: Moto;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const agents = createAgents();

  beforeAll(async () => {
    moto = await startMoto();
    dir = mkdtempSync(join(tmpdir(), 'aws-connect-drift-'));
    writeFileSync(join(dir, 'empty'), '');
    // `aws-connect` on the PATH, as after `npm link`.
    writeFileSync(join(dir, 'aws-connect'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    chmodSync(join(dir, 'aws-connect'), 0o755);
    env = {
      PATH: `${dir}:${process.env.PATH}`,
      HOME: dir,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: join(dir, 'empty'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'empty'),
      AWS_PAGER: '',
    };
  }, 60_000);
  afterAll(async () => {
    destroyAgents(agents);
    await moto?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const aws = async (...args: string[]) => {
    const { stdout } = await run('aws', [...args, '--endpoint-url', moto.url, '--output', 'json'], {
      env,
      cwd: dir,
    });
    return stdout.trim() ? JSON.parse(stdout) : null;
  };
  const sh = (command: string) =>
    run('sh', ['-c', `${command} --endpoint-url ${moto.url}`], { env, cwd: dir });
  const check = async (roleName: string) => {
    const request = verifyRequestSchema.parse({
      source: { kind: 'sdk-default' },
      roleArn: `arn:aws:iam::${ACCOUNT}:role/${roleName}`,
      ...SETTINGS,
    });
    const drift = driftChecker({
      region: 'us-east-1',
      timeoutMs: 5000,
      endpoints: { sts: moto.url, iam: moto.url },
      guidance: CLI_GUIDANCE,
      defaultCredentials: async () => ({ accessKeyId: 'testing', secretAccessKey: 'testing' }),
      agents,
    });
    const report = await drift(request, { request: { region: 'us-east-1' } } as never);
    if (!report) throw new Error('the drift check did not run');
    return report;
  };

  /** The role exactly as the template makes it, built with the aws CLI (moto's CloudFormation skips managed policies). */
  async function templateRole(name: string) {
    await aws(
      'iam',
      'create-role',
      '--role-name',
      name,
      '--max-session-duration',
      '3600',
      '--assume-role-policy-document',
      JSON.stringify(trustPolicyFor({ partition: 'aws', ...SETTINGS })),
      '--tags',
      `Key=${TEMPLATE_VERSION_TAG},Value=${TEMPLATE_VERSION}`,
    );
    for (const arn of managedPolicyArns('aws'))
      await aws('iam', 'attach-role-policy', '--role-name', name, '--policy-arn', arn);
    await aws(
      'iam',
      'put-role-policy',
      '--role-name',
      name,
      '--policy-name',
      ADDITIONS_POLICY_NAME,
      '--policy-document',
      JSON.stringify(additionsPolicyDocument),
    );
  }

  it('finds nothing on a role built like the template', async () => {
    await templateRole('Clean');
    expect(await check('Clean')).toMatchObject({ findings: [], notChecked: [] });
  }, 60_000);

  it.each([
    [
      'managed-policy-missing',
      ['iam', 'detach-role-policy', '--policy-arn', 'arn:aws:iam::aws:policy/SecurityAudit'],
    ],
    [
      'managed-policy-extra',
      ['iam', 'attach-role-policy', '--policy-arn', 'arn:aws:iam::aws:policy/AdministratorAccess'],
    ],
    [
      'inline-policy-extra',
      [
        'iam',
        'put-role-policy',
        '--policy-name',
        'Extra',
        '--policy-document',
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
        }),
      ],
    ],
    ['inline-policy-missing', ['iam', 'delete-role-policy', '--policy-name', ADDITIONS_POLICY_NAME]],
    [
      'inline-policy-changed',
      [
        'iam',
        'put-role-policy',
        '--policy-name',
        ADDITIONS_POLICY_NAME,
        '--policy-document',
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'iam:GetRole', Resource: '*' }],
        }),
      ],
    ],
    ['max-session-duration', ['iam', 'update-role', '--max-session-duration', '43200']],
    [
      'trust-policy',
      [
        'iam',
        'update-assume-role-policy',
        '--policy-document',
        JSON.stringify(trustPolicyFor({ partition: 'aws', ...SETTINGS, iamPrincipal: '*' })),
      ],
    ],
  ])(
    '%s: found, and its fix applied with the aws CLI makes the role match again',
    async (kind, change) => {
      const name = `Drift-${kind}`;
      await templateRole(name);
      const [service, command, ...rest] = change as [string, string, ...string[]];
      await aws(service, command, '--role-name', name, ...rest);
      const found = await check(name);
      expect(found.findings.map((f) => f.kind)).toEqual([kind]);
      for (const f of found.findings) await sh(f.fix);
      expect(await check(name)).toMatchObject({ findings: [], notChecked: [] });
    },
    60_000,
  );

  it('template-version: found on a role without the tag; its update-stack fix runs', async () => {
    await templateRole('Untagged');
    await aws('iam', 'untag-role', '--role-name', 'Untagged', '--tag-keys', TEMPLATE_VERSION_TAG);
    const found = await check('Untagged');
    expect(found.findings.map((f) => f.kind)).toEqual(['template-version']);
    expect(found.templateVersion).toEqual({ current: TEMPLATE_VERSION, deployed: '1' });
    // The fix updates the stack the role came from: one deployed from version 1 (no tag), then the fix.
    const v1 = JSON.parse(renderTemplate({}, 'json'));
    delete v1.Resources.ProwlerScanRole.Properties.Tags;
    writeFileSync(join(dir, 'template-v1.json'), JSON.stringify(v1));
    await aws(
      'cloudformation',
      'create-stack',
      '--stack-name',
      'ProwlerScan',
      '--template-body',
      'file://template-v1.json',
      '--capabilities',
      'CAPABILITY_NAMED_IAM',
      '--parameters',
      ...Object.entries({
        ExternalId: SETTINGS.externalId,
        AccountId: SETTINGS.trustedAccountId,
        IAMPrincipal: SETTINGS.iamPrincipal,
      }).map(([k, v]) => `ParameterKey=${k},ParameterValue=${v}`),
    );
    await sh(found.findings[0]?.fix ?? 'false');
    const stacks = await aws('cloudformation', 'describe-stacks', '--stack-name', 'ProwlerScan');
    expect(stacks.Stacks[0].StackStatus).toBe('UPDATE_COMPLETE');
    // moto does not re-apply AWS::IAM::Role properties on update (see role-template.integration.test.ts),
    // so the tag's presence after an update is checked on the template itself (role-template.test.ts).
  }, 60_000);
});
