import type { Page } from '@playwright/test';
import { demoTest, expect, test } from './fixtures.ts';
import { ENTRY } from './support/wizard.ts';

// The server writes the first step into the page as HTML and the config as a data block
// (src/server/static.ts, src/app/first-screen.tsx): a phone sees the step before ~100 KB of
// JavaScript arrive, and the app then takes over without a config request and without an error.

/** Console errors and warnings, and uncaught errors, of the page from now on. */
function consoleProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  return problems;
}

test.describe('before JavaScript runs', () => {
  test.use({ javaScriptEnabled: false });

  test('the first step is already on the page, worded for this server', async ({ page }) => {
    await page.goto(ENTRY);
    await expect(page.getByRole('heading', { name: 'Credential source' })).toBeVisible();
    await expect(page.getByText('AWS SDK Default', { exact: true })).toBeVisible();
    await expect(page.getByText('Access & Secret Key', { exact: true })).toBeVisible();
    await expect(page.getByText('Sandbox: nothing reaches real AWS')).toBeVisible();
  });

  test('a later step is not pre-drawn: the page waits for the app', async ({ page }) => {
    await page.goto('/?step=trust');
    await expect(page.getByRole('heading', { name: 'Credential source' })).toHaveCount(0);
  });

  test('the organization page opens on its own first screen, not on the wizard', async ({ page }) => {
    await page.goto('/?flow=organization');
    await expect(
      page.getByRole('heading', { level: 2, name: 'Connect every account of an AWS Organization' }),
    ).toBeVisible();
    await expect(page.getByRole('heading', { name: '1. Who may assume the role' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Credential source' })).toHaveCount(0);
  });
});

test('the organization page: the app takes over the drawing with no error; no page preloads chunks it does not run', async ({
  page,
}) => {
  const problems = consoleProblems(page);
  await page.goto('/?flow=organization');
  const heading = page.getByRole('heading', {
    level: 2,
    name: 'Connect every account of an AWS Organization',
  });
  await expect(heading).toBeVisible();
  // React has drawn it once the template's controls answer (the drawing has no handlers).
  await expect(page.getByRole('link', { name: 'A whole organization' })).toHaveAttribute(
    'aria-current',
    'page',
  );
  await expect(heading).toHaveCount(1);
  expect(problems).toEqual([]);
  // A later step the tab kept no copy of asks for the steps chunks beside the entry (its inline
  // script adds them), not the organization's nor the connections pages'.
  const later = await page.context().newPage();
  await later.goto('/?step=result');
  const asked = await later.evaluate(() =>
    [...document.querySelectorAll('link[rel="modulepreload"]')].map((l) => l.getAttribute('href') ?? ''),
  );
  const names = asked.map((href) => /\/assets\/([a-z-]+)-/.exec(href)?.[1]);
  expect(names).toContain('steps');
  expect(names).not.toContain('organization');
  expect(names).not.toContain('connections');
  await later.close();
  // The drawn organization page preloads nothing: its paint must not wait for any script.
  const organization = await (await page.request.get('/?flow=organization')).text();
  expect(organization).not.toContain('rel="modulepreload"');
});

demoTest.describe('a hosted installation, before JavaScript runs', () => {
  demoTest.use({ javaScriptEnabled: false });

  demoTest('the first step names the product that assumes the role', async ({ page }) => {
    await page.goto(ENTRY);
    await expect(page.getByText('Prowler will assume your IAM role')).toBeVisible();
  });
});

test('the app takes over the drawn step: no config request, no console error, the cards work', async ({
  page,
  wizard,
}) => {
  const problems = consoleProblems(page);
  const apiCalls: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith('/api/')) apiCalls.push(path);
  });

  await wizard.open();
  await wizard.sdkDefaultCard().check();
  await expect(page.getByTestId('caller-arn')).toHaveText('arn:aws:iam::111111111111:user/prowler-app');
  expect(apiCalls).toEqual(['/api/identity']);
  expect(problems).toEqual([]);
});

test('a card chosen on the drawn step, before the app arrives, is kept when the app takes over', async ({
  page,
}) => {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  // Hold the app's entry script back: what the user sees meanwhile is the server's drawing.
  await page.route(/\/assets\/index-[^/]+\.js$/, async (route) => {
    await gate;
    await route.continue();
  });
  await page.goto(ENTRY, { waitUntil: 'commit' });
  const sdkDefault = page.getByRole('radio', { name: /AWS SDK Default/ });
  await sdkDefault.check();
  await expect(page.getByTestId('caller-arn')).toHaveCount(0); // the app is not running yet
  release();
  await expect(page.getByTestId('caller-arn')).toHaveText('arn:aws:iam::111111111111:user/prowler-app');
  await expect(sdkDefault).toBeChecked();
});
