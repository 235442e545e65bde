import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderFirstScreen } from '../app/first-screen.tsx';
import { configResponseSchema, EMBEDDED_CONFIG_ID, errorBodySchema } from '../domain/api-contract.ts';
import { sandboxScenarioResponseSchema } from '../domain/sandbox-contract.ts';
import { type SandboxHandle, startSandbox } from '../sandbox/server.ts';
import { type AppDeps, buildApp } from './app.ts';
import type { Env } from './config.ts';
import { captureLogs, forbiddenCredentials, TEST_EXTERNAL_ID, testConfig } from './test-support.ts';

// The HTTP surface through app.inject(): every route, status codes, the error body shape, the
// security headers, the origin guard, the rate limit and the confused-deputy refusal. None of these
// requests may reach AWS: the default chain here throws if it is ever consulted.

const ROLE = 'arn:aws:iam::222222222222:role/ProwlerScan';
const JSON_HEADERS = { 'content-type': 'application/json' };
let webRoot = '';
const STYLESHEET = 'body{color:#123456}';

beforeAll(() => {
  webRoot = mkdtempSync(join(tmpdir(), 'aws-connect-web-'));
  mkdirSync(join(webRoot, 'assets'));
  writeFileSync(
    join(webRoot, 'index.html'),
    '<!doctype html><title>aws-connect</title><script type="module" src="/assets/index-abc123.js"></script>' +
      '<link rel="stylesheet" crossorigin href="/assets/index-abc123.css"><body><div id="root"></div></body>',
  );
  writeFileSync(join(webRoot, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(webRoot, 'assets', 'index-abc123.css'), STYLESHEET);
});
afterAll(() => rmSync(webRoot, { recursive: true, force: true }));

async function makeApp(env: Env = {}, deps: Partial<AppDeps> = {}) {
  const credentials = forbiddenCredentials();
  const { stream, lines } = captureLogs();
  const app = await buildApp(testConfig(env), {
    externalId: TEST_EXTERNAL_ID,
    defaultCredentials: credentials,
    logStream: stream,
    webRoot,
    ...deps,
  });
  return { app, credentials, lines };
}

function expectErrorBody(res: LightMyRequestResponse, status: number, code?: string) {
  expect(res.statusCode, res.body).toBe(status);
  const body = errorBodySchema.parse(res.json());
  if (code) expect(body.error.code).toBe(code);
  expect(body.error.requestId).toBe(res.headers['x-request-id']);
  expect(res.body).not.toMatch(/\bat .+\.(ts|js):\d+/); // no stack trace
  return body.error;
}

describe('routes', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await makeApp({
      AWS_CONNECT_TEMPLATE_URL: 'https://bucket.s3.amazonaws.com/prowler-scan-role.yaml',
    }));
  });
  afterAll(() => app.close());

  it('GET /api/health answers {"ok":true}', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true });
  });

  it('GET /api/config describes the deployment and the issued External ID', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/config' });
    expect(res.statusCode).toBe(200);
    expect(configResponseSchema.parse(res.json())).toMatchObject({
      flavour: 'self-hosted',
      productName: 'Prowler',
      sandbox: false,
      templateUrl: 'https://bucket.s3.amazonaws.com/prowler-scan-role.yaml',
      externalId: TEST_EXTERNAL_ID,
      region: 'us-east-1',
      partition: 'aws',
    });
  });

  it.each([
    ['GET', '/api/nothing-here'],
    ['POST', '/api/health'],
    ['DELETE', '/api/verify'],
    ['GET', '/api/sandbox/scenario'],
    ['POST', '/api/sandbox/stacks'],
  ])('%s %s -> 404 with an error body (the sandbox routes too, when it is off)', async (method, url) => {
    const res = await app.inject({
      method: method as 'GET',
      url,
      headers: JSON_HEADERS,
      payload: method === 'GET' ? undefined : '{}',
    });
    expectErrorBody(res, 404, 'NOT_FOUND');
  });
});

