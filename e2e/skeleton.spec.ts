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
const NODE_START = 'AWS_PROFILE=my-profile npm start';

// The no-credentials server runs with AWS_CONNECT_DEPLOYMENT=compose, the unknown-key one with the
// default (node): each names its own way of giving the server credentials (playwright.config.ts).
for (const { port, code, name, command } of [
  { port: E2E_NO_CREDENTIALS_PORT, code: 'SOURCE_NO_CREDENTIALS', name: 'no-credentials', command: RECREATE },
  { port: E2E_UNKNOWN_KEY_PORT, code: 'SOURCE_KEY_INVALID', name: 'unknown-key', command: NODE_START },
]) {
  test(`the server's default chain ${name === 'no-credentials' ? 'is empty (compose)' : 'holds an unknown key (npm start)'}: ${code} guidance with the deployment's own steps`, async ({
    page,
    wizard,
  }) => {
    await page.goto(`http://127.0.0.1:${port}${ENTRY}`);
    await wizard.expectStep('Credential source');
    await wizard.sdkDefaultCard().check();
    const panel = wizard.panel;
    await expect(panel).toHaveAttribute('data-diagnosis', code);
    if (command === RECREATE) for (const key of ENV_KEYS) await expect(panel).toContainText(key);
    else await expect(panel).not.toContainText('docker compose');
    await expect(panel).toContainText(command);
    await expect(panel).toContainText('Run where the server runs');
    // Each command comes with its copy button.
    const copies = panel.getByRole('button', { name: /^Copy / });
    expect(await copies.count()).toBeGreaterThanOrEqual(2);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    const copy = panel
      .locator('li', { hasText: command })
      .getByRole('button', { name: /^Copy / })
      .first();
    await copy.click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(command);
    await screenshots(page, `skeleton-${name}`);
  });
}
