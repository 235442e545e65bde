import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLI_GUIDANCE } from '../../cli/cli-guidance.ts';
import { discoverResponseSchema } from '../../domain/org-contract.ts';
import { selectAccounts } from '../../domain/org-tree.ts';
import { generatedOutcomes, organizationSchema } from '../../sandbox/organization-scenario.ts';
import { type SandboxHandle, startSandbox } from '../../sandbox/server.ts';
import {
  DELEGATED_ADMIN_ACCOUNT,
  MANAGEMENT_ACCOUNT,
  managementRoleArn,
  OUS,
  organizationScenario,
  PLAIN_MEMBER_ACCOUNT,
  ROOT_ID,
} from '../../sandbox/test-organization.ts';
import { startAwsProxy } from '../../testing/aws-proxy.ts';
import { TEST_EXTERNAL_ID } from '../test-support.ts';
import { createAgents, destroyAgents } from '../verify/aws-clients.ts';
import type { VerifyContext } from '../verify/verify.ts';
import { discoverOrganization } from './discover.ts';

// Discovery over HTTP against the sandbox's organization: the management account and a delegated
// administrator read the tree; every refusal becomes a failure that says what AWS said.

const COUNT = 60;
let sb: SandboxHandle;
let ctx: VerifyContext;
beforeAll(async () => {
  sb = await startSandbox({ scenario: organizationScenario({ count: COUNT }), externalId: TEST_EXTERNAL_ID });
  const keys = sb.world.serverCredentials('scanner');
  ctx = {
    region: 'us-east-1',
    timeoutMs: 3000,
    endpoints: { sts: sb.url, iam: sb.url, organizations: sb.url },
    guidance: CLI_GUIDANCE,
    defaultCredentials: async () => keys ?? { accessKeyId: '', secretAccessKey: '' },
    agents: createAgents(),
    baseDelayMs: 5,
  };
});
afterAll(async () => {
  destroyAgents(ctx.agents);
  await sb.close();
});
beforeEach(() => {
  sb.world.setFaults({});
  sb.world.requestLog.clear();
});

const discover = (roleArn: string, externalId = TEST_EXTERNAL_ID) =>
  discoverOrganization(
    {
      source: { kind: 'sdk-default' },
      roleArn,
      externalId,
      trustedAccountId: '111111111111',
      iamPrincipal: 'user/prowler-app',
    },
    ctx,
  );

