import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { configResponseSchema } from '../src/domain/api-contract.ts';
import { getRoleOutput } from '../src/testing/role-evidence.ts';

// The failure side of the result, the real app, server and sandbox: walk the wizard to a refused
// AssumeRole (suspected, AWS does not say why), then the trust doctor's way back in: the pasted
// output is checked in the browser with the server's own schema, refused inline with the field's
// message, or sent, and the headline becomes the cause the role's real trust policy shows. axe on
// the panels in both themes.

const SCANNER_ACCOUNT = '111111111111';
/** Demo account "IAMPrincipal left at the default" (src/sandbox/scenarios/demo.json). */
const TARGET_ACCOUNT = '333333333333';
const ROLE_ARN = `arn:aws:iam::${TARGET_ACCOUNT}:role/ProwlerScan`;
const SCANNER_USER = `arn:aws:iam::${SCANNER_ACCOUNT}:user/prowler-app`;
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const SECTIONS = '[data-troubleshoot]';

async function serverExternalId(page: Page): Promise<string> {
  const response = await page.request.get('/api/config');
  return configResponseSchema.parse(await response.json()).externalId;
}

/** The wizard from step 1 to a failed verification, with the default step-3 values. */
async function reachFailedResult(page: Page, externalId: string) {
  // Pin the target's stack: another spec's "fix and redeploy" may have changed it. Same API as
  // the wizard's "Deploy to sandbox".
  const deployed = await page.request.post('/api/sandbox/stacks', {
    data: {
      accountId: TARGET_ACCOUNT,
      parameters: { ExternalId: externalId, AccountId: SCANNER_ACCOUNT, IAMPrincipal: 'role/prowler*' },
    },
  });
  expect(deployed.ok()).toBe(true);

  await test.step('1 credential source', async () => {
    await page.goto('/');
    await page.getByRole('radio', { name: /AWS SDK Default/ }).check();
    await expect(page.getByText(SCANNER_USER).first()).toBeVisible();
    await page.getByRole('button', { name: 'Continue', exact: true }).click();
  });
  await test.step('2 role template', async () => {
    await expect(page.getByRole('heading', { name: 'Role template', level: 2 })).toBeVisible();
    await page.getByRole('button', { name: 'Continue', exact: true }).click();
  });
  await test.step('3 trust settings: the defaults (the detected identity)', async () => {
    await expect(page.getByLabel('AccountId (trusted account)')).toHaveValue(SCANNER_ACCOUNT);
    await expect(page.getByLabel('IAMPrincipal', { exact: true })).toHaveValue('user/prowler-app');
    await page.getByRole('button', { name: 'Continue', exact: true }).click();
  });
  await test.step('4 role ARN', async () => {
    await page.getByLabel('Role ARN', { exact: true }).fill(ROLE_ARN);
    await page.getByRole('button', { name: 'Continue to verify' }).click();
  });
  await test.step('5 verify', async () => {
    await page.getByRole('button', { name: 'Verify connection' }).click();
  });
  await test.step('6 result: suspected', async () => {
    await expect(page).toHaveURL(/step=result/);
    // What was entered admits the caller: the headline is the first candidate, suspected.
    await expect(page.locator('section[data-diagnosis]').first()).toHaveAttribute(
      'data-confidence',
      'suspected',
    );
  });
}

test('the trust doctor’s output: refused inline when it is not, confirmed in the headline when it is', async ({
  page,
}) => {
  const externalId = await serverExternalId(page);
  await reachFailedResult(page, externalId);
  const panel = page.locator('section[data-diagnosis]').first();
  const doctor = page.getByRole('region', { name: /Trust doctor/ });
  const box = doctor.getByLabel('Trust doctor output');
  const send = doctor.getByRole('button', { name: 'Verify again with this evidence' });

  await test.step('the chain drawn before evidence is the one of the settings entered, and says so', async () => {
    await expect(
      page.getByRole('heading', { name: /Trust chain of the settings you entered/ }),
    ).toBeVisible();
  });

  await test.step('not the doctor’s output: a field error, nothing sent', async () => {
    const requests: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/verify')) requests.push(r.url());
    });
    await box.fill('hello, this is not it');
    await send.click();
    await expect(box).toHaveAttribute('aria-invalid', 'true');
    await expect(box).toHaveAccessibleDescription(/roleEvidence is not output we recognise/);
    await box.fill('x'.repeat(16_001));
    await send.click();
    await expect(box).toHaveAccessibleDescription(/roleEvidence is too long: at most 16,000/);
    expect(requests).toEqual([]);
  });

  await test.step('another account’s role: the server refuses it, on the field', async () => {
    const params = { ExternalId: externalId, AccountId: SCANNER_ACCOUNT, IAMPrincipal: 'role/prowler*' };
    await box.fill(JSON.stringify(getRoleOutput('444444444444', params)));
    await send.click();
    await expect(box).toHaveAccessibleDescription(/about a role in account 444444444444/);
    await expect(panel).toHaveAttribute('data-confidence', 'suspected');
  });

  await test.step('the role’s real policy: confirmed, the chain is the real one', async () => {
    const params = { ExternalId: externalId, AccountId: SCANNER_ACCOUNT, IAMPrincipal: 'role/prowler*' };
    await box.fill(JSON.stringify(getRoleOutput(TARGET_ACCOUNT, params), null, 2));
    await send.click();
    await expect(panel).toHaveAttribute('data-confidence', 'confirmed');
    await expect(panel.getByRole('heading', { level: 3 }).first()).toHaveText(
      'The role does not trust this principal',
    );
    await expect(
      page.getByRole('heading', { name: 'Trust chain of the role’s real trust policy' }),
    ).toBeVisible();
    await expect(page.locator('[data-troubleshoot="trust-chain"]').first()).toHaveAttribute(
      'data-decision',
      'deny',
    );
    // The text pasted is gone: it is sent once and kept nowhere.
    await expect(
      page.getByRole('region', { name: /Trust doctor/ }).getByLabel('Trust doctor output'),
    ).toHaveValue('');
    expect(await page.evaluate(() => JSON.stringify(sessionStorage))).not.toContain('AROAEXAMPLEEXAMPLE01');
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    await test.step(`axe finds nothing on the troubleshoot panels (${colorScheme})`, async () => {
      await page.emulateMedia({ colorScheme });
      await page.locator(`${SECTIONS} details`).evaluateAll((all) => {
        for (const d of all) (d as HTMLDetailsElement).open = true;
      });
      const results = await new AxeBuilder({ page }).include(SECTIONS).withTags(AXE_TAGS).analyze();
      expect(
        results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      ).toEqual([]);
      for (const width of [1280, 375]) {
        await page.setViewportSize({ width, height: 900 });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
        expect(overflow, `horizontal scroll at ${width}px`).toBe(false);
        await panel.screenshot({
          path: `test-results/screenshots/troubleshoot-evidence-${colorScheme}-${width}.png`,
        });
      }
    });
  }
});
