import type { Locator, Page } from '@playwright/test';
import { expect, demoTest as test } from './fixtures.ts';
import { screenshots } from './support/audit.ts';

// The wizard as a newcomer meets it (issue 17), at 1280 and 375 px: what step 1 detected is what
// step 2 deploys, nothing is hidden or cut off on a phone, commands and IDs break only between
// words, the region in use is the one on screen, and the footer is in view without scrolling
// into blank space. Screenshots of each step in both themes land in test-results/.

const READY = 'arn:aws:iam::222222222222:role/ProwlerScan';
const PHONE = { width: 375, height: 740 };
const DESKTOP = { width: 1280, height: 900 };

/** Each occurrence of `text` in `within` lies on one line box (a wrapped run has several rects). */
async function linesOf(within: Locator, text: string): Promise<number[]> {
  return within.evaluate((root, needle) => {
    const counts: number[] = [];
    const flat = root.textContent ?? '';
    for (let at = flat.indexOf(needle); at >= 0; at = flat.indexOf(needle, at + 1)) {
      // Map the flat offset to text nodes, then measure the range's line boxes.
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      const range = document.createRange();
      let seen = 0;
      let started = false;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const length = node.textContent?.length ?? 0;
        if (!started && at < seen + length) {
          range.setStart(node, at - seen);
          started = true;
        }
        if (started && at + needle.length <= seen + length) {
          range.setEnd(node, at + needle.length - seen);
          break;
        }
        seen += length;
      }
      const tops = new Set(
        [...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)),
      );
      counts.push(tops.size);
    }
    return counts;
  }, text);
}

async function toStep2(wizard: import('./support/wizard.ts').Wizard) {
  await wizard.open();
  await wizard.source({ source: 'sdk-default' });
  await wizard.expectStep('Role template');
}

async function noBlankScroll(page: Page, where: string) {
  const { scroll, viewport, footerBottom } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollHeight,
    viewport: window.innerHeight,
    footerBottom: document.querySelector('footer')?.getBoundingClientRect().bottom ?? Number.NaN,
  }));
  // A page shorter than the screen does not scroll, and its footer is on screen.
  expect(scroll, `${where}: the page scrolls past its content`).toBeLessThanOrEqual(viewport);
  expect(footerBottom, `${where}: the footer is below the screen`).toBeLessThanOrEqual(viewport);
}

test('step 2 deploys what step 1 detected, and says where the values came from', async ({ page, wizard }) => {
  await page.setViewportSize(DESKTOP);
  await toStep2(wizard);
  const row = (name: string) => page.getByRole('row', { name: new RegExp(`^${name}`) });
  await expect(row('AccountId')).toContainText('111111111111detected from GetCallerIdentity');
  await expect(row('IAMPrincipal')).toContainText('user/prowler-appdetected from GetCallerIdentity');
  await expect(row('ExternalId')).toContainText('issued by this installation');
  await expect(page.getByText('A role deployed with these values would refuse the scanner')).toHaveCount(0);
  const command = page.locator('pre').filter({ hasText: 'aws cloudformation create-stack' });
  await expect(command).toContainText('ParameterKey=IAMPrincipal,ParameterValue=user/prowler-app');
  // One place to apply the detected identity, and it is not on this step.
  await expect(page.getByRole('button', { name: /Use detected identity/ })).toHaveCount(0);
  await test.step('the additions that read data, not only configuration, are named', async () => {
    await expect(page.getByText('lambda:GetFunction* reads the code of your Lambda functions')).toBeVisible();
    await expect(
      page.getByText('logs:FilterLogEvents reads the events in your CloudWatch log groups'),
    ).toBeVisible();
  });
  await test.step('"Deploy to sandbox" deploys the detected principal: the live check admits the scanner', async () => {
    await page.getByRole('button', { name: 'Deploy to sandbox' }).click();
    await expect(page.getByText('Stack created in the sandbox')).toBeVisible();
    await wizard.continue();
    await wizard.expectStep('Trust settings');
    await expect(page.getByTestId('live-check')).toHaveAttribute('data-decision', 'allow');
    await expect(page.getByText('The stack you deployed has other values')).toHaveCount(0);
  });
});

