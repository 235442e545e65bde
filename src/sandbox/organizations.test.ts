import {
  DescribeOrganizationCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generatedOutcomes, organizationSchema } from './organization-scenario.ts';
import { type SandboxHandle, startSandbox } from './server.ts';
import { expectAwsError, type Keys, signedPost, sts } from './test-clients.ts';
import {
  DELEGATED_ADMIN_ACCOUNT,
  FIRST_GENERATED,
  MANAGEMENT_ACCOUNT,
  managementRoleArn,
  OUS,
  organizationScenario,
  PLAIN_MEMBER_ACCOUNT,
  ROOT_ID,
} from './test-organization.ts';
import { EXTERNAL_ID, KEYS } from './test-scenario.ts';

// The sandbox's Organizations, through @aws-sdk/client-organizations (JSON 1.1, X-Amz-Target) with
// a role session: the four reads discovery makes, paged as AWS pages them, and refused as AWS
// refuses them (wrong account, missing permission, no organization, bad signature, throttling).

let sb: SandboxHandle;
beforeAll(async () => {
  sb = await startSandbox({ scenario: organizationScenario({ count: 60 }), externalId: EXTERNAL_ID });
});
afterAll(() => sb.close());
beforeEach(() => {
  sb.world.setFaults({});
});

async function sessionIn(account: string, role = 'ProwlerScan'): Promise<Keys> {
  const out = await sts(sb.url, KEYS.scanner).send(
    new AssumeRoleCommand({
      RoleArn: managementRoleArn(account, role),
      RoleSessionName: 'discovery',
      ExternalId: EXTERNAL_ID,
    }),
  );
  const c = out.Credentials;
  return {
    accessKeyId: c?.AccessKeyId ?? '',
    secretAccessKey: c?.SecretAccessKey ?? '',
    sessionToken: c?.SessionToken ?? '',
  };
}

const organizations = (credentials: Keys) =>
  new OrganizationsClient({ endpoint: sb.url, region: 'us-east-1', credentials, maxAttempts: 1 });

async function allAccounts(client: OrganizationsClient, parentId: string) {
  const ids: string[] = [];
  let pages = 0;
  let NextToken: string | undefined;
  do {
    const r = await client.send(new ListAccountsForParentCommand({ ParentId: parentId, NextToken }));
    pages++;
    expect(r.Accounts?.length ?? 0).toBeLessThanOrEqual(20);
    ids.push(...(r.Accounts ?? []).map((a) => a.Id ?? ''));
    NextToken = r.NextToken;
  } while (NextToken);
  return { ids, pages };
}

