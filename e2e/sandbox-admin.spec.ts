import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, demoTest as test } from './fixtures.ts';

// Issue 11: a web page on another origin could drive the sandbox's admin API with requests a
// browser sends without asking (a text/plain form post, a no-cors fetch). Here a real Chromium
// opens such a page, served from another loopback origin (127.0.0.2: another site; another port of
// 127.0.0.1: the same site), against the sandbox `npm start` embeds; the sandbox state is unchanged.

const DEPLOYED = 'arn:aws:iam::888888888888:role/ProwlerScan';

/** The attacker's page: a no-cors fetch that deploys a stack, then a text/plain form that resets. */
function attackPage(sandboxUrl: string): string {
  const deploy = JSON.stringify({
    accountId: '888888888888',
    roleName: 'Injected',
    parameters: { ExternalId: 'attacker-external-id', AccountId: '999999999999', IAMPrincipal: '*' },
  });
  return `<!doctype html><title>not the sandbox</title>
<form id="reset" method="POST" enctype="text/plain" action="${sandboxUrl}/__sandbox/reset">
  <input name='{"a":"' value='"}'>
</form>
<script>
  window.deploy = () =>
    fetch(${JSON.stringify(`${sandboxUrl}/__sandbox/stacks`)}, {
      method: 'POST',
      mode: 'no-cors',
      headers: { 'content-type': 'text/plain' },
      body: ${JSON.stringify(deploy)},
    }).then(() => 'answered', (e) => String(e));
</script>`;
}

async function serveOn(host: string, html: string): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { url: `http://${host}:${(server.address() as AddressInfo).port}/`, server };
}

async function targetRole(sandboxUrl: string): Promise<string | null> {
  const res = await fetch(`${sandboxUrl}/__sandbox/targets`);
  const body = (await res.json()) as { targets: { accountId: string; roleArn: string | null }[] };
  return body.targets.find((t) => t.accountId === '888888888888')?.roleArn ?? null;
}

for (const [label, host] of [
  ['another site (127.0.0.2)', '127.0.0.2'],
  ['the same site, another port (127.0.0.1)', '127.0.0.1'],
] as const) {
  test(`a page on ${label} cannot deploy to or reset the sandbox`, async ({ page, demo }) => {
    await test.step('the sandbox has a deployed stack (its own tools may still write)', async () => {
      const res = await fetch(`${demo.sandboxUrl}/__sandbox/stacks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          accountId: '888888888888',
          parameters: {
            ExternalId: demo.externalId,
            AccountId: '111111111111',
            IAMPrincipal: 'user/prowler-app',
          },
        }),
      });
      expect(res.status).toBe(200);
      expect(await targetRole(demo.sandboxUrl)).toBe(DEPLOYED);
    });

    const attacker = await serveOn(host, attackPage(demo.sandboxUrl));
    try {
      await test.step('the page posts a stack as text/plain (no-cors): nothing is deployed', async () => {
        await page.goto(attacker.url);
        expect(await page.evaluate(() => (window as unknown as { deploy(): Promise<string> }).deploy())).toBe(
          'answered',
        );
        expect(await targetRole(demo.sandboxUrl)).toBe(DEPLOYED);
      });
      await test.step('the page submits a text/plain form to /__sandbox/reset: refused, nothing reset', async () => {
        await Promise.all([
          page.waitForURL(`${demo.sandboxUrl}/__sandbox/reset`),
          page.locator('#reset').evaluate((f) => (f as HTMLFormElement).submit()),
        ]);
        // The browser shows the sandbox's own answer: the request arrived and was refused.
        await expect(page.locator('body')).toContainText('CROSS_ORIGIN_REFUSED');
        expect(await targetRole(demo.sandboxUrl)).toBe(DEPLOYED);
      });
    } finally {
      await new Promise((resolve) => attacker.server.close(resolve));
    }
  });
}
