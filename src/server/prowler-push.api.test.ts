import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configResponseSchema } from '../domain/api-contract.ts';
import { verifyReportSchema } from '../domain/diagnosis-contract.ts';
import type { ProwlerPushResponse } from '../domain/prowler-api.ts';
import { prowlerPushEndpoint } from '../domain/prowler-push-request.ts';
import { ProwlerFake } from '../testing/prowler-fake.ts';
import { contractProblems, OpenApiContract } from '../testing/prowler-openapi.ts';
import { PROWLER_ERROR_TEXTS } from '../testing/prowler-texts.ts';
import { stsWorker } from '../testing/prowler-worker.ts';
import { ConfigError, loadConfig } from './config.ts';
import { startServer } from './main.ts';
import { ProwlerClient } from './prowler/client.ts';
import { type SandboxApp, sandboxApp, TEST_EXTERNAL_ID } from './test-support.ts';

// POST /api/prowler/push through the real server: our verification against the sandbox, the push
// against the fake Prowler App, both verdicts in one answer. And the key canary: the API key is in
// no log line, no response, no error text.

const KEY = 'pk_CanaryProwlerApiKey.0123456789abcdefKEYCANARY';
const ROLE = 'arn:aws:iam::222222222222:role/ProwlerScan';
const WORKER_DENIED =
  'AWSAssumeRoleError[1012]: AWS assume role error - An error occurred (AccessDenied) when calling the AssumeRole operation: User: arn:aws:iam::999999999999:user/prowler-worker is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/ProwlerScan';

let fake: ProwlerFake;
let server: SandboxApp;
const bodies: string[] = [];

async function post(path: string, body: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  bodies.push(text, JSON.stringify([...res.headers]));
  return { status: res.status, json: JSON.parse(text) as unknown };
}

async function verified() {
  const { json } = await post('/api/verify', {
    source: { kind: 'sdk-default' },
    roleArn: ROLE,
    externalId: TEST_EXTERNAL_ID,
  });
  return verifyReportSchema.parse(json);
}

function pushBody(report: Awaited<ReturnType<typeof verified>>) {
  return {
    roleArn: ROLE,
    externalId: TEST_EXTERNAL_ID,
    ours: {
      code: report.diagnosis.code,
      connected: report.connected,
      sourceKind: report.request.sourceKind,
      callerArn: report.caller?.arn,
      roleArn: report.request.roleArn,
      externalId: report.request.externalId,
    },
  };
}

beforeAll(async () => {
  fake = await new ProwlerFake({ apiKey: KEY, tenantId: TEST_EXTERNAL_ID }).start();
  server = await sandboxApp(
    { PROWLER_API_URL: fake.url, PROWLER_API_KEY: KEY },
    {
      deps: {
        prowler: {
          client: new ProwlerClient({ baseUrl: fake.url, apiKey: KEY, timeoutMs: 2_000, baseDelayMs: 0 }),
          poll: { baseDelayMs: 0 },
        },
      },
    },
  );
});

afterAll(async () => {
  await server.close();
  await fake.close();
  expect(contractProblems(new OpenApiContract(), fake.log)).toEqual([]);
  const everything = [...bodies, ...server.logs].join('\n');
  expect(everything).not.toContain(KEY);
  expect(everything).not.toContain(KEY.slice(3, 30));
});

