import { expect, TEMPLATE_URL, demoTest as test } from './fixtures.ts';
import { audit } from './support/audit.ts';
import { demoKeys, SCANNER_KEY_ID } from './support/demo-keys.ts';
import { expectNoSecretsLeft } from './support/secrets.ts';
import { LEFT_AT_DEFAULT } from './support/wizard.ts';

// The happy path for each credential source, one test.step per wizard step, with axe in both
// themes and screenshots on every step and every kind of panel (issue 6, Tests). These run on the
// private server: hosted flavour, with a published template URL.

const READY = 'arn:aws:iam::222222222222:role/ProwlerScan';

test('SDK default (hosted: "Prowler will assume your IAM role"): every step, axe-clean in both themes', async ({
  page,
  wizard,
  demo,
}) => {
  await wizard.walk({
    trust: 'detected',
    roleArn: READY,
    onStep: async (id) => {
      if (id === 'source')
        await expect(wizard.sdkDefaultCard()).toHaveAccessibleName(/Prowler will assume your IAM role/);
      if (id === 'template') {
        const link = page.getByRole('link', { name: /Open quick-create in the AWS console/ });
        const href = new URL((await link.getAttribute('href')) ?? '');
        expect(href.hash).toContain(`templateURL=${encodeURIComponent(TEMPLATE_URL)}`);
        expect(href.hash).toContain(`param_ExternalId=${demo.externalId}`);
        expect(href.hash).toContain('param_AccountId=111111111111');
        const download = page.waitForEvent('download');
        await page.getByRole('button', { name: 'Download template (YAML)' }).click();
        const file = await (await download).path();
        const { readFileSync } = await import('node:fs');
        expect(readFileSync(file, 'utf8')).toMatch(
          new RegExp(`ExternalId:[\\s\\S]*?Default: '?${demo.externalId}'?`),
        );
      }
      // Step 1 detected the scanner: the trust settings hold it already, so the role would admit it.
      if (id === 'trust')
        await expect(page.getByTestId('live-check')).toHaveAttribute('data-decision', 'allow');
      await audit(page, `step-${id}`, { dark: true });
    },
  });
  await expect(page.getByText('Connected', { exact: true })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Use it' })).toContainText(
    `--external-id ${demo.externalId}`,
  );
});

test('a refused role: the guidance panel, the trust chain and the trust doctor, axe-clean in both themes', async ({
  page,
  wizard,
}) => {
  await wizard.walk({ trust: LEFT_AT_DEFAULT, roleArn: 'arn:aws:iam::333333333333:role/ProwlerScan' });
  await expect(wizard.panel).toHaveAttribute('data-diagnosis', 'TRUST_PRINCIPAL_MISMATCH');
  await expect(page.locator('[data-troubleshoot="trust-chain"]').first()).toHaveAttribute(
    'data-decision',
    'deny',
  );
  await expect(page.getByRole('region', { name: /Trust doctor/ })).toBeVisible();
  await audit(page, 'result-refused', { dark: true });
});

test('connected with a warning (PERMISSIONS_INCOMPLETE): summary and warning panel, axe-clean', async ({
  page,
  wizard,
}) => {
  await wizard.walk({ trust: 'detected', roleArn: 'arn:aws:iam::666666666666:role/ProwlerScan' });
  await expect(wizard.panel).toHaveAttribute('data-diagnosis', 'PERMISSIONS_INCOMPLETE');
  await expect(page.getByText('Missing: AWS managed policy SecurityAudit')).toBeAttached();
  await audit(page, 'result-warning');
});

