import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  identityResponseSchema,
  type VerifyReport,
  verifyReportSchema,
} from '../domain/diagnosis-contract.ts';
import { awsCliProfile } from '../domain/exports.ts';
import { factValues } from '../testing/facts.ts';
import { requireTool } from '../testing/tools.ts';
import {
  callsBetween,
  FULL_CALLS,
  type Keys,
  role,
  SANDBOX_CASES,
  type SandboxCase,
  workerSessionKeys,
} from './sandbox-cases.ts';
import { type SandboxApp, sandboxApp, TEST_EXTERNAL_ID } from './test-support.ts';

// Every diagnosis the sandbox can produce, through the real server over real HTTP (fetch -> Fastify
// -> AWS SDK -> sandbox), with the number of AWS calls each verification made counted at the sandbox.

const TIMEOUT_MS = 1500;
let server: SandboxApp;
/** Only the never-answering endpoint needs a short deadline; a loaded machine must not time out the rest. */
let fastTimeout: SandboxApp;
let noCredentials: SandboxApp;
let worker: Keys;

beforeAll(async () => {
  server = await sandboxApp({ AWS_CONNECT_AWS_TIMEOUT_MS: '10000' });
  fastTimeout = await sandboxApp({ AWS_CONNECT_AWS_TIMEOUT_MS: String(TIMEOUT_MS) });
  noCredentials = await sandboxApp({}, { caller: 'none' });
  worker = await workerSessionKeys(server.sandbox);
});
afterAll(async () => {
  await server.close();
  await fastTimeout.close();
  await noCredentials.close();
});

function body(c: SandboxCase) {
  const keys = c.source === 'worker-session' ? worker : c.source === 'none' ? undefined : c.source;
  return {
    source: keys ? { kind: 'access-keys', ...keys } : { kind: 'sdk-default' },
    roleArn: c.roleArn,
    externalId: c.externalId ?? TEST_EXTERNAL_ID,
    ...(c.trustedAccountId ? { trustedAccountId: c.trustedAccountId } : {}),
    ...(c.iamPrincipal ? { iamPrincipal: c.iamPrincipal } : {}),
    ...(c.accountId ? { accountId: c.accountId } : {}),
    ...(c.durationSeconds ? { durationSeconds: c.durationSeconds } : {}),
    ...(c.region ? { region: c.region } : {}),
  };
}

async function post(base: string, path: string, payload: unknown) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  return { status: res.status, json: (await res.json()) as unknown };
}

describe('POST /api/verify against the sandbox: every diagnosis it can produce', () => {
  it.each(SANDBOX_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const target = c.source === 'none' ? noCredentials : c.faults?.hang ? fastTimeout : server;
    const world = target.sandbox.world;
    world.setFaults({ ...c.faults });
    const before = world.requestLog.snapshot().byAction;
    try {
      const res = await post(target.url, '/api/verify', body(c));
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      const report = verifyReportSchema.parse(res.json);
      expect(report.diagnosis.code, JSON.stringify(report.diagnosis)).toBe(c.code);
      expect(report.ok).toBe(c.code === 'OK');
      expect(report.connected).toBe(c.connected ?? false);
      expect(factValues(report.diagnosis.facts)).toMatchObject(c.evidence ?? {});
      expect(report.diagnosis.confidence).toBe(c.suspected ? 'suspected' : 'confirmed');
      if (c.suspected) {
        expect(report.diagnosis.candidates[0]?.code).toBe(c.code);
        expect(report.guidance.title).toBe('AWS refused and does not say why');
      }
      // The rendered guidance travels with the report, each command saying where it runs.
      for (const step of report.guidance.steps) if (step.command) expect(step.runIn).toBeDefined();
      expect(report.checks.map((k) => k.id)).toEqual([
        'source-identity',
        'assume-role',
        'external-id-enforced',
        'permission-audit',
      ]);
      if (c.code !== 'OK' && !report.connected)
        expect(report.checks.some((k) => k.status === 'fail')).toBe(true);
      if (c.calls) expect(callsBetween(before, world.requestLog.snapshot().byAction)).toEqual(c.calls);
      // A hang fault never answers: a report at all (STS_TIMEOUT, above) shows the deadline held.
    } finally {
      world.setFaults({});
    }
  });
});

