import { expect, type Locator } from '@playwright/test';
import { DEMO_SCENARIO } from '../../src/sandbox/scenario.ts';
import { applyFixSteps, type FixStep } from '../../src/testing/fix-loop.ts';
import type { DemoServer } from './demo-server.ts';

// The customer's side of a demo row, as a newcomer plays it: the commands the wizard shows, copied
// from the page exactly as printed, run with the aws CLI as the target account's administrator
// (the sandbox's demo keys) against the demo's sandbox.

/** The guidance's steps of a panel: "How to know for sure" (suspected) or "How to fix it". */
export function guidanceSteps(panel: Locator): Locator {
  return panel
    .getByRole('heading', { name: /^(How to know for sure|How to fix it)$/ })
    .first()
    .locator('xpath=following-sibling::ol[1]');
}

/** Every command of a fix list that runs with the target account's credentials, as the page shows it. */
export async function targetAccountCommands(list: Locator): Promise<FixStep[]> {
  const steps = list
    .locator(':scope > li')
    .filter({ has: list.page().locator('[data-run-in="target-account"]') });
  const commands = await steps.locator('pre code').allTextContents();
  expect(commands.length).toBeGreaterThan(0);
  return commands.map((command) => ({ command, runIn: 'target-account' }));
}

/** Runs the commands as `account`'s administrator; answers what each printed. */
export async function runAsAdministrator(
  demo: DemoServer,
  account: string,
  commands: FixStep[],
  files: Record<string, string> = {},
): Promise<string[]> {
  const key = DEMO_SCENARIO.accounts[account]?.administrator?.accessKeys[0];
  if (!key) throw new Error(`Account ${account} has no administrator in the demo scenario.`);
  const shell = {
    accessKeyId: key.id,
    secretAccessKey: key.secret,
    region: 'us-east-1',
    endpoint: demo.sandboxUrl,
  };
  const results = await applyFixSteps(commands, { accounts: { 'target-account': shell }, files });
  return results.map((r) => r.stdout);
}
