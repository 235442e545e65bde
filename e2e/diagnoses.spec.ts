import { readFileSync } from 'node:fs';
import { requireTool } from '../src/testing/tools.ts';
import { expect, demoTest as test } from './fixtures.ts';
import { screenshots } from './support/audit.ts';
import { guidanceSteps, runAsAdministrator, targetAccountCommands } from './support/customer-shell.ts';
import { demoKeys, SCANNER_KEY_ID } from './support/demo-keys.ts';
import type { WalkOptions } from './support/wizard.ts';

// Every diagnosis the sandbox can produce, reached through the UI on a private server + sandbox:
// the right panel, and the user's own values in its fix (issue 6, Tests). axe runs on each kind of
// panel in journeys.spec.ts; here each code gets its screenshots. The source problems of
// the server's own chain (SOURCE_NO_CREDENTIALS, SOURCE_KEY_INVALID) are in skeleton.spec.ts.

const role = (account: string) => `arn:aws:iam::${account}:role/ProwlerScan`;
const EXTERNAL_ID = '$EXTERNAL_ID';

interface Case {
  code: string;
  walk: Omit<WalkOptions, 'onStep'>;
  /** Faults the sandbox injects for this case (PUT /__sandbox/faults). */
  faults?: Record<string, unknown>;
  /** Values of this user's that the fix must name ($EXTERNAL_ID: the server's). */
  fix: string[];
  /** The role was assumed: a warning beside the green summary. */
  connected?: boolean;
}

const CASES: Case[] = [
  {
    code: 'PERMISSIONS_INCOMPLETE',
    walk: { trust: 'detected', roleArn: role('666666666666') },
    fix: ['SecurityAudit'],
    connected: true,
  },
  {
    code: 'EXTERNAL_ID_NOT_ENFORCED',
    walk: { trust: 'detected', roleArn: role('777777777777') },
    fix: [EXTERNAL_ID],
    connected: true,
  },
  {
    code: 'DURATION_EXCEEDS_MAX',
    walk: { trust: 'detected', roleArn: role('222222222222'), durationSeconds: 7200 },
    fix: ['3600'],
  },
  {
    code: 'ROLE_ACCOUNT_MISMATCH',
    walk: { trust: 'detected', roleArn: role('222222222222'), accountId: '333333333333' },
    fix: ['333333333333'],
  },
  {
    code: 'PARTITION_MISMATCH',
    walk: { trust: 'detected', roleArn: 'arn:aws-cn:iam::222222222222:role/ProwlerScan' },
    fix: ['arn:aws-cn:iam::222222222222:role/ProwlerScan'],
  },
  {
    code: 'REGION_DISABLED',
    walk: { region: 'ap-east-1', trust: 'detected', roleArn: role('222222222222') },
    fix: ['ap-east-1'],
  },
  {
    code: 'CALLER_NOT_PERMITTED',
    walk: {
      source: 'access-keys',
      keys: demoKeys('AKIASANDBOXNOPOLICY1'),
      trust: 'detected',
      roleArn: role('222222222222'),
    },
    fix: ['no-assume'],
  },
  {
    code: 'EXPLICIT_DENY',
    walk: {
      source: 'access-keys',
      keys: demoKeys('AKIASANDBOXSCPDENY01'),
      trust: 'detected',
      roleArn: role('222222222222'),
    },
    fix: ['999999999999'],
  },
  {
    code: 'THROTTLED',
    faults: { actions: ['AssumeRole'], throttle: { rate: 1 } },
    walk: { trust: 'detected', roleArn: role('222222222222') },
    fix: [],
  },
  {
    code: 'STS_TIMEOUT',
    faults: { actions: ['AssumeRole'], hang: { rate: 1 } },
    walk: { trust: 'detected', roleArn: role('222222222222') },
    fix: [],
  },
  {
    code: 'STS_UNREACHABLE',
    faults: { actions: ['AssumeRole'], reset: { rate: 1 } },
    walk: { trust: 'detected', roleArn: role('222222222222') },
    fix: [],
  },
  {
    code: 'UNKNOWN',
    faults: { actions: ['AssumeRole'], malformed: { rate: 1 } },
    walk: { trust: 'detected', roleArn: role('222222222222') },
    fix: [],
  },
];

for (const c of CASES) {
  test(`${c.code}: the panel and the fix with the user's values`, async ({ page, wizard, demo }) => {
    if (c.faults) await demo.setFaults(c.faults);
    await wizard.walk(c.walk);
    const panel = wizard.panel;
    await expect(panel).toHaveAttribute('data-diagnosis', c.code);
    await expect(panel.getByRole('heading', { level: 3 }).first()).toBeFocused();
    if (c.connected) await expect(page.getByText('Connected, with something to fix')).toBeVisible();
    const fix = panel.locator('ol').first();
    for (const value of c.fix)
      await expect(fix).toContainText(value === EXTERNAL_ID ? demo.externalId : value);
    await screenshots(page, `panel-${c.code}`);
  });
}

