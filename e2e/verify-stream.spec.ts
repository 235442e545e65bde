import { configResponseSchema } from '../src/domain/api-contract.ts';
import { getRoleOutput } from '../src/testing/role-evidence.ts';
import { expect, demoTest as test } from './fixtures.ts';
import type { Wizard } from './support/wizard.ts';

// The verify step reads the verification as a stream (issue 15): the verdict shows when the first
// round of AWS calls ends, the audit when it arrives; leaving the step aborts the request, and the
// server then sends nothing more to AWS. The sandbox slows the calls that must come later, so the
// order is visible; the test asserts the order of appearance, never a time.

const READY_ROLE = 'arn:aws:iam::222222222222:role/ProwlerScan';
const AUDIT = ['iam:GetRole', 'iam:ListAttachedRolePolicies', 'iam:GetRolePolicy'];

async function toVerify(wizard: Wizard) {
  await wizard.open();
  await wizard.source({});
  await wizard.template({});
  await wizard.trust({ trust: 'detected' });
  await wizard.role({ roleArn: READY_ROLE });
  await wizard.expectStep('Verify');
}

test('the verdict shows while the audit is still running, then the result', async ({
  page,
  wizard,
  demo,
}) => {
  await demo.setFaults({ latencyMs: 1500, actions: AUDIT });
  await toVerify(wizard);
  // What the audit's row said when the verdict first appeared, seen by the page itself.
  await page.evaluate(() => {
    const w = window as unknown as { auditWhenVerdict?: string };
    const observer = new MutationObserver(() => {
      const status = document.querySelector('[data-testid="verify-status"]')?.textContent ?? '';
      if (w.auditWhenVerdict === undefined && status.startsWith('Connected')) {
        w.auditWhenVerdict = document.querySelector('[data-check="permission-audit"]')?.textContent ?? '';
        observer.disconnect();
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await page.getByRole('button', { name: 'Verify connection' }).click();
  await expect(page.getByTestId('verify-status')).toContainText(
    `Connected: AWS assumed arn:aws:sts::222222222222:assumed-role/ProwlerScan/`,
  );
  await expect(page.locator('[data-check="assume-role"]')).toContainText('Passed');
  await wizard.expectStep('Result');
  const auditWhenVerdict = await page.evaluate(
    () => (window as unknown as { auditWhenVerdict?: string }).auditWhenVerdict,
  );
  expect(auditWhenVerdict).toContain('Checking');
});

test('leaving the step during the first round aborts it: the audit is never sent', async ({
  page,
  wizard,
  demo,
}) => {
  await demo.setFaults({ latencyMs: 1500, actions: ['sts:AssumeRole'] });
  await toVerify(wizard);
  await page.getByRole('button', { name: 'Verify connection' }).click();
  await expect(page.locator('[data-check="source-identity"]')).toContainText('Passed');
  await page.getByRole('button', { name: 'Back' }).click();
  await wizard.expectStep('Role ARN');
  // The sandbox logs the abandoned AssumeRole and probe when it answers them; after that nothing of
  // this verification is still on its way.
  await expect.poll(async () => (await demo.requests()).byAction['sts:AssumeRole'] ?? 0).toBe(2);
  const { byAction } = await demo.requests();
  expect(Object.keys(byAction).filter((a) => a.startsWith('iam:'))).toEqual([]);
});

test('leaving the result step while the trust doctor’s evidence is being verified aborts that request', async ({
  page,
  wizard,
  demo,
}) => {
  const { externalId } = configResponseSchema.parse(await (await page.request.get('/api/config')).json());
  // Account 333's stack trusts role/prowler*, not the detected user/prowler-app: a suspected cause.
  await wizard.walk({ roleArn: 'arn:aws:iam::333333333333:role/ProwlerScan', trust: 'detected' });
  const doctor = page.getByRole('region', { name: /Trust doctor/ });
  const evidence = getRoleOutput('333333333333', {
    ExternalId: externalId,
    AccountId: '111111111111',
    IAMPrincipal: 'role/prowler*',
  });
  await doctor.getByLabel('Trust doctor output').fill(JSON.stringify(evidence));
  await demo.setFaults({ latencyMs: 5000, actions: ['sts:AssumeRole'] });
  const aborted = page.waitForEvent('requestfailed', (r) => new URL(r.url()).pathname === '/api/verify');
  const started = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/verify');
  await doctor.getByRole('button', { name: 'Verify again with this evidence' }).click();
  await started;
  await page.getByRole('button', { name: 'Change trust settings' }).click();
  await wizard.expectStep('Trust settings');
  expect((await aborted).failure()?.errorText).toMatch(/ABORTED/);
});