describe('POST /api/prowler/push', () => {
  it('GET /api/config says only that the integration is on', async () => {
    const res = await fetch(`${server.url}/api/config`);
    const text = await res.text();
    bodies.push(text);
    expect(configResponseSchema.parse(JSON.parse(text))).toMatchObject({
      prowler: true,
      externalId: TEST_EXTERNAL_ID,
    });
    expect(text).not.toContain(fake.url.replace('/api/v1', ''));
  });

  it('both verdicts agree: our verify (the sandbox) and Prowler’s test (the fake) both connected', async () => {
    const report = await verified();
    expect(report.ok).toBe(true);
    const { status, json } = await post(prowlerPushEndpoint.path, pushBody(report));
    expect(status).toBe(200);
    const answer: ProwlerPushResponse = prowlerPushEndpoint.response.parse(json);
    expect(answer.push).toMatchObject({
      pushed: true,
      providerUid: '222222222222',
      prowler: { connected: true },
    });
    expect(answer.comparison?.agreement).toBe('agree');
    expect(answer.ours?.code).toBe('OK');
  });

  it('they disagree when Prowler’s worker is refused: the caller differs, and the answer says whose', async () => {
    fake.outcome = () => ({ connected: false, error: WORKER_DENIED });
    const report = await verified();
    const answer = prowlerPushEndpoint.response.parse(
      (await post(prowlerPushEndpoint.path, pushBody(report))).json,
    );
    if (!answer.push.pushed) throw new Error(answer.push.failure.message);
    expect(answer.push.prowler.diagnosis).toMatchObject({
      code: 'TRUST_PRINCIPAL_MISMATCH',
      confidence: 'suspected',
    });
    expect(answer.comparison?.agreement).toBe('disagree');
    expect(answer.comparison?.explanation[0]).toContain(
      `this server’s own default credentials as ${report.caller?.arn}`,
    );
    expect(answer.push.steps.map((s) => s.outcome)).toEqual(['found', 'updated', 'queued', 'completed']);
  });

  it.each(PROWLER_ERROR_TEXTS)('Prowler’s "$rule" text reaches the page as $code', async ({ text, code }) => {
    fake.outcome = () => ({ connected: false, error: text });
    const answer = prowlerPushEndpoint.response.parse(
      (await post(prowlerPushEndpoint.path, { roleArn: ROLE, externalId: TEST_EXTERNAL_ID })).json,
    );
    expect(answer.push.pushed && answer.push.prowler.diagnosis?.code).toBe(code);
    expect(answer.comparison?.agreement).toBe('none');
  });

  it('refuses an External ID other than the tenant’s before calling Prowler (400)', async () => {
    const before = fake.log.length;
    const { status, json } = await post(prowlerPushEndpoint.path, {
      roleArn: ROLE,
      externalId: 'someone-elses-external-id',
    });
    expect(status).toBe(400);
    expect(json).toMatchObject({
      error: { code: 'EXTERNAL_ID_NOT_ISSUED', fields: [{ path: 'externalId' }] },
    });
    expect(fake.log.length).toBe(before);
  });

  it('refuses invalid input with field errors (400), e.g. a short alias', async () => {
    const { status, json } = await post(prowlerPushEndpoint.path, {
      roleArn: 'nope',
      externalId: TEST_EXTERNAL_ID,
      alias: 'ab',
    });
    expect(status).toBe(400);
    expect(
      (json as { error: { fields: { path: string }[] } }).error.fields.map((f) => f.path).sort(),
    ).toEqual(['alias', 'roleArn']);
  });

  it('an integration failure is a 200 with the failure and the steps done; the key is not in it', async () => {
    fake.inject('POST /providers/{id}/connection', {
      status: 400,
      // A hostile or careless server that echoes the credentials it was sent.
      body: {
        errors: [
          {
            detail: `Bad header Api-Key ${KEY}`,
            status: '400',
            source: { pointer: '/data' },
            code: 'invalid',
          },
        ],
      },
    });
    const { status, json } = await post(prowlerPushEndpoint.path, {
      roleArn: ROLE,
      externalId: TEST_EXTERNAL_ID,
    });
    expect(status).toBe(200);
    const answer = prowlerPushEndpoint.response.parse(json);
    if (answer.push.pushed) throw new Error('pushed');
    expect(answer.push.failure).toMatchObject({ stage: 'connection', kind: 'validation', pointer: '/data' });
    expect(answer.push.failure.message).toContain('[API key]');
    expect(answer.push.steps.map((s) => s.stage)).toEqual(['provider', 'secret']);
  });
});

describe('Prowler’s worker against the sandbox’s real STS (its own identity, not ours)', () => {
  const worker = (accessKeyId: string, secretAccessKey: string, endpoint = server.sandbox.url) =>
    stsWorker({ endpoint, accessKeyId, secretAccessKey });
  const push = async (body: Record<string, unknown>) => {
    const answer = prowlerPushEndpoint.response.parse((await post(prowlerPushEndpoint.path, body)).json);
    if (!answer.push.pushed) throw new Error(answer.push.failure.message);
    return { ...answer, push: answer.push };
  };

  it('the worker holds the scanner’s own key: Prowler connects, both agree', async () => {
    fake.outcome = worker('AKIASANDBOXSCANNER01', 'sandboxOnlyScannerProwlerAppNotReal00001');
    const answer = await push(pushBody(await verified()));
    expect(answer.push.prowler).toEqual({ connected: true, error: null, diagnosis: null });
    expect(answer.comparison?.agreement).toBe('agree');
  });

  it('the worker’s identity may not call AssumeRole: AWS’s own words, CALLER_NOT_PERMITTED confirmed, they disagree', async () => {
    fake.outcome = worker('AKIASANDBOXNOPOLICY1', 'sandboxOnlyNoPolicyUserNotARealSecret002');
    const report = await verified();
    const answer = await push(pushBody(report));
    expect(answer.push.prowler.error).toMatch(
      /^AWSAssumeRoleError\[1012\]: .*An error occurred \(AccessDenied\) when calling the AssumeRole operation: User: arn:aws:iam::\d{12}:user\/\S+ is not authorized/,
    );
    expect(answer.push.prowler.diagnosis).toMatchObject({
      code: 'CALLER_NOT_PERMITTED',
      confidence: 'confirmed',
    });
    expect(answer.push.prowler.diagnosis?.fix).toMatch(
      /Allow sts:AssumeRole on the role in the identity policy of arn:aws:iam::\d{12}:user\//,
    );
    expect(answer.comparison).toMatchObject({ agreement: 'disagree' });
    expect(answer.comparison?.explanation[0]).toContain(report.caller!.arn);
  });

  it('the provider’s account is not the role’s: Prowler’s own check (1015) after a real AssumeRole', async () => {
    fake.outcome = worker('AKIASANDBOXSCANNER01', 'sandboxOnlyScannerProwlerAppNotReal00001');
    const answer = await push({ roleArn: ROLE, externalId: TEST_EXTERNAL_ID, accountId: '333333333333' });
    expect(answer.push.providerUid).toBe('333333333333');
    expect(answer.push.prowler.diagnosis).toMatchObject({
      code: 'ROLE_ACCOUNT_MISMATCH',
      rule: 'account-mismatch',
    });
  });

  it('the worker cannot reach STS: STS_UNREACHABLE, with the endpoint it tried', async () => {
    fake.outcome = worker('AKIASANDBOXSCANNER01', 'x', 'http://127.0.0.1:1');
    const answer = await push({ roleArn: ROLE, externalId: TEST_EXTERNAL_ID });
    expect(answer.push.prowler.diagnosis).toMatchObject({ code: 'STS_UNREACHABLE', rule: 'sts-unreachable' });
    expect(answer.push.prowler.diagnosis?.summary).toContain('http://127.0.0.1:1/');
  });
});