// The README's demo rows a newcomer reaches with the default step-3 values (the detected identity
// the wizard fills in: AccountId 111111111111, IAMPrincipal user/prowler-app), knowing nothing of
// the misconfiguration: AWS refuses without a reason, so the panel says so and ranks the
// candidates; the trust doctor the panel prints runs as the account's administrator, and its
// output, pasted back, makes the headline the cause the role's real trust policy shows; the fix
// the panel then prints, applied as printed, turns Verify again green.
const DEMO_ROWS: {
  account: string;
  confirmed: string;
  title: string;
  fix: (externalId: string) => string[];
}[] = [
  {
    account: '333333333333',
    confirmed: 'TRUST_PRINCIPAL_MISMATCH',
    title: 'The role does not trust this principal',
    fix: () => ['ParameterKey=IAMPrincipal,ParameterValue=user/prowler-app'],
  },
  {
    account: '444444444444',
    confirmed: 'TRUST_ACCOUNT_MISMATCH',
    title: 'The role trusts a different account',
    fix: () => ['ParameterKey=AccountId,ParameterValue=111111111111'],
  },
  {
    account: '555555555555',
    confirmed: 'EXTERNAL_ID_MISMATCH',
    title: 'The role expects another External ID',
    fix: (ext) => [`ParameterKey=ExternalId,ParameterValue=${ext}`],
  },
  {
    account: '888888888888',
    confirmed: 'ROLE_NOT_FOUND',
    title: 'There is no such role',
    fix: () => [
      'aws cloudformation create-stack',
      'ParameterKey=IAMPrincipal,ParameterValue=user/prowler-app',
    ],
  },
];

for (const row of DEMO_ROWS) {
  test(`demo ${row.account} with the default step-3 values: suspected with candidates, then ${row.confirmed} from the doctor, then green with the fix`, async ({
    page,
    wizard,
    demo,
  }) => {
    test.skip(!requireTool('aws'), 'the doctor and the fix run with the aws CLI');
    let template = '';
    await wizard.walk({
      roleArn: role(row.account),
      onStep: async (id) => {
        // The template as the wizard downloads it: the fix of a row may deploy it.
        if (id !== 'template') return;
        const download = page.waitForEvent('download');
        await page.getByRole('button', { name: 'Download template (YAML)' }).click();
        template = readFileSync(await (await download).path(), 'utf8');
      },
    });
    const panel = wizard.panel;
    const fixList = guidanceSteps(panel);
    await test.step('7 suspected: AWS refused and does not say why, the candidates ranked', async () => {
      await expect(panel).toHaveAttribute('data-confidence', 'suspected');
      await expect(panel.getByRole('heading', { level: 3 }).first()).toHaveText(
        'AWS refused and does not say why',
      );
      const causes = panel.getByRole('list', { name: 'Possible causes' }).getByRole('listitem');
      // Step 3 holds the detected identity, which admits the caller AWS named: nothing entered
      // contradicts it, so all four causes stay, in their usual order.
      await expect(causes).toHaveCount(4);
      await expect(causes.first()).toContainText('EXTERNAL_ID_MISMATCH');
      await expect(panel.getByRole('list', { name: 'Possible causes' })).toContainText('ROLE_NOT_FOUND');
      // The doctor, with whose credentials it runs; no fix is offered as if the cause were known.
      await expect(panel).toContainText('Run with the target account’s credentials');
      await expect(panel).not.toContainText('update-stack');
      // What AWS saw holds what AWS answered; what was typed is under its own heading.
      await expect(panel.getByRole('heading', { name: 'What AWS saw' })).toBeVisible();
      await expect(panel.getByRole('heading', { name: 'What you entered' })).toBeVisible();
      await screenshots(page, `demo-${row.account}-suspected`);
    });
    await test.step('8 run the doctor as printed, as the account’s administrator, and paste its output: confirmed', async () => {
      const doctorCommand = await targetAccountCommands(fixList);
      expect(doctorCommand).toHaveLength(1);
      const [output] = await runAsAdministrator(demo, row.account, doctorCommand);
      const doctor = page.getByRole('region', { name: /Trust doctor/ });
      await doctor.getByLabel('Trust doctor output').fill(output ?? '');
      await doctor.getByRole('button', { name: 'Verify again with this evidence' }).click();
      await expect(panel).toHaveAttribute('data-diagnosis', row.confirmed);
      await expect(panel).toHaveAttribute('data-confidence', 'confirmed');
      const title = panel.getByRole('heading', { level: 3 }).first();
      await expect(title).toHaveText(row.title);
      await expect(title).toBeFocused();
      for (const value of row.fix(demo.externalId)) await expect(fixList).toContainText(value);
      await expect(
        panel.getByRole('heading', { name: 'What AWS answered in the target account' }),
      ).toBeVisible();
      await screenshots(page, `demo-${row.account}-confirmed`);
    });
    await test.step('9 apply every command of the fix as printed, then verify, waiting for deployment: connected', async () => {
      const fix = await targetAccountCommands(fixList);
      await runAsAdministrator(demo, row.account, fix, { 'prowler-scan-role.yaml': template });
      // A new role (888) is assumable only a moment after its stack completes, as in IAM: the
      // guidance says so, and "Wait for deployment" keeps trying.
      await page
        .getByRole('navigation', { name: 'Wizard steps' })
        .getByRole('link', { name: /^Verify/ })
        .click();
      await wizard.expectStep('Verify');
      await page.getByLabel('Wait for deployment').check();
      await page.getByRole('button', { name: /^Verify (connection|again)$/ }).click();
      await expect(page.getByText('Connected', { exact: true })).toBeVisible({ timeout: 30_000 });
    });
  });
}