describe('discoverOrganization against the sandbox', () => {
  it('from the management account: every OU and ACTIVE account, the suspended ones apart', async () => {
    const result = await discover(managementRoleArn());
    expect(discoverResponseSchema.parse(result)).toEqual(result);
    if (!result.ok) throw new Error(result.failure.message);
    const d = result.discovery;
    expect(d.organization).toEqual({
      id: 'o-sandbox0001',
      managementAccountId: MANAGEMENT_ACCOUNT,
      featureSet: 'ALL',
    });
    expect(d.delegatedAdministrator).toBe(false);
    expect(d.units.map((u) => u.id)).toEqual([ROOT_ID, OUS.workloads, OUS.sandbox, OUS.prod]);
    const expected = generatedOutcomes(
      organizationSchema.parse(organizationScenario({ count: COUNT }).organization),
    );
    const suspended = [...expected].filter(([, o]) => o === 'suspended').map(([id]) => id);
    expect(d.inactiveAccounts.map((a) => a.accountId).sort()).toEqual(suspended);
    expect(d.accounts).toHaveLength(3 + COUNT - suspended.length);
    expect(new Set(d.accounts.map((a) => a.accountId)).size).toBe(d.accounts.length);
    // Exactly the calls the organization needs: no page read twice, no parent skipped.
    const log = sb.world.requestLog.snapshot().byAction;
    expect(log['sts:AssumeRole']).toBe(1);
    expect(log['organizations:DescribeOrganization']).toBe(1);
    expect(log['organizations:ListRoots']).toBe(1);
    expect(log['organizations:ListOrganizationalUnitsForParent']).toBe(4);
    // Root: 1 page; Workloads: 21 accounts, 2 pages; Prod: 1 page; Sandbox: 21 accounts, 2 pages.
    expect(log['organizations:ListAccountsForParent']).toBe(6);
    expect(d.calls).toBe(1 + 1 + 4 + 6);
    expect(d.calls).toBe(sb.world.requestLog.snapshot().total - 1);

    const inWorkloads = d.accounts.filter((a) => a.parentId === OUS.workloads);
    expect(inWorkloads.length).toBe(20); // 21 accounts, one of them suspended
    const kept = selectAccounts(d, { includeOus: [OUS.workloads], excludeOus: [OUS.prod] });
    expect(kept.map((a) => a.accountId)).toEqual(inWorkloads.map((a) => a.accountId));
  });

  it('from a delegated administrator', async () => {
    const result = await discover(managementRoleArn(DELEGATED_ADMIN_ACCOUNT));
    if (!result.ok) throw new Error(result.failure.message);
    expect(result.discovery.delegatedAdministrator).toBe(true);
    expect(result.discovery.callerAccountId).toBe(DELEGATED_ADMIN_ACCOUNT);
    expect(result.discovery.organization.managementAccountId).toBe(MANAGEMENT_ACCOUNT);
  });

  it('retries Organizations throttling and still reads everything', async () => {
    sb.world.setFaults({ throttle: { next: 3, actions: ['organizations:ListAccountsForParent'] } });
    const result = await discover(managementRoleArn());
    expect(result.ok).toBe(true);
    expect(sb.world.requestLog.snapshot().byCode.TooManyRequestsException).toBe(3);
  });

  it.each([
    [
      'the role cannot be assumed: the verification of that role says why',
      () => discover(managementRoleArn(), 'another-external-id-123'),
      'ROLE_NOT_ASSUMED',
      /could not be assumed \(EXTERNAL_ID_MISMATCH\)/,
    ],
    [
      'a member that is neither management nor delegated administrator',
      () => discover(managementRoleArn(PLAIN_MEMBER_ACCOUNT)),
      'ORGANIZATIONS_ACCESS_DENIED',
      /refused organizations:ListRoots. Either the role's account is neither the management account nor a delegated administrator/,
    ],
    [
      'a management-account role without SecurityAudit',
      () => discover(managementRoleArn(MANAGEMENT_ACCOUNT, 'NoOrgRead')),
      'ORGANIZATIONS_ACCESS_DENIED',
      /refused organizations:DescribeOrganization/,
    ],
    [
      'an account in no organization',
      () => discover(managementRoleArn('222222222222')),
      'NOT_IN_ORGANIZATION',
      /AWSOrganizationsNotInUseException/,
    ],
  ] as const)('%s', async (_, run, code, message) => {
    const result = await run();
    expect(discoverResponseSchema.parse(result)).toEqual(result);
    if (result.ok) throw new Error('expected a failure');
    expect(result.failure.code).toBe(code);
    expect(result.failure.message).toMatch(message);
    if (code === 'ROLE_NOT_ASSUMED') {
      expect(result.failure.report?.diagnosis.code).toBe('EXTERNAL_ID_MISMATCH');
      expect(result.failure.awsError?.code).toBe('AccessDenied');
    } else {
      expect(result.failure.awsError?.call).toMatch(/^organizations:/);
    }
  });

  it('still throttled after bounded retries: THROTTLED, with the attempts', async () => {
    sb.world.setFaults({ throttle: { rate: 1, actions: ['organizations:DescribeOrganization'] } });
    const result = await discover(managementRoleArn());
    if (result.ok) throw new Error('expected a failure');
    expect(result.failure.code).toBe('THROTTLED');
    expect(result.failure.message).toMatch(/TooManyRequestsException \(5 attempts\)/);
    expect(sb.world.requestLog.snapshot().byAction['organizations:DescribeOrganization']).toBe(5);
  });

  it('a cancelled discovery sends nothing more', async () => {
    const proxy = await startAwsProxy(sb.url);
    try {
      const controller = new AbortController();
      sb.world.setFaults({ latencyMs: 30, actions: ['organizations:ListAccountsForParent'] });
      const endpoints = { sts: proxy.url, iam: proxy.url, organizations: proxy.url };
      const pending = discoverOrganization(
        { source: { kind: 'sdk-default' }, roleArn: managementRoleArn(), externalId: TEST_EXTERNAL_ID },
        { ...ctx, endpoints, signal: controller.signal },
      );
      // Cancel once the first account page was asked for.
      while (proxy.count('ListAccountsForParent') === 0) await new Promise((r) => setTimeout(r, 2));
      controller.abort();
      const result = await pending;
      expect(result.ok).toBe(false);
      const sent = proxy.count();
      await new Promise((r) => setTimeout(r, 150));
      expect(proxy.count()).toBe(sent);
      // The root's own two listings at most: never the rest of the tree.
      expect(proxy.count('ListAccountsForParent')).toBe(1);
      expect(proxy.count('ListOrganizationalUnitsForParent')).toBeLessThanOrEqual(1);
    } finally {
      await proxy.close();
    }
  });
});
