// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings, not JavaScript templates
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Moto, startMoto } from '../../testing/moto.ts';
import { requireTool } from '../../testing/tools.ts';
import { createStackCommand, TEMPLATE_FILE_NAME, updateStackCommand } from './links.ts';
import {
  ADDITIONS_POLICY_NAME,
  additionsPolicyDocument,
  managedPolicyArns,
  renderTemplate,
  trustPolicyFor,
} from './role-template.ts';

// The rendered template against independent tools (issue 3): cfn-lint, and a real
// `aws cloudformation create-stack` on moto_server, read back through IAM.

const run = promisify(execFile);
const PARAMS = {
  externalId: 'ext-7f3a9c2e1b',
  trustedAccountId: '111122223333',
  iamPrincipal: 'user/prowler-app',
};

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aws-connect-template-'));
  writeFileSync(join(dir, 'empty-aws-config'), '');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.runIf(requireTool('cfn-lint'))('cfn-lint', () => {
  it.each([
    ['yaml', PARAMS],
    ['json', PARAMS],
    ['yaml', {}],
    ['json', { iamPrincipal: '*', roleName: 'Scan.Role@Team' }],
  ] as const)(
    'passes on the %s template with %j',
    async (format, params) => {
      const file = join(dir, `lint-${Math.random().toString(36).slice(2)}.${format}`);
      writeFileSync(file, renderTemplate(params, format));
      // Exit 0 means no errors, warnings or informational findings.
      const result = await run('cfn-lint', ['--', file]).then(
        () => ({ code: 0, out: '' }),
        (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
      );
      expect(result, result.out).toEqual({ code: 0, out: '' });
    },
    60_000,
  );

  it('is a real check: it fails a broken variant of the same template', async () => {
    const broken = JSON.parse(renderTemplate(PARAMS, 'json'));
    broken.Resources.ProwlerScanRole.Properties.MaxSessionDuration = 60;
    const file = join(dir, 'broken.json');
    writeFileSync(file, JSON.stringify(broken));
    await expect(run('cfn-lint', ['--', file])).rejects.toMatchObject({
      stdout: expect.stringMatching(/E3034/),
    });
  }, 60_000);
});

const haveMoto = requireTool('moto_server') && requireTool('aws');

describe.runIf(haveMoto)('deploys on moto_server with aws cloudformation create-stack', () => {
  let moto: Moto;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    moto = await startMoto();
    env = {
      PATH: process.env.PATH,
      HOME: dir,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: join(dir, 'empty-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'empty-aws-config'),
      AWS_PAGER: '',
    };
  });
  afterAll(async () => moto?.stop());

  const aws = async (...args: string[]) => {
    const { stdout } = await run('aws', [...args, '--endpoint-url', moto.url, '--output', 'json'], {
      env,
      cwd: dir,
    });
    return stdout.trim() ? JSON.parse(stdout) : null;
  };
  /** The command the wizard shows, run as a user would paste it, pointed at moto. */
  const sh = (command: string) =>
    run('sh', ['-c', `${command} --endpoint-url ${moto.url}`], { env, cwd: dir });
  /** moto answers GetRolePolicy with a Python repr of the document ('...' quotes), real IAM with JSON. */
  const policyDoc = (doc: unknown) =>
    typeof doc === 'string' ? JSON.parse(doc.startsWith('{"') ? doc : doc.replaceAll("'", '"')) : doc;

  it('the create-stack command creates the role the template describes', async () => {
    writeFileSync(join(dir, TEMPLATE_FILE_NAME), renderTemplate({}, 'yaml'));
    await sh(createStackCommand({ region: 'us-east-1', stackName: 'ProwlerScan', params: PARAMS }));
    const stacks = await aws('cloudformation', 'describe-stacks', '--stack-name', 'ProwlerScan');
    expect(stacks.Stacks[0].StackStatus).toBe('CREATE_COMPLETE');
    const roleArn = stacks.Stacks[0].Outputs.find(
      (o: { OutputKey: string }) => o.OutputKey === 'RoleArn',
    ).OutputValue;
    expect(roleArn).toMatch(/^arn:aws:iam::\d{12}:role\/ProwlerScan$/);

    const { Role } = await aws('iam', 'get-role', '--role-name', 'ProwlerScan');
    expect(Role.MaxSessionDuration).toBe(3600);
    expect(Role.AssumeRolePolicyDocument).toEqual(trustPolicyFor({ partition: 'aws', ...PARAMS }));

    const { PolicyNames } = await aws('iam', 'list-role-policies', '--role-name', 'ProwlerScan');
    expect(PolicyNames).toEqual([ADDITIONS_POLICY_NAME]);
    const inline = await aws(
      'iam',
      'get-role-policy',
      '--role-name',
      'ProwlerScan',
      '--policy-name',
      ADDITIONS_POLICY_NAME,
    );
    expect(policyDoc(inline.PolicyDocument)).toEqual(additionsPolicyDocument);

    // moto's CloudFormation does not apply ManagedPolicyArns to AWS::IAM::Role (the role comes back
    // with no attached policies), so the ARNs are checked in the rendered template instead.
    const rendered = JSON.parse(renderTemplate(PARAMS, 'json'));
    const arns = rendered.Resources.ProwlerScanRole.Properties.ManagedPolicyArns.map(
      (a: { 'Fn::Sub': string }) => a['Fn::Sub'].replace('${AWS::Partition}', 'aws'),
    );
    expect(arns).toEqual(managedPolicyArns('aws'));
    expect(arns).toEqual([
      'arn:aws:iam::aws:policy/SecurityAudit',
      'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
    ]);
    for (const arn of arns) {
      // The ARNs name real AWS managed policies: moto ships the AWS catalogue (MOTO_IAM_LOAD_MANAGED_POLICIES).
      const { Policy } = await aws('iam', 'get-policy', '--policy-arn', arn);
      expect(Policy.Arn).toBe(arn);
    }
  }, 120_000);

  it('the update-stack command changes IAMPrincipal and keeps the other parameters', async () => {
    await sh(
      updateStackCommand({
        region: 'us-east-1',
        stackName: 'ProwlerScan',
        params: { iamPrincipal: 'role/team/*' },
      }),
    );
    const stacks = await aws('cloudformation', 'describe-stacks', '--stack-name', 'ProwlerScan');
    expect(stacks.Stacks[0].StackStatus).toBe('UPDATE_COMPLETE');
    const parameters = Object.fromEntries(
      stacks.Stacks[0].Parameters.map((p: { ParameterKey: string; ParameterValue: string }) => [
        p.ParameterKey,
        p.ParameterValue,
      ]),
    );
    expect(parameters).toEqual({
      ExternalId: PARAMS.externalId,
      AccountId: PARAMS.trustedAccountId,
      IAMPrincipal: 'role/team/*',
    });
    // moto records the new parameters but does not re-apply AWS::IAM::Role properties on a stack
    // update, so the role's trust policy for them is checked through trustPolicyFor in the unit tests.
  }, 120_000);
});
