import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { configResponseSchema } from '../src/domain/api-contract.ts';
import { trustPolicyFor } from '../src/domain/template/role-template.ts';

// Issue 6, step 6: the failure side of the result. The real app, the real server and its sandbox:
// walk the wizard to a refused AssumeRole, then drive the trust-policy simulator with the
// template's own trust policy and matching and mismatching callers, and run axe on the panels in
// both themes. The simulator evaluates in the browser (src/features/troubleshoot).

const SCANNER_ACCOUNT = '111111111111';
/** Demo account "IAMPrincipal left at the default" (src/sandbox/scenarios/demo.json). */
const TARGET_ACCOUNT = '333333333333';
const ROLE_ARN = `arn:aws:iam::${TARGET_ACCOUNT}:role/ProwlerScan`;
const SCANNER_USER = `arn:aws:iam::${SCANNER_ACCOUNT}:user/prowler-app`;
const PROWLER_ROLE_SESSION = `arn:aws:sts::${SCANNER_ACCOUNT}:assumed-role/prowler-worker/nightly-scan`;
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const SECTIONS = '[data-troubleshoot]';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

async function serverExternalId(page: Page): Promise<string> {
  const response = await page.request.get('/api/config');
  return configResponseSchema.parse(await response.json()).externalId;
}

/** The wizard from step 1 to a failed verification (TRUST_PRINCIPAL_MISMATCH). */
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

  await test.step('Credential source', async () => {
    await page.goto('/');
    await page.getByRole('radio', { name: /AWS SDK Default/ }).check();
    await expect(page.getByText(SCANNER_USER).first()).toBeVisible();
    await page.getByRole('button', { name: 'Continue', exact: true }).click();
  });
  await test.step('Role template', async () => {
    await expect(page.getByRole('heading', { name: 'Role template', level: 2 })).toBeVisible();
    await page.getByRole('button', { name: 'Continue', exact: true }).click();
  });
  await test.step('Trust settings: left at the default role/prowler*', async () => {
    await page.getByLabel('AccountId (trusted account)').fill(SCANNER_ACCOUNT);
    await page.getByLabel('IAMPrincipal', { exact: true }).fill('role/prowler*');
    await page.getByRole('button', { name: 'Continue', exact: true }).click();
  });
  await test.step('Role ARN', async () => {
    await page.getByLabel('Role ARN', { exact: true }).fill(ROLE_ARN);
    await page.getByRole('button', { name: 'Continue to verify' }).click();
  });
  await test.step('Verify', async () => {
    await page.getByRole('button', { name: 'Verify connection' }).click();
  });
  await test.step('Result: the guidance panel', async () => {
    await expect(page).toHaveURL(/step=result/);
    await expect(page.locator('[data-diagnosis="TRUST_PRINCIPAL_MISMATCH"]')).toBeVisible();
  });
}

function simulator(page: Page) {
  const region = page.getByRole('region', { name: 'Trust policy simulator' });
  return {
    region,
    policy: region.getByLabel('Trust policy JSON'),
    caller: region.getByLabel('Caller ARN'),
    externalId: region.getByLabel('External ID sent'),
    result: region.getByRole('status'),
    /** A link of the simulated chain by its exact title, e.g. "Principal" or "StringEquals sts:ExternalId". */
    link: (title: string): Locator =>
      region
        .getByRole('list', { name: 'Trust chain, from the caller to each condition' })
        .locator(':scope > li')
        .filter({ has: page.getByText(title, { exact: true }) }),
  };
}

