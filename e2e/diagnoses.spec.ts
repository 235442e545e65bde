import { expect, demoTest as test } from './fixtures.ts';
import { screenshots } from './support/audit.ts';
import { demoKeys, SCANNER_KEY_ID } from './support/demo-keys.ts';
import { LEFT_AT_DEFAULT, type WalkOptions } from './support/wizard.ts';

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
    code: 'TRUST_PRINCIPAL_MISMATCH',
    walk: { trust: LEFT_AT_DEFAULT, roleArn: role('333333333333') },
    fix: ['IAMPrincipal,ParameterValue=user/prowler-app'],
  },
  {
    code: 'TRUST_ACCOUNT_MISMATCH',
    walk: {
      trust: { trustedAccountId: '121212121212', iamPrincipal: 'user/prowler-app' },
      roleArn: role('444444444444'),
    },
    fix: ['AccountId,ParameterValue=111111111111'],
  },
  {
    code: 'EXTERNAL_ID_MISMATCH',
    walk: { trust: 'detected', roleArn: role('555555555555') },
    fix: [EXTERNAL_ID],
  },
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
