import { expect, type Locator, type Page, test } from '@playwright/test';

// A driver for the wizard in the user's terms: role and label locators only (issue 6, Tests).

/** Where the wizard is opened: the site root, as `npm start` prints it. */
export const ENTRY = '/';

export interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface WalkOptions {
  source?: 'sdk-default' | 'access-keys';
  keys?: Keys;
  region?: string;
  /**
   * 'detected': the detected identity's values (filled from step 1 already, or "Use detected
   * identity" when the user changed them); an object: type these; omitted: keep what is there.
   */
  trust?: 'detected' | { trustedAccountId: string; iamPrincipal: string };
  roleArn: string;
  accountId?: string;
  durationSeconds?: number;
  wait?: boolean;
  /** Called on each step once it is on screen (axe + screenshots in the journeys that want them). */
  onStep?: (id: string) => Promise<void>;
}

/** The demo's 333333333333 stack: IAMPrincipal left at the default while the scanner is a user. */
export const LEFT_AT_DEFAULT = { trustedAccountId: '111111111111', iamPrincipal: 'role/prowler*' } as const;

export class Wizard {
  constructor(readonly page: Page) {}

  heading(title: string): Locator {
    return this.page.getByRole('heading', { level: 2, name: title, exact: true });
  }

  async expectStep(title: string) {
    await expect(this.heading(title)).toBeVisible();
  }

  get panel(): Locator {
    return this.page.locator('section[data-diagnosis]').first();
  }

  sdkDefaultCard(): Locator {
    return this.page.getByRole('radio', { name: /AWS SDK Default|will assume your IAM role/ });
  }

  async open() {
    await this.page.goto(ENTRY);
    await this.expectStep('Credential source');
  }

  async continue() {
    await this.page.getByRole('button', { name: 'Continue', exact: true }).click();
  }

  /** Step 1; `beforeLeaving` runs once the step is filled in, before it is submitted. */
  async source(
    options: Pick<WalkOptions, 'source' | 'keys'>,
    beforeLeaving: () => Promise<void> = async () => {},
  ) {
    if (options.source === 'access-keys') {
      await this.page.getByRole('radio', { name: /Access & Secret Key/ }).check();
      const keys = options.keys!;
      await this.page.getByLabel('Access key ID (AWS_ACCESS_KEY_ID)').fill(keys.accessKeyId);
      await this.page.getByLabel('Secret access key (AWS_SECRET_ACCESS_KEY)').fill(keys.secretAccessKey);
      await this.page.getByLabel('Session token (AWS_SESSION_TOKEN)').fill(keys.sessionToken ?? '');
      await beforeLeaving();
      await this.page.getByRole('button', { name: 'Check keys and continue' }).click();
    } else {
      await this.sdkDefaultCard().check();
      await expect(this.page.getByTestId('caller-arn')).toBeVisible();
      await beforeLeaving();
      await this.continue();
    }
  }

  async template(options: Pick<WalkOptions, 'region'>) {
    await this.expectStep('Role template');
    if (options.region) await this.page.getByLabel('Region').fill(options.region);
    await this.continue();
  }

  async trust(options: Pick<WalkOptions, 'trust'>) {
    await this.expectStep('Trust settings');
    if (options.trust === 'detected') {
      const detected = this.page.getByTestId('detected-identity');
      if ((await detected.getAttribute('data-applied')) !== 'true')
        await this.page.getByRole('button', { name: 'Use detected identity', exact: true }).click();
      await expect(detected).toHaveAttribute('data-applied', 'true');
    } else if (options.trust) {
      await this.page.getByLabel('AccountId (trusted account)').fill(options.trust.trustedAccountId);
      await this.page.getByLabel('IAMPrincipal').fill(options.trust.iamPrincipal);
    }
    await this.continue();
  }

  async role(options: Pick<WalkOptions, 'roleArn' | 'accountId' | 'durationSeconds'>) {
    await this.expectStep('Role ARN');
    await this.page.getByLabel('Role ARN').fill(options.roleArn);
    if (options.accountId) await this.page.getByLabel('Account you are connecting').fill(options.accountId);
    if (options.durationSeconds)
      await this.page.getByLabel('Session duration (seconds)').fill(String(options.durationSeconds));
    await this.page.getByRole('button', { name: 'Continue to verify' }).click();
  }

  async verify(options: Pick<WalkOptions, 'wait'>) {
    await this.expectStep('Verify');
    if (options.wait) await this.page.getByLabel('Wait for deployment').check();
    await this.page.getByRole('button', { name: 'Verify connection' }).click();
  }

  /** The whole journey, one test.step per wizard step, ending on the result. */
  async walk(options: WalkOptions) {
    const hook = options.onStep ?? (async () => {});
    await test.step('1 credential source', async () => {
      await this.open();
      await this.source(options, () => hook('source'));
    });
    await test.step('2 role template', async () => {
      await this.expectStep('Role template');
      await hook('template');
      await this.template(options);
    });
    await test.step('3 trust settings', async () => {
      await this.expectStep('Trust settings');
      await hook('trust');
      await this.trust(options);
    });
    await test.step('4 role ARN', async () => {
      await this.expectStep('Role ARN');
      await hook('role');
      await this.role(options);
    });
    await test.step('5 verify', async () => {
      await this.expectStep('Verify');
      await hook('verify');
      await this.verify(options);
    });
    await test.step('6 result', async () => {
      await this.expectStep('Result');
      await hook('result');
    });
  }
}
