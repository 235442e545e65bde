import { expect, test } from './fixtures.ts';
import { screenshots } from './support/audit.ts';
import { ENTRY } from './support/wizard.ts';

// The wizard's behaviour on the shared server (E2E_PORT): URL-driven steps, the guard, back/forward,
// reload, inline field errors without layout jumps, server field errors, 320 px (issue 6).

const READY = 'arn:aws:iam::222222222222:role/ProwlerScan';

test('a deep link ahead of the answers goes back to the first unfinished step, and says why', async ({
  page,
  wizard,
}) => {
  await page.goto(`${ENTRY}?step=verify`);
  await wizard.expectStep('Credential source');
  await expect(page).toHaveURL(/\?step=source$/);
  await expect(page.getByText('Verify needs this step first')).toBeVisible();
  await screenshots(page, 'guard-redirect');
});

test('back and forward keep the answers; reload resumes on the same step with them', async ({
  page,
  wizard,
}) => {
  await wizard.open();
  await wizard.source({ source: 'sdk-default' });
  await wizard.template({});
  await test.step('3 trust settings: type values, go on', async () => {
    await wizard.expectStep('Trust settings');
    await page.getByLabel('IAMPrincipal').fill('role/scanner-task');
    await wizard.continue();
  });
  await test.step('4 role ARN: type one, then browser back and forward', async () => {
    await wizard.expectStep('Role ARN');
    await page.getByLabel('Role ARN').fill(READY);
    await expect(page.getByLabel('Account you are connecting')).toHaveValue('222222222222');
    await page.goBack();
    await wizard.expectStep('Trust settings');
    await expect(page.getByLabel('IAMPrincipal')).toHaveValue('role/scanner-task');
    await page.goForward();
    await wizard.expectStep('Role ARN');
    await expect(page.getByLabel('Role ARN')).toHaveValue(READY);
  });
  await test.step('reload: same step, same answers', async () => {
    await page.reload();
    await wizard.expectStep('Role ARN');
    await expect(page).toHaveURL(/\?step=role$/);
    await expect(page.getByLabel('Role ARN')).toHaveValue(READY);
    expect(await page.evaluate(() => history.state)).toBeNull();
  });
});

test('field errors: inline, linked with aria-describedby, nothing jumps', async ({ page, wizard }) => {
  await wizard.open();
  await wizard.source({ source: 'sdk-default' });
  await wizard.template({});
  await wizard.expectStep('Trust settings');
  const account = page.getByLabel('AccountId (trusted account)');
  const principal = page.getByLabel('IAMPrincipal');
  const before = await principal.boundingBox();
  await account.fill('1234');
  await account.blur();
  await expect(account).toHaveAttribute('aria-invalid', 'true');
  const describedBy = (await account.getAttribute('aria-describedby')) ?? '';
  const message = page.locator(`[id="${describedBy.split(' ').at(-1)}"]`);
  await expect(message).toHaveText(/exactly 12 digits/);
  expect(await principal.boundingBox()).toEqual(before);
  await wizard.continue();
  await wizard.expectStep('Trust settings');
  await expect(account).toBeFocused();
  await screenshots(page, 'field-error');
});

test('an answer the server refuses lands on its field (a stale page sends an old External ID)', async ({
  page,
  wizard,
}) => {
  // The browser validates with the server's own schemas, so only a stale page (the server was
  // re-configured with another External ID) reaches the server's check. Rewrite the request as a
  // stale page would have sent it; the server's real 400 answer drives the UI.
  await page.route('**/api/verify', async (route) => {
    const body = JSON.parse(route.request().postData() ?? '{}');
    await route.continue({
      postData: JSON.stringify({ ...body, externalId: 'an-external-id-from-before-0001' }),
    });
  });
  await wizard.open();
  await wizard.source({ source: 'sdk-default' });
  await wizard.template({});
  await wizard.trust({ trust: 'detected' });
  await wizard.role({ roleArn: READY });
  await wizard.verify({});
  const refused = page.getByRole('status').filter({ hasText: 'The server refused some answers' });
  await expect(refused).toBeVisible();
  await refused.getByRole('link', { name: 'External ID' }).click();
  await wizard.expectStep('Trust settings');
  const externalId = page.getByLabel('External ID', { exact: true });
  await expect(externalId).toHaveAttribute('aria-invalid', 'true');
  await expect(externalId).toHaveAccessibleDescription(/Use the External ID this server issued/);
});

test('320 px wide: every step fits without sideways scrolling', async ({ page, wizard }) => {
  await page.setViewportSize({ width: 320, height: 720 });
  const fits = async (where: string) => {
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, `horizontal overflow on ${where}`).toBeLessThanOrEqual(0);
  };
  await wizard.walk({
    trust: 'detected',
    roleArn: 'arn:aws:iam::333333333333:role/ProwlerScan',
    onStep: (id) => fits(id),
  });
  await fits('the result');
});

test('a kept report that no longer matches the contract is dropped: a reload on the result goes back to Verify', async ({
  page,
  wizard,
}) => {
  await wizard.walk({ source: 'sdk-default', roleArn: READY });
  await expect(page.getByText('Connected', { exact: true })).toBeVisible();
  await test.step('reload with the report intact: the same result', async () => {
    await page.reload();
    await wizard.expectStep('Result');
    await expect(page.getByText('Connected', { exact: true })).toBeVisible();
  });
  await test.step('reload with a report an older version kept (no guidance): back to Verify', async () => {
    // The first screen checks only the report's shape; the result step parses it in full.
    await page.evaluate(() => {
      const key = 'aws-connect:wizard:v1';
      const answers = JSON.parse(sessionStorage.getItem(key) ?? '{}');
      delete answers.report.guidance;
      sessionStorage.setItem(key, JSON.stringify(answers));
    });
    await page.reload();
    await wizard.expectStep('Verify');
    await expect(page).toHaveURL(/\?step=verify$/);
    expect(await page.evaluate(() => sessionStorage.getItem('aws-connect:wizard:v1'))).toContain(
      '"report":null',
    );
  });
});
