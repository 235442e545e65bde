import {
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackResourceDriftsCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  DetectStackDriftCommand,
  DetectStackResourceDriftCommand,
  GetTemplateCommand,
  type Parameter,
  UpdateStackCommand,
  type UpdateStackCommandInput,
  waitUntilStackCreateComplete,
  waitUntilStackUpdateComplete,
} from '@aws-sdk/client-cloudformation';
import { GetRoleCommand, UpdateAssumeRolePolicyCommand, UpdateRoleCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renderTemplate, trustPolicyFor } from '../domain/template/role-template.ts';
import { type SandboxHandle, startSandbox } from './server.ts';
import { cloudformation, expectAwsError, iam, sts } from './test-clients.ts';
import { EXTERNAL_ID, KEYS, roleArn, testScenario } from './test-scenario.ts';

// CloudFormation's query API through @aws-sdk/client-cloudformation, as the account's
// administrator: stacks of the product's template, updates that change only what the template
// changes, "No updates are to be performed.", drift after out-of-band changes, and the waiters.

let sb: SandboxHandle;
beforeAll(async () => {
  sb = await startSandbox({ scenario: testScenario(), externalId: EXTERNAL_ID });
});
beforeEach(() => sb.world.reset());
afterAll(() => sb.close());

const ADMIN: Record<string, { accessKeyId: string; secretAccessKey: string }> = {
  '222222222222': KEYS.admin222,
  '333333333333': KEYS.admin333,
  '777777777777': KEYS.admin777,
  '555555555555': {
    accessKeyId: 'AKIASANDBOXADMIN5555',
    secretAccessKey: 'sandboxOnlyAdminOf555555555555NotARealKey',
  },
  '888888888888': {
    accessKeyId: 'AKIASANDBOXADMIN8888',
    secretAccessKey: 'sandboxOnlyAdminOf888888888888NotARealKey',
  },
};
const cfn = (account: string, region = 'us-east-1') => cloudformation(sb.url, ADMIN[account]!, region);
const assume = (account: string, externalId: string | null = EXTERNAL_ID) =>
  sts(sb.url, KEYS.scanner).send(
    new AssumeRoleCommand({
      RoleArn: roleArn(account),
      RoleSessionName: 'cfn-test',
      ...(externalId ? { ExternalId: externalId } : {}),
    }),
  );
const previous = (key: string): Parameter => ({ ParameterKey: key, UsePreviousValue: true });
const value = (key: string, v: string): Parameter => ({ ParameterKey: key, ParameterValue: v });
const WAIT = { maxWaitTime: 30, minDelay: 1, maxDelay: 1 };

describe('DescribeStacks', () => {
  it('shows status, parameters, outputs and drift status', async () => {
    const { Stacks } = await cfn('333333333333').send(
      new DescribeStacksCommand({ StackName: 'ProwlerScan' }),
    );
    expect(Stacks).toHaveLength(1);
    expect(Stacks?.[0]).toMatchObject({
      StackName: 'ProwlerScan',
      StackStatus: 'CREATE_COMPLETE',
      Parameters: [
        { ParameterKey: 'ExternalId', ParameterValue: EXTERNAL_ID },
        { ParameterKey: 'AccountId', ParameterValue: '111111111111' },
        { ParameterKey: 'IAMPrincipal', ParameterValue: 'role/prowler*' },
      ],
      Outputs: [{ OutputKey: 'RoleArn', OutputValue: roleArn('333333333333') }],
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
    });
    expect(Stacks?.[0]?.StackId).toMatch(
      /^arn:aws:cloudformation:us-east-1:333333333333:stack\/ProwlerScan\/[0-9a-f-]{36}$/,
    );
    expect(Stacks?.[0]?.CreationTime).toBeInstanceOf(Date);
  });

  it('answers ValidationError for a stack that is not there: another name, another region, an empty account', async () => {
    const missing = {
      name: 'ValidationError',
      status: 400,
      message: 'Stack with id ProwlerScan does not exist',
    };
    await expectAwsError(
      cfn('333333333333', 'eu-west-1').send(new DescribeStacksCommand({ StackName: 'ProwlerScan' })),
      missing,
    );
    await expectAwsError(
      cfn('888888888888').send(new DescribeStacksCommand({ StackName: 'ProwlerScan' })),
      missing,
    );
    expect((await cfn('888888888888').send(new DescribeStacksCommand({}))).Stacks).toEqual([]);
  });

  it('GetTemplate returns the body the stack was deployed from; DescribeStackResources names the role', async () => {
    const { TemplateBody } = await cfn('333333333333').send(
      new GetTemplateCommand({ StackName: 'ProwlerScan' }),
    );
    expect(TemplateBody).toContain('AWS::IAM::Role');
    const { StackResources } = await cfn('333333333333').send(
      new DescribeStackResourcesCommand({ StackName: 'ProwlerScan' }),
    );
    expect(StackResources?.[0]).toMatchObject({
      LogicalResourceId: 'ProwlerScanRole',
      PhysicalResourceId: 'ProwlerScan',
      ResourceType: 'AWS::IAM::Role',
    });
  });
});

