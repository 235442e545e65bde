import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, errorBodySchema } from '../domain/api-contract.ts';
import { verifyReportSchema } from '../domain/diagnosis-contract.ts';
import { buildApp } from './app.ts';
import { captureLogs, forbiddenCredentials, TEST_EXTERNAL_ID, testConfig } from './test-support.ts';
import { type AwsAgents, createAgents, destroyAgents } from './verify/aws-clients.ts';

// Issue 11, "Unbounded memory": the server kept one SDK client per region value it was sent, and
// made-up regions that pass a format check (zz-abcd-1) grew it without bound. Over real HTTP, a
// few thousand distinct made-up regions are refused with the region's field error before any SDK
// client exists. RSS is measured in bench/, not asserted here.

// Nothing listens on port 1: a verification that got through would fail fast, not hang.
const NOWHERE = 'http://127.0.0.1:1';
const SOURCE = {
  kind: 'access-keys',
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const body = (region: string) =>
  JSON.stringify({
    source: SOURCE,
    roleArn: 'arn:aws:iam::222222222222:role/ProwlerScan',
    externalId: TEST_EXTERNAL_ID,
    region,
  });

/** 0 -> "xaaa", 1 -> "xaab", ...: well-formed region words that no AWS Region uses. */
const word = (i: number) =>
  `x${Array.from({ length: 3 }, (_, k) => String.fromCharCode(97 + (Math.floor(i / 26 ** (2 - k)) % 26))).join('')}`;

/** Made-up regions spread over four partitions' prefixes, every one distinct. */
const BOGUS: [string, string][] = Array.from({ length: 3000 }, (_, i) => {
  const w = word(i);
  return (
    [
      [`zz-${w}-1`, 'aws'],
      [`us-${w}-9`, 'aws'],
      [`cn-${w}-1`, 'aws-cn'],
      [`us-gov-${w}-2`, 'aws-us-gov'],
    ] as [string, string][]
  )[i % 4]!;
});

let app: FastifyInstance;
let agents: AwsAgents;
let url = '';
const credentials = forbiddenCredentials();

beforeAll(async () => {
  agents = createAgents();
  app = await buildApp(testConfig({ AWS_CONNECT_RATE_LIMIT_PER_MINUTE: '1000000' }), {
    externalId: TEST_EXTERNAL_ID,
    defaultCredentials: credentials,
    endpoints: { sts: NOWHERE, iam: NOWHERE },
    agents,
    logStream: captureLogs().stream,
    webRoot: '/nonexistent',
    retry: { maxAttempts: 1 },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await app?.close();
  destroyAgents(agents);
});

const post = (region: string) =>
  fetch(`${url}${API.verify}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body(region),
  }).then(async (res) => ({ region, status: res.status, json: (await res.json()) as unknown }));

describe('made-up regions over HTTP', () => {
  it('3000 distinct made-up regions: each a 400 naming the region and its partition; no SDK client is made', {
    timeout: 120_000,
  }, async () => {
    expect(new Set(BOGUS.map(([r]) => r)).size).toBe(BOGUS.length);
    const wrong: string[] = [];
    for (let i = 0; i < BOGUS.length; i += 8) {
      const batch = BOGUS.slice(i, i + 8);
      const answers = await Promise.all(batch.map(([region]) => post(region)));
      answers.forEach((answer, k) => {
        const partition = batch[k]![1];
        const parsed = errorBodySchema.safeParse(answer.json);
        const field = parsed.success ? parsed.data.error.fields : [];
        const ok =
          answer.status === 400 &&
          field.length === 1 &&
          field[0]?.path === 'region' &&
          field[0].message.startsWith(`${answer.region} is not a region of the ${partition} partition`);
        if (!ok)
          wrong.push(`${answer.region}: ${answer.status} ${JSON.stringify(answer.json).slice(0, 200)}`);
      });
    }
    expect(wrong.slice(0, 5), `${wrong.length} of ${BOGUS.length} answers were not the region's 400`).toEqual(
      [],
    );
    expect(agents.clients.size).toBe(0);
    expect(credentials.calls).toBe(0);
  });

  it('a real region still verifies (here: nothing answers) and makes its client: the cache watched is the server’s', async () => {
    const answer = await post('eu-south-2');
    expect(answer.status).toBe(200);
    expect(verifyReportSchema.parse(answer.json).diagnosis.code).toBe('STS_UNREACHABLE');
    expect(agents.clients.size).toBeGreaterThan(0);
  });
});