describe('Organizations for the management account', () => {
  it('DescribeOrganization, ListRoots, the OUs of each parent', async () => {
    const client = organizations(await sessionIn(MANAGEMENT_ACCOUNT));
    const { Organization } = await client.send(new DescribeOrganizationCommand({}));
    expect(Organization).toMatchObject({
      Id: 'o-sandbox0001',
      MasterAccountId: MANAGEMENT_ACCOUNT,
      FeatureSet: 'ALL',
      Arn: `arn:aws:organizations::${MANAGEMENT_ACCOUNT}:organization/o-sandbox0001`,
    });
    const { Roots } = await client.send(new ListRootsCommand({}));
    expect(Roots?.map((r) => r.Id)).toEqual([ROOT_ID]);
    const ous = async (parentId: string) =>
      (
        await client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parentId }))
      ).OrganizationalUnits?.map((o) => [o.Id, o.Name]);
    expect(await ous(ROOT_ID)).toEqual([
      [OUS.workloads, 'Workloads'],
      [OUS.sandbox, 'Sandbox'],
    ]);
    expect(await ous(OUS.workloads)).toEqual([[OUS.prod, 'Prod']]);
    expect(await ous(OUS.prod)).toEqual([]);
  });

  it('ListAccountsForParent pages by 20 (MaxResults smaller on request), with State and Status', async () => {
    const client = organizations(await sessionIn(MANAGEMENT_ACCOUNT));
    // 60 generated accounts dealt round-robin into three OUs, plus the named ones.
    const workloads = await allAccounts(client, OUS.workloads);
    expect(workloads.ids).toHaveLength(21);
    expect(workloads.ids[0]).toBe(DELEGATED_ADMIN_ACCOUNT);
    expect(workloads.pages).toBe(2);
    const small = await client.send(
      new ListAccountsForParentCommand({ ParentId: OUS.workloads, MaxResults: 5 }),
    );
    expect(small.Accounts).toHaveLength(5);
    const second = await client.send(
      new ListAccountsForParentCommand({
        ParentId: OUS.workloads,
        MaxResults: 5,
        NextToken: small.NextToken,
      }),
    );
    expect(second.Accounts?.[0]?.Id).toBe(workloads.ids[5]);
    const [first] =
      (await client.send(new ListAccountsForParentCommand({ ParentId: ROOT_ID }))).Accounts ?? [];
    expect(first).toMatchObject({
      Id: MANAGEMENT_ACCOUNT,
      Name: 'management',
      State: 'ACTIVE',
      Status: 'ACTIVE',
    });
    expect(first?.JoinedTimestamp).toBeInstanceOf(Date);
  });

  it('generated accounts follow their outcome rules: every 23rd is SUSPENDED', async () => {
    const client = organizations(await sessionIn(MANAGEMENT_ACCOUNT));
    const all = [];
    for (const parent of [OUS.workloads, OUS.prod, OUS.sandbox]) {
      let NextToken: string | undefined;
      do {
        const r = await client.send(new ListAccountsForParentCommand({ ParentId: parent, NextToken }));
        all.push(...(r.Accounts ?? []));
        NextToken = r.NextToken;
      } while (NextToken);
    }
    const suspended = all
      .filter((a) => a.State === 'SUSPENDED')
      .map((a) => a.Id)
      .sort();
    const expected = generatedOutcomes(
      organizationSchema.parse(organizationScenario({ count: 60 }).organization),
    );
    expect(suspended).toEqual([...expected].filter(([, o]) => o === 'suspended').map(([id]) => id));
    expect(suspended).toEqual([String(Number(FIRST_GENERATED) + 22), String(Number(FIRST_GENERATED) + 45)]);
  });

  it('refuses a bad parent, MaxResults and NextToken as Organizations does', async () => {
    const client = organizations(await sessionIn(MANAGEMENT_ACCOUNT));
    await expectAwsError(client.send(new ListAccountsForParentCommand({ ParentId: 'ou-sbx0-nosuchou' })), {
      name: 'ParentNotFoundException',
      status: 400,
    });
    await expectAwsError(client.send(new ListAccountsForParentCommand({ ParentId: 'nope' })), {
      name: 'InvalidInputException',
      status: 400,
    });
    await expectAwsError(client.send(new ListRootsCommand({ MaxResults: 21 })), {
      name: 'InvalidInputException',
      status: 400,
    });
    await expectAwsError(client.send(new ListRootsCommand({ NextToken: 'made-up' })), {
      name: 'InvalidInputException',
      status: 400,
    });
  });
});