describe('UpdateStack', () => {
  it('with the previous template and a new IAMPrincipal re-renders the trust policy: 333 then admits the scanner', async () => {
    await expectAwsError(assume('333333333333'), { name: 'AccessDenied', status: 403 });
    const c = cfn('333333333333');
    await c.send(
      new UpdateStackCommand({
        StackName: 'ProwlerScan',
        UsePreviousTemplate: true,
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        Parameters: [
          previous('ExternalId'),
          previous('AccountId'),
          value('IAMPrincipal', 'user/prowler-app'),
        ],
      }),
    );
    const waited = await waitUntilStackUpdateComplete({ client: c, ...WAIT }, { StackName: 'ProwlerScan' });
    expect(waited.state).toBe('SUCCESS');
    const { Role } = await iam(sb.url, KEYS.admin333).send(new GetRoleCommand({ RoleName: 'ProwlerScan' }));
    expect(JSON.parse(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? ''))).toEqual(
      trustPolicyFor({
        partition: 'aws',
        trustedAccountId: '111111111111',
        iamPrincipal: 'user/prowler-app',
        externalId: EXTERNAL_ID,
      }),
    );
    await expect(assume('333333333333')).resolves.toBeDefined();
  });

  it('with a new External ID fixes 555 (deployed with an older one)', async () => {
    await expectAwsError(assume('555555555555'), { name: 'AccessDenied', status: 403 });
    await cfn('555555555555').send(
      new UpdateStackCommand({
        StackName: 'ProwlerScan',
        UsePreviousTemplate: true,
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        Parameters: [value('ExternalId', EXTERNAL_ID), previous('AccountId'), previous('IAMPrincipal')],
      }),
    );
    await expect(assume('555555555555')).resolves.toBeDefined();
  });

  it('answers "No updates are to be performed." when neither template nor parameters change, even over drift (777)', async () => {
    await expectAwsError(
      cfn('777777777777').send(
        new UpdateStackCommand({
          StackName: 'ProwlerScan',
          UsePreviousTemplate: true,
          Capabilities: ['CAPABILITY_NAMED_IAM'],
          Parameters: [previous('ExternalId'), previous('AccountId'), previous('IAMPrincipal')],
        }),
      ),
      { name: 'ValidationError', status: 400, message: 'No updates are to be performed.' },
    );
    await expect(assume('777777777777', null)).resolves.toBeDefined();
  });

  it('with a changed template body updates the stack but not a drifted property the template did not change (777)', async () => {
    const c = cfn('777777777777');
    // The template downloaded without defaults differs from the deployed one (its Defaults), so
    // CloudFormation updates the stack; the role's trust policy is the same in both templates.
    await c.send(
      new UpdateStackCommand({
        StackName: 'ProwlerScan',
        TemplateBody: renderTemplate({}, 'yaml'),
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        Parameters: [value('ExternalId', EXTERNAL_ID), previous('AccountId'), previous('IAMPrincipal')],
      }),
    );
    const { Stacks } = await c.send(new DescribeStacksCommand({ StackName: 'ProwlerScan' }));
    expect(Stacks?.[0]?.StackStatus).toBe('UPDATE_COMPLETE');
    await expect(assume('777777777777', null)).resolves.toBeDefined();
  });

  it('refuses a missing capability, an unknown stack, UsePreviousValue with a value, a bad parameter', async () => {
    const c = cfn('333333333333');
    const base: UpdateStackCommandInput = {
      StackName: 'ProwlerScan',
      UsePreviousTemplate: true,
      Capabilities: ['CAPABILITY_NAMED_IAM'],
    };
    await expectAwsError(
      c.send(
        new UpdateStackCommand({ ...base, Capabilities: [], Parameters: [value('IAMPrincipal', 'user/x')] }),
      ),
      {
        name: 'InsufficientCapabilitiesException',
        status: 400,
        message: 'Requires capabilities : [CAPABILITY_NAMED_IAM]',
      },
    );
    await expectAwsError(c.send(new UpdateStackCommand({ ...base, StackName: 'Other' })), {
      name: 'ValidationError',
      status: 400,
      message: 'Stack [Other] does not exist',
    });
    await expectAwsError(
      c.send(
        new UpdateStackCommand({
          ...base,
          Parameters: [{ ParameterKey: 'AccountId', ParameterValue: '1', UsePreviousValue: true }],
        }),
      ),
      {
        name: 'ValidationError',
        status: 400,
        message: /Cannot specify usePreviousValue as true and non empty value/,
      },
    );
    await expectAwsError(
      c.send(
        new UpdateStackCommand({
          ...base,
          Parameters: [previous('ExternalId'), value('AccountId', '12345'), previous('IAMPrincipal')],
        }),
      ),
      {
        name: 'ValidationError',
        status: 400,
        message:
          "Parameter 'AccountId' failed to satisfy constraint: An AWS account ID is exactly 12 digits.",
      },
    );
  });
});

