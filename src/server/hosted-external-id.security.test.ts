import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configResponseSchema } from '../domain/api-contract.ts';
import { connectionVerifiedSchema } from '../domain/connection-contract.ts';
import { sqliteBackend } from '../testing/store-backends.ts';
import { openStore, type Store } from './store/database.ts';
import { SESSION_COOKIE } from './tenancy.ts';
import { type SandboxApp, sandboxApp, TEST_EXTERNAL_ID } from './test-support.ts';

// Hosted flavour (issue 13, part 7): one server identity for many customers, so the External ID
// is issued per browser session and only that session may verify with it. Two cookie jars play
// two customers; the first one's role must stay out of the second one's reach.

const backend = sqliteBackend();
let store: Store;
let s: SandboxApp;
let webRoot: string;
const TARGET = 'arn:aws:iam::888888888888:role/ProwlerScan';

/** A browser's cookie jar, as far as this one cookie goes. */
class Jar {
  cookie: string | null = null;
  lastSetCookie: string | null = null;
  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${s.url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const set = res.headers.get('set-cookie');
    if (set) {
      this.lastSetCookie = set;
      this.cookie = set.split(';')[0] ?? null;
    }
    const text = await res.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: res.status, text, body: json as Record<string, never> };
  }
  async externalId(): Promise<string> {
    return configResponseSchema.parse((await this.call('GET', '/api/config')).body).externalId;
  }
}

const verifyBody = (externalId: string) => ({
  source: { kind: 'sdk-default' },
  roleArn: TARGET,
  externalId,
  trustedAccountId: '111111111111',
  iamPrincipal: 'user/prowler-app',
});

beforeAll(async () => {
  webRoot = mkdtempSync(join(tmpdir(), 'aws-connect-web-'));
  mkdirSync(join(webRoot, 'assets'));
  writeFileSync(
    join(webRoot, 'index.html'),
    '<!doctype html><title>aws-connect</title><script type="module" src="/assets/index-abc.js"></script><body><div id="root"></div></body>',
  );
  writeFileSync(join(webRoot, 'assets', 'index-abc.js'), 'console.log(1)');
  store = await openStore(await backend.fresh());
  s = await sandboxApp(
    // Real-AWS mode (the sandbox only as an AWS endpoint): the hosted demo on the embedded
    // sandbox keeps the installation's ID for its pre-deployed targets.
    { AWS_CONNECT_FLAVOUR: 'hosted', AWS_CONNECT_SANDBOX: 'off' },
    { deps: { store, webRoot, renderFirstScreen: (c) => `<main>first step for ${c.productName}</main>` } },
  );
});
afterAll(async () => {
  await s.close();
  await store.close();
  await backend.stop();
  rmSync(webRoot, { recursive: true, force: true });
});

