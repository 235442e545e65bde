import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect } from '@playwright/test';
import {
  MANAGEMENT_ACCOUNT,
  managementRoleArn,
  organizationScenario,
  PLAIN_MEMBER_ACCOUNT,
} from '../src/sandbox/test-organization.ts';
import { audit } from './support/audit.ts';
import { type DemoServer, startDemoServer } from './support/demo-server.ts';

// The organization flow (issue 14) in Chromium, on its own server whose sandbox holds an
// organization of 400 generated member accounts: the method choice, the organization template's
// deploy options, discovery with selection, a live table (virtualized past 200 rows), the guidance
// of one account, retry of the failed only, a refused discovery; axe in both colour schemes.

const test = base.extend<object, { org: DemoServer }>({
  org: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright's fixture signature
    async ({}, use) => {
      const dir = mkdtempSync(join(tmpdir(), 'aws-connect-e2e-org-'));
      const file = join(dir, 'organization.json');
      writeFileSync(file, JSON.stringify(organizationScenario({ count: 400 })));
      const server = await startDemoServer({
        AWS_CONNECT_SANDBOX_SCENARIO: file,
        AWS_CONNECT_AWS_TIMEOUT_MS: '5000',
      });
      await use(server);
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  baseURL: async ({ org }, use) => {
    await use(org.url);
  },
});

test('a whole organization: template, discovery, live table, guidance, retry', async ({ page }) => {
  await test.step('the method choice leads to the organization flow', async () => {
    await page.goto('/');
    const choice = page.getByRole('navigation', { name: 'Pages' });
    await expect(choice.getByRole('link', { name: 'One account' })).toHaveAttribute('aria-current', 'page');
    await choice.getByRole('link', { name: 'A whole organization' }).click();
    await expect(page).toHaveURL(/\?flow=organization$/);
    await expect(choice.getByRole('link', { name: 'A whole organization' })).toHaveAttribute(
      'aria-current',
      'page',
    );
    await expect(page.getByRole('heading', { name: '2. The organization template' })).toBeVisible();
  });

  await test.step('1-2: trust settings, then the template with its deploy options', async () => {
    await page.getByLabel('Trusted account ID').fill('111111111111');
    await page.getByLabel('Trusted IAM principal').fill('user/prowler-app');
    await page.getByLabel('Target OUs').fill('ou-1');
    await expect(page.getByText(/ou-1: An OU ID looks like ou-ab12-cd34ef56/)).toBeVisible();
    await expect(
      page.getByRole('button', { name: /Download prowler-scan-organization.yaml/ }),
    ).toBeDisabled();
    await page.getByLabel('Target OUs').fill('ou-sbx0-workload, ou-sbx0-sandboxx');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: /Download prowler-scan-organization.yaml/ }).click();
    expect((await download).suggestedFilename()).toBe('prowler-scan-organization.yaml');
    await expect(page.getByText(/--template-body file:\/\/prowler-scan-organization.yaml/)).toBeVisible();
    // No published organization template on this server: the page says so instead of a broken link.
    await expect(
      page.getByText(/needs the template published on Amazon S3 \(AWS_CONNECT_ORG_TEMPLATE_URL\)/),
    ).toBeVisible();
  });

  await test.step('3: a refused discovery says what AWS said', async () => {
    await page.getByLabel('Management account role ARN').fill(managementRoleArn(PLAIN_MEMBER_ACCOUNT));
    await page.getByRole('button', { name: 'Discover the organization' }).click();
    await expect(page.getByText('Not read: ORGANIZATIONS_ACCESS_DENIED')).toBeVisible();
  });

  await test.step('3: discovery, then a selection in the tree', async () => {
    await page.getByLabel('Management account role ARN').fill(managementRoleArn(MANAGEMENT_ACCOUNT));
    await page.getByRole('button', { name: 'Discover the organization' }).click();
    await expect(
      page.getByText(
        /Organization o-sandbox0001: \d+ ACTIVE accounts in 3 OUs, read from the management account\./,
      ),
    ).toBeVisible();
    await expect(page.getByText(/Not ACTIVE, so not listed/)).toBeVisible();
    // Leave the Sandbox OU out: its box unchecks all of its accounts.
    const sandbox = page.getByRole('checkbox', { name: /^Sandbox ou-sbx0-sandboxx/ });
    await sandbox.uncheck();
    await expect(page.getByText(/Sandbox ou-sbx0-sandboxx \(0 of \d+ selected\)/)).toBeVisible();
    await audit(page, 'organization-discovered');
  });

  let total = 0;
  await test.step('4: verify; the table fills in live and draws only the rows in view', async () => {
    const verify = page.getByRole('button', { name: /^Verify \d+ accounts$/ });
    total = Number((await verify.textContent())?.match(/\d+/)?.[0]);
    expect(total).toBeGreaterThan(200);
    await verify.click();
    await expect(
      page.getByText(new RegExp(`^${total} of ${total} verified: \\d+ OK, \\d+ connected\\.$`)),
    ).toBeVisible({ timeout: 60_000 });
    const table = page.getByRole('region', { name: 'Accounts of this run' });
    await expect(table.getByRole('table')).toHaveAttribute('aria-rowcount', String(total + 1));
    expect(await table.locator('tbody tr').count()).toBeLessThan(60);
    await expect(page.getByRole('table').filter({ hasText: 'By outcome' })).toContainText(
      'EXTERNAL_ID_MISMATCH',
    );
  });

  await test.step('the guidance panel of an account that is not OK', async () => {
    const table = page.getByRole('region', { name: 'Accounts of this run' });
    const failing = table.getByRole('row').filter({ hasText: 'EXTERNAL_ID_MISMATCH' }).first();
    const accountId = (await failing.getByRole('button').textContent()) ?? '';
    await failing.getByRole('button').click();
    const details = page.getByRole('region', { name: `Account ${accountId}` });
    await expect(details.locator('[data-troubleshoot="guidance"]')).toHaveAttribute(
      'data-diagnosis',
      'EXTERNAL_ID_MISMATCH',
    );
    await audit(page, 'organization-verified');
  });

  await test.step('retry the failed only', async () => {
    const retry = page.getByRole('button', { name: /^Verify the \d+ not OK again$/ });
    const failed = Number((await retry.textContent())?.match(/\d+/)?.[0]);
    expect(failed).toBeLessThan(total);
    await retry.click();
    await expect(
      page.getByText(new RegExp(`^${failed} of ${failed} verified: 0 OK, \\d+ connected\\.$`)),
    ).toBeVisible({ timeout: 60_000 });
  });

  await test.step('each verified account is a saved connection: its link opens the connection page', async () => {
    const table = page.getByRole('region', { name: 'Accounts of this run' });
    const failing = table.getByRole('row').filter({ hasText: 'EXTERNAL_ID_MISMATCH' }).first();
    const accountId = (await failing.getByRole('button').textContent()) ?? '';
    await failing.getByRole('link', { name: `Saved connection of ${accountId}` }).click();
    await expect(page).toHaveURL(/\/connections\/[0-9a-f-]{36}$/);
    await expect(page.getByText(accountId).first()).toBeVisible();
    // Two runs verified it (the run, then the retry of the failed): two history rows, both from a run.
    await expect(page.getByRole('cell', { name: 'organization run' })).toHaveCount(2);
  });
});