describe('CreateStack and DeleteStack', () => {
  const create = (extra: Partial<ConstructorParameters<typeof CreateStackCommand>[0]> = {}) =>
    cfn('888888888888').send(
      new CreateStackCommand({
        StackName: 'ProwlerScan',
        TemplateBody: renderTemplate({}, 'yaml'),
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        Parameters: [
          value('ExternalId', EXTERNAL_ID),
          value('AccountId', '111111111111'),
          value('IAMPrincipal', 'user/prowler-app'),
        ],
        ...extra,
      }),
    );

  it('creates the product’s role in 888 (nothing deployed), which the scanner then assumes; the waiter sees CREATE_COMPLETE', async () => {
    await expectAwsError(assume('888888888888'), { name: 'AccessDenied', status: 403 });
    const { StackId } = await create();
    expect(StackId).toMatch(/^arn:aws:cloudformation:us-east-1:888888888888:stack\/ProwlerScan\//);
    const waited = await waitUntilStackCreateComplete(
      { client: cfn('888888888888'), ...WAIT },
      { StackName: 'ProwlerScan' },
    );
    expect(waited.state).toBe('SUCCESS');
    await expect(assume('888888888888')).resolves.toBeDefined();
    await expectAwsError(create(), {
      name: 'AlreadyExistsException',
      status: 400,
      message: 'Stack [ProwlerScan] already exists',
    });
  });

  it('refuses a missing parameter and a missing capability', async () => {
    await expectAwsError(create({ Parameters: [value('AccountId', '111111111111')] }), {
      name: 'ValidationError',
      status: 400,
      message: 'Parameters: [ExternalId] must have values',
    });
    await expectAwsError(create({ Capabilities: [] }), {
      name: 'InsufficientCapabilitiesException',
      status: 400,
    });
  });

  it('takes an S3 TemplateURL as the product’s published template, and refuses other URLs', async () => {
    await create({
      TemplateBody: undefined,
      TemplateURL: 'https://example-bucket.s3.amazonaws.com/prowler-scan-role.yaml',
    });
    await expect(assume('888888888888')).resolves.toBeDefined();
    await expectAwsError(
      create({ StackName: 'Other', TemplateBody: undefined, TemplateURL: 'https://example.com/t.yaml' }),
      {
        name: 'ValidationError',
        status: 400,
        message: 'TemplateURL must reference a valid S3 object to which you have access.',
      },
    );
  });

  it('rolls back when the role name is taken by another stack', async () => {
    await create();
    await create({ StackName: 'Second' });
    const { Stacks } = await cfn('888888888888').send(new DescribeStacksCommand({ StackName: 'Second' }));
    expect(Stacks?.[0]).toMatchObject({
      StackStatus: 'ROLLBACK_COMPLETE',
      StackStatusReason: expect.stringContaining('ProwlerScanRole'),
    });
  });

  it('DeleteStack removes the role; the stack is then found by its ID only, DELETE_COMPLETE', async () => {
    const c = cfn('333333333333');
    const { Stacks } = await c.send(new DescribeStacksCommand({ StackName: 'ProwlerScan' }));
    await c.send(new DeleteStackCommand({ StackName: 'ProwlerScan' }));
    await c.send(new DeleteStackCommand({ StackName: 'ProwlerScan' })); // a missing stack is no error
    await expectAwsError(iam(sb.url, KEYS.admin333).send(new GetRoleCommand({ RoleName: 'ProwlerScan' })), {
      name: 'NoSuchEntityException',
      status: 404,
    });
    await expectAwsError(c.send(new DescribeStacksCommand({ StackName: 'ProwlerScan' })), {
      name: 'ValidationError',
      status: 400,
    });
    const byId = await c.send(new DescribeStacksCommand({ StackName: Stacks?.[0]?.StackId }));
    expect(byId.Stacks?.[0]?.StackStatus).toBe('DELETE_COMPLETE');
  });
});

describe('drift detection', () => {
  async function drift(account: string) {
    const c = cfn(account);
    const { StackDriftDetectionId } = await c.send(new DetectStackDriftCommand({ StackName: 'ProwlerScan' }));
    const status = await c.send(new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId }));
    const { StackResourceDrifts } = await c.send(
      new DescribeStackResourceDriftsCommand({ StackName: 'ProwlerScan' }),
    );
    const { Stacks } = await c.send(new DescribeStacksCommand({ StackName: 'ProwlerScan' }));
    return { status, resource: StackResourceDrifts?.[0], stack: Stacks?.[0] };
  }

  it('a stack as deployed is IN_SYNC', async () => {
    const { status, resource, stack } = await drift('222222222222');
    expect(status).toMatchObject({
      DetectionStatus: 'DETECTION_COMPLETE',
      StackDriftStatus: 'IN_SYNC',
      DriftedStackResourceCount: 0,
    });
    expect(resource).toMatchObject({ StackResourceDriftStatus: 'IN_SYNC', PropertyDifferences: [] });
    expect(stack?.DriftInformation?.StackDriftStatus).toBe('IN_SYNC');
  });

  it('777 (trust policy edited outside CloudFormation) is MODIFIED at the removed condition, IN_SYNC once the trust is the template’s again', async () => {
    const { status, resource } = await drift('777777777777');
    expect(status).toMatchObject({ StackDriftStatus: 'DRIFTED', DriftedStackResourceCount: 1 });
    expect(resource?.StackResourceDriftStatus).toBe('MODIFIED');
    expect(resource?.PropertyDifferences).toEqual([
      expect.objectContaining({
        PropertyPath: '/AssumeRolePolicyDocument/Statement/0/Condition',
        DifferenceType: 'REMOVE',
      }),
    ]);
    const trust = trustPolicyFor({
      partition: 'aws',
      trustedAccountId: '111111111111',
      iamPrincipal: 'user/prowler-app',
      externalId: EXTERNAL_ID,
    });
    await iam(sb.url, KEYS.admin777).send(
      new UpdateAssumeRolePolicyCommand({ RoleName: 'ProwlerScan', PolicyDocument: JSON.stringify(trust) }),
    );
    expect((await drift('777777777777')).status.StackDriftStatus).toBe('IN_SYNC');
  });

  it('DetectStackResourceDrift answers for the role alone; an unknown logical ID is a ValidationError', async () => {
    const c = cfn('777777777777');
    const { StackResourceDrift } = await c.send(
      new DetectStackResourceDriftCommand({ StackName: 'ProwlerScan', LogicalResourceId: 'ProwlerScanRole' }),
    );
    expect(StackResourceDrift).toMatchObject({
      LogicalResourceId: 'ProwlerScanRole',
      PhysicalResourceId: 'ProwlerScan',
      StackResourceDriftStatus: 'MODIFIED',
    });
    expect(
      JSON.parse(StackResourceDrift?.ExpectedProperties ?? '{}').AssumeRolePolicyDocument.Statement[0]
        .Condition,
    ).toBeDefined();
    await expectAwsError(
      c.send(new DetectStackResourceDriftCommand({ StackName: 'ProwlerScan', LogicalResourceId: 'Nope' })),
      { name: 'ValidationError', status: 400, message: 'Resource Nope does not exist for stack ProwlerScan' },
    );
  });

  it('an IAM write on a stack-managed role is drift: update-role --max-session-duration', async () => {
    await iam(sb.url, KEYS.admin222).send(
      new UpdateRoleCommand({ RoleName: 'ProwlerScan', MaxSessionDuration: 7200 }),
    );
    const { resource } = await drift('222222222222');
    expect(resource?.PropertyDifferences).toEqual([
      {
        PropertyPath: '/MaxSessionDuration',
        ExpectedValue: '3600',
        ActualValue: '7200',
        DifferenceType: 'NOT_EQUAL',
      },
    ]);
  });
});