describe('hosted: an External ID per browser session', () => {
  it("a second session cannot verify (or save) the first one's role with the first one's External ID", async () => {
    const first = new Jar();
    const second = new Jar();
    const idA = await first.externalId();
    const idB = await second.externalId();
    expect(idA).toMatch(/^[0-9a-f]{32}$/);
    expect(idB).not.toBe(idA);
    expect([idA, idB]).not.toContain(TEST_EXTERNAL_ID);
    // Stable for the session.
    expect(await first.externalId()).toBe(idA);

    // The first customer deploys the template with their ID, and verifies: OK.
    const deployed = await first.call('POST', '/api/sandbox/stacks', {
      accountId: '888888888888',
      parameters: { ExternalId: idA, AccountId: '111111111111', IAMPrincipal: 'user/prowler-app' },
    });
    expect(deployed.status).toBe(200);
    const own = await first.call('POST', '/api/verify', verifyBody(idA));
    expect(own.status).toBe(200);
    expect(own.body.diagnosis).toMatchObject({ code: 'OK' });

    // The second session, knowing the first one's ID and role ARN, is refused before AWS.
    for (const path of ['/api/verify', '/api/connections']) {
      const stolen = await second.call('POST', path, verifyBody(idA));
      expect(stolen.status, path).toBe(400);
      expect(stolen.body.error).toMatchObject({ code: 'EXTERNAL_ID_NOT_ISSUED' });
      // The refusal names the second session's own ID, never the first one's.
      expect(stolen.text).toContain(idB);
      expect(stolen.text).not.toContain(idA);
    }
    // No cookie at all is a new session: refused too. So is the installation's ID.
    expect((await new Jar().call('POST', '/api/verify', verifyBody(idA))).status).toBe(400);
    expect((await second.call('POST', '/api/verify', verifyBody(TEST_EXTERNAL_ID))).status).toBe(400);
    // A made-up cookie value is just another new session.
    const forged = new Jar();
    forged.cookie = `${SESSION_COOKIE}=${'A'.repeat(43)}`;
    expect((await forged.call('POST', '/api/verify', verifyBody(idA))).status).toBe(400);
  });

  it("keeps each session's saved connections to itself", async () => {
    const first = new Jar();
    const second = new Jar();
    const idA = await first.externalId();
    await first.call('POST', '/api/sandbox/stacks', {
      accountId: '888888888888',
      parameters: { ExternalId: idA, AccountId: '111111111111', IAMPrincipal: 'user/prowler-app' },
    });
    const saved = connectionVerifiedSchema.parse(
      (await first.call('POST', '/api/connections', verifyBody(idA))).body,
    );
    expect(saved.status).toBe('ok');
    expect((await first.call('GET', '/api/connections')).body.total).toBe(1);
    expect((await second.call('GET', '/api/connections')).body.total).toBe(0);
    expect((await second.call('GET', `/api/connections/${saved.id}`)).status).toBe(404);
    expect((await second.call('POST', `/api/connections/${saved.id}/verify`, {})).status).toBe(404);
    expect((await second.call('PATCH', `/api/connections/${saved.id}`, { alias: 'mine now' })).status).toBe(
      404,
    );
    expect((await second.call('DELETE', `/api/connections/${saved.id}`)).status).toBe(404);
    expect((await first.call('GET', `/api/connections/${saved.id}`)).status).toBe(200);
  });

  it("the page embeds only its own session's External ID", async () => {
    const first = new Jar();
    const second = new Jar();
    const idA = await first.externalId();
    const idB = await second.externalId();
    for (const path of ['/', '/connect/trust']) {
      const pageA = await first.call('GET', path);
      const pageB = await second.call('GET', path);
      expect(pageA.status, path).toBe(200);
      expect(pageA.text).toContain(`"externalId":"${idA}"`);
      expect(pageB.text).toContain(`"externalId":"${idB}"`);
      expect(pageA.text).not.toContain(idB);
      expect(pageB.text).not.toContain(idA);
      for (const page of [pageA.text, pageB.text]) {
        expect(page).not.toContain(TEST_EXTERNAL_ID);
        expect(page).not.toContain('session-external-id');
      }
    }
    expect((await first.call('GET', '/')).text).toContain('first step for');
    // A first visit to the page starts a session: its page carries the ID that session then uses.
    const fresh = new Jar();
    const page = await fresh.call('GET', '/');
    expect(page.text).toContain(`"externalId":"${await fresh.externalId()}"`);
  });

  it('the hosted demo on the embedded sandbox keeps one ID, so its pre-deployed targets work', async () => {
    const demo = await sandboxApp({ AWS_CONNECT_FLAVOUR: 'hosted' }, { deps: { store } });
    try {
      const config = configResponseSchema.parse(await (await fetch(`${demo.url}/api/config`)).json());
      expect(config.externalId).toBe(TEST_EXTERNAL_ID);
    } finally {
      await demo.close();
    }
  });

  it('the session cookie is HttpOnly and SameSite=Strict, Secure behind https, and its value is not stored', async () => {
    const jar = new Jar();
    await jar.externalId();
    expect(jar.lastSetCookie).toMatch(
      new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43}; Path=/; Max-Age=\\d+; HttpOnly; SameSite=Strict$`),
    );
    const tls = new Jar();
    await tls.call('GET', '/api/config', undefined, { 'x-forwarded-proto': 'https' });
    expect(tls.lastSetCookie).toMatch(/; Secure$/);
    const value = jar.cookie?.split('=')[1] ?? '';
    const rows = await store.db.selectFrom('sessions').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(value);
  });
});
