import { DRAWN_STEP_STORAGE_KEY } from '../src/domain/drawn-copy.ts';
import { DRAWN_STEP_ATTRIBUTE } from '../src/domain/drawn-step.ts';
import { expect, demoTest as test } from './fixtures.ts';
import {
  allowCode,
  consoleErrors,
  expectTakenOver,
  ROOT,
  recordRootTexts,
  reloadWithoutCode,
  screenText,
} from './support/drawn.ts';

// Every later step, not only the result, paints the tab's copy of its screen when its tab reloads
// (issue 15: every page a user lands on; docs/decisions/066). The copy shows the answers in their
// fields, takes no input until the app has drawn the same screen over it (nothing typed into it is
// lost), and the app draws that screen at once: its code, the trust chain and the sandbox's
// accounts are fetched first, so no "Loading…" ever replaces part of it.

const READY = 'arn:aws:iam::222222222222:role/ProwlerScan';
const TITLES = { template: 'Role template', trust: 'Trust settings', role: 'Role ARN', verify: 'Verify' };
type Drawn = keyof typeof TITLES;

test('a reload on each later step paints its copy, with the answers in its fields, then the same screen', async ({
  page,
  wizard,
}) => {
  const problems = consoleErrors(page);
  const fields = `${ROOT} input:not([type=checkbox]):not([type=radio]), ${ROOT} textarea`;
  const values = () =>
    page.locator(fields).evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  await recordRootTexts(page);

  const reloads = async (id: Drawn) => {
    // A few answers typed on the step itself, as a user reloading mid-step would have them.
    if (id === 'trust') await expect(page.getByText('Live check: trust chain')).toBeVisible();
    if (id === 'role') {
      // The ARN last: the account it fills in must be kept as an answer too.
      await page.getByLabel('Session name').fill('drawn-copy-check');
      await page.getByLabel('Role ARN').fill(READY);
      await expect(page.getByLabel('Account you are connecting')).toHaveValue('222222222222');
    }
    const before = await screenText(page);
    const shown = await values();
    // The verify step has no text field; every other one shows answers in its fields.
    if (id !== 'verify')
      expect(shown.filter(Boolean).length, `the ${id} step shows answers`).toBeGreaterThan(0);

    await reloadWithoutCode(page);
    await expect(page.locator(ROOT)).toHaveAttribute(DRAWN_STEP_ATTRIBUTE, id);
    // Nothing of the app ran: the copy is inert, so no click or key is taken and then lost.
    await expect(page.locator(ROOT)).toHaveAttribute('inert');
    await expect(page.locator(`${ROOT} h2`)).toHaveText(TITLES[id]);
    expect(await screenText(page)).toBe(before);
    expect(await values()).toEqual(shown);

    await allowCode(page);
    await page.reload();
    await wizard.expectStep(TITLES[id]);
    await expectTakenOver(page, /Loading/);
    expect(await screenText(page)).toBe(before);
    expect(await values()).toEqual(shown);
  };

  await wizard.walk({
    trust: 'detected',
    roleArn: READY,
    onStep: async (id) => {
      if (id in TITLES) await test.step(`reload on ${id}`, () => reloads(id as Drawn));
    },
  });
  await wizard.expectStep('Result');
  expect(problems, 'console errors (a CSP refusal would show here)').toEqual([]);
});

test('no copy of a screen a reload would not bring back: an action’s outcome on it', async ({
  page,
  wizard,
}) => {
  await wizard.open();
  await wizard.source({});
  await wizard.expectStep('Role template');
  await page.getByRole('button', { name: 'Deploy to sandbox' }).click();
  await expect(page.getByText(/Stack (created|updated) in the sandbox/)).toBeVisible();
  await reloadWithoutCode(page);
  expect(await page.evaluate((key) => sessionStorage.getItem(key), DRAWN_STEP_STORAGE_KEY)).toBeNull();
  await expect(page.locator(ROOT)).toBeEmpty();
  await allowCode(page);
  await page.reload();
  await wizard.expectStep('Role template');
  await expect(page.getByText(/Stack (created|updated) in the sandbox/)).toHaveCount(0);
});