describe('who may call CloudFormation', () => {
  it('the scanner’s user may not; its assumed session may describe but not update', async () => {
    await expectAwsError(cloudformation(sb.url, KEYS.scanner).send(new DescribeStacksCommand({})), {
      name: 'AccessDenied',
      status: 403,
      message:
        'User: arn:aws:iam::111111111111:user/prowler-app is not authorized to perform: cloudformation:DescribeStacks on resource: arn:aws:cloudformation:us-east-1:111111111111:stack/*/* because no identity-based policy allows the cloudformation:DescribeStacks action',
    });
    const c = (await assume('222222222222')).Credentials;
    const session = cloudformation(sb.url, {
      accessKeyId: c?.AccessKeyId ?? '',
      secretAccessKey: c?.SecretAccessKey ?? '',
      sessionToken: c?.SessionToken ?? '',
    });
    expect((await session.send(new DescribeStacksCommand({ StackName: 'ProwlerScan' }))).Stacks).toHaveLength(
      1,
    );
    await expectAwsError(
      session.send(
        new UpdateStackCommand({
          StackName: 'ProwlerScan',
          UsePreviousTemplate: true,
          Capabilities: ['CAPABILITY_NAMED_IAM'],
        }),
      ),
      {
        name: 'AccessDenied',
        status: 403,
        message:
          /assumed-role\/ProwlerScan\/cfn-test is not authorized to perform: cloudformation:UpdateStack/,
      },
    );
  });
});
