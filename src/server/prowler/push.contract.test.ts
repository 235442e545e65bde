import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PushResult } from '../../domain/prowler-api.ts';
import type { ProwlerPushInput } from '../../domain/prowler-push-request.ts';
import { type Fault, ProwlerFake } from '../../testing/prowler-fake.ts';
import { contractProblems, OpenApiContract } from '../../testing/prowler-openapi.ts';
import { PROWLER_ERROR_TEXTS } from '../../testing/prowler-texts.ts';
import { JSON_API, ProwlerClient, type ProwlerClientOptions } from './client.ts';
import { pushToProwler } from './push.ts';
import {
  providerDocumentSchema,
  providerListSchema,
  secretDocumentSchema,
  taskDocumentSchema,
  tenantListSchema,
} from './resources.ts';
import { prowlerTenantId } from './tenant.ts';

// The push against a fake Prowler App on a real port (src/testing/prowler-fake.ts). After every
// test, each request our client sent is held to the OpenAPI document's request schema for its
// operation, and each answer the fake gave to its response schema. No timings: attempt counts.

const KEY = 'pk_CanaryProwlerKey.0123456789abcdefCANARY';
const contract = new OpenApiContract();
let fake: ProwlerFake;
/** Exchanges our client did not send (raw probes of the fake), left out of the request check. */
let foreign = 0;

const INPUT: ProwlerPushInput = {
  roleArn: 'arn:aws:iam::222222222222:role/ProwlerScan',
  externalId: 'tenant-external-id-0123456789',
  alias: 'Production',
  sessionName: 'aws-connect-push',
  durationSeconds: 3600,
};

function client(over: Partial<ProwlerClientOptions> = {}) {
  return new ProwlerClient({ baseUrl: fake.url, apiKey: KEY, timeoutMs: 2_000, baseDelayMs: 0, ...over });
}

async function push(input: ProwlerPushInput = INPUT, c = client(), maxAttempts = 30): Promise<PushResult> {
  const result = await pushToProwler(input, { client: c, poll: { baseDelayMs: 0, maxAttempts } });
  expect(JSON.stringify(result)).not.toContain(KEY);
  return result;
}

function pushed(result: PushResult) {
  if (!result.pushed) throw new Error(`the push failed: ${result.failure.message}`);
  return result;
}

function failed(result: PushResult) {
  if (result.pushed) throw new Error('the push succeeded');
  return result;
}

beforeEach(async () => {
  fake = await new ProwlerFake({ apiKey: KEY }).start();
  foreign = 0;
});

afterEach(async () => {
  await fake.close();
  // Raw probes of the fake (the first `foreign` exchanges) are not our client's requests.
  const ours = fake.log.slice(foreign);
  const problems = [
    ...contractProblems(contract, ours),
    ...fake.log
      .slice(0, foreign)
      .flatMap((e) =>
        e.status === 0
          ? []
          : contract.checkResponse({ ...e, contentType: e.responseContentType, body: e.responseBody }),
      ),
  ];
  expect(problems).toEqual([]);
});