describe('bad input never reaches AWS: 400 with field errors', () => {
  let app: FastifyInstance;
  let credentials: ReturnType<typeof forbiddenCredentials>;
  let lines: string[];
  beforeAll(async () => {
    ({ app, credentials, lines } = await makeApp({ AWS_CONNECT_BODY_LIMIT_BYTES: '2048' }));
  });
  afterAll(() => app.close());

  const valid = { source: { kind: 'sdk-default' }, roleArn: ROLE, externalId: TEST_EXTERNAL_ID };
  const CASES: [string, string, Record<string, string>, string | undefined, number, string[]][] = [
    ['invalid JSON', '/api/verify', JSON_HEADERS, '{"source": {"kind": "sdk-default"', 400, ['(body)']],
    ['text/plain', '/api/verify', { 'content-type': 'text/plain' }, JSON.stringify(valid), 400, ['(body)']],
    [
      'form-encoded',
      '/api/verify',
      { 'content-type': 'application/x-www-form-urlencoded' },
      'roleArn=x',
      400,
      ['(body)'],
    ],
    ['empty JSON body', '/api/verify', JSON_HEADERS, '', 400, ['(body)']],
    ['no body at all', '/api/identity', {}, undefined, 400, ['(body)']],
    ['a JSON array', '/api/verify', JSON_HEADERS, '[]', 400, ['(body)']],
    [
      'a bad role ARN',
      '/api/verify',
      JSON_HEADERS,
      JSON.stringify({ ...valid, roleArn: 'arn:aws:iam::12:role/x' }),
      400,
      ['roleArn'],
    ],
    [
      'an extra field',
      '/api/verify',
      JSON_HEADERS,
      JSON.stringify({ ...valid, admin: true }),
      400,
      ['admin'],
    ],
    [
      'access keys with a bad key id',
      '/api/verify',
      JSON_HEADERS,
      JSON.stringify({
        ...valid,
        source: { kind: 'access-keys', accessKeyId: 'nope', secretAccessKey: 'x' },
      }),
      400,
      ['source.accessKeyId'],
    ],
    [
      'an unknown source kind',
      '/api/identity',
      JSON_HEADERS,
      JSON.stringify({ source: { kind: 'magic' } }),
      400,
      ['source.kind'],
    ],
    [
      '__proto__ key',
      '/api/verify',
      JSON_HEADERS,
      '{"__proto__": {"admin": true}, "roleArn": "x"}',
      400,
      // An unknown field like any other (docs/decisions/018-prototype-keys-are-unknown-fields.md).
      ['__proto__', 'roleArn'],
    ],
    [
      'constructor.prototype key',
      '/api/verify',
      JSON_HEADERS,
      '{"constructor": {"prototype": {"admin": true}}}',
      400,
      ['constructor'],
    ],
    [
      'a body over the limit',
      '/api/verify',
      JSON_HEADERS,
      JSON.stringify({ ...valid, pad: 'x'.repeat(4096) }),
      413,
      ['(body)'],
    ],
    [
      'a region outside the partition',
      '/api/verify',
      JSON_HEADERS,
      JSON.stringify({ ...valid, region: 'cn-north-1', partition: 'aws' }),
      400,
      ['region'],
    ],
  ];

  it.each(CASES)('%s', async (_label, url, headers, payload, status, paths) => {
    const res = await app.inject({
      method: 'POST',
      url,
      headers,
      ...(payload === undefined ? {} : { payload }),
    });
    const error = expectErrorBody(res, status);
    expect(error.fields.map((f) => f.path)).toEqual(expect.arrayContaining(paths));
    for (const f of error.fields) expect(f.message.length).toBeGreaterThan(5);
  });

  it('an invalid JSON body is not quoted back, in the answer or the log', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/verify',
      headers: JSON_HEADERS,
      payload: '{"secretAccessKey": "QUOTEME-NOT',
    });
    expect(res.body).not.toContain('QUOTEME');
    expect(lines.join('\n')).not.toContain('QUOTEME');
  });

  it('refuses an External ID this server did not issue in sdk-default mode (confused deputy)', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/verify',
      headers: JSON_HEADERS,
      payload: { ...valid, externalId: 'someone-elses-external-id' },
    });
    const error = expectErrorBody(res, 400, 'EXTERNAL_ID_NOT_ISSUED');
    expect(error.fields).toHaveLength(1);
    expect(error.fields[0]?.path).toBe('externalId');
    expect(error.fields[0]?.message).toContain(TEST_EXTERNAL_ID);
    expect(error.fields[0]?.message).toMatch(/confused-deputy/);
  });

  it('consulted the default credential chain for none of the above', () => {
    expect(credentials.calls).toBe(0);
  });
});