test('step 3: one "Use detected identity", and it shows when it is applied', async ({ page, wizard }) => {
  await toStep2(wizard);
  await wizard.continue();
  await wizard.expectStep('Trust settings');
  const detected = page.getByTestId('detected-identity');
  const use = page.getByRole('button', { name: /Use detected identity/ });
  await expect(detected).toHaveAttribute('data-applied', 'true');
  await expect(detected.getByRole('status')).toHaveText(
    '✓Using the detected identity: AccountId 111111111111 · IAMPrincipal user/prowler-app.',
  );
  await expect(use).toHaveCount(0);
  await page.getByLabel('IAMPrincipal').fill('role/prowler*');
  await expect(page.getByTestId('live-check')).toHaveAttribute('data-decision', 'deny');
  await expect(use).toHaveCount(1);
  await screenshots(page, 'newcomer-trust-not-applied');
  await use.click();
  await expect(page.getByLabel('IAMPrincipal')).toHaveValue('user/prowler-app');
  await expect(detected).toHaveAttribute('data-applied', 'true');
  await expect(use).toHaveCount(0);
  await test.step('a value the user typed is theirs: step 2 warns, and labels it', async () => {
    await page.getByLabel('IAMPrincipal').fill('role/ScannerTask');
    await page.getByRole('button', { name: 'Back' }).click();
    await wizard.expectStep('Role template');
    await expect(page.getByRole('row', { name: /^IAMPrincipal/ })).toContainText(
      'role/ScannerTaskyou entered it',
    );
    await expect(page.getByText('A role deployed with these values would refuse the scanner')).toBeVisible();
    await expect(page.getByRole('button', { name: /Use detected identity/ })).toHaveCount(0);
  });
});

test('375 px: every column is there, the inputs show their whole value', async ({ page, wizard }) => {
  await page.setViewportSize(PHONE);
  await toStep2(wizard);
  await test.step('step 2: "What it means" is shown under each parameter', async () => {
    await expect(page.getByText('Which principals in that account may assume the role.')).toBeVisible();
    await expect(page.getByText('AWS admits the scanner only when it sends this value.')).toBeVisible();
  });
  await wizard.continue();
  await test.step('step 3: "GetCallerIdentity shows" is shown; the External ID fits its box', async () => {
    await wizard.expectStep('Trust settings');
    await expect(
      page.getByRole('cell', { name: /arn:aws:iam::111122223333:user\/prowler-app/ }),
    ).toBeVisible();
    const externalId = page.getByLabel('External ID', { exact: true });
    const box = await externalId.evaluate((el: HTMLInputElement) => ({
      scroll: el.scrollWidth,
      client: el.clientWidth,
    }));
    expect(box.scroll, 'the External ID is cut off').toBeLessThanOrEqual(box.client);
  });
  await wizard.continue();
  await test.step('step 4: the Role ARN shows whole', async () => {
    await wizard.expectStep('Role ARN');
    const arn = page.getByLabel('Role ARN');
    await arn.fill(READY);
    const box = await arn.evaluate((el: HTMLElement) => ({
      scrollWidth: el.scrollWidth,
      clientWidth: el.clientWidth,
      scrollHeight: el.scrollHeight,
      clientHeight: el.clientHeight,
    }));
    expect(box.scrollWidth, 'the Role ARN is cut off at the side').toBeLessThanOrEqual(box.clientWidth);
    expect(box.scrollHeight, 'the Role ARN is cut off below').toBeLessThanOrEqual(box.clientHeight);
    // Enter still moves on, as in a one-line field.
    await arn.press('Enter');
    await wizard.expectStep('Verify');
  });
});

for (const viewport of [DESKTOP, PHONE]) {
  test(`${viewport.width} px: commands and IDs break only between words`, async ({ page, wizard, demo }) => {
    await page.setViewportSize(viewport);
    await toStep2(wizard);
    const command = page.locator('pre').filter({ hasText: 'aws cloudformation create-stack' });
    for (const word of ['CAPABILITY_NAMED_IAM', 'file://prowler-scan-role.yaml', 'ParameterKey=AccountId,']) {
      expect(await linesOf(command, word), word).toEqual([1]);
    }
    const row = page.getByRole('row', { name: /^ExternalId/ });
    expect(await linesOf(row, demo.externalId), 'the External ID').toEqual([1]);
    // Too long for a phone even so: the block scrolls sideways, the page does not.
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
  });
}

