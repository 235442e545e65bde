import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetRoleCommand, IAMClient, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Moto, startMoto } from '../../testing/moto.ts';
import { createMotoOrganization } from '../../testing/moto-organization.ts';
import { requireTool } from '../../testing/tools.ts';
import { createStackCommand } from './links.ts';
import {
  ORGANIZATION_TEMPLATE_FILE_NAME,
  renderOrganizationTemplate,
  STACK_SET_LOGICAL_ID,
} from './organization-template.ts';
import { ADDITIONS_POLICY_NAME, renderTemplate, trustPolicyFor } from './role-template.ts';

// The organization template against independent tools (issue 14): cfn-lint on it and on the
// single-account template, and a deployment on moto_server with an organization made through
// moto's Organizations API.
//
// What moto 5 supports, and so what this test can and cannot show:
// - Organizations: CreateOrganization, ListRoots, CreateOrganizationalUnit, CreateAccount,
//   MoveAccount all work; the caller's account (123456789012) is the management account.
// - CloudFormation create-stack: creates AWS::IAM::Role, evaluates Conditions, but has no
//   AWS::CloudFormation::StackSet resource (it logs "No Moto CloudFormation support" and skips it,
//   and drops the StackSetId output that refers to it).
// - So the StackSet is created the way CloudFormation's resource handler would: create-stack-set
//   and create-stack-instances with the resource's own properties (TemplateBody, PermissionModel,
//   Parameters, DeploymentTargets, Regions, OperationPreferences), resolved. moto checks
//   PermissionModel against the targets (SERVICE_MANAGED needs OrganizationalUnitIds) and creates
//   the member template's resources in every account of the target OUs and of their direct child
//   OUs (real StackSets reach every descendant), but does not implement AutoDeployment, CallAs or
//   OperationPreferences: those are checked by cfn-lint and the unit tests only.
// - Cross-account reads: moto serves any account's IAM when told which with `x-moto-account-id`.

