import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../cli/main.ts';
import { type VerifyReport, verifyReportSchema } from '../domain/diagnosis-contract.ts';
import { awsCliProfile, markdownReport, scannerCommand } from '../domain/exports.ts';
import { DEMO_SCENARIO } from '../sandbox/scenario.ts';
import { type SandboxApp, sandboxApp, TEST_EXTERNAL_ID } from './test-support.ts';

// Issue 5 / issue 8 "secret canary": recognisable secret values go through the API and the CLI,
// on success and on every kind of failure; every response, every log line, every export and every
// line the CLI prints is searched for them, and for the assumed-role credentials the verification
// obtained. Any hit fails.

const CANARY_SECRET = 'CanarySecretAccessKey0000000000000000001';
const CANARY_WRONG_SECRET = 'CanaryWrongSecretAccessKey00000000000002';
const CANARY_SESSION_SECRET = 'CanarySessionSecretAccessKey000000000003';
const CANARY_TOKEN = `CanarySessionToken${'0'.repeat(60)}4`;
const CANARY_BAD_TOKEN = `CanaryUnknownSessionToken${'0'.repeat(60)}5`;
const USER = { accessKeyId: 'AKIACANARYUSER000001', secretAccessKey: CANARY_SECRET };
const SESSION = {
  accessKeyId: 'ASIACANARYSESSION001',
  secretAccessKey: CANARY_SESSION_SECRET,
  sessionToken: CANARY_TOKEN,
};
const WRONG = { accessKeyId: 'AKIASANDBOXSCANNER01', secretAccessKey: CANARY_WRONG_SECRET };
const BAD_TOKEN = { ...SESSION, sessionToken: CANARY_BAD_TOKEN };
const roleArn = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;

function canaryScenario() {
  const s = structuredClone(DEMO_SCENARIO) as unknown as {
    accounts: Record<string, { users?: unknown[]; sessions?: unknown[]; stacks?: unknown[] }>;
  };
  const scanner = s.accounts['111111111111']!;
  scanner.users?.push({
    name: 'canary',
    path: '/',
    accessKeys: [{ id: USER.accessKeyId, secret: CANARY_SECRET }],
    policies: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }],
  });
  scanner.sessions?.push({
    role: 'prowler-worker',
    sessionName: 'canary',
    id: SESSION.accessKeyId,
    secret: CANARY_SESSION_SECRET,
    token: CANARY_TOKEN,
    expiration: '2099-01-01T00:00:00Z',
  });
  const stack = (name: string, iamPrincipal: string) => ({
    name,
    roleName: name,
    parameters: { ExternalId: '$SERVER_EXTERNAL_ID', AccountId: '111111111111', IAMPrincipal: iamPrincipal },
  });
  s.accounts['888888888888'] = {
    stacks: [stack('CanaryUserScan', 'user/canary'), stack('CanaryRoleScan', 'role/prowler-worker')],
  };
  return s;
}

let server: SandboxApp;
const secrets = new Set([
  CANARY_SECRET,
  CANARY_WRONG_SECRET,
  CANARY_SESSION_SECRET,
  CANARY_TOKEN,
  CANARY_BAD_TOKEN,
]);
const searched: { where: string; text: string }[] = [];

/** Remembers the assumed-role credentials the sandbox issued to the verifications so far. */
function collectIssuedSecrets() {
  for (const r of server.sandbox.world.requestLog.snapshot().recent) {
    const cred = r.accessKeyId ? server.sandbox.world.credential(r.accessKeyId) : undefined;
    if (cred?.kind === 'session') {
      secrets.add(cred.secretAccessKey);
      secrets.add(cred.session.sessionToken);
    }
  }
}

function record(where: string, text: string) {
  searched.push({ where, text });
}
function recordExports(where: string, report: VerifyReport) {
  record(`${where} awsCliProfile`, awsCliProfile(report));
  record(`${where} scannerCommand`, scannerCommand(report));
  record(`${where} markdownReport`, markdownReport(report));
}

beforeAll(async () => {
  server = await sandboxApp(
    { AWS_CONNECT_AWS_TIMEOUT_MS: '3000', LOG_LEVEL: 'trace' },
    { scenario: canaryScenario() },
  );
});
afterAll(() => server.close());

async function post(path: string, body: string) {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const text = await res.text();
  record(`${path} ${res.status} body`, text);
  record(`${path} headers`, JSON.stringify([...res.headers]));
  return { status: res.status, text };
}

const verifyBody = (source: object, role: string, extra: object = {}) =>
  JSON.stringify({
    source: { kind: 'access-keys', ...source },
    roleArn: role,
    externalId: TEST_EXTERNAL_ID,
    ...extra,
  });

const API_CASES: [string, string, object, string, object?][] = [
  ['user keys, success', 'OK', USER, roleArn('888888888888', 'CanaryUserScan')],
  [
    'user keys, trust failure',
    'TRUST_PRINCIPAL_MISMATCH',
    USER,
    roleArn('333333333333', 'ProwlerScan'),
    { iamPrincipal: 'role/prowler*' },
  ],
  ['wrong secret', 'SOURCE_SECRET_INVALID', WRONG, roleArn('222222222222', 'ProwlerScan')],
  ['session keys, success', 'OK', SESSION, roleArn('888888888888', 'CanaryRoleScan')],
  [
    'session keys, trust failure',
    'TRUST_ACCOUNT_MISMATCH',
    SESSION,
    roleArn('444444444444', 'ProwlerScan'),
    { trustedAccountId: '121212121212' },
  ],
  [
    'session keys with an unknown token',
    'SOURCE_KEY_INVALID',
    BAD_TOKEN,
    roleArn('222222222222', 'ProwlerScan'),
  ],
];