describe('the integration off, and the key in configuration errors', () => {
  it('POST /api/prowler/push answers 404 PROWLER_NOT_CONFIGURED, and /api/config says prowler: false', async () => {
    const off = await sandboxApp();
    try {
      const res = await fetch(`${off.url}${prowlerPushEndpoint.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ roleArn: ROLE, externalId: TEST_EXTERNAL_ID }),
      });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('PROWLER_NOT_CONFIGURED');
      const config = configResponseSchema.parse(await (await fetch(`${off.url}/api/config`)).json());
      expect(config.prowler).toBe(false);
    } finally {
      await off.close();
    }
  });

  it('an invalid key or a missing URL is refused by name, never quoting the key', () => {
    const bad = `${KEY} with spaces`;
    const run = (env: Record<string, string>) => {
      try {
        loadConfig({ AWS_CONNECT_DATA_DIR: '/nonexistent', ...env });
      } catch (e) {
        if (e instanceof ConfigError) return e.message;
        throw e;
      }
      return 'accepted';
    };
    const invalid = run({ PROWLER_API_URL: 'https://prowler.example.com/api/v1', PROWLER_API_KEY: bad });
    expect(invalid).toContain('PROWLER_API_KEY=(');
    expect(invalid).not.toContain(KEY.slice(3, 30));
    const alone = run({ PROWLER_API_KEY: KEY });
    expect(alone).toContain('PROWLER_API_URL is not set');
    expect(alone).not.toContain(KEY.slice(3, 30));
    expect(run({ PROWLER_API_URL: 'https://prowler.example.com/api', PROWLER_API_KEY: KEY })).toContain(
      'ending in /api/v1',
    );
  });
});

describe('startServer with the integration on', () => {
  it('takes the External ID from the Prowler tenant (GET /tenants) and prints no key', async () => {
    const tenantFake = await new ProwlerFake({ apiKey: KEY }).start();
    const dir = mkdtempSync(join(tmpdir(), 'aws-connect-prowler-'));
    const out: string[] = [];
    const running = await startServer(
      {
        PORT: '0',
        AWS_CONNECT_SANDBOX: 'off',
        AWS_CONNECT_DATA_DIR: dir,
        LOG_LEVEL: 'silent',
        PROWLER_API_URL: `${tenantFake.url}/`,
        PROWLER_API_KEY: KEY,
      },
      (line) => out.push(line),
    );
    try {
      const config = configResponseSchema.parse(await (await fetch(`${running.url}/api/config`)).json());
      expect(config).toMatchObject({ externalId: tenantFake.tenantId, prowler: true });
      expect(tenantFake.count('GET /tenants')).toBe(1);
      expect(out.join('\n')).toContain(`External ID: ${tenantFake.tenantId} (the Prowler tenant ID`);
      expect(out.join('\n')).not.toContain(KEY.slice(3, 30));
    } finally {
      await running.close();
      await tenantFake.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start when AWS_CONNECT_EXTERNAL_ID differs from the tenant ID', async () => {
    const tenantFake = await new ProwlerFake({ apiKey: KEY }).start();
    try {
      await expect(
        startServer(
          {
            PORT: '0',
            AWS_CONNECT_SANDBOX: 'off',
            AWS_CONNECT_DATA_DIR: '/nonexistent',
            AWS_CONNECT_EXTERNAL_ID: 'a-configured-external-id-0001',
            PROWLER_API_URL: tenantFake.url,
            PROWLER_API_KEY: KEY,
          },
          () => {},
        ),
      ).rejects.toThrow(/unset AWS_CONNECT_EXTERNAL_ID/);
    } finally {
      await tenantFake.close();
    }
  });
});