describe('a successful report', () => {
  let report: VerifyReport;
  beforeAll(async () => {
    const res = await post(server.url, '/api/verify', {
      source: { kind: 'sdk-default' },
      roleArn: role('222222222222'),
      externalId: TEST_EXTERNAL_ID,
      trustedAccountId: '111111111111',
      iamPrincipal: 'user/prowler-app',
      sessionName: 'wizard-check',
      durationSeconds: 900,
    });
    report = verifyReportSchema.parse(res.json);
  });

  it('names who assumed what, until when, and the audit', () => {
    expect(report.caller).toMatchObject({
      arn: 'arn:aws:iam::111111111111:user/prowler-app',
      account: '111111111111',
      principalArn: 'arn:aws:iam::111111111111:user/prowler-app',
      pathUnknown: false,
    });
    expect(report.caller?.userId).toMatch(/^AIDA/);
    expect(report.assumed?.arn).toBe('arn:aws:sts::222222222222:assumed-role/ProwlerScan/wizard-check');
    const minutes = (Date.parse(report.assumed?.expiration ?? '') - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(13);
    expect(minutes).toBeLessThanOrEqual(15);
    expect(report.assumed?.accessKeyId).toMatch(/^ASIA…\w{4}$/);
    expect(report.audit).toEqual({
      managedPolicies: [
        { name: 'SecurityAudit', arn: 'arn:aws:iam::aws:policy/SecurityAudit', present: true },
        {
          name: 'job-function/ViewOnlyAccess',
          arn: 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
          present: true,
        },
      ],
      additionsPolicy: { name: 'ProwlerScanAdditions', present: true },
      maxSessionDuration: 3600,
    });
    expect(report.checks.every((c) => c.status === 'pass')).toBe(true);
  });

  it('draws the trust chain: the template policy admits the caller', () => {
    expect(report.trust?.evaluation.decision).toBe('allow');
    expect(JSON.stringify(report.trust?.policy)).toContain('arn:aws:iam::111111111111:user/prowler-app');
  });

  it('times each of its six AWS calls', () => {
    expect(report.timings.map((t) => t.call).sort()).toEqual(
      [
        'iam:GetRole',
        'iam:GetRolePolicy',
        'iam:ListAttachedRolePolicies',
        'sts:AssumeRole',
        'sts:AssumeRole (without External ID)',
        'sts:GetCallerIdentity',
      ].sort(),
    );
    expect(Object.values(FULL_CALLS).reduce((a, b) => a + b)).toBe(6);
  });

  it('its AWS CLI profile assumes the role for real with the aws CLI', async () => {
    if (!requireTool('aws')) return;
    const dir = mkdtempSync(join(tmpdir(), 'aws-connect-profile-'));
    try {
      writeFileSync(join(dir, 'config'), awsCliProfile(report));
      writeFileSync(join(dir, 'credentials'), '');
      const keys = server.sandbox.world.serverCredentials('scanner');
      // Asynchronously: the sandbox answering it runs in this very process.
      const run = await promisify(execFile)(
        'aws',
        ['sts', 'get-caller-identity', '--profile', 'prowler-scan', '--output', 'json'],
        {
          encoding: 'utf8',
          timeout: 30_000,
          env: {
            PATH: process.env.PATH,
            HOME: dir,
            AWS_CONFIG_FILE: join(dir, 'config'),
            AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
            AWS_EC2_METADATA_DISABLED: 'true',
            AWS_ENDPOINT_URL: server.sandbox.url,
            AWS_ACCESS_KEY_ID: keys?.accessKeyId,
            AWS_SECRET_ACCESS_KEY: keys?.secretAccessKey,
          },
        },
      );
      expect(JSON.parse(run.stdout).Arn).toBe(
        'arn:aws:sts::222222222222:assumed-role/ProwlerScan/wizard-check',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a stack deployed through the API, then verified', () => {
  it('goes from AccessDenied (nothing deployed) to OK after POST /api/sandbox/stacks', async () => {
    const request = {
      source: { kind: 'sdk-default' },
      roleArn: role('888888888888'),
      externalId: TEST_EXTERNAL_ID,
      ...{ trustedAccountId: '111111111111', iamPrincipal: 'user/prowler-app' },
    };
    const before = verifyReportSchema.parse((await post(server.url, '/api/verify', request)).json);
    expect(before.diagnosis.code).toBe('EXTERNAL_ID_MISMATCH');
    const deployed = await post(server.url, '/api/sandbox/stacks', {
      accountId: '888888888888',
      parameters: {
        ExternalId: TEST_EXTERNAL_ID,
        AccountId: '111111111111',
        IAMPrincipal: 'user/prowler-app',
      },
    });
    expect(deployed.status).toBe(200);
    const after = verifyReportSchema.parse((await post(server.url, '/api/verify', request)).json);
    expect(after.diagnosis.code).toBe('OK');
  });
});

describe('POST /api/identity', () => {
  it.each([
    ['the scanner user', server, undefined, 'arn:aws:iam::111111111111:user/prowler-app', 'user/prowler-app'],
  ] as const)('resolves %s and suggests the trust settings', async () => {
    const res = await post(server.url, '/api/identity', { source: { kind: 'sdk-default' } });
    expect(res.status).toBe(200);
    const id = identityResponseSchema.parse(res.json);
    expect(id).toMatchObject({
      ok: true,
      identity: {
        arn: 'arn:aws:iam::111111111111:user/prowler-app',
        account: '111111111111',
        pathUnknown: false,
      },
      suggestion: { trustedAccountId: '111111111111', iamPrincipal: 'user/prowler-app' },
    });
  });

  it('a role session: role/<name>, with the path caveat', async () => {
    const res = await post(server.url, '/api/identity', { source: { kind: 'access-keys', ...worker } });
    const id = identityResponseSchema.parse(res.json);
    expect(id).toMatchObject({
      ok: true,
      identity: { principalArn: 'arn:aws:iam::111111111111:role/prowler-worker', pathUnknown: true },
      suggestion: { iamPrincipal: 'role/prowler*' },
    });
    if (id.ok) expect(id.suggestion.notes.join(' ')).toMatch(/path/i);
  });

  it.each([
    ['no credentials', () => noCredentials.url, { kind: 'sdk-default' }, 'SOURCE_NO_CREDENTIALS'],
    [
      'an unknown key',
      () => server.url,
      {
        kind: 'access-keys',
        accessKeyId: 'AKIASANDBOXNOTAKEY00',
        secretAccessKey: 'c2FuZGJveC1rZXktdGhhdC1kb2VzLW5vdC1leGlzdA',
      },
      'SOURCE_KEY_INVALID',
    ],
    [
      'a wrong secret',
      () => server.url,
      {
        kind: 'access-keys',
        accessKeyId: 'AKIASANDBOXSCANNER01',
        secretAccessKey: 'wrongwrongwrongwrongwrongwrongwrongwrong',
      },
      'SOURCE_SECRET_INVALID',
    ],
  ] as const)('%s -> %s', async (_label, base, source, code) => {
    const res = await post(base(), '/api/identity', { source });
    expect(res.status).toBe(200);
    const id = identityResponseSchema.parse(res.json);
    expect(id.ok).toBe(false);
    if (!id.ok) expect(id.diagnosis.code).toBe(code);
  });
});

describe('confused-deputy guard, end to end', () => {
  it('sdk-default with a foreign External ID never reaches the sandbox', async () => {
    const before = server.sandbox.world.requestLog.total;
    const res = await post(server.url, '/api/verify', {
      source: { kind: 'sdk-default' },
      roleArn: role('555555555555'),
      externalId: 'an-older-external-id-0001',
    });
    expect(res.status).toBe(400);
    expect(server.sandbox.world.requestLog.total).toBe(before);
  });

  it('access keys may use any valid External ID (the caller acts as itself)', async () => {
    const res = await post(server.url, '/api/verify', {
      source: {
        kind: 'access-keys',
        accessKeyId: 'AKIASANDBOXSCANNER01',
        secretAccessKey: 'sandboxOnlyScannerProwlerAppNotReal00001',
      },
      roleArn: role('555555555555'),
      externalId: 'an-older-external-id-0001',
    });
    expect(res.status).toBe(200);
    expect(verifyReportSchema.parse(res.json).diagnosis.code).toBe('OK');
  });
});