describe('security headers', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await makeApp());
  });
  afterAll(() => app.close());

  it.each(['/', '/api/health', '/api/nothing'])(
    '%s: strict CSP, nosniff, no framing, no CORS',
    async (url) => {
      const res = await app.inject({ method: 'GET', url, headers: { origin: 'https://evil.example' } });
      const csp = String(res.headers['content-security-policy']);
      const directive = (name: string) =>
        csp
          .split(';')
          .find((d) => d.trim().startsWith(`${name} `))
          ?.trim();
      // 'self' and the hash of the later-step page's one inline script (static.ts drawnStepScript).
      expect(directive('script-src')).toMatch(/^script-src 'self' 'sha256-[A-Za-z0-9+/]+=*'$/);
      // 'self' and the hash of the page's own inlined stylesheet: no other inline style.
      expect(directive('style-src')).toMatch(/^style-src 'self'( 'sha256-[A-Za-z0-9+/]+=*')*$/);
      expect(directive('default-src')).toBe("default-src 'self'");
      expect(directive('frame-ancestors')).toBe("frame-ancestors 'none'");
      expect(directive('object-src')).toBe("object-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    },
  );

  it('answers a CORS preflight without any CORS permission', async () => {
    const res = await app.inject({
      method: 'OPTIONS',
      url: '/api/verify',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['access-control-allow-methods']).toBeUndefined();
  });
});

describe('cross-origin and foreign-host requests', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await makeApp());
  });
  afterAll(() => app.close());

  const body = { source: { kind: 'sdk-default' }, roleArn: 'bad' };
  it.each([
    [
      'Origin of another site',
      { origin: 'https://evil.example', host: '127.0.0.1:8787' },
      403,
      'CROSS_ORIGIN_REFUSED',
    ],
    [
      'Origin on another port',
      { origin: 'http://127.0.0.1:9999', host: '127.0.0.1:8787' },
      403,
      'CROSS_ORIGIN_REFUSED',
    ],
    [
      'Origin null (sandboxed frame, file://)',
      { origin: 'null', host: '127.0.0.1:8787' },
      403,
      'CROSS_ORIGIN_REFUSED',
    ],
    [
      'Sec-Fetch-Site: cross-site',
      { 'sec-fetch-site': 'cross-site', host: '127.0.0.1:8787' },
      403,
      'CROSS_ORIGIN_REFUSED',
    ],
    [
      'Sec-Fetch-Site: same-site',
      { 'sec-fetch-site': 'same-site', host: '127.0.0.1:8787' },
      403,
      'CROSS_ORIGIN_REFUSED',
    ],
    ['a rebinding host name', { host: 'attacker.example:8787' }, 403, 'HOST_NOT_ALLOWED'],
    [
      'same origin (goes on to validation)',
      { origin: 'http://127.0.0.1:8787', host: '127.0.0.1:8787', 'sec-fetch-site': 'same-origin' },
      400,
      'INVALID_INPUT',
    ],
    ['localhost, no Origin (curl, the CLI)', { host: 'localhost:8787' }, 400, 'INVALID_INPUT'],
  ])('POST with %s', async (_label, headers, status, code) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/verify',
      headers: { ...JSON_HEADERS, ...headers },
      payload: body,
    });
    expectErrorBody(res, status, code);
  });

  it('a GET from a rebinding host name is refused too', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/config',
      headers: { host: 'attacker.example' },
    });
    expectErrorBody(res, 403, 'HOST_NOT_ALLOWED');
  });

  it('any host name when AWS_CONNECT_ALLOWED_HOSTS lists it', async () => {
    const { app: other } = await makeApp({ AWS_CONNECT_ALLOWED_HOSTS: 'scanner.internal' });
    const res = await other.inject({
      method: 'GET',
      url: '/api/health',
      headers: { host: 'scanner.internal:8787' },
    });
    expect(res.statusCode).toBe(200);
    await other.close();
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After and an error body past the threshold; health stays open', async () => {
    const { app } = await makeApp({ AWS_CONNECT_RATE_LIMIT_PER_MINUTE: '3' });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await app.inject({ method: 'GET', url: '/api/config' })).statusCode);
    expect(statuses).toEqual([200, 200, 200]);
    const limited = await app.inject({
      method: 'POST',
      url: '/api/verify',
      headers: JSON_HEADERS,
      payload: '{}',
    });
    const error = expectErrorBody(limited, 429, 'RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(error.message).toMatch(/3 a minute/);
    expect((await app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/' })).statusCode).toBe(200);
    await app.close();
  });
});

