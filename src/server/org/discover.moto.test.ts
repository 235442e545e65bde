import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_GUIDANCE } from '../../cli/cli-guidance.ts';
import { discoverResponseSchema } from '../../domain/org-contract.ts';
import { selectAccounts } from '../../domain/org-tree.ts';
import { trustPolicyFor } from '../../domain/template/role-template.ts';
import { type Moto, startMoto } from '../../testing/moto.ts';
import {
  createMotoOrganization,
  MOTO_KEYS,
  MOTO_MANAGEMENT_ACCOUNT,
  type MotoOrganization,
} from '../../testing/moto-organization.ts';
import { requireTool } from '../../testing/tools.ts';
import { createAgents, destroyAgents } from '../verify/aws-clients.ts';
import type { VerifyContext } from '../verify/verify.ts';
import { discoverOrganization } from './discover.ts';

// Discovery against an Organizations implementation that is not ours: moto_server. moto answers
// DescribeOrganization, ListRoots, ListOrganizationalUnitsForParent and ListAccountsForParent in
// the JSON protocol and pages with MaxResults/NextToken; it does not check trust policies, so
// AssumeRole always succeeds here (the sandbox tests cover the refusals).

const ready = requireTool('moto_server');
const EXTERNAL_ID = 'moto-external-id-0123456789';

describe.skipIf(!ready)('discoverOrganization against moto_server', () => {
  let moto: Moto;
  let org: MotoOrganization;
  let ctx: VerifyContext;
  const roleArn = `arn:aws:iam::${MOTO_MANAGEMENT_ACCOUNT}:role/ProwlerScan`;

  beforeAll(async () => {
    moto = await startMoto();
    // root ── Workloads ── Prod (25 accounts: two pages of ListAccountsForParent)
    //      └─ Sandbox (one of its two accounts closed, so SUSPENDED)
    org = await createMotoOrganization(moto.url, {
      ous: [
        ['Workloads', ''],
        ['Prod', 'Workloads'],
        ['Sandbox', ''],
      ],
      accounts: [
        ['Workloads1', 'Workloads'],
        ...Array.from({ length: 25 }, (_, i) => [`Prod${i}`, 'Prod'] as [string, string]),
        ['Sandbox1', 'Sandbox'],
        ['Sandbox2', 'Sandbox'],
      ],
      closed: ['Sandbox2'],
    });
    const iam = new IAMClient({ endpoint: moto.url, region: 'us-east-1', credentials: MOTO_KEYS });
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'ProwlerScan',
        AssumeRolePolicyDocument: JSON.stringify(
          trustPolicyFor({
            partition: 'aws',
            trustedAccountId: MOTO_MANAGEMENT_ACCOUNT,
            iamPrincipal: '*',
            externalId: EXTERNAL_ID,
          }),
        ),
      }),
    );
    iam.destroy();
    ctx = {
      region: 'us-east-1',
      timeoutMs: 20_000,
      endpoints: { sts: moto.url, iam: moto.url, organizations: moto.url },
      guidance: CLI_GUIDANCE,
      defaultCredentials: async () => MOTO_KEYS,
      agents: createAgents(),
    };
  }, 180_000);
  afterAll(async () => {
    if (ctx) destroyAgents(ctx.agents);
    await moto?.stop();
  });

  it('builds the OU tree with the ACTIVE accounts, every page, the suspended one apart', async () => {
    const result = await discoverOrganization(
      { source: { kind: 'sdk-default' }, roleArn, externalId: EXTERNAL_ID },
      ctx,
    );
    expect(discoverResponseSchema.parse(result)).toEqual(result);
    if (!result.ok) throw new Error(result.failure.message);
    const d = result.discovery;
    expect(d.organization.managementAccountId).toBe(MOTO_MANAGEMENT_ACCOUNT);
    expect(d.organization.id).toMatch(/^o-/);
    expect(d.delegatedAdministrator).toBe(false);
    expect(d.units.map((u) => [u.kind, u.id, u.parentId])).toEqual([
      ['root', org.rootId, null],
      ['ou', org.ouIds.Workloads, org.rootId],
      ['ou', org.ouIds.Sandbox, org.rootId],
      ['ou', org.ouIds.Prod, org.ouIds.Workloads],
    ]);
    const byParent = (parentId: string) =>
      d.accounts.filter((a) => a.parentId === parentId).map((a) => a.name);
    expect(byParent(org.rootId)).toEqual(['master']);
    expect(byParent(org.ouIds.Prod ?? '')).toHaveLength(25);
    expect(byParent(org.ouIds.Sandbox ?? '')).toEqual(['Sandbox1']);
    expect(d.inactiveAccounts).toEqual([
      {
        accountId: org.accountIds.Sandbox2,
        name: 'Sandbox2',
        state: 'SUSPENDED',
        parentId: org.ouIds.Sandbox,
      },
    ]);
    expect(d.accounts.every((a) => a.state === 'ACTIVE')).toBe(true);
    // DescribeOrganization, ListRoots, 2 calls per parent, one more page for Prod's 25 accounts.
    expect(d.calls).toBe(2 + 4 * 2 + 1);

    const workloads = selectAccounts(d, { includeOus: [org.ouIds.Workloads ?? ''] });
    expect(workloads).toHaveLength(26);
    const noProd = selectAccounts(d, {
      excludeOus: [org.ouIds.Prod ?? ''],
      excludeAccounts: [MOTO_MANAGEMENT_ACCOUNT],
    });
    expect(noProd.map((a) => a.alias)).toEqual(['Workloads1', 'Sandbox1']);
  }, 120_000);
});
