import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { managementRoleArn, organizationScenario, SCANNER } from '../src/sandbox/test-organization.ts';
import { ProwlerFake } from '../src/testing/prowler-fake.ts';
import { PROWLER_ERROR_TEXTS } from '../src/testing/prowler-texts.ts';
import { expectNoAxeViolations } from './support/audit.ts';
import { type DemoServer, startDemoServer } from './support/demo-server.ts';

// Issue 16 in the browser, beyond the result step: "Push to Prowler" on a saved connection's page
// (by its id; a connection that failed is pushed only when asked), and "Push N connected accounts
// to Prowler" under an organization run, against a fake Prowler App on a real port.

const KEY = 'pk_E2eSavedPushKey.0123456789abcdefSAVED';
let fake: ProwlerFake;
let demo: DemoServer;
let dir = '';

test.beforeAll(async () => {
  fake = await new ProwlerFake({ apiKey: KEY }).start();
  dir = mkdtempSync(join(tmpdir(), 'aws-connect-e2e-prowler-org-'));
  const file = join(dir, 'organization.json');
  writeFileSync(file, JSON.stringify(organizationScenario({ count: 12 })));
  demo = await startDemoServer({
    PROWLER_API_URL: fake.url,
    PROWLER_API_KEY: KEY,
    AWS_CONNECT_SANDBOX_SCENARIO: file,
    AWS_CONNECT_AWS_TIMEOUT_MS: '5000',
  });
});
test.afterAll(async () => {
  await demo?.close();
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function save(roleArn: string): Promise<string> {
  const res = await fetch(`${demo.url}/api/connections`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ source: { kind: 'sdk-default' }, roleArn, externalId: fake.tenantId }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

test('a saved connection’s page pushes it by its id; one that failed only when asked', async ({ page }) => {
  const ok = await save(managementRoleArn());
  await test.step('a connection that verified: both verdicts', async () => {
    await page.goto(`${demo.url}/connections/${ok}`);
    const prowler = page.getByRole('region', { name: 'Prowler App' });
    await prowler.getByRole('button', { name: 'Push to Prowler' }).click();
    await expect(prowler.getByText('Prowler’s test: connected')).toBeVisible({ timeout: 30_000 });
    await expect(prowler).toContainText('This connection’s last saved verification: OK');
    await expect(prowler).toContainText('Both assumed the role');
  });
  const broken = await save('arn:aws:iam::900000000000:role/NoSuchRole');
  await test.step('one whose last verification failed: refused, then pushed anyway', async () => {
    fake.outcome = () => ({ connected: false, error: PROWLER_ERROR_TEXTS[1]!.text });
    await page.goto(`${demo.url}/connections/${broken}`);
    const prowler = page.getByRole('region', { name: 'Prowler App' });
    await prowler.getByRole('button', { name: 'Push to Prowler' }).click();
    await expect(prowler).toContainText(`Connection ${broken} is not pushed`);
    await prowler.getByRole('button', { name: 'Push anyway' }).click();
    await expect(prowler.getByText('Prowler’s test: not connected')).toBeVisible({ timeout: 30_000 });
    await expect(prowler).toContainText('ROLE_ACCOUNT_MISMATCH');
    await expectNoAxeViolations(page, 'connection page after a forced push');
    await page.screenshot({ path: 'test-results/prowler-saved-push.png', fullPage: true });
  });
  expect(await page.content()).not.toContain(KEY);
});

test('an organization run: push its connected accounts to Prowler', async ({ page }) => {
  fake.outcome = () => ({ connected: true, error: null });
  const before = fake.providers.size;
  await page.goto(`${demo.url}/?flow=organization`);
  await page.getByLabel('Trusted account ID').fill(SCANNER.accountId);
  await page.getByLabel('Trusted IAM principal').fill(SCANNER.iamPrincipal);
  await page.getByLabel('Management account role ARN').fill(managementRoleArn());
  await page.getByRole('button', { name: 'Discover the organization' }).click();
  const verify = page.getByRole('button', { name: /^Verify \d+ accounts$/ });
  await verify.click();
  const done = page.getByText(/^\d+ of \d+ verified: \d+ OK, (\d+) connected\.$/);
  await expect(done).toBeVisible({ timeout: 60_000 });
  const connected = Number((await done.textContent())?.match(/(\d+) connected/)?.[1]);
  expect(connected).toBeGreaterThan(0);
  const push = page.getByRole('button', { name: `Push ${connected} connected accounts to Prowler` });
  await push.click();
  await expect(
    page.getByText(`Prowler App took ${connected} of ${connected}; its own test connected ${connected}.`),
  ).toBeVisible({ timeout: 60_000 });
  expect(fake.providers.size - before).toBeLessThanOrEqual(connected);
  await expectNoAxeViolations(page, 'organization run after the push');
  await page.screenshot({ path: 'test-results/prowler-org-push.png', fullPage: true });
  expect(await page.content()).not.toContain(KEY);
});
