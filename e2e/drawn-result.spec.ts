import { DRAWN_STEP_STORAGE_KEY } from '../src/domain/drawn-copy.ts';
import { DRAWN_STEP_ATTRIBUTE, WIZARD_STORAGE_KEY } from '../src/domain/drawn-step.ts';
import { expect, demoTest as test } from './fixtures.ts';
import { demoKeys, SCANNER_KEY_ID } from './support/demo-keys.ts';
import {
  allowCode,
  consoleErrors,
  expectTakenOver,
  ROOT,
  recordRootTexts,
  reloadWithoutCode,
  screenText,
} from './support/drawn.ts';
import { expectNoSecretsLeft } from './support/secrets.ts';
import { LEFT_AT_DEFAULT } from './support/wizard.ts';

// A reload on the result step paints the tab's copy of the screen before the app's code arrives
// (issue 15: the result step's LCP; docs/decisions/065). With every script file refused, what
// shows is the copy alone; with them, the app draws the same screen over it, without a
// "Loading…" in between, and the screen works. A reload that would not land on the result (access
// keys are forgotten by a reload) keeps no copy, and no copy outlives the answers it was drawn from.

const READY = 'arn:aws:iam::222222222222:role/ProwlerScan';
const REFUSED = 'arn:aws:iam::333333333333:role/ProwlerScan';

test('a reload on the green result paints the copy first, then the app takes the same screen over', async ({
  page,
  wizard,
}) => {
  const problems = consoleErrors(page);
  await wizard.walk({ trust: 'detected', roleArn: READY });
  const verdict = page.getByText(/The scanner can assume .* and read this account\./);
  await expect(verdict).toBeVisible();
  const before = await screenText(page);

  await test.step('without the app: the copy alone', async () => {
    await reloadWithoutCode(page);
    await expect(page.locator(ROOT)).toHaveAttribute(DRAWN_STEP_ATTRIBUTE, 'result');
    await wizard.expectStep('Result');
    await expect(verdict).toBeVisible();
    expect(await screenText(page)).toBe(before);
    // Nothing of the app ran: the copy is inert, so its buttons take no click that would be lost.
    await expect(page.locator(ROOT)).toHaveAttribute('inert');
    await expect(page.getByRole('button', { name: 'Change role ARN' })).toBeVisible();
  });

  await test.step('with the app: the same screen, never "Loading…", and it works', async () => {
    await allowCode(page);
    await recordRootTexts(page);
    await page.reload();
    await expect(verdict).toBeVisible();
    await expectTakenOver(page, /Loading/);
    expect(await screenText(page)).toBe(before);
    await page.getByRole('button', { name: 'Change role ARN' }).click();
    await wizard.expectStep('Role ARN');
  });
  expect(problems, 'console errors (a CSP refusal would show here)').toEqual([]);
});

test('a failed result is drawn with its guidance and trust chain, and the app keeps them on screen', async ({
  page,
  wizard,
}) => {
  await wizard.walk({ trust: LEFT_AT_DEFAULT, roleArn: REFUSED });
  await expect(wizard.panel).toHaveAttribute('data-diagnosis', 'TRUST_PRINCIPAL_MISMATCH');
  const before = await screenText(page);
  // What is typed into the screen's fields is not kept: the doctor's output is "sent once".
  const typed = ['{"canary":"DOCTOR-OUTPUT-CANARY-7f3a"}', 'ALIAS-CANARY-91c2'];
  await page.getByLabel('Trust doctor output').fill(typed[0]!);
  await page.getByLabel('Name (optional)').fill(typed[1]!);

  await reloadWithoutCode(page);
  await expect(page.locator(ROOT)).toHaveAttribute(DRAWN_STEP_ATTRIBUTE, 'result');
  await expect(wizard.panel).toHaveAttribute('data-diagnosis', 'TRUST_PRINCIPAL_MISMATCH');
  expect(await screenText(page)).toBe(before);
  const stored = await page.evaluate(() => JSON.stringify({ ...sessionStorage }));
  for (const token of ['DOCTOR-OUTPUT-CANARY-7f3a', 'ALIAS-CANARY-91c2'])
    expect(stored, `"${token}" was kept with the copy`).not.toContain(token);
  await expect(page.getByLabel('Trust doctor output')).toHaveValue('');

  await allowCode(page);
  await recordRootTexts(page);
  await page.reload();
  await expect(wizard.panel).toHaveAttribute('data-diagnosis', 'TRUST_PRINCIPAL_MISMATCH');
  await expectTakenOver(page, /Loading|Drawing the trust chain/);
  expect(await screenText(page)).toBe(before);
});

test('no copy where a reload would not land on the result, and none that outlives its answers', async ({
  page,
  wizard,
}) => {
  await test.step('access keys: a reload goes back to step 1, so nothing is drawn', async () => {
    const keys = demoKeys(SCANNER_KEY_ID);
    await wizard.walk({ source: 'access-keys', keys, trust: 'detected', roleArn: READY });
    await expect(page.getByText('Connected', { exact: true })).toBeVisible();
    await reloadWithoutCode(page);
    expect(await page.evaluate((key) => sessionStorage.getItem(key), DRAWN_STEP_STORAGE_KEY)).toBeNull();
    await expect(page.locator(ROOT)).toBeEmpty();
    await expectNoSecretsLeft(page, [keys.secretAccessKey, keys.sessionToken ?? ''], 'after a reload');
    await allowCode(page);
  });

  await test.step('answers changed under the copy: nothing is drawn', async () => {
    await wizard.walk({ trust: 'detected', roleArn: READY });
    await reloadWithoutCode(page);
    await expect(page.locator(ROOT)).toHaveAttribute(DRAWN_STEP_ATTRIBUTE, 'result');
    await page.evaluate((key) => {
      const answers = JSON.parse(sessionStorage.getItem(key) ?? '{}');
      answers.role = { ...answers.role, roleArn: 'arn:aws:iam::222222222222:role/Other' };
      sessionStorage.setItem(key, JSON.stringify(answers));
    }, WIZARD_STORAGE_KEY);
    await page.reload();
    await expect(page.locator(ROOT)).toBeEmpty();
    await allowCode(page);
  });

  await test.step('leaving the result inside the app drops the copy', async () => {
    await page.goto('/?step=result');
    await wizard.expectStep('Result');
    await page.reload();
    await wizard.expectStep('Result');
    await page.getByRole('button', { name: 'Change role ARN' }).click();
    await wizard.expectStep('Role ARN');
    expect(await page.evaluate((key) => sessionStorage.getItem(key), DRAWN_STEP_STORAGE_KEY)).toBeNull();
  });
});