describe('push to Prowler App', () => {
  it('201: creates the provider and its role secret, then follows the connection test to connected', async () => {
    const result = pushed(await push());
    expect(result.steps.map((s) => `${s.stage} ${s.outcome}`)).toEqual([
      'provider created',
      'secret created',
      'connection queued',
      'task completed',
    ]);
    expect(result.prowler).toEqual({ connected: true, error: null, diagnosis: null });
    const [provider] = fake.providers.values();
    expect(provider).toMatchObject({ uid: '222222222222', alias: 'Production', id: result.providerId });
    expect(fake.secrets.get(result.secretId!)).toMatchObject({
      secret_type: 'role',
      secret: {
        role_arn: INPUT.roleArn,
        external_id: INPUT.externalId,
        role_session_name: 'aws-connect-push',
        session_duration: 3600,
      },
    });
    for (const e of fake.log) {
      expect(e.authorization).toBe(`Api-Key ${KEY}`);
      if (e.body !== undefined) expect(e.contentType).toBe(JSON_API);
    }
  });

  it('409: a provider that exists is found by uid, not created twice', async () => {
    await push();
    fake.log.length = 0;
    const result = pushed(await push({ ...INPUT, alias: undefined }));
    expect(result.steps[0]).toMatchObject({ stage: 'provider', outcome: 'found' });
    expect(fake.log.find((e) => e.method === 'POST' && e.path.endsWith('/providers'))?.status).toBe(409);
    expect(fake.count('GET /providers')).toBe(1);
    expect(fake.providers.size).toBe(1);
  });

  it('a second secret is refused (400 unique), so the existing one is changed with PATCH', async () => {
    await push();
    const result = pushed(
      await push({ ...INPUT, externalId: 'another-external-id-0001', sessionName: undefined }),
    );
    expect(result.steps[1]).toMatchObject({ stage: 'secret', outcome: 'updated' });
    expect(fake.log.filter((e) => e.path.endsWith('/providers/secrets')).map((e) => e.status)).toEqual([
      201, 400,
    ]);
    expect(fake.count('PATCH /providers/secrets/{id}')).toBe(1);
    expect(fake.secrets.size).toBe(1);
    expect([...fake.secrets.values()][0]!.secret).toEqual({
      role_arn: INPUT.roleArn,
      external_id: 'another-external-id-0001',
      session_duration: 3600,
    });
  });

  it('415: the fake refuses application/json like the service; our client maps a 415 to a content-type failure', async () => {
    const raw = await fetch(`${fake.url}/providers`, {
      method: 'POST',
      headers: { authorization: `Api-Key ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        data: { type: 'providers', attributes: { provider: 'aws', uid: '222222222222' } },
      }),
    });
    expect(raw.status).toBe(415);
    foreign = fake.log.length;
    fake.inject('POST /providers', {
      status: 415,
      body: {
        errors: [
          {
            detail: 'Unsupported media type "application/json" in request.',
            status: '415',
            code: 'unsupported_media_type',
          },
        ],
      },
    });
    const { failure } = failed(await push());
    expect(failure).toMatchObject({
      stage: 'provider',
      kind: 'content-type',
      status: 415,
      retryable: false,
      attempts: 1,
    });
    expect(failure.message).toContain('application/vnd.api+json');
  });

  it('401: a wrong key is one clear failure, not retried, and the key is not in it', async () => {
    const { failure, steps } = failed(
      await push(INPUT, new ProwlerClient({ baseUrl: fake.url, apiKey: 'wrong-key-000', timeoutMs: 2_000 })),
    );
    expect(failure).toMatchObject({
      stage: 'provider',
      kind: 'auth',
      status: 401,
      attempts: 1,
      retryable: false,
    });
    expect(failure.message).toContain('PROWLER_API_KEY');
    expect(failure.message).not.toContain('wrong-key-000');
    expect(steps).toEqual([]);
    expect(fake.log).toHaveLength(1);
  });

  it('202: the task is looked at until it is completed (attempt count), then read', async () => {
    fake.taskLooks = 3;
    const result = pushed(await push());
    expect(fake.count('GET /tasks/{id}')).toBe(4);
    expect(result.steps.at(-1)).toMatchObject({ stage: 'task', outcome: 'completed', attempts: 4 });
    expect(fake.log.find((e) => e.path.endsWith('/connection'))?.status).toBe(202);
  });

  it('a task already completed in the 202 answer is not polled', async () => {
    fake.taskLooks = -1;
    pushed(await push());
    expect(fake.count('GET /tasks/{id}')).toBe(0);
  });

  it('a task that never finishes ends after the bounded number of looks, retryable', async () => {
    fake.taskLooks = 1_000;
    const { failure, steps } = failed(await push(INPUT, client(), 5));
    expect(fake.count('GET /tasks/{id}')).toBe(5);
    expect(failure).toMatchObject({ stage: 'task', kind: 'task-unfinished', retryable: true });
    expect(steps.map((s) => s.stage)).toEqual(['provider', 'secret', 'connection']);
  });

  it.each(PROWLER_ERROR_TEXTS)(
    'completed with connected: false and "$text"',
    async ({ text, code, rule, confidence }) => {
      fake.outcome = () => ({ connected: false, error: text });
      const result = pushed(await push());
      expect(result.prowler).toMatchObject({
        connected: false,
        error: text,
        diagnosis: { code, rule, confidence },
      });
    },
  );

  it('the real "Provider has no secret." answer: completed in the 202, for a provider without a secret', async () => {
    const created = await fetch(`${fake.url}/providers`, {
      method: 'POST',
      headers: { authorization: `Api-Key ${KEY}`, 'content-type': JSON_API },
      body: JSON.stringify({
        data: { type: 'providers', attributes: { provider: 'aws', uid: '333333333333' } },
      }),
    });
    const id = ((await created.json()) as { data: { id: string } }).data.id;
    const answer = await fetch(`${fake.url}/providers/${id}/connection`, {
      method: 'POST',
      headers: { authorization: `Api-Key ${KEY}` },
    });
    expect(answer.status).toBe(202);
    expect(((await answer.json()) as { data: { attributes: unknown } }).data.attributes).toMatchObject({
      state: 'completed',
      result: { connected: false, error: 'Provider has no secret.' },
    });
  });

  it('a slow API: the answer that never came is retried, and the provider it created is found (409)', async () => {
    fake.inject('POST /providers', 'late');
    const result = pushed(await push(INPUT, client({ timeoutMs: 300 })));
    expect(fake.count('POST /providers')).toBe(2);
    expect(result.steps[0]).toMatchObject({ stage: 'provider', outcome: 'found', attempts: 2 });
    expect(fake.providers.size).toBe(1);
  });

  it('a slow API that never answers: bounded attempts, then a retryable timeout failure', async () => {
    fake.inject('POST /providers', 'hang', 3);
    const { failure } = failed(await push(INPUT, client({ timeoutMs: 200, maxAttempts: 3 })));
    expect(fake.count('POST /providers')).toBe(3);
    expect(failure).toMatchObject({
      stage: 'provider',
      kind: 'timeout',
      attempts: 3,
      retryable: true,
      status: null,
    });
    expect(failure.message).toContain('PROWLER_API_TIMEOUT_MS');
  });

  it('503 twice, then an answer: retried with backoff (attempt count)', async () => {
    fake.inject('POST /providers/secrets', { status: 503 }, 2);
    const result = pushed(await push());
    expect(result.steps[1]).toMatchObject({ stage: 'secret', outcome: 'created', attempts: 3 });
  });

  it('a dead API (connection refused): bounded attempts, retryable, names PROWLER_API_URL', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const dead = new ProwlerClient({
      baseUrl: `http://127.0.0.1:${port}/api/v1`,
      apiKey: KEY,
      timeoutMs: 2_000,
      baseDelayMs: 0,
      maxAttempts: 3,
    });
    const { failure } = failed(await push(INPUT, dead));
    expect(failure).toMatchObject({ stage: 'provider', kind: 'unreachable', attempts: 3, retryable: true });
    expect(failure.message).toContain('ECONNREFUSED');
    expect(failure.message).toContain('PROWLER_API_URL');
  });

  it('a 400 shows the JSON pointer of the refused field', async () => {
    fake.inject('POST /providers/secrets', {
      status: 400,
      body: {
        errors: [
          {
            detail: 'This field is required.',
            status: '400',
            source: { pointer: '/data/attributes/secret/external_id' },
            code: 'required',
          },
        ],
      },
    });
    const { failure, steps } = failed(await push());
    expect(failure).toMatchObject({
      stage: 'secret',
      kind: 'validation',
      pointer: '/data/attributes/secret/external_id',
      code: 'required',
    });
    expect(failure.message).toContain('/data/attributes/secret/external_id');
    expect(steps.map((s) => s.outcome)).toEqual(['created']);
  });

  it('pushing again after a failure finishes the job without duplicates', async () => {
    fake.inject('POST /providers/{id}/connection', { status: 500 });
    failed(await push(INPUT, client({ maxAttempts: 1 })));
    const again = pushed(await push());
    expect(again.steps.map((s) => s.outcome)).toEqual(['found', 'updated', 'queued', 'completed']);
    expect([fake.providers.size, fake.secrets.size]).toEqual([1, 1]);
  });

  it('reads the tenant ID (GET /tenants)', async () => {
    expect(await prowlerTenantId(client())).toBe(fake.tenantId);
  });
});

describe("our parsers accept the document's response schemas", () => {
  const ANSWERS = [
    ['GET', '/api/v1/tenants', 200, tenantListSchema],
    ['POST', '/api/v1/providers', 201, providerDocumentSchema],
    ['GET', '/api/v1/providers', 200, providerListSchema],
    ['GET', '/api/v1/providers/{id}', 200, providerDocumentSchema],
    ['POST', '/api/v1/providers/secrets', 201, secretDocumentSchema],
    ['PATCH', '/api/v1/providers/secrets/{id}', 200, secretDocumentSchema],
    ['POST', '/api/v1/providers/{id}/connection', 202, taskDocumentSchema],
    ['GET', '/api/v1/tasks/{id}', 200, taskDocumentSchema],
  ] as const;
  it.each(ANSWERS)(
    '%s %s %i, with every member and with only the required ones',
    (method, path, status, parser) => {
      const schema = contract.responseSchema(method, path, status);
      for (const mode of ['full', 'minimal'] as const) {
        const sample = contract.sample(schema, mode);
        expect(parser.safeParse(sample).error).toBeUndefined();
      }
    },
  );

  it('a 201 without data.id (as the document describes ProviderCreate) is found by uid', async () => {
    const strip: Fault = {
      transform: (body) => ({ data: { ...(body as { data: object }).data, id: undefined } }),
    };
    fake.inject('POST /providers', strip);
    const result = pushed(await push());
    expect(result.steps[0]).toMatchObject({ stage: 'provider', outcome: 'created' });
    expect(result.providerId).toBe([...fake.providers.keys()][0]);
    expect(fake.count('GET /providers')).toBe(1);
  });
});
