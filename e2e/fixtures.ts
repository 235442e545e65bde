import { test as base, expect } from '@playwright/test';
import { type DemoServer, startDemoServer } from './support/demo-server.ts';
import { Wizard } from './support/wizard.ts';

export { expect };

interface TestFixtures {
  wizard: Wizard;
}
interface WorkerFixtures {
  /** A private server + sandbox (hosted flavour, a published template URL), reset before each test that uses it. */
  demo: DemoServer;
}

export const TEMPLATE_URL = 'https://prowler-templates.s3.amazonaws.com/prowler-scan-role.yaml';

export const test = base.extend<TestFixtures, WorkerFixtures>({
  demo: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright's fixture signature
    async ({}, use) => {
      const server = await startDemoServer({
        AWS_CONNECT_FLAVOUR: 'hosted',
        AWS_CONNECT_TEMPLATE_URL: TEMPLATE_URL,
      });
      await use(server);
      await server.close();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  wizard: async ({ page }, use) => {
    await use(new Wizard(page));
  },
});

/** For specs on the private server: a clean sandbox and a page pointed at it. */
export const demoTest = test.extend<{ cleanSandbox: undefined }>({
  baseURL: async ({ demo }, use) => {
    await use(demo.url);
  },
  cleanSandbox: [
    async ({ demo }, use) => {
      await demo.reset();
      await use(undefined);
    },
    { auto: true },
  ],
});
