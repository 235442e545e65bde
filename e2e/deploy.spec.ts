import { expect, demoTest as test } from './fixtures.ts';
import { screenshots } from './support/audit.ts';
import { LEFT_AT_DEFAULT } from './support/wizard.ts';

// Deployments in the sandbox, through the wizard: "Deploy to sandbox" in step 2, the demo's "fix
// and redeploy" after a failure, and "wait for deployment" turning the screen green by itself.
// The sandbox makes a freshly deployed role usable only after 2 s, like IAM.

test('fix and redeploy: a refused role turns into a connection', async ({ page, wizard }) => {
  await wizard.walk({ trust: LEFT_AT_DEFAULT, roleArn: 'arn:aws:iam::333333333333:role/ProwlerScan' });
  await expect(wizard.panel).toHaveAttribute('data-diagnosis', 'TRUST_PRINCIPAL_MISMATCH');
  await test.step('redeploy with the values that admit the scanner, then verify again', async () => {
    const fix = page.getByRole('region', { name: 'Sandbox demo: fix and redeploy' });
    await expect(fix).toContainText('user/prowler-app');
    await fix.getByRole('button', { name: 'Redeploy to sandbox and verify again' }).click();
    await expect(wizard.heading('Result')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText('Connected', { exact: true })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('assumed-role')).toContainText('333333333333');
  });
  await test.step('the trust settings now match what was deployed', async () => {
    await page.getByRole('button', { name: 'Change trust settings' }).click();
    await expect(page.getByLabel('IAMPrincipal')).toHaveValue('user/prowler-app');
  });
});

test('wait for deployment: the screen turns green by itself once the stack exists', async ({
  page,
  wizard,
  demo,
}) => {
  await test.step('1-4: to the verify step for an account with no role yet', async () => {
    await wizard.open();
    await wizard.source({ source: 'sdk-default' });
    await wizard.template({});
    await wizard.trust({ trust: 'detected' });
    await wizard.role({ roleArn: 'arn:aws:iam::888888888888:role/ProwlerScan' });
  });
  await test.step('5 verify, waiting for the deployment', async () => {
    await wizard.verify({ wait: true });
    const status = page.getByTestId('verify-status');
    await expect(status).toContainText(
      /Waiting for the new role, attempt 1 of \d+: AWS does not accept it yet/,
    );
    await screenshots(page, 'step-verify-waiting');
    // The user deploys the stack elsewhere (the console, the CLI); here through the sandbox API.
    const deployed = await page.request.post(`${demo.url}/api/sandbox/stacks`, {
      data: {
        accountId: '888888888888',
        parameters: {
          ExternalId: demo.externalId,
          AccountId: '111111111111',
          IAMPrincipal: 'user/prowler-app',
        },
      },
    });
    expect(deployed.ok()).toBe(true);
  });
  await test.step('6 result: connected without pressing anything', async () => {
    await expect(wizard.heading('Result')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText('Connected', { exact: true })).toBeVisible({ timeout: 30_000 });
  });
});

test('deploy to sandbox from step 2, with the detected identity, then verify', async ({ page, wizard }) => {
  await wizard.open();
  await wizard.source({ source: 'sdk-default' });
  await test.step('2 role template: the detected IAMPrincipal is filled in, deploy to the empty account', async () => {
    await wizard.expectStep('Role template');
    await expect(page.getByRole('row', { name: /IAMPrincipal/ })).toContainText(
      'user/prowler-appdetected from GetCallerIdentity',
    );
    await expect(page.getByLabel('Sandbox account to deploy into')).toHaveValue('888888888888');
    await page.getByRole('button', { name: 'Deploy to sandbox' }).click();
    await expect(page.getByText('Stack created in the sandbox')).toBeVisible();
    await wizard.continue();
  });
  await test.step('3 trust settings: the live check admits the scanner', async () => {
    await wizard.expectStep('Trust settings');
    await expect(page.getByTestId('live-check')).toHaveAttribute('data-decision', 'allow');
    await wizard.continue();
  });
  await test.step('4 role ARN: filled from the deployment', async () => {
    await wizard.expectStep('Role ARN');
    await expect(page.getByLabel('Role ARN')).toHaveValue('arn:aws:iam::888888888888:role/ProwlerScan');
    await expect(page.getByLabel('Account you are connecting')).toHaveValue('888888888888');
    await page.getByRole('button', { name: 'Continue to verify' }).click();
  });
  await test.step('5-6 verify (waiting out IAM propagation) and succeed', async () => {
    await wizard.verify({ wait: true });
    await expect(wizard.heading('Result')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText('Connected', { exact: true })).toBeVisible({ timeout: 30_000 });
  });
});

test('leaving the verify step cancels the wait: no further verification is sent', async ({
  page,
  wizard,
}) => {
  await wizard.open();
  await wizard.source({ source: 'sdk-default' });
  await wizard.template({});
  await wizard.trust({ trust: 'detected' });
  await wizard.role({ roleArn: 'arn:aws:iam::888888888888:role/ProwlerScan' });
  await wizard.verify({ wait: true });
  await expect(page.getByTestId('verify-status')).toContainText('Waiting for the new role, attempt 1 of');
  let sent = 0;
  page.on('request', (request) => {
    if (request.url().endsWith('/api/verify')) sent += 1;
  });
  await page.getByRole('button', { name: 'Back' }).click();
  await wizard.expectStep('Role ARN');
  // The next try was due 2 s after the first one: wait well past it.
  await page.waitForTimeout(4_500);
  expect(sent).toBe(0);
});