describe('who may read the organization', () => {
  it('a delegated administrator may list', async () => {
    const client = organizations(await sessionIn(DELEGATED_ADMIN_ACCOUNT));
    expect((await client.send(new ListRootsCommand({}))).Roots?.[0]?.Id).toBe(ROOT_ID);
  });

  it('another member may describe the organization but not list it', async () => {
    const client = organizations(await sessionIn(PLAIN_MEMBER_ACCOUNT));
    expect((await client.send(new DescribeOrganizationCommand({}))).Organization?.Id).toBe('o-sandbox0001');
    await expectAwsError(client.send(new ListRootsCommand({})), {
      name: 'AccessDeniedException',
      status: 400,
      message: "You don't have permissions to access this resource.",
    });
  });

  it('a role without SecurityAudit in the management account is refused', async () => {
    const client = organizations(await sessionIn(MANAGEMENT_ACCOUNT, 'NoOrgRead'));
    await expectAwsError(client.send(new DescribeOrganizationCommand({})), {
      name: 'AccessDeniedException',
      status: 400,
    });
  });

  it('an account outside the organization: AWSOrganizationsNotInUseException', async () => {
    const client = organizations(await sessionIn('222222222222'));
    await expectAwsError(client.send(new DescribeOrganizationCommand({})), {
      name: 'AWSOrganizationsNotInUseException',
      status: 400,
    });
  });

  it('signatures are checked, and named as JSON services name them', async () => {
    await expectAwsError(
      organizations({
        accessKeyId: KEYS.scanner.accessKeyId,
        secretAccessKey: 'wrong-secret-0000000000000000',
      }).send(new DescribeOrganizationCommand({})),
      { name: 'InvalidSignatureException', status: 400 },
    );
    await expectAwsError(
      organizations({ accessKeyId: 'AKIASANDBOXNOTAKEY00', secretAccessKey: 'x'.repeat(40) }).send(
        new DescribeOrganizationCommand({}),
      ),
      { name: 'UnrecognizedClientException', status: 400 },
    );
    const unsigned = await signedPost(sb.url, '{}', null, {
      headers: {
        'x-amz-target': 'AWSOrganizationsV20161128.ListRoots',
        'content-type': 'application/x-amz-json-1.1',
      },
    });
    expect(unsigned.status).toBe(400);
    expect(JSON.parse(unsigned.text)).toMatchObject({ __type: 'MissingAuthenticationToken' });
  });

  it('the throttle fault answers TooManyRequestsException; the request log counts the calls', async () => {
    const keys = await sessionIn(MANAGEMENT_ACCOUNT);
    sb.world.requestLog.clear();
    sb.world.setFaults({ throttle: { next: 1, actions: ['organizations:ListRoots'] } });
    const client = organizations(keys);
    await expectAwsError(client.send(new ListRootsCommand({})), {
      name: 'TooManyRequestsException',
      status: 400,
    });
    await client.send(new ListRootsCommand({}));
    expect(sb.world.requestLog.snapshot().byAction['organizations:ListRoots']).toBe(2);
    expect(sb.world.requestLog.snapshot().byCode.TooManyRequestsException).toBe(1);
  });
});

describe('a large organization', () => {
  it('1,000 generated accounts load and list completely', async () => {
    const big = await startSandbox({
      scenario: organizationScenario({ count: 1000 }),
      externalId: EXTERNAL_ID,
    });
    try {
      const out = await sts(big.url, KEYS.scanner).send(
        new AssumeRoleCommand({
          RoleArn: managementRoleArn(),
          RoleSessionName: 'discovery',
          ExternalId: EXTERNAL_ID,
        }),
      );
      const c = out.Credentials;
      const client = new OrganizationsClient({
        endpoint: big.url,
        region: 'us-east-1',
        credentials: {
          accessKeyId: c?.AccessKeyId ?? '',
          secretAccessKey: c?.SecretAccessKey ?? '',
          sessionToken: c?.SessionToken ?? '',
        },
      });
      let total = 0;
      for (const parent of [ROOT_ID, OUS.workloads, OUS.prod, OUS.sandbox])
        total += (await allAccounts(client, parent)).ids.length;
      expect(total).toBe(1003);
    } finally {
      await big.close();
    }
  });

  it('refuses an organization whose generated accounts overlap the scenario accounts', async () => {
    const s = organizationScenario({ count: 5 });
    s.accounts[FIRST_GENERATED] = {};
    expect(() => sb.world.load(s)).toThrow(/Generated account 910000000000 is also in accounts/);
    expect(sb.world.organization?.accounts.size).toBe(63);
  });
});
