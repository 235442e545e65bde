import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema } from '../domain/api-contract.ts';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { allowedHostNames, canonicalHost, type MachineNames, thisMachine } from './host-guard.ts';
import { captureLogs, forbiddenCredentials, TEST_EXTERNAL_ID, testConfig } from './test-support.ts';

// Issue 11, item 4: the Host guard (DNS rebinding) used to accept every Host when the server was
// bound to anything but the four loopback spellings it knew (0.0.0.0, 127.0.0.2, ::ffff:127.0.0.1),
// and AWS_CONNECT_ALLOWED_HOSTS replaced the loopback names instead of adding to them.

const MACHINE: MachineNames = {
  hostname: 'Scanner-Box',
  interfaces: {
    lo: [
      { address: '127.0.0.1', family: 'IPv4', internal: true } as never,
      { address: '::1', family: 'IPv6', internal: true } as never,
    ],
    eth0: [
      { address: '192.0.2.10', family: 'IPv4', internal: false } as never,
      { address: '2001:db8::10', family: 'IPv6', internal: false } as never,
      { address: 'fe80::1', family: 'IPv6', internal: false, scopeid: 2 } as never,
    ],
  },
};
const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];
const MACHINE_NAMES = ['scanner-box', '192.0.2.10', '[2001:db8::10]', '[fe80::1]'];

describe('allowedHostNames: the names for each bind address', () => {
  it.each<[string, string[], string[]]>([
    ['127.0.0.1', [], LOOPBACK],
    ['localhost', [], LOOPBACK],
    ['::1', [], LOOPBACK],
    ['[::1]', [], LOOPBACK],
    ['127.0.0.2', [], [...LOOPBACK, '127.0.0.2']],
    ['::ffff:127.0.0.1', [], [...LOOPBACK, '[::ffff:7f00:1]']],
    ['0.0.0.0', [], [...LOOPBACK, ...MACHINE_NAMES]],
    ['::', [], [...LOOPBACK, ...MACHINE_NAMES]],
    ['192.0.2.10', [], [...LOOPBACK, ...MACHINE_NAMES]],
    ['scanner-box', [], [...LOOPBACK, ...MACHINE_NAMES]],
    [
      '127.0.0.1',
      ['scanner.internal', 'Other.Example:8443'],
      [...LOOPBACK, 'scanner.internal', 'other.example'],
    ],
    ['0.0.0.0', ['scanner.internal'], [...LOOPBACK, ...MACHINE_NAMES, 'scanner.internal']],
  ])('bound to %s with %j configured', (bind, configured, expected) => {
    const names = allowedHostNames(bind, configured, MACHINE);
    expect(new Set(names)).toEqual(new Set(expected));
    for (const name of LOOPBACK) expect(names).toContain(name);
  });

  it('reads the real machine when bound wide', () => {
    const names = allowedHostNames('0.0.0.0', []);
    expect(names).toContain(canonicalHost(hostname()));
    for (const list of Object.values(thisMachine().interfaces))
      for (const info of list ?? []) expect(names).toContain(canonicalHost(info.address));
  });
});

describe('canonicalHost', () => {
  it.each([
    ['127.0.0.1:8787', '127.0.0.1'],
    ['LOCALHOST', 'localhost'],
    ['[::1]:8787', '[::1]'],
    ['::1', '[::1]'],
    ['[0:0:0:0:0:0:0:1]', '[::1]'],
    ['[::FFFF:127.0.0.1]:80', '[::ffff:7f00:1]'],
    ['evil.example', 'evil.example'],
  ])('%s -> %s', (value, expected) => expect(canonicalHost(value)).toBe(expected));

  it.each([
    '',
    ' ',
    '*',
    'evil.example@127.0.0.1',
    '127.0.0.1/x',
    '127.0.0.1?x',
    '127.0.0.1#x',
    'local host',
    '127.0.0.1:99999',
    '[::1',
    'loc\u00aalhost',
  ])('%j is not a host', (value) => expect(canonicalHost(value)).toBeNull());
});

