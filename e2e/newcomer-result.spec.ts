import { mkdirSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { expect, demoTest as test } from './fixtures.ts';
import { LEFT_AT_DEFAULT, type Wizard } from './support/wizard.ts';

// The result step and the header as a newcomer meets them (issue 17): one navigation in the
// header; the checks' titles in one column whatever their badge says; the fix's commands break
// only between words; at 375 px the guidance title has its own line below the badges; and "fix
// and redeploy" waits for the new role as waiting, not as a failure. Screenshots at 1280 and
// 375 px, light and dark, land in test-results/newcomer-result/.

const REFUSED = 'arn:aws:iam::333333333333:role/ProwlerScan';
const PHONE = { width: 375, height: 800 };
const DESKTOP = { width: 1280, height: 900 };
const SHOTS = 'test-results/newcomer-result';

async function shot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  const size = page.viewportSize();
  await page.screenshot({
    path: `${SHOTS}/${name}-${size?.width}.png`,
    fullPage: true,
    animations: 'disabled',
  });
}

async function toRefusedResult(wizard: Wizard) {
  await wizard.walk({ trust: LEFT_AT_DEFAULT, roleArn: REFUSED });
  await expect(wizard.panel).toHaveAttribute('data-diagnosis', 'TRUST_PRINCIPAL_MISMATCH');
}

/** How many line boxes each whitespace- or comma-separated piece of the element's text spans. */
async function piecesOnSeveralLines(code: Locator): Promise<string[]> {
  return code.evaluate((root) => {
    const broken: string[] = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const nodes: Text[] = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
    const flat = nodes.map((n) => n.data).join('');
    const at = (offset: number): [Text, number] => {
      let seen = 0;
      for (const node of nodes) {
        if (offset <= seen + node.data.length) return [node, offset - seen];
        seen += node.data.length;
      }
      const last = nodes[nodes.length - 1]!;
      return [last, last.data.length];
    };
    for (const match of flat.matchAll(/[^\s,]+/g)) {
      const range = document.createRange();
      range.setStart(...at(match.index));
      range.setEnd(...at(match.index + match[0].length));
      const tops = new Set(
        [...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)),
      );
      if (tops.size > 1) broken.push(match[0]);
    }
    return broken;
  });
}

for (const scheme of ['light', 'dark'] as const) {
  for (const viewport of [DESKTOP, PHONE]) {
    test(`result at ${viewport.width} px, ${scheme}: one navigation, aligned checks, whole words, the title on its own line`, async ({
      page,
      wizard,
    }) => {
      await page.setViewportSize(viewport);
      await page.emulateMedia({ colorScheme: scheme });
      await toRefusedResult(wizard);

      await test.step('the header has one navigation', async () => {
        const header = page.getByRole('banner');
        await expect(header.getByRole('navigation')).toHaveCount(1);
        const nav = header.getByRole('navigation', { name: 'Pages' });
        await expect(nav.getByRole('link')).toHaveText([
          'One account',
          'A whole organization',
          'Connections',
        ]);
        await expect(nav.getByRole('link', { name: 'One account' })).toHaveAttribute('aria-current', 'page');
      });

      await test.step('the checks: every title starts at one x', async () => {
        const rows = wizard.panel
          .getByRole('heading', { name: 'What we checked' })
          .locator('xpath=following-sibling::ul[1]')
          .getByRole('listitem');
        await expect(rows.filter({ hasText: 'Passed' }).first()).toBeVisible();
        await expect(rows.filter({ hasText: 'Failed' }).first()).toBeVisible();
        await expect(rows.filter({ hasText: 'Skipped' }).first()).toBeVisible();
        const lefts = await rows.evaluateAll((items) =>
          items.map((li) => Math.round(li.children[1]?.getBoundingClientRect().left ?? Number.NaN)),
        );
        expect(new Set(lefts).size, `title x positions ${lefts.join(', ')}`).toBe(1);
      });

      await test.step('the fix’s commands break only between words, and the page does not scroll sideways', async () => {
        const codes = wizard.panel.locator('ol pre code');
        expect(await codes.count()).toBeGreaterThan(0);
        for (const code of await codes.all()) expect(await piecesOnSeveralLines(code)).toEqual([]);
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(overflow).toBeLessThanOrEqual(0);
      });

      await test.step('the guidance title: on its own line below the badges when narrow', async () => {
        const title = wizard.panel.getByRole('heading').first();
        const badge = wizard.panel.locator('header > span').first();
        const [titleBox, badgeBox] = [await title.boundingBox(), await badge.boundingBox()];
        if (!titleBox || !badgeBox) throw new Error('no title or badge');
        if (viewport === PHONE) expect(titleBox.y).toBeGreaterThanOrEqual(badgeBox.y + badgeBox.height);
        // Its text runs the width of the panel, not a narrow column beside the badges.
        const panelBox = await wizard.panel.boundingBox();
        expect(titleBox.width).toBeGreaterThan((panelBox?.width ?? 0) * 0.6);
      });
      await shot(page, `result-${scheme}`);
    });
  }
}

for (const viewport of [DESKTOP, PHONE]) {
  test(`fix and redeploy at ${viewport.width} px: waiting for the new role reads as waiting`, async ({
    page,
    wizard,
    demo,
  }) => {
    await page.setViewportSize(viewport);
    // Long enough to look at the waiting screen; a fresh role is usable after it, as in IAM.
    await demo.setFaults({ propagationDelayMs: 5_000 });
    await toRefusedResult(wizard);
    const fix = page.getByRole('region', { name: 'Sandbox demo: fix and redeploy' });
    await fix.getByRole('button', { name: 'Redeploy to sandbox and verify again' }).click();

    await wizard.expectStep('Verify');
    const status = page.getByTestId('verify-status');
    await expect(status).toContainText(
      /^Waiting for the new role, attempt 1 of 12: AWS does not accept it yet/,
    );
    // Nothing the user did not ask for, no failure, no raw code while the role propagates.
    await expect(page.getByText(/needs this step first/)).toHaveCount(0);
    const checks = page.getByRole('list', { name: 'Checks' });
    await expect(checks).not.toContainText('Failed');
    await expect(checks).toContainText('Waiting');
    await expect(page.getByRole('main')).not.toContainText(/[A-Z]+(_[A-Z]+)+/);
    await expect(page.getByRole('button', { name: 'Waiting for the role…' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Verify again' })).toHaveCount(0);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await shot(page, `redeploy-waiting-${scheme}`);
    }

    await expect(wizard.heading('Result')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText('Connected', { exact: true })).toBeVisible();
    await expect(page.getByText(/needs this step first/)).toHaveCount(0);
    await demo.setFaults({ propagationDelayMs: 2_000 });
  });
}