test('demo 777: connected with a warning; the doctor’s output shows the drift, the fix is built from the caller and turns it green', async ({
  page,
  wizard,
  demo,
}) => {
  test.skip(!requireTool('aws'), 'the doctor and the fix run with the aws CLI');
  await wizard.walk({ roleArn: role('777777777777') });
  const panel = wizard.panel;
  await expect(panel).toHaveAttribute('data-diagnosis', 'EXTERNAL_ID_NOT_ENFORCED');
  const doctor = page.getByRole('region', { name: /Trust doctor/ });
  // AWS answered this one itself: the doctor is offered beside the fix, in its own box.
  const command = await doctor.locator('pre code').textContent();
  const [output] = await runAsAdministrator(demo, '777777777777', [
    { command: command ?? '', runIn: 'target-account' },
  ]);
  await doctor.getByLabel('Trust doctor output').fill(output ?? '');
  await doctor.getByRole('button', { name: 'Verify again with this evidence' }).click();
  await expect(panel).toContainText('Changed outside CloudFormation');
  const fix = guidanceSteps(panel);
  await expect(fix).toContainText('aws iam update-assume-role-policy --role-name ProwlerScan');
  await expect(fix).toContainText('arn:aws:iam::111111111111:user/prowler-app');
  await expect(fix).toContainText('No updates are to be performed');
  await runAsAdministrator(demo, '777777777777', await targetAccountCommands(fix));
  await page.getByRole('button', { name: 'Verify again', exact: true }).click();
  await expect(page.getByText('Connected', { exact: true })).toBeVisible();
});

// Problems with pasted keys surface in step 1, before anything else is asked, on the field concerned.
const SOURCE_CASES = [
  {
    code: 'SOURCE_SECRET_INVALID',
    keys: { ...demoKeys(SCANNER_KEY_ID), secretAccessKey: 'wrongSecretButWellFormed0000000000000000' },
    field: 'Secret access key (AWS_SECRET_ACCESS_KEY)',
  },
  {
    code: 'SOURCE_KEY_INVALID',
    keys: { accessKeyId: 'AKIAUNKNOWNSANDBOX01', secretAccessKey: 'anythingWellFormed000000000000000000000' },
    field: 'Access key ID (AWS_ACCESS_KEY_ID)',
  },
  {
    code: 'SOURCE_TOKEN_EXPIRED',
    keys: demoKeys('ASIASANDBOXEXPIRED01'),
    field: 'Session token (AWS_SESSION_TOKEN)',
  },
];

for (const c of SOURCE_CASES) {
  test(`${c.code}: step 1 shows the panel and marks the field`, async ({ page, wizard }) => {
    await wizard.open();
    await wizard.source({ source: 'access-keys', keys: c.keys });
    await expect(wizard.panel).toHaveAttribute('data-diagnosis', c.code);
    await expect(page.getByLabel(c.field)).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByRole('button', { name: 'Continue anyway' })).toHaveCount(0);
    await screenshots(page, `panel-${c.code}`);
  });
}

test('SOURCE_CLOCK_SKEW: the server clock is off, step 1 says so', async ({ page, wizard, demo }) => {
  await demo.setFaults({ clockSkewSeconds: 3600 });
  await wizard.open();
  await wizard.sdkDefaultCard().check();
  await expect(wizard.panel).toHaveAttribute('data-diagnosis', 'SOURCE_CLOCK_SKEW');
  // The user can still prepare the role while the clock is fixed.
  await expect(page.getByRole('button', { name: 'Continue', exact: true })).toBeEnabled();
  await screenshots(page, 'panel-SOURCE_CLOCK_SKEW');
});
