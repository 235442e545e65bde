import { expect, test } from '@playwright/test';
import { ProwlerFake } from '../src/testing/prowler-fake.ts';
import { type DemoServer, startDemoServer } from './support/demo-server.ts';
import { Wizard } from './support/wizard.ts';

// Issue 16 in the browser: with Prowler App configured (a fake on a real port), the trust step
// says the External ID is the tenant's, and the result step pushes the role and shows both
// verdicts side by side, and why they disagree when Prowler's worker is refused.

const KEY = 'pk_E2eCanaryProwlerKey.0123456789abcdef';
const WORKER_DENIED =
  'AWSAssumeRoleError[1012]: AWS assume role error - An error occurred (AccessDenied) when calling the AssumeRole operation: User: arn:aws:iam::999999999999:user/prowler-worker is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/ProwlerScan';

let fake: ProwlerFake;
let demo: DemoServer;

test.beforeAll(async () => {
  fake = await new ProwlerFake({ apiKey: KEY }).start();
  demo = await startDemoServer({ PROWLER_API_URL: fake.url, PROWLER_API_KEY: KEY });
});
test.afterAll(async () => {
  await demo?.close();
  await fake?.close();
});

test('push to Prowler: both verdicts side by side', async ({ page }) => {
  const wizard = new Wizard(page);
  await page.goto(`${demo.url}/`);
  await wizard.expectStep('Credential source');
  await wizard.source({ source: 'sdk-default' });
  await wizard.template({});
  await test.step('3 trust settings: the External ID is the Prowler tenant ID', async () => {
    await wizard.expectStep('Trust settings');
    await expect(page.getByRole('textbox', { name: 'External ID' })).toHaveValue(fake.tenantId);
    await expect(page.getByText('This is your Prowler tenant ID')).toBeVisible();
    await wizard.trust({ trust: 'detected' });
  });
  await wizard.role({ roleArn: 'arn:aws:iam::222222222222:role/ProwlerScan' });
  await wizard.verify({});
  await expect(wizard.heading('Result')).toBeVisible({ timeout: 30_000 });
  const prowler = page.getByRole('region', { name: 'Prowler App' });
  await test.step('push: Prowler connected too', async () => {
    await prowler.getByRole('button', { name: 'Push to Prowler' }).click();
    await expect(prowler.getByText('Prowler’s test: connected')).toBeVisible({ timeout: 30_000 });
    await expect(prowler.getByText('Our verification: connected')).toBeVisible();
    await expect(prowler).toContainText('Both assumed the role');
  });
  await test.step('push again while Prowler’s worker is refused: they disagree, and it says why', async () => {
    fake.outcome = () => ({ connected: false, error: WORKER_DENIED });
    await prowler.getByRole('button', { name: 'Push to Prowler again' }).click();
    await expect(prowler.getByText('Prowler’s test: not connected')).toBeVisible({ timeout: 30_000 });
    await expect(prowler).toContainText('TRUST_PRINCIPAL_MISMATCH');
    await expect(prowler).toContainText('the caller differs');
    await page.screenshot({ path: 'test-results/prowler-push.png', fullPage: true });
  });
  expect(fake.providers.size).toBe(1);
  expect(await page.content()).not.toContain(KEY);
});