describe('canary secrets through the API', () => {
  it.each(API_CASES)('%s -> %s', async (label, code, source, role, extra) => {
    const res = await post('/api/verify', verifyBody(source, role, extra));
    expect(res.status, res.text).toBe(200);
    const report = verifyReportSchema.parse(JSON.parse(res.text));
    expect(report.diagnosis.code).toBe(code);
    recordExports(label, report);
    collectIssuedSecrets();
  });

  it.each([
    ['throttled', { throttle: { rate: 1 } }],
    ['reset', { reset: { rate: 1 } }],
    ['hanging', { hang: { rate: 1 } }],
    ['malformed', { malformed: { rate: 1 } }],
    ['HTTP 503', { serverError: { rate: 1, status: 503 } }],
  ] as const)('a %s sandbox', async (_label, faults) => {
    server.sandbox.world.setFaults(faults);
    try {
      for (const source of [USER, SESSION]) {
        const res = await post('/api/verify', verifyBody(source, roleArn('888888888888', 'CanaryUserScan')));
        expect(res.status).toBe(200);
        recordExports(`fault ${_label}`, verifyReportSchema.parse(JSON.parse(res.text)));
      }
    } finally {
      server.sandbox.world.setFaults({});
    }
  });

  it('POST /api/identity, success and failure', async () => {
    for (const source of [USER, SESSION, WRONG, BAD_TOKEN]) {
      const res = await post('/api/identity', JSON.stringify({ source: { kind: 'access-keys', ...source } }));
      expect(res.status).toBe(200);
    }
  });

  it('refused input that carries a secret is not echoed', async () => {
    expect((await post('/api/verify', verifyBody(USER, 'not-an-arn'))).status).toBe(400);
    expect(
      (await post('/api/verify', `{"source":{"kind":"access-keys","secretAccessKey":"${CANARY_SECRET}"`))
        .status,
    ).toBe(400);
    expect(
      (
        await post(
          '/api/verify',
          verifyBody({ ...USER, extra: CANARY_SECRET }, roleArn('888888888888', 'CanaryUserScan')),
        )
      ).status,
    ).toBe(400);
    expect(
      (
        await post(
          '/api/identity',
          JSON.stringify({
            source: { kind: 'access-keys', accessKeyId: CANARY_SECRET, secretAccessKey: CANARY_SECRET },
          }),
        )
      ).status,
    ).toBe(400);
  });
});

describe('canary secrets through the CLI', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'aws-connect-canary-'));
    writeFileSync(join(dir, 'empty'), '');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const env = (keys: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) => ({
    PATH: process.env.PATH ?? '',
    HOME: dir,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(dir, 'empty'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'empty'),
    AWS_ENDPOINT_URL: server.sandbox.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: keys.accessKeyId,
    AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
    ...(keys.sessionToken ? { AWS_SESSION_TOKEN: keys.sessionToken } : {}),
  });
  const args = (role: string, json: boolean) => [
    'verify',
    '--role-arn',
    role,
    '--external-id',
    TEST_EXTERNAL_ID,
    ...(json ? ['--json'] : []),
  ];

  it.each(API_CASES.filter(([, , , , extra]) => !extra))(
    'main(): %s, readable and --json',
    async (label, _code, keys, role) => {
      for (const json of [false, true]) {
        const saved = process.env;
        process.env = env(keys as never);
        let out = '';
        const w1 = vi.spyOn(process.stdout, 'write').mockImplementation((c) => {
          out += String(c);
          return true;
        });
        const w2 = vi.spyOn(process.stderr, 'write').mockImplementation((c) => {
          out += String(c);
          return true;
        });
        try {
          await main(args(role, json));
        } finally {
          w1.mockRestore();
          w2.mockRestore();
          process.env = saved;
        }
        record(`cli ${label} json=${json}`, out);
        if (json) recordExports(`cli ${label}`, verifyReportSchema.parse(JSON.parse(out)));
        collectIssuedSecrets();
      }
    },
  );

  it('the spawned binary with a session token in the environment', async () => {
    const result = await promisify(execFile)(
      process.execPath,
      [
        join(import.meta.dirname, '..', '..', 'bin', 'aws-connect.js'),
        ...args(roleArn('888888888888', 'CanaryRoleScan'), false),
      ],
      {
        env: env(SESSION),
        timeout: 80_000,
      },
    );
    expect(result.stdout).toContain('Connected:');
    record('spawned stdout', result.stdout);
    record('spawned stderr', result.stderr);
    collectIssuedSecrets();
  }, 90_000);
});

describe('the search', () => {
  it('found no secret in any response, log line, export or CLI output', () => {
    record('server log', server.logs.join('\n'));
    expect(server.logs.length).toBeGreaterThan(50);
    expect(secrets.size).toBeGreaterThan(5); // the canaries and the issued session credentials
    const hits: string[] = [];
    for (const { where, text } of searched) {
      for (const secret of secrets) if (text.includes(secret)) hits.push(`${where}: ${secret.slice(0, 12)}…`);
    }
    expect(hits).toEqual([]);
    expect(searched.length).toBeGreaterThan(80);
  });

  it('the log has a request id on every request line and never a request body', () => {
    const requestLines = server.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.req);
    expect(requestLines.length).toBeGreaterThan(10);
    for (const line of requestLines) expect(typeof line.reqId).toBe('string');
    expect(server.logs.join('\n')).not.toContain('"body"');
  });
});