describe('the web app', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await makeApp());
  });
  afterAll(() => app.close());

  it.each(['/', '/connect/role', '/troubleshoot?x=1'])(
    '%s -> index.html, revalidated every time',
    async (url) => {
      const res = await app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain('<title>aws-connect</title>');
    },
  );

  it('hashed assets are cached for a year', async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-type']).toMatch(/javascript/);
  });

  it.each(['/assets/missing-000.js', '/favicon.ico'])(
    'a missing file is a JSON 404, not the page: %s',
    async (url) => {
      expectErrorBody(await app.inject({ method: 'GET', url }), 404, 'NOT_FOUND');
    },
  );

  it('without a build, pages say so and the API still answers', async () => {
    const { app: bare } = await makeApp({}, { webRoot: join(webRoot, 'no-such-build') });
    const page = await bare.inject({ method: 'GET', url: '/' });
    expect(expectErrorBody(page, 503, 'WEB_NOT_BUILT').message).toMatch(/npm run build/);
    expect((await bare.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    await bare.close();
  });
});

describe('the page: the config and the first step in the HTML', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await makeApp(
      // A product name that tries to close the data block and run a script.
      { AWS_CONNECT_PRODUCT_NAME: 'Acme</script><script>alert(1)</script>' },
      { renderFirstScreen },
    ));
  });
  afterAll(() => app.close());

  const embedded = (html: string) => {
    const match = new RegExp(
      `<script type="application/json" id="${EMBEDDED_CONFIG_ID}">(.*?)</script>`,
    ).exec(html);
    expect(match, 'the config data block').not.toBeNull();
    return configResponseSchema.parse(JSON.parse(match![1]!));
  };
  const root = (html: string) =>
    /<div id="root">(.*?)<\/div><script type="application\/json"/s.exec(html)?.[1];

  it.each(['/', '/?step=source'])(
    '%s carries the rendered first step and the same config as /api/config',
    async (url) => {
      const page = await app.inject({ method: 'GET', url });
      expect(page.statusCode).toBe(200);
      const config = (await app.inject({ method: 'GET', url: '/api/config' })).json();
      expect(embedded(page.body)).toEqual(config);
      const screen = root(page.body) ?? '';
      expect(screen).toContain('Credential source');
      expect(screen).toContain('AWS SDK Default');
      expect(screen).toContain('Access &amp; Secret Key');
    },
  );

  it.each(['/?step=trust', '/?step=result', '/connect/role'])(
    '%s carries the config and an empty root',
    async (url) => {
      const page = await app.inject({ method: 'GET', url });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<div id="root"></div>');
      expect(embedded(page.body).externalId).toBe(TEST_EXTERNAL_ID);
    },
  );

  it('carries its stylesheet inline, admitted by its hash and nothing broader', async () => {
    const page = await app.inject({ method: 'GET', url: '/?step=trust' });
    expect(page.body).toContain(`<style>${STYLESHEET}</style>`);
    expect(page.body).not.toContain('rel="stylesheet"');
    const hash = createHash('sha256').update(STYLESHEET).digest('base64');
    const styleSrc = String(page.headers['content-security-policy'])
      .split(';')
      .find((d) => d.trim().startsWith('style-src'));
    expect(styleSrc?.trim()).toBe(`style-src 'self' 'sha256-${hash}'`);
  });

  it('a later step runs one inline script, admitted by its hash; the drawn first step runs none', async () => {
    const inline = (html: string) => [...html.matchAll(/<script>(.*?)<\/script>/gs)].map((m) => m[1]!);
    const later = await app.inject({ method: 'GET', url: '/?step=result' });
    const scripts = inline(later.body);
    expect(scripts).toHaveLength(1);
    expect(scripts[0]).toContain('sessionStorage');
    const hash = createHash('sha256').update(scripts[0]!).digest('base64');
    const scriptSrc = String(later.headers['content-security-policy'])
      .split(';')
      .find((d) => d.trim().startsWith('script-src'));
    expect(scriptSrc?.trim()).toBe(`script-src 'self' 'sha256-${hash}'`);
    expect(inline((await app.inject({ method: 'GET', url: '/' })).body)).toEqual([]);
  });

  it('cannot be broken out of: "<" in the config is escaped in the data block', async () => {
    const page = await app.inject({ method: 'GET', url: '/' });
    expect(page.body).not.toContain('<script>alert(1)');
    expect(embedded(page.body).productName).toBe('Acme</script><script>alert(1)</script>');
  });

  it('a first screen that cannot be drawn does not stop the server: the page goes out without it', async () => {
    const { app: broken, lines } = await makeApp(
      {},
      {
        renderFirstScreen: () => {
          throw new Error('a component broke');
        },
      },
    );
    const page = await broken.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<div id="root"></div>');
    expect(embedded(page.body).externalId).toBe(TEST_EXTERNAL_ID);
    expect(lines.join('\n')).toContain('the first screen could not be drawn');
    await broken.close();
  });

  it('a coding refused with q=0 is not used', async () => {
    const res = await app.inject({ method: 'GET', url: '/', headers: { 'accept-encoding': 'br;q=0, gzip' } });
    expect(res.headers['content-encoding']).toBe('gzip');
  });

  it('is sent brotli or gzip encoded when accepted, the same page either way', async () => {
    const plain = await app.inject({ method: 'GET', url: '/' });
    const br = await app.inject({
      method: 'GET',
      url: '/',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    const gzip = await app.inject({ method: 'GET', url: '/', headers: { 'accept-encoding': 'gzip' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(br.headers['content-encoding']).toBe('br');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    for (const res of [plain, br, gzip]) expect(res.headers.vary).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(plain.body);
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
  });
});

describe('the sandbox routes, when the sandbox runs', () => {
  let app: FastifyInstance;
  let sandbox: SandboxHandle;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, externalId: TEST_EXTERNAL_ID });
    ({ app } = await makeApp({}, { sandbox: sandbox.world }));
  });
  afterAll(async () => {
    await app.close();
    await sandbox.close();
  });

  it('GET /api/sandbox/scenario lists the demo targets', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/sandbox/scenario' });
    expect(res.statusCode).toBe(200);
    const body = sandboxScenarioResponseSchema.parse(res.json());
    expect(body.scannerAccountId).toBe('111111111111');
    expect(body.targets.length).toBeGreaterThan(3);
    expect(res.body).not.toMatch(/secret/i);
  });

  it('GET /api/config says the sandbox is active', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/config' })).json()).toMatchObject({ sandbox: true });
  });

  it('POST /api/sandbox/stacks deploys the template, then redeploys it', async () => {
    const request = {
      accountId: '888888888888',
      parameters: {
        ExternalId: TEST_EXTERNAL_ID,
        AccountId: '111111111111',
        IAMPrincipal: 'user/prowler-app',
      },
    };
    const first = await app.inject({
      method: 'POST',
      url: '/api/sandbox/stacks',
      headers: JSON_HEADERS,
      payload: request,
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({
      roleArn: 'arn:aws:iam::888888888888:role/ProwlerScan',
      stackName: 'ProwlerScan',
      updated: false,
    });
    const again = await app.inject({
      method: 'POST',
      url: '/api/sandbox/stacks',
      headers: JSON_HEADERS,
      payload: request,
    });
    expect(again.json()).toMatchObject({ updated: true });
  });

  it('POST /api/sandbox/stacks with parameters the template refuses -> 400 naming the field', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/sandbox/stacks',
      headers: JSON_HEADERS,
      payload: {
        accountId: '888888888888',
        parameters: { ExternalId: 'x', AccountId: '1', IAMPrincipal: 'group/x' },
      },
    });
    const error = expectErrorBody(res, 400, 'INVALID_INPUT');
    expect(error.fields.length).toBeGreaterThan(0);
  });

  it('an unexpected failure is a 500 with an error body and no stack trace', async () => {
    const broken = {
      deployStack: () => {
        throw new Error('disk on fire at /secret/path.ts:12');
      },
      describeTargets: () => sandbox.world.describeTargets(),
    };
    const { app: other, lines } = await makeApp({}, { sandbox: broken });
    const res = await other.inject({
      method: 'POST',
      url: '/api/sandbox/stacks',
      headers: JSON_HEADERS,
      payload: {
        accountId: '888888888888',
        parameters: { ExternalId: 'abcdefgh', AccountId: '111111111111', IAMPrincipal: '*' },
      },
    });
    const error = expectErrorBody(res, 500, 'INTERNAL');
    expect(res.body).not.toContain('disk on fire');
    expect(lines.some((l) => l.includes('disk on fire') && l.includes(error.requestId ?? '-'))).toBe(true);
    await other.close();
  });
});
