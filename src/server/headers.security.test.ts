import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, errorBodySchema } from '../domain/api-contract.ts';
import { type LiveStack, okVerifyBody, startLiveStack } from '../testing/live-stack.ts';
import { rawRequest } from '../testing/raw-http.ts';
import { buildApp } from './app.ts';
import { captureLogs, forbiddenCredentials, TEST_EXTERNAL_ID, testConfig } from './test-support.ts';

// Issue 8, "Headers", on the real listening socket (app.test.ts checks the same through inject):
// a strict CSP without 'unsafe-inline' script, nosniff, frame-ancestors 'none', no CORS grant on
// any answer, and cross-origin state-changing requests refused before any AWS call.

let stack: LiveStack;
let webRoot: string;
const MANIFEST = 'assets/manifest-marker-7f3a.js';

beforeAll(async () => {
  // A stand-in for the vite build, so the page and asset answers are checked without building here.
  webRoot = mkdtempSync(join(tmpdir(), 'aws-connect-web-'));
  mkdirSync(join(webRoot, 'assets'));
  writeFileSync(
    join(webRoot, 'index.html'),
    '<!doctype html><title>t</title><script type="module" src="/assets/app.js"></script>',
  );
  writeFileSync(join(webRoot, 'assets', 'app.js'), 'console.log(1);');
  // What vite build writes beside the app: the server reads it, a browser has no use for it.
  mkdirSync(join(webRoot, '.vite'));
  writeFileSync(
    join(webRoot, '.vite', 'manifest.json'),
    JSON.stringify({ 'index.html': { file: MANIFEST } }),
  );
  stack = await startLiveStack({ webRoot });
});
afterAll(async () => {
  await stack?.close();
  rmSync(webRoot, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** Raw node:http, so Host, Origin and Sec-Fetch-* go out exactly as given (fetch would rewrite them). */
function send(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: new URL(stack.url).port,
        method,
        path,
        headers: {
          ...(body === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Raw bytes on a socket to `port` (the live stack's by default), for what no HTTP client sends: a
 * broken request line, an oversized header. `whileConnected` runs once connected, before the bytes.
 */
async function sendRaw(
  bytes: string,
  options: { port?: number; whileConnected?: () => unknown } = {},
): Promise<Answer> {
  const socket = connect(Number(options.port ?? new URL(stack.url).port), '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  const raw = await new Promise<string>((resolve) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => {
      text += c;
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(text));
    options.whileConnected?.();
    socket.write(bytes);
  });
  const [head = '', ...rest] = raw.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Answer['headers'] = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, text: rest.join('\r\n\r\n') };
}

/** The 503 of a server that is closing: a request on a connection opened before close() began. */
async function answerWhileClosing(): Promise<Answer> {
  const app = await buildApp(testConfig(), {
    externalId: TEST_EXTERNAL_ID,
    defaultCredentials: forbiddenCredentials(),
    logStream: captureLogs().stream,
    webRoot: '/nonexistent',
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  let closed: Promise<void> = Promise.resolve();
  try {
    return await sendRaw(`GET ${API.health} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`, {
      port,
      whileConnected: () => {
        closed = app.close();
      },
    });
  } finally {
    await closed;
  }
}

function directives(csp: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), values);
  }
  return out;
}

const EVIL = 'https://evil.example';
const verifyBody = () => JSON.stringify(okVerifyBody());

/** Every kind of answer the server gives: page, asset, API success, API errors of each kind. */
const ANSWERS: Array<[string, () => Promise<Answer>]> = [
  ['GET / (the page)', () => send('GET', '/')],
  ['GET /connect/role (a client route)', () => send('GET', '/connect/role')],
  ['GET /assets/app.js', () => send('GET', '/assets/app.js')],
  ['GET /api/health', () => send('GET', API.health)],
  ['GET /api/config', () => send('GET', API.config, { origin: EVIL })],
  ['POST /api/verify (200)', () => send('POST', API.verify, {}, verifyBody())],
  [
    'POST /api/identity (200)',
    () => send('POST', API.identity, {}, JSON.stringify({ source: { kind: 'sdk-default' } })),
  ],
  ['POST /api/verify (400)', () => send('POST', API.verify, {}, '{}')],
  ['POST /api/verify cross-origin (403)', () => send('POST', API.verify, { origin: EVIL }, verifyBody())],
  ['GET /api/nope (404)', () => send('GET', '/api/nope', { origin: EVIL })],
  // Fastify's own refusals: body parsing, routing, and the answers written outside its hooks.
  ['POST /api/verify malformed JSON (400)', () => send('POST', API.verify, {}, '{"source":')],
  ['POST /api/verify empty JSON body (400)', () => send('POST', API.verify, {}, '')],
  [
    'POST /api/verify text/plain (unsupported type, 400)',
    () => send('POST', API.verify, { 'content-type': 'text/plain' }, 'x'),
  ],
  [
    'POST /api/verify over the body limit (413)',
    () => send('POST', API.verify, {}, JSON.stringify({ pad: 'x'.repeat(64 * 1024) })),
  ],
  ['PUT /api/verify (no such method, 404)', () => send('PUT', API.verify, {}, verifyBody())],
  ['GET /nope.js (missing file, 404)', () => send('GET', '/nope.js')],
  ['GET /api/%ff (undecodable URL, 400)', () => send('GET', '/api/%ff')],
  ['GET /%ff (undecodable page URL, 400)', () => send('GET', '/%ff')],
  ['a request line that is not HTTP (400)', () => sendRaw('NOT HTTP\r\n\r\n')],
  [
    'a header over the size limit (431)',
    () => sendRaw(`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'x'.repeat(20_000)}\r\n\r\n`),
  ],
  ['a request while the server closes (503)', answerWhileClosing],
  [
    'OPTIONS /api/verify (preflight)',
    () =>
      send('OPTIONS', API.verify, {
        origin: EVIL,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      }),
  ],
];

describe('headers on every kind of answer', () => {
  it.each(ANSWERS)('%s', async (name, make) => {
    const res = await make();
    const status = /\((\d{3})\)$/.exec(name)?.[1];
    if (status) {
      // The status named is the one answered, with the API's error body: not some other path.
      expect(res.status, res.text.slice(0, 200)).toBe(Number(status));
      if (res.status >= 400) errorBodySchema.parse(JSON.parse(res.text));
    }
    const h = res.headers;
    const csp = String(h['content-security-policy'] ?? '');
    expect(csp, 'a Content-Security-Policy header').not.toBe('');
    const d = directives(csp);
    const scripts = d.get('script-src') ?? d.get('default-src') ?? [];
    expect(scripts.length, 'script-src or default-src').toBeGreaterThan(0);
    for (const banned of ["'unsafe-inline'", "'unsafe-eval'", '*', 'data:', 'http:', 'https:']) {
      expect(scripts, `script sources must not include ${banned}`).not.toContain(banned);
    }
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri') ?? ["'none'"]).not.toContain('*');
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(String(h['x-frame-options']).toUpperCase()).toBe('DENY');
    for (const cors of [
      'access-control-allow-origin',
      'access-control-allow-credentials',
      'access-control-allow-methods',
      'access-control-allow-headers',
    ]) {
      expect(h[cors], `${cors} must not be sent`).toBeUndefined();
    }
    expect(h['x-powered-by']).toBeUndefined();
    // API answers carry per-request data (a request id at least): no cache may keep them.
    if (name.includes('/api/') || res.headers['content-type']?.includes('json'))
      expect(h['cache-control'], 'cache-control').toBe('no-store');
  });

  it('the page itself answers 200 with the strict policy (not a fallback error)', async () => {
    const res = await send('GET', '/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<script type="module" src="/assets/app.js">');
  });
});

describe('nothing under /.vite/ is served', () => {
  const port = () => Number(new URL(stack.url).port);
  it.each([
    '/.vite/manifest.json',
    '/.vite/',
    '/.vite',
    '/assets/../.vite/manifest.json',
    '/./.vite/manifest.json',
    '/.vite/manifest.json?x=1',
    '/%2evite/manifest.json',
    '/%2Evite/manifest.json',
  ])('GET %s: a JSON error, not the manifest', async (target) => {
    const res = await rawRequest(port(), 'GET', target);
    expect(res.text).not.toContain(MANIFEST);
    expect([400, 403, 404], `${res.status} ${res.text.slice(0, 200)}`).toContain(res.status);
    errorBodySchema.parse(JSON.parse(res.text));
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

describe('cross-origin state-changing requests are refused before any AWS call', () => {
  const refusals: Array<[string, Record<string, string>]> = [
    ['Origin of another site', { origin: EVIL }],
    ['Origin "null" (sandboxed iframe, file:)', { origin: 'null' }],
    ['Origin of the same host on another port', { origin: 'http://127.0.0.1:1' }],
    ['Origin https of the same host', { origin: 'https://127.0.0.1' }],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site (a sibling subdomain)', { 'sec-fetch-site': 'same-site' }],
    ['a foreign Host (DNS rebinding)', { host: 'evil.example' }],
  ];
  for (const path of [API.verify, API.identity, API.sandboxStacks]) {
    it.each(refusals)(`POST ${path} with %s: 403 with an error body, no AWS call`, async (_name, headers) => {
      stack.aws!.reset();
      const body = path === API.identity ? JSON.stringify({ source: { kind: 'sdk-default' } }) : verifyBody();
      const res = await send('POST', path, headers, body);
      expect(res.status).toBe(403);
      const parsed = errorBodySchema.parse(JSON.parse(res.text));
      expect(['CROSS_ORIGIN_REFUSED', 'HOST_NOT_ALLOWED']).toContain(parsed.error.code);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(stack.aws!.count()).toBe(0);
    });
  }

  it('a request target in absolute form names its host too: a foreign one is refused', async () => {
    stack.aws!.reset();
    const port = Number(new URL(stack.url).port);
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1.evil.example:${port}`]) {
      const res = await rawRequest(port, 'POST', `http://${host}${API.verify}`, { body: verifyBody() });
      expect(res.status, res.text.slice(0, 200)).toBe(403);
      expect(errorBodySchema.parse(JSON.parse(res.text)).error.code).toBe('HOST_NOT_ALLOWED');
    }
    const own = await rawRequest(port, 'POST', `http://127.0.0.1:${port}${API.verify}`, {
      body: verifyBody(),
    });
    expect(own.status, own.text.slice(0, 200)).toBe(200);
    expect(stack.aws!.count()).toBe(6);
  });

  it('an HTML form POST (a CORS "simple request", no preflight) is refused and reaches no AWS', async () => {
    stack.aws!.reset();
    for (const type of [
      'application/x-www-form-urlencoded',
      'text/plain',
      'multipart/form-data; boundary=x',
    ]) {
      const res = await send('POST', API.verify, { 'content-type': type }, 'source=sdk-default');
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    expect(stack.aws!.count()).toBe(0);
  });

  it('the same POST from the server’s own origin (the wizard) is accepted', async () => {
    const variants: Array<Record<string, string>> = [
      { origin: stack.origin },
      { 'sec-fetch-site': 'same-origin', origin: stack.origin },
      {},
    ];
    for (const headers of variants) {
      const res = await send('POST', API.verify, headers, verifyBody());
      expect(res.status, res.text.slice(0, 200)).toBe(200);
    }
  });
});