test('the region in use is step 2’s stack region: in the verify summary and the footer', async ({
  page,
  wizard,
}) => {
  await page.setViewportSize(DESKTOP);
  await toStep2(wizard);
  const footer = page.getByRole('contentinfo');
  await expect(footer).toContainText('region us-east-1');
  await page.getByLabel('Region').fill('ap-east-1');
  await expect(footer).toContainText('region ap-east-1');
  await wizard.continue();
  await wizard.trust({ trust: 'detected' });
  await wizard.role({ roleArn: READY });
  await wizard.expectStep('Verify');
  await expect(page.getByTestId('verify-region')).toContainText(
    'ap-east-1 (the stack region from step 2, Role template)',
  );
  await expect(footer).toContainText('region ap-east-1');
  await noBlankScroll(page, 'the verify step');
  await page.getByRole('link', { name: /Change the region/ }).click();
  await wizard.expectStep('Role template');
  await expect(page.getByLabel('Region')).toHaveValue('ap-east-1');
});

test('the verify list: marks readable in dark mode, the titles in one column', async ({ page, wizard }) => {
  await page.setViewportSize(DESKTOP);
  await page.emulateMedia({ colorScheme: 'dark' });
  await toStep2(wizard);
  await wizard.template({});
  await wizard.trust({ trust: 'detected' });
  await wizard.role({ roleArn: 'arn:aws:iam::888888888888:role/ProwlerScan' });
  await wizard.expectStep('Verify');
  const rows = page.getByRole('list', { name: 'Checks' }).getByRole('listitem');
  await expect(rows).toHaveCount(4);
  await expect(rows.first()).toContainText('○Not started');
  // Nothing deployed in 888888888888 yet: waiting, the checks come back passed, failed and skipped.
  await wizard.verify({ wait: true });
  await expect(page.getByTestId('verify-status')).toContainText('Waiting for the new role, attempt 1 of');
  await expect(rows.filter({ hasText: 'Skipped' }).first()).toBeVisible();
  const lefts = await rows.evaluateAll((items) =>
    items.map((li) => {
      const [status, text] = li.children;
      return [status?.getBoundingClientRect().left, text?.getBoundingClientRect().left];
    }),
  );
  expect(new Set(lefts.map(([status]) => status)).size, 'statuses start at one x').toBe(1);
  expect(new Set(lefts.map(([, text]) => text)).size, 'titles start at one x').toBe(1);
  await page.getByRole('button', { name: 'Cancel' }).click();
});

for (const scheme of ['light', 'dark'] as const) {
  for (const viewport of [DESKTOP, PHONE]) {
    test(`steps 1-4 at ${viewport.width} px, ${scheme}: no blank scroll, screenshots`, async ({
      page,
      wizard,
    }) => {
      await page.setViewportSize(viewport);
      await page.emulateMedia({ colorScheme: scheme });
      const shot = (name: string) =>
        page.screenshot({
          path: `test-results/newcomer/${name}-${viewport.width}-${scheme}.png`,
          fullPage: true,
        });
      await wizard.open();
      await wizard.sdkDefaultCard().check();
      await expect(page.getByTestId('caller-arn')).toBeVisible();
      await shot('1-source');
      await wizard.continue();
      await wizard.expectStep('Role template');
      await shot('2-template');
      await wizard.continue();
      await wizard.expectStep('Trust settings');
      await shot('3-trust');
      await wizard.continue();
      await wizard.expectStep('Role ARN');
      await page.getByLabel('Role ARN').fill(READY);
      await shot('4-role');
      if (viewport === DESKTOP) await noBlankScroll(page, 'step 4');
      await page.getByRole('button', { name: 'Continue to verify' }).click();
      await wizard.expectStep('Verify');
      await shot('5-verify');
    });
  }
}
