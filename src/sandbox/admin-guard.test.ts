import { request as httpRequest } from 'node:http';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorBodySchema } from '../domain/api-contract.ts';
import { DEMO_SCENARIO } from './scenario.ts';
import { type SandboxHandle, startSandbox } from './server.ts';
import { sts } from './test-clients.ts';
import { EXTERNAL_ID, KEYS } from './test-scenario.ts';
import type { SandboxWorld } from './world.ts';

// Issue 11, "The sandbox admin API obeys any web page": every admin route refuses what a web page
// can send (a rebound Host, a foreign Origin, Sec-Fetch-Site cross-site or same-site, a text/plain
// or form body), and the world is unchanged after each refusal. The AWS endpoints, used by SDKs and
// the aws CLI with whatever Host they were pointed at, are not guarded.

let sb: SandboxHandle;
let port = 0;

beforeAll(async () => {
  sb = await startSandbox({ externalId: EXTERNAL_ID, allowedHosts: ['Sandbox.Test'] });
  port = sb.port;
});
afterAll(() => sb.close());

interface Answer {
  status: number;
  text: string;
}

/** One request with exactly these headers (node:http lets a test set Host). */
function send(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: {
          ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const JSON_TYPE = { 'content-type': 'application/json' };
const loopbackHost = () => ({ host: `127.0.0.1:${port}` });

/** Each route with a body that would change the world if it ran. */
const ROUTES: { method: string; path: string; body?: unknown }[] = [
  { method: 'GET', path: '/scenario' },
  { method: 'GET', path: '/targets' },
  { method: 'GET', path: '/faults' },
  { method: 'GET', path: '/requests' },
  { method: 'GET', path: '/health' },
  {
    method: 'PUT',
    path: '/scenario',
    body: { accounts: { '111111111111': DEMO_SCENARIO.accounts['111111111111'] } },
  },
  {
    method: 'POST',
    path: '/stacks',
    body: {
      accountId: '888888888888',
      roleName: 'Injected',
      parameters: { ExternalId: EXTERNAL_ID, AccountId: '111111111111', IAMPrincipal: '*' },
    },
  },
  { method: 'PUT', path: '/faults', body: { throttle: { rate: 1 } } },
  { method: 'POST', path: '/reset', body: {} },
];
const WRITES = ROUTES.filter((r) => r.method !== 'GET');

/** Everything a route can change or reveal, as one comparable value. */
function state(world: SandboxWorld): string {
  return JSON.stringify({
    scenario: world.currentScenario,
    targets: world.describeTargets(),
    faults: world.faults.snapshot(),
    requests: world.requestLog.snapshot(),
  });
}

/** A world that every write route would change: a run-time stack, a fault change, a logged request. */
async function prepare(): Promise<void> {
  sb.world.load(DEMO_SCENARIO);
  sb.world.deployStack({
    accountId: '888888888888',
    parameters: { ExternalId: EXTERNAL_ID, AccountId: '111111111111', IAMPrincipal: 'user/prowler-app' },
  });
  sb.world.setFaults({ propagationDelayMs: 7 });
  await sts(sb.url, KEYS.scanner).send(new GetCallerIdentityCommand({}));
}

const SECRET = KEYS.scanner.secretAccessKey;

type Attack = [label: string, headers: () => Record<string, string>, status: number, code: string];

const FOREIGN: Attack[] = [
  ['a rebound Host', () => ({ host: `attacker.example:${port}` }), 403, 'HOST_NOT_ALLOWED'],
  ['a rebound Host without a port', () => ({ host: 'attacker.example' }), 403, 'HOST_NOT_ALLOWED'],
  [
    'a Host that only starts like localhost',
    () => ({ host: `localhost.attacker.example:${port}` }),
    403,
    'HOST_NOT_ALLOWED',
  ],
  [
    'a foreign Origin',
    () => ({ ...loopbackHost(), origin: 'http://attacker.example' }),
    403,
    'CROSS_ORIGIN_REFUSED',
  ],
  [
    'the Origin of another loopback port',
    () => ({ ...loopbackHost(), origin: 'http://127.0.0.1:1' }),
    403,
    'CROSS_ORIGIN_REFUSED',
  ],
  [
    'Origin: null (a sandboxed frame)',
    () => ({ ...loopbackHost(), origin: 'null' }),
    403,
    'CROSS_ORIGIN_REFUSED',
  ],
  [
    'Sec-Fetch-Site: cross-site',
    () => ({ ...loopbackHost(), 'sec-fetch-site': 'cross-site' }),
    403,
    'CROSS_ORIGIN_REFUSED',
  ],
  [
    'Sec-Fetch-Site: same-site',
    () => ({ ...loopbackHost(), 'sec-fetch-site': 'same-site' }),
    403,
    'CROSS_ORIGIN_REFUSED',
  ],
];

const BODIES: [label: string, contentType: string | null][] = [
  ['a text/plain body', 'text/plain;charset=UTF-8'],
  ['a form body', 'application/x-www-form-urlencoded'],
  ['a multipart body', 'multipart/form-data; boundary=x'],
  ['no Content-Type', null],
];

describe('the sandbox admin API refuses what a web page can send, and changes nothing', () => {
  beforeEach(prepare);

  const foreignCases = ROUTES.flatMap((route) =>
    FOREIGN.map(([label, headers, status, code]) => ({ route, label, headers, status, code })),
  );
  it.each(foreignCases)('$route.method $route.path with $label: $status $code', async (c) => {
    const before = state(sb.world);
    const body = c.route.body === undefined ? undefined : JSON.stringify(c.route.body);
    const answer = await send(
      c.route.method,
      `/__sandbox${c.route.path}`,
      { ...JSON_TYPE, ...c.headers() },
      body,
    );
    expect(answer.status, answer.text).toBe(c.status);
    expect(errorBodySchema.parse(JSON.parse(answer.text)).error.code).toBe(c.code);
    expect(answer.text).not.toContain(SECRET);
    expect(state(sb.world)).toBe(before);
  });

  const bodyCases = WRITES.flatMap((route) =>
    BODIES.map(([label, contentType]) => ({ route, label, contentType })),
  );
  it.each(bodyCases)('$route.method $route.path with $label: 415', async (c) => {
    const before = state(sb.world);
    const answer = await send(
      c.route.method,
      `/__sandbox${c.route.path}`,
      { ...loopbackHost(), ...(c.contentType ? { 'content-type': c.contentType } : {}) },
      JSON.stringify(c.route.body),
    );
    expect(answer.status, answer.text).toBe(415);
    expect(errorBodySchema.parse(JSON.parse(answer.text)).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(state(sb.world)).toBe(before);
  });
});

describe('the requests the tools send still work', () => {
  beforeEach(prepare);

  const GOOD: [label: string, headers: () => Record<string, string>][] = [
    ['Host 127.0.0.1 and no Origin (curl, Node)', loopbackHost],
    ['Host localhost', () => ({ host: `localhost:${port}` })],
    ['Host [::1]', () => ({ host: `[::1]:${port}` })],
    ['an allowed extra host name, in any case', () => ({ host: `SANDBOX.test:${port}` })],
    [
      'a page of the sandbox itself (same-origin)',
      () => ({ ...loopbackHost(), origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'same-origin' }),
    ],
    ['a typed address (Sec-Fetch-Site: none)', () => ({ ...loopbackHost(), 'sec-fetch-site': 'none' })],
  ];
  const cases = ROUTES.flatMap((route) => GOOD.map(([label, headers]) => ({ route, label, headers })));
  it.each(cases)('$route.method $route.path with $label: 200', async (c) => {
    const body = c.route.body === undefined ? undefined : JSON.stringify(c.route.body);
    const answer = await send(
      c.route.method,
      `/__sandbox${c.route.path}`,
      { 'content-type': 'application/json; charset=utf-8', ...c.headers() },
      body,
    );
    expect(answer.status, answer.text).toBe(200);
  });

  it('each write did what it says (the refusals above were not a broken route)', async () => {
    const before = state(sb.world);
    for (const route of WRITES) {
      const answer = await send(
        route.method,
        `/__sandbox${route.path}`,
        { ...JSON_TYPE, ...loopbackHost() },
        JSON.stringify(route.body),
      );
      expect(answer.status, `${route.method} ${route.path}: ${answer.text}`).toBe(200);
    }
    expect(state(sb.world)).not.toBe(before);
    const deployed = await send('GET', '/__sandbox/targets', loopbackHost());
    expect(deployed.status).toBe(200);
  });

  it('an empty JSON write (POST /reset with no body) is accepted', async () => {
    const answer = await send('POST', '/__sandbox/reset', { ...loopbackHost(), ...JSON_TYPE });
    expect(answer.status, answer.text).toBe(200);
    expect(
      sb.world.describeTargets().targets.find((t) => t.accountId === '888888888888')?.roleArn,
    ).toBeNull();
  });

  it('the AWS endpoints answer form-encoded POSTs whatever the Host (SDKs and the aws CLI)', async () => {
    const answer = await send(
      'POST',
      '/',
      { host: 'sts.us-east-1.amazonaws.com', 'content-type': 'application/x-www-form-urlencoded' },
      'Action=GetCallerIdentity&Version=2011-06-15',
    );
    // Unsigned, so AWS's own refusal, in AWS's XML: the request reached STS, not the admin guard.
    expect(answer.status).toBe(403);
    expect(answer.text).toContain('<Code>MissingAuthenticationToken</Code>');
    const viaLocalhost = sts(`http://localhost:${port}`, KEYS.scanner);
    expect((await viaLocalhost.send(new GetCallerIdentityCommand({}))).Account).toBe('111111111111');
  });
});
