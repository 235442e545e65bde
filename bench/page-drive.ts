import { chromium } from '@playwright/test';
import { DRAWN_STEP_STORAGE_KEY, WIZARD_STORAGE_KEY } from '../src/domain/drawn-step.ts';
import { CHROMIUM_FLAGS } from '../src/testing/chromium.ts';
import { BENCH_ROLE_ARN } from './lib/sandbox-process.ts';

// Walks the wizard through its real UI to a green result, against the server's embedded sandbox,
// reloads it once as a user would, and returns the result step's URL with the tab's
// sessionStorage: the wizard's entry (non-secret answers and the report:
// src/features/connect/store/wizard-store.ts) and the copy of the result screen the reload kept
// (src/domain/drawn-step.ts). The page bench hands both to Lighthouse's own tab. Role and label
// locators, as in e2e/support/wizard.ts.

const STEP_TIMEOUT = 20_000;

export async function driveToResult(
  serverUrl: string,
  chromePath: string,
  failureScreenshot?: string,
): Promise<{ url: string; storage: Record<string, string> }> {
  const browser = await chromium.launch({
    executablePath: chromePath,
    args: [...CHROMIUM_FLAGS],
  });
  const page = await browser.newPage();
  try {
    page.setDefaultTimeout(STEP_TIMEOUT);
    await page.goto(`${serverUrl}/`);
    const heading = (title: string) =>
      page.getByRole('heading', { level: 2, name: title, exact: true }).waitFor();
    const next = (name: string) => page.getByRole('button', { name, exact: true }).click();
    // 1. Credential source: the server's own (sandbox) identity, once it has been detected.
    await heading('Credential source');
    await page.getByRole('radio', { name: /AWS SDK Default|will assume your IAM role/ }).check();
    await page.getByTestId('caller-arn').waitFor();
    await next('Continue');
    // 2. Role template: the defaults (the demo scenario already has a ready role in 222222222222).
    await heading('Role template');
    await next('Continue');
    // 3. Trust settings: the identity detected in step 1 (pre-filled since the newcomer pass; the
    // button shows only when the fields differ from it).
    await heading('Trust settings');
    const detected = page.getByTestId('detected-identity');
    await detected.waitFor();
    if ((await detected.getAttribute('data-applied')) !== 'true') await next('Use detected identity');
    await page.locator('[data-testid="detected-identity"][data-applied="true"]').waitFor();
    await next('Continue');
    // 4. Role ARN: the demo scenario's ready role.
    await heading('Role ARN');
    await page.getByLabel('Role ARN').fill(BENCH_ROLE_ARN);
    await next('Continue to verify');
    // 5. Verify, then the result.
    await heading('Verify');
    await next('Verify connection');
    await heading('Result');
    await page.waitForURL((url) => url.searchParams.get('step') === 'result');
    // Leaving the page keeps the copy of the result screen that a later load draws at once.
    await page.reload();
    await heading('Result');
    const storage = await page.evaluate(() => ({ ...sessionStorage }));
    const answers = storage[WIZARD_STORAGE_KEY];
    if (!answers) throw new Error(`the wizard left no ${WIZARD_STORAGE_KEY} entry in sessionStorage`);
    if (!storage[DRAWN_STEP_STORAGE_KEY])
      throw new Error(`the result step left no ${DRAWN_STEP_STORAGE_KEY} copy in sessionStorage`);
    const report = (JSON.parse(answers) as { report?: { ok?: boolean; diagnosis?: { code?: string } } })
      .report;
    if (!report?.ok)
      throw new Error(`the wizard's verification is not green: ${report?.diagnosis?.code ?? 'no report'}`);
    return { url: page.url(), storage };
  } catch (error) {
    if (failureScreenshot)
      await page.screenshot({ path: failureScreenshot, fullPage: true }).catch(() => undefined);
    throw new Error(`${(error as Error).message.split('\n')[0]} (at ${page.url()})`);
  } finally {
    await browser.close();
  }
}
