import { expect, type Page } from '@playwright/test';

// The tab's copy of a later step (issue 15, docs/decisions/065 and 066), seen from a test: reload
// with or without the app's code, record every text #root showed, and tell when React took over.

export const ROOT = '#root';

/** The page's console errors from now on, but the refused script files' own. */
export function consoleErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/net::ERR_FAILED|Failed to load/.test(m.text())) problems.push(m.text());
  });
  return problems;
}

/** Reload with the app's code refused: only the page itself and its inline script run. */
export async function reloadWithoutCode(page: Page) {
  await page.route('**/assets/*.js', (route) => route.abort());
  await page.reload();
}

export async function allowCode(page: Page) {
  await page.unroute('**/assets/*.js');
}

/** Every text #root showed from the page's start, recorded by the page itself. */
export async function recordRootTexts(page: Page) {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { rootTexts: string[] }).rootTexts = seen;
    new MutationObserver(() => {
      const text = document.getElementById('root')?.textContent ?? '';
      if (seen.at(-1) !== text) seen.push(text);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
}

/**
 * The screen's text, with the credentials' relative expiry ("in 60 minutes") left out: it moves
 * with the clock, so the copy may say a minute more than the app drawing it a moment later. A text
 * area's content is its value, which the copy writes into its markup and the app does not: fields
 * are compared by value instead.
 */
export const screenText = async (page: Page) =>
  (
    await page.locator(ROOT).evaluate((root) => {
      const copy = root.cloneNode(true) as HTMLElement;
      for (const area of copy.querySelectorAll('textarea')) area.textContent = '';
      return copy.textContent ?? '';
    })
  ).replace(/\([^()]*minutes?[^()]*\)/g, '(…)');

export const rootTexts = (page: Page) =>
  page.evaluate(() => (window as unknown as { rootTexts: string[] }).rootTexts);

/** React has taken #root over (its container carries React's key), and nothing matching `loading` showed. */
export async function expectTakenOver(page: Page, loading: RegExp) {
  await expect
    .poll(() =>
      page.evaluate(() =>
        Object.keys(document.getElementById('root') ?? {}).some((k) => k.startsWith('__reactContainer')),
      ),
    )
    .toBe(true);
  // The copy was inert until then (static.ts drawnStepScript); the app's screen takes input.
  await expect(page.locator(ROOT)).not.toHaveAttribute('inert');
  const texts = await rootTexts(page);
  expect(
    texts.some((t) => loading.test(t)),
    'a "Loading…" replaced (part of) the drawn screen',
  ).toBe(false);
}
