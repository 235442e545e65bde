import { chromium } from '@playwright/test';
import { DRAWN_STEP_STORAGE_KEY, type DrawnStepId } from '../src/domain/drawn-copy.ts';
import { WIZARD_STORAGE_KEY } from '../src/domain/drawn-step.ts';
import { CHROMIUM_FLAGS } from '../src/testing/chromium.ts';
import { BENCH_ROLE_ARN } from './lib/sandbox-process.ts';

// Walks the wizard through its real UI to a green result, against the server's embedded sandbox.
// On each later step it reloads once, as a user would, and keeps the step's URL with the tab's
// sessionStorage: the wizard's entry (non-secret answers, and on the result the report:
// src/features/connect/store/wizard-store.ts) and the copy of the screen the reload kept
// (src/domain/drawn-copy.ts). The page bench hands both to Lighthouse's own tab. Role and label
// locators, as in e2e/support/wizard.ts.

const STEP_TIMEOUT = 20_000;

/** A later step as a reload lands on it: its URL, and the tab's storage then. */
export interface LandedStep {
  url: string;
  storage: Record<string, string>;
}

export async function driveToSteps(
  serverUrl: string,
  chromePath: string,
  failureScreenshot?: string,
): Promise<Record<DrawnStepId, LandedStep>> {
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
    const landed: Partial<Record<DrawnStepId, LandedStep>> = {};
    // Leaving the page keeps the copy of the step's screen that the reload draws at once.
    const land = async (step: DrawnStepId, title: string) => {
      await heading(title);
      await page.waitForURL((url) => url.searchParams.get('step') === step);
      await page.reload();
      await heading(title);
      const storage = await page.evaluate(() => ({ ...sessionStorage }));
      if (!storage[WIZARD_STORAGE_KEY])
        throw new Error(`the wizard left no ${WIZARD_STORAGE_KEY} entry in sessionStorage`);
      const copy = storage[DRAWN_STEP_STORAGE_KEY];
      if (!copy || (JSON.parse(copy) as { step?: string }).step !== step)
        throw new Error(
          `the ${step} step left no ${DRAWN_STEP_STORAGE_KEY} copy of itself in sessionStorage`,
        );
      landed[step] = { url: page.url(), storage };
    };
    // 2. Role template: the defaults (the demo scenario already has a ready role in 222222222222).
    await land('template', 'Role template');
    await next('Continue');
    // 3. Trust settings: the identity detected in step 1 (pre-filled since the newcomer pass; the
    // button shows only when the fields differ from it).
    await heading('Trust settings');
    const detected = page.getByTestId('detected-identity');
    await detected.waitFor();
    if ((await detected.getAttribute('data-applied')) !== 'true') await next('Use detected identity');
    await page.locator('[data-testid="detected-identity"][data-applied="true"]').waitFor();
    // The live check's trust chain drawn (a copy is not kept while it is still being drawn).
    await page.getByText('Live check: trust chain').waitFor();
    await land('trust', 'Trust settings');
    await next('Continue');
    // 4. Role ARN: the demo scenario's ready role.
    await heading('Role ARN');
    await page.getByLabel('Role ARN').fill(BENCH_ROLE_ARN);
    await land('role', 'Role ARN');
    await next('Continue to verify');
    // 5. Verify, then the result.
    await land('verify', 'Verify');
    await next('Verify connection');
    await land('result', 'Result');
    const answers = landed.result?.storage[WIZARD_STORAGE_KEY] ?? '';
    const report = (JSON.parse(answers) as { report?: { ok?: boolean; diagnosis?: { code?: string } } })
      .report;
    if (!report?.ok)
      throw new Error(`the wizard's verification is not green: ${report?.diagnosis?.code ?? 'no report'}`);
    return landed as Record<DrawnStepId, LandedStep>;
  } catch (error) {
    if (failureScreenshot)
      await page.screenshot({ path: failureScreenshot, fullPage: true }).catch(() => undefined);
    throw new Error(`${(error as Error).message.split('\n')[0]} (at ${page.url()})`);
  } finally {
    await browser.close();
  }
}
