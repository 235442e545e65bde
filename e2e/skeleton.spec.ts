import { E2E_NO_CREDENTIALS_PORT, E2E_UNKNOWN_KEY_PORT } from '../playwright.config.ts';
import { expect, test } from './fixtures.ts';
import { screenshots } from './support/audit.ts';
import { ENTRY } from './support/wizard.ts';

// Issue 2's thin path, on the servers playwright.config.ts starts: the scanner identity (E2E_PORT),
// no credentials in the default chain (E2E_NO_CREDENTIALS_PORT), an unknown access key (E2E_UNKNOWN_KEY_PORT).

test('SDK Default -> External ID -> role ARN -> Verify -> success naming the role and its expiry', async ({
  page,
  wizard,
}) => {
  const config = await (await page.request.get('/api/config')).json();
  await test.step('1 credential source: the server resolves to the scanner', async () => {
    await wizard.open();
    await wizard.sdkDefaultCard().check();
    await expect(page.getByTestId('caller-arn')).toHaveText('arn:aws:iam::111111111111:user/prowler-app');
    await wizard.continue();
  });
  await test.step('2 role template', () => wizard.template({}));
  await test.step('3 trust settings: the issued External ID, read-only', async () => {
    await wizard.expectStep('Trust settings');
    const externalId = page.getByLabel('External ID', { exact: true });
    await expect(externalId).toHaveValue(config.externalId);
    await expect(externalId).toHaveAttribute('readonly', '');
    await expect(page.getByRole('button', { name: 'Copy External ID' })).toBeVisible();
    await wizard.continue();
  });
  await test.step('4 role ARN', () => wizard.role({ roleArn: 'arn:aws:iam::222222222222:role/ProwlerScan' }));
  await test.step('5 verify', () => wizard.verify({}));
  await test.step('6 result: connected, the assumed role and its expiry', async () => {
    await wizard.expectStep('Result');
    await expect(page.getByText('Connected', { exact: true })).toBeVisible();
    await expect(page.getByTestId('assumed-role')).toContainText(
      'arn:aws:sts::222222222222:assumed-role/ProwlerScan/',
    );
    await expect(page.getByTestId('expiry')).toContainText(/in \d+ minutes|in 1 hour/);
    await screenshots(page, 'skeleton-success');
  });
});

const ENV_KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_DEFAULT_REGION'];
const RECREATE = 'docker compose up -d --force-recreate api worker worker-beat';

for (const { port, code, name } of [
  { port: E2E_NO_CREDENTIALS_PORT, code: 'SOURCE_NO_CREDENTIALS', name: 'no-credentials' },
  { port: E2E_UNKNOWN_KEY_PORT, code: 'SOURCE_KEY_INVALID', name: 'unknown-key' },
]) {
  test(`the server's default chain ${name === 'no-credentials' ? 'is empty' : 'holds an unknown key'}: ${code} guidance with the .env keys and the recreate command`, async ({
    page,
    wizard,
  }) => {
    await page.goto(`http://127.0.0.1:${port}${ENTRY}`);
    await wizard.expectStep('Credential source');
    await wizard.sdkDefaultCard().check();
    const panel = wizard.panel;
    await expect(panel).toHaveAttribute('data-diagnosis', code);
    for (const key of ENV_KEYS) await expect(panel).toContainText(key);
    await expect(panel).toContainText(RECREATE);
    // Each command comes with its copy button.
    const copies = panel.getByRole('button', { name: /^Copy / });
    expect(await copies.count()).toBeGreaterThanOrEqual(2);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    const recreateCopy = panel
      .locator('li', { hasText: RECREATE })
      .getByRole('button', { name: /^Copy / })
      .first();
    await recreateCopy.click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(RECREATE);
    await screenshots(page, `skeleton-${name}`);
  });
}