test('access keys: happy path, and no secret left anywhere once step 1 is left', async ({ page, wizard }) => {
  const expired = demoKeys('ASIASANDBOXEXPIRED01');
  const keys = demoKeys(SCANNER_KEY_ID);
  const secrets = [keys.secretAccessKey, expired.secretAccessKey, expired.sessionToken ?? ''];
  await test.step('a first try with expired temporary keys is refused on the token field', async () => {
    await wizard.open();
    await wizard.source({ source: 'access-keys', keys: expired });
    await expect(wizard.panel).toHaveAttribute('data-diagnosis', 'SOURCE_TOKEN_EXPIRED');
  });
  await wizard.walk({
    source: 'access-keys',
    keys,
    trust: 'detected',
    roleArn: READY,
    onStep: async (id) => {
      if (id === 'source') await audit(page, 'step-source-access-keys');
      if (id === 'template') await expectNoSecretsLeft(page, secrets, 'on step 2');
      if (id === 'verify')
        await expect(page.getByText(`Access key ${keys.accessKeyId.slice(0, 4)}…`)).toBeVisible();
    },
  });
  await expect(page.getByText('Connected', { exact: true })).toBeVisible();
  await expectNoSecretsLeft(page, secrets, 'on the result');
  // Storage keeps the other answers, never the keys, not even the key ID.
  const stored = await page.evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage }));
  expect(stored).toContain(READY);
  expect(stored).not.toContain(keys.accessKeyId);

  await test.step('a reload forgets the keys: back to step 1, the other answers kept', async () => {
    await page.reload();
    await wizard.expectStep('Credential source');
    await expect(page.getByText('Paste your access keys again')).toBeVisible();
    await expect(page.getByLabel('Secret access key (AWS_SECRET_ACCESS_KEY)')).toHaveValue('');
    await expectNoSecretsLeft(page, secrets, 'after a reload');
    await wizard.source({ source: 'access-keys', keys });
    await wizard.expectStep('Role template');
    await page
      .getByRole('navigation', { name: 'Wizard steps' })
      .getByRole('link', { name: /^Role ARN/ })
      .click();
    await expect(page.getByLabel('Role ARN')).toHaveValue(READY);
  });
});

test('keyboard only: the whole happy path', async ({ page, wizard }) => {
  const focused = (name: string) =>
    page.evaluate((n) => document.activeElement?.textContent?.includes(n) ?? false, name);
  async function tabTo(target: import('@playwright/test').Locator) {
    for (let i = 0; i < 60; i++) {
      if (await target.evaluate((el) => el === document.activeElement)) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached ${target}`);
  }
  async function press(target: import('@playwright/test').Locator, key = 'Enter') {
    await tabTo(target);
    // Visible focus: the focused control draws an outline (WCAG 2.4.7).
    const outline = await target.evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(outline).not.toBe('none');
    await page.keyboard.press(key);
  }
  const button = (name: string) => page.getByRole('button', { name, exact: true });

  await test.step('1 credential source', async () => {
    await wizard.open();
    await tabTo(wizard.sdkDefaultCard());
    await page.keyboard.press('Space');
    await expect(page.getByTestId('caller-arn')).toBeVisible();
    await press(button('Continue'));
  });
  await test.step('2 role template', async () => {
    await wizard.expectStep('Role template');
    await expect(wizard.heading('Role template')).toBeFocused();
    await press(button('Continue'));
  });
  await test.step('3 trust settings: type over the detected value, then take it back', async () => {
    await wizard.expectStep('Trust settings');
    await tabTo(page.getByLabel('IAMPrincipal'));
    await page.keyboard.press('End');
    await page.keyboard.type('-x');
    await press(button('Use detected identity'));
    await expect(page.getByLabel('IAMPrincipal')).toHaveValue('user/prowler-app');
    await expect(page.getByText('Using the detected identity')).toBeVisible();
    await press(button('Continue'));
  });
  await test.step('4 role ARN', async () => {
    await wizard.expectStep('Role ARN');
    await tabTo(page.getByLabel('Role ARN'));
    await page.keyboard.type(READY);
    await press(button('Continue to verify'));
  });
  await test.step('5 verify', async () => {
    await wizard.expectStep('Verify');
    await press(button('Verify connection'));
  });
  await test.step('6 result', async () => {
    await wizard.expectStep('Result');
    await expect(page.getByText('Connected', { exact: true })).toBeVisible();
    expect(await focused('Result')).toBe(true);
  });
});