/** The real guard, in the real app: which Host headers a server bound to `bind` answers. */
describe.each<[string, Record<string, string>]>([
  ['127.0.0.1', {}],
  ['127.0.0.2', {}],
  ['::ffff:127.0.0.1', {}],
  ['0.0.0.0', {}],
  ['::', {}],
  ['127.0.0.1', { AWS_CONNECT_ALLOWED_HOSTS: 'scanner.internal' }],
  ['0.0.0.0', { AWS_CONNECT_ALLOWED_HOSTS: 'scanner.internal, other.example' }],
])('HOST=%s %j', (bind, env) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp(testConfig({ HOST: bind, ...env }), {
      externalId: TEST_EXTERNAL_ID,
      defaultCredentials: forbiddenCredentials(),
      logStream: captureLogs().stream,
      webRoot: '/nonexistent',
    });
  });
  afterAll(() => app.close());

  const status = async (host: string) =>
    (await app.inject({ method: 'GET', url: '/api/config', headers: { host } })).statusCode;

  const wide = bind === '0.0.0.0' || bind === '::';
  const configured = (env.AWS_CONNECT_ALLOWED_HOSTS ?? '').split(',').map((h) => h.trim());
  const accepted = [
    '127.0.0.1',
    '127.0.0.1:8787',
    'localhost',
    'localhost:8787',
    'LocalHost:8787',
    '[::1]',
    '[::1]:8787',
    '::1',
    ...(bind === '127.0.0.2' ? ['127.0.0.2:8787'] : []),
    ...(bind === '::ffff:127.0.0.1' ? ['[::ffff:127.0.0.1]:8787'] : []),
    ...configured.filter(Boolean).flatMap((h) => [h, `${h}:8787`]),
  ];
  const refused = [
    'evil.example',
    'evil.example:8787',
    'localhost.evil.example',
    '127.0.0.1.nip.io',
    'evil.example@127.0.0.1',
    'localhost.',
    '*',
    'scanner-box',
    ...(wide ? [] : [hostname()]),
    ...(configured.includes('scanner.internal') ? [] : ['scanner.internal']),
  ];

  it.each(accepted)('answers Host %j', async (host) => {
    expect(await status(host)).toBe(200);
  });

  it.each(refused)('refuses Host %j with 403 HOST_NOT_ALLOWED', async (host) => {
    const res = await app.inject({ method: 'GET', url: '/api/config', headers: { host } });
    expect(res.statusCode, res.body).toBe(403);
    expect(errorBodySchema.parse(res.json()).error.code).toBe('HOST_NOT_ALLOWED');
  });

  if (wide) {
    it("answers the machine's own name and addresses", async () => {
      expect(await status(`${hostname()}:8787`)).toBe(200);
      for (const list of Object.values(thisMachine().interfaces))
        for (const info of list ?? []) {
          const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
          expect(await status(`${host}:8787`), host).toBe(200);
        }
    });
  }
});

describe('AWS_CONNECT_ALLOWED_HOSTS', () => {
  it('adds to the loopback names', () => {
    expect(loadConfig({ AWS_CONNECT_ALLOWED_HOSTS: 'scanner.internal' }).allowedHosts).toEqual(
      expect.arrayContaining([...LOOPBACK, 'scanner.internal']),
    );
  });

  it.each(['*', 'scanner.internal,*.example', 'https://scanner.internal', 'a b'])(
    '%j stops the start with a message naming it (there is no wildcard)',
    (value) => {
      expect(() => loadConfig({ AWS_CONNECT_ALLOWED_HOSTS: value })).toThrow(ConfigError);
      expect(() => loadConfig({ AWS_CONNECT_ALLOWED_HOSTS: value })).toThrow(/AWS_CONNECT_ALLOWED_HOSTS=/);
    },
  );
});