const run = promisify(execFile);
const PARAMS = {
  externalId: 'ext-7f3a9c2e1b',
  trustedAccountId: '111122223333',
  iamPrincipal: 'user/prowler-app',
};
const MANAGEMENT = '123456789012';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aws-connect-org-template-'));
  writeFileSync(join(dir, 'empty-aws-config'), '');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lint = async (text: string, ext: 'yaml' | 'json') => {
  const file = join(dir, `lint-${Math.random().toString(36).slice(2)}.${ext}`);
  writeFileSync(file, text);
  return run('cfn-lint', ['--', file]).then(
    () => ({ code: 0, out: '' }),
    (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
  );
};

describe.runIf(requireTool('cfn-lint'))('cfn-lint', () => {
  const ou = 'ou-ab12-cd34ef56';
  it.each([
    [
      'organization, yaml, with values',
      renderOrganizationTemplate({ ...PARAMS, organizationalUnitIds: [ou] }, 'yaml'),
      'yaml',
    ],
    ['organization, json, bare', renderOrganizationTemplate({}, 'json'), 'json'],
    [
      'organization, yaml, delegated administrator',
      renderOrganizationTemplate(
        { callAs: 'DELEGATED_ADMIN', organizationalUnitIds: ['r-ab12'], roleName: 'Scan.Role@Team' },
        'yaml',
      ),
      'yaml',
    ],
    ['single account, yaml', renderTemplate(PARAMS, 'yaml'), 'yaml'],
  ] as const)(
    'passes on the %s template',
    async (_, text, ext) => {
      // Exit 0 means no errors, warnings or informational findings.
      const result = await lint(text, ext);
      expect(result, result.out).toEqual({ code: 0, out: '' });
    },
    60_000,
  );

  it('is a real check: it fails a broken variant of the organization template', async () => {
    const broken = JSON.parse(renderOrganizationTemplate(PARAMS, 'json'));
    broken.Resources[STACK_SET_LOGICAL_ID].Properties.PermissionModel = 'ORGANIZATION';
    const result = await lint(JSON.stringify(broken), 'json');
    expect(result.code).not.toBe(0);
    expect(result.out).toMatch(/E3030 'ORGANIZATION' is not one of \['SERVICE_MANAGED', 'SELF_MANAGED'\]/);
  }, 60_000);
});

const haveMoto = requireTool('moto_server') && requireTool('aws');

describe.runIf(haveMoto)('deploys on moto_server: the management role and the StackSet to an OU', () => {
  let moto: Moto;
  let env: NodeJS.ProcessEnv;
  const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
  const accounts: Record<'workloads' | 'prod' | 'sandbox', string> = { workloads: '', prod: '', sandbox: '' };
  let workloadsOu = '';

  beforeAll(async () => {
    moto = await startMoto();
    env = {
      PATH: process.env.PATH,
      HOME: dir,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: join(dir, 'empty-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'empty-aws-config'),
      AWS_PAGER: '',
    };
    // root ── Workloads ── Prod        (the StackSet targets Workloads)
    //      └─ Sandbox
    const org = await createMotoOrganization(moto.url, {
      ous: [
        ['Workloads', ''],
        ['Prod', 'Workloads'],
        ['Sandbox', ''],
      ],
      accounts: [
        ['Workloads1', 'Workloads'],
        ['Prod1', 'Prod'],
        ['Sandbox1', 'Sandbox'],
      ],
    });
    workloadsOu = org.ouIds.Workloads ?? '';
    accounts.workloads = org.accountIds.Workloads1 ?? '';
    accounts.prod = org.accountIds.Prod1 ?? '';
    accounts.sandbox = org.accountIds.Sandbox1 ?? '';
  }, 120_000);
  afterAll(async () => moto?.stop());

  const aws = async (...args: string[]) => {
    const { stdout } = await run('aws', [...args, '--endpoint-url', moto.url, '--output', 'json'], {
      env,
      cwd: dir,
      timeout: 150_000,
    });
    return stdout.trim() ? JSON.parse(stdout) : null;
  };
  /** IAM of any account: moto serves the one named in x-moto-account-id. */
  const iamOf = (accountId: string) => {
    const client = new IAMClient({ endpoint: moto.url, region: 'us-east-1', credentials });
    client.middlewareStack.add(
      (next) => async (args) => {
        (args.request as { headers: Record<string, string> }).headers['x-moto-account-id'] = accountId;
        return next(args);
      },
      { step: 'build' },
    );
    return client;
  };

  it('create-stack in the management account creates the role; the StackSet deploys the same role to the OU', async () => {
    const rendered = renderOrganizationTemplate({ organizationalUnitIds: [workloadsOu] }, 'yaml');
    writeFileSync(join(dir, ORGANIZATION_TEMPLATE_FILE_NAME), rendered);
    // The command the product shows for the organization template, as a user would paste it.
    const command = createStackCommand({
      region: 'us-east-1',
      stackName: 'ProwlerScanOrganization',
      params: PARAMS,
      templateFile: ORGANIZATION_TEMPLATE_FILE_NAME,
    });
    await run('sh', ['-c', `${command} --endpoint-url ${moto.url}`], { env, cwd: dir, timeout: 150_000 });
    const stacks = await aws('cloudformation', 'describe-stacks', '--stack-name', 'ProwlerScanOrganization');
    expect(stacks.Stacks[0].StackStatus).toBe('CREATE_COMPLETE');
    const expectedTrust = trustPolicyFor({ partition: 'aws', ...PARAMS });
    const management = await iamOf(MANAGEMENT).send(new GetRoleCommand({ RoleName: 'ProwlerScan' }));
    expect(JSON.parse(decodeURIComponent(management.Role?.AssumeRolePolicyDocument ?? ''))).toEqual(
      expectedTrust,
    );

    // The StackSet resource's own properties, resolved as CloudFormation would for this stack.
    const parsed = JSON.parse(renderOrganizationTemplate({ organizationalUnitIds: [workloadsOu] }, 'json'));
    const props = parsed.Resources[STACK_SET_LOGICAL_ID].Properties;
    const values: Record<string, string> = {
      ExternalId: PARAMS.externalId,
      AccountId: PARAMS.trustedAccountId,
      IAMPrincipal: PARAMS.iamPrincipal,
    };
    writeFileSync(join(dir, 'member.json'), props.TemplateBody);
    const group = props.StackInstancesGroup[0];
    expect(group.DeploymentTargets.OrganizationalUnitIds).toEqual({ Ref: 'OrganizationalUnitIds' });
    await aws(
      'cloudformation',
      'create-stack-set',
      '--stack-set-name',
      'ProwlerScanOrganization-members',
      '--template-body',
      'file://member.json',
      '--permission-model',
      props.PermissionModel,
      '--auto-deployment',
      `Enabled=${props.AutoDeployment.Enabled},RetainStacksOnAccountRemoval=${props.AutoDeployment.RetainStacksOnAccountRemoval}`,
      '--call-as',
      parsed.Parameters.CallAs.Default,
      '--capabilities',
      ...props.Capabilities,
      '--parameters',
      ...props.Parameters.map(
        (p: { ParameterKey: string; ParameterValue: { Ref: string } }) =>
          `ParameterKey=${p.ParameterKey},ParameterValue=${values[p.ParameterValue.Ref]}`,
      ),
    );
    await aws(
      'cloudformation',
      'create-stack-instances',
      '--stack-set-name',
      'ProwlerScanOrganization-members',
      '--deployment-targets',
      `OrganizationalUnitIds=${parsed.Parameters.OrganizationalUnitIds.Default}`,
      '--regions',
      'us-east-1',
      '--operation-preferences',
      `FailureTolerancePercentage=${parsed.Parameters.FailureTolerancePercentage.Default},MaxConcurrentPercentage=${parsed.Parameters.MaxConcurrentPercentage.Default}`,
    );
    const instances = await aws(
      'cloudformation',
      'list-stack-instances',
      '--stack-set-name',
      'ProwlerScanOrganization-members',
    );
    expect(instances.Summaries.map((s: { Account: string }) => s.Account).sort()).toEqual(
      [accounts.workloads, accounts.prod].sort(),
    );

    for (const member of [accounts.workloads, accounts.prod]) {
      const iam = iamOf(member);
      const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'ProwlerScan' }));
      expect(Role?.Arn).toBe(`arn:aws:iam::${member}:role/ProwlerScan`);
      expect(Role?.MaxSessionDuration).toBe(3600);
      expect(JSON.parse(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? ''))).toEqual(expectedTrust);
      expect((await iam.send(new ListRolePoliciesCommand({ RoleName: 'ProwlerScan' }))).PolicyNames).toEqual([
        ADDITIONS_POLICY_NAME,
      ]);
      iam.destroy();
    }
    // An account outside the target OUs gets nothing.
    await expect(
      iamOf(accounts.sandbox).send(new GetRoleCommand({ RoleName: 'ProwlerScan' })),
    ).rejects.toMatchObject({
      name: 'NoSuchEntityException',
    });
  }, 300_000);
});