test('the trust simulator admits and refuses callers for the template policy', async ({ page }) => {
  // One wizard walk feeds every check below; axe on three panels in two themes is the slow part
  // (about 15 s on an idle machine, several times that on the shared CI cores).
  test.setTimeout(180_000);
  const externalId = await serverExternalId(page);
  await reachFailedResult(page, externalId);

  await test.step('copy a fix value from the guidance panel', async () => {
    const panel = page.locator('[data-diagnosis="TRUST_PRINCIPAL_MISMATCH"]');
    await panel.getByRole('button', { name: 'Copy IAMPrincipal' }).click();
    await expect(panel.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('user/prowler-app');
  });

  await test.step('the trust chain shows the failing aws:PrincipalArn link', async () => {
    const chain = page.locator('[data-troubleshoot="trust-chain"]').first();
    await expect(chain).toHaveAttribute('data-decision', 'deny');
    const link = chain.locator('ol > li').filter({ hasText: 'StringLike aws:PrincipalArn' });
    await expect(link).toContainText('Does not match');
    await expect(link.locator('mark')).toHaveText(['role/prowler*', 'user/prowler-app']);
  });

  const sim = simulator(page);
  await test.step('open the simulator: it starts from the expected policy and this caller', async () => {
    await page.locator('summary', { hasText: 'Check the role’s real trust policy' }).click();
    await expect(sim.policy).toHaveValue(new RegExp(externalId));
    await expect(sim.caller).toHaveValue(SCANNER_USER);
    await expect(sim.result).toHaveText('Result: the policy denies this request.');
  });

  const templatePolicy = JSON.stringify(
    trustPolicyFor({
      partition: 'aws',
      trustedAccountId: SCANNER_ACCOUNT,
      iamPrincipal: 'role/prowler*',
      externalId,
    }),
    null,
    2,
  );
  await test.step('template policy, a prowler* role session with the External ID: allowed', async () => {
    // The policy the report carries is the template's own, resolved with these settings.
    await expect(sim.policy).toHaveValue(templatePolicy);
    await sim.policy.fill(templatePolicy);
    await sim.caller.fill(PROWLER_ROLE_SESSION);
    await sim.externalId.fill(externalId);
    await expect(sim.result).toHaveText('Result: the policy allows this request.');
    await expect(sim.region.locator('[data-troubleshoot="trust-chain"]')).toHaveAttribute(
      'data-decision',
      'allow',
    );
    await expect(sim.link('StringLike aws:PrincipalArn')).toContainText('Matches');
    // The assumed-role ARN was converted, and its invisible path is called out.
    await expect(sim.link('Caller')).toContainText(`arn:aws:iam::${SCANNER_ACCOUNT}:role/prowler-worker`);
    await expect(sim.link('Caller')).toContainText('does not show the role’s path');
  });

  const denials: [string, { caller?: string; externalId?: string }, string, string | null][] = [
    [
      'an IAM user outside role/prowler*',
      { caller: SCANNER_USER },
      'StringLike aws:PrincipalArn',
      'user/prowler-app',
    ],
    [
      'a prowler role in another account',
      { caller: 'arn:aws:iam::121212121212:role/prowler-worker' },
      'Principal',
      null,
    ],
    [
      'a different External ID',
      { caller: PROWLER_ROLE_SESSION, externalId: 'not-the-issued-id' },
      'StringEquals sts:ExternalId',
      null,
    ],
    ['no External ID at all', { externalId: '' }, 'StringEquals sts:ExternalId', null],
  ];
  for (const [name, change, failing, marked] of denials) {
    await test.step(`template policy, ${name}: denied`, async () => {
      if (change.caller !== undefined) await sim.caller.fill(change.caller);
      if (change.externalId !== undefined) await sim.externalId.fill(change.externalId);
      await expect(sim.result).toHaveText('Result: the policy denies this request.');
      const link = sim.link(failing);
      await expect(link).toContainText('Does not match');
      if (marked) await expect(link.locator('mark').last()).toHaveText(marked);
    });
  }

  await test.step('bad JSON is a field error, not a crash', async () => {
    await sim.policy.fill('{"Version": "2012-10-17",');
    await expect(sim.policy).toHaveAttribute('aria-invalid', 'true');
    await expect(sim.policy).toHaveAccessibleDescription(/not valid JSON/);
    await expect(sim.result).toHaveText('');
    await expect(sim.region.getByText('Fix the marked fields to see the result.')).toBeVisible();
  });

  await test.step('oversized input is refused with the limit named', async () => {
    // The evaluator's own bound (the CLI refuses the same document with the same words).
    await sim.policy.fill(JSON.stringify({ ...JSON.parse(templatePolicy), Id: 'x'.repeat(10_241) }));
    await expect(sim.policy).toHaveAccessibleDescription(/more than 10,240 characters/);
  });

  await test.step('a caller that is not an ARN is a field error', async () => {
    await sim.policy.fill(templatePolicy);
    await sim.caller.fill('prowler-app');
    await expect(sim.caller).toHaveAttribute('aria-invalid', 'true');
    await expect(sim.caller).toHaveAccessibleDescription(/not an AWS principal ARN/);
    await sim.caller.fill(PROWLER_ROLE_SESSION);
    await sim.externalId.fill(externalId);
    await expect(sim.result).toHaveText('Result: the policy allows this request.');
  });

  await test.step('restore the expected policy after editing it', async () => {
    const restore = sim.region.getByRole('button', { name: 'Restore the expected policy' });
    await expect(restore).toHaveCount(0);
    await sim.policy.fill('{}');
    await restore.click();
    await expect(sim.policy).toHaveValue(templatePolicy);
    await expect(restore).toHaveCount(0);
    await expect(sim.result).toHaveText('Result: the policy allows this request.');
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    await test.step(`axe finds nothing on the troubleshoot panels (${colorScheme})`, async () => {
      await page.emulateMedia({ colorScheme });
      // Open every fold so axe sees the raw AWS error and the other statements too.
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
        await sim.region.screenshot({
          path: `test-results/screenshots/troubleshoot-simulator-${colorScheme}-${width}.png`,
        });
      }
    });
  }
});
