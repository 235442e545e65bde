import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';

// axe-core in both colour schemes (WCAG 2.2 AA rule set) and screenshots at desktop and phone
// widths into test-results/screenshots/ (issue 6, Tests). axe is slow on long pages, so the specs
// run it once per distinct screen (each step, each kind of panel), not once per diagnosis code.

const SHOTS = 'test-results/screenshots';
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export async function expectNoAxeViolations(page: Page, label: string) {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const { violations } = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
    const readable = violations.map(
      (v) => `${v.id} (${v.impact}): ${v.help} -> ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`,
    );
    expect(readable, `axe on "${label}" in ${colorScheme}`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

export async function screenshots(page: Page, name: string, { dark = false }: { dark?: boolean } = {}) {
  mkdirSync(SHOTS, { recursive: true });
  const original = page.viewportSize() ?? { width: 1280, height: 720 };
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 800 });
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true, animations: 'disabled' });
  }
  if (dark) {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${SHOTS}/${name}-375-dark.png`, fullPage: true, animations: 'disabled' });
    await page.emulateMedia({ colorScheme: 'light' });
  }
  await page.setViewportSize(original);
}

/** axe in both themes, then the screenshots (light; `dark` adds a dark one at 375 px). */
export async function audit(page: Page, name: string, options: { dark?: boolean } = {}) {
  await test.step(`audit ${name}`, async () => {
    await expectNoAxeViolations(page, name);
    await screenshots(page, name, options);
  });
}
