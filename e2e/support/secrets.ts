import { expect, type Page } from '@playwright/test';

/**
 * No secret anywhere the browser keeps or shows once step 1 is left: storage, cookies, the URL,
 * history state, the DOM and input values (issue 6, docs/design.md#security-rules).
 */
export async function expectNoSecretsLeft(page: Page, secrets: readonly string[], where: string) {
  const dump = await page.evaluate(() =>
    JSON.stringify({
      localStorage: { ...localStorage },
      sessionStorage: { ...sessionStorage },
      url: location.href,
      historyState: history.state,
      dom: document.documentElement.outerHTML,
      inputs: [...document.querySelectorAll('input, textarea')].map((el) => (el as HTMLInputElement).value),
    }),
  );
  const cookies = JSON.stringify(await page.context().cookies());
  for (const secret of secrets.filter(Boolean)) {
    expect(dump.includes(secret), `a secret is still in the page or its storage ${where}`).toBe(false);
    expect(cookies.includes(secret), `a secret is in a cookie ${where}`).toBe(false);
  }
}
