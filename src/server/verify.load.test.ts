import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, errorBodySchema } from '../domain/api-contract.ts';
import type { VerifyReport } from '../domain/diagnosis-contract.ts';
import {
  call,
  type JsonAnswer,
  type LiveStack,
  okVerifyBody,
  startLiveStack,
} from '../testing/live-stack.ts';
import { MAX_CONCURRENT_CALLS } from './verify/verify.ts';

// Issue 8, "Load": many verifications at once against the sandbox through the real server. Under
// the rate limit every one succeeds; past it the API answers 429 with Retry-After and makes no AWS
// call; and one verification never has more than MAX_CONCURRENT_CALLS AWS calls in flight, counted
// by a proxy between the server and the sandbox.

/** GetCallerIdentity, AssumeRole, the External-ID probe, GetRole, ListAttachedRolePolicies, GetRolePolicy. */
const CALLS_PER_VERIFICATION = 6;

async function pool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

describe('under the rate limit', () => {
  let stack: LiveStack;
  beforeAll(async () => {
    // A long AWS timeout: this is about correctness under concurrency; on an overloaded machine a
    // short one would turn slowness into STS_TIMEOUT and hide real errors among them.
    stack = await startLiveStack({ env: { AWS_CONNECT_AWS_TIMEOUT_MS: '60000' } });
  });
  afterAll(async () => stack?.close());

  // Correctness under concurrency, not speed: the timeouts only bound a hang on a busy machine.
  it('150 verifications, 25 at a time: all 200 and OK, exactly six AWS calls each', {
    timeout: 180_000,
  }, async () => {
    stack.aws!.reset();
    const answers = await pool(150, 25, () => call(stack, API.verify, okVerifyBody()));
    const codes = answers.map((a) =>
      a.status === 200 ? (a.body as VerifyReport).diagnosis.code : `HTTP ${a.status}`,
    );
    const failures = codes.filter((c) => c !== 'OK');
    console.log(
      `[load] 150 verifications, 25 in flight: ${150 - failures.length} OK, ${failures.length} errors ${JSON.stringify(failures)}`,
    );
    const sample = answers.find((a) => a.status !== 200 || (a.body as VerifyReport).diagnosis.code !== 'OK');
    expect(failures, sample ? sample.text.slice(0, 800) : '').toEqual([]);
    expect(stack.aws!.count()).toBe(150 * CALLS_PER_VERIFICATION);
  });

  it('one verification alone never has more than MAX_CONCURRENT_CALLS AWS calls in flight', async () => {
    // Latency makes every call overlap with everything it could overlap with.
    stack.sandbox.world.setFaults({ latencyMs: 150 });
    try {
      stack.aws!.reset();
      const res = await call(stack, API.verify, okVerifyBody());
      expect((res.body as VerifyReport).diagnosis.code).toBe('OK');
      expect(stack.aws!.count()).toBe(CALLS_PER_VERIFICATION);
      expect(stack.aws!.peak).toBeGreaterThanOrEqual(2); // the calls do run in parallel...
      expect(stack.aws!.peak).toBeLessThanOrEqual(MAX_CONCURRENT_CALLS); // ...within the bound
    } finally {
      stack.sandbox.world.setFaults({});
    }
  });

  it('under concurrent load, the calls made with one verification’s assumed credentials stay within the bound', {
    timeout: 120_000,
  }, async () => {
    stack.sandbox.world.setFaults({ latencyMs: 50 });
    try {
      stack.aws!.reset();
      await pool(40, 20, () => call(stack, API.verify, okVerifyBody()));
      // Each verification's audit runs with its own temporary key: its peak is that verification's.
      const assumedKeys = [...stack.aws!.peakByKey].filter(([key]) => key.startsWith('ASIA'));
      expect(assumedKeys).toHaveLength(40);
      for (const [, peak] of assumedKeys) expect(peak).toBeLessThanOrEqual(MAX_CONCURRENT_CALLS);
    } finally {
      stack.sandbox.world.setFaults({});
    }
  });
});

describe('past the rate limit', () => {
  const LIMIT = 30;
  let stack: LiveStack;
  beforeAll(async () => {
    stack = await startLiveStack({ env: { AWS_CONNECT_RATE_LIMIT_PER_MINUTE: String(LIMIT) } });
  });
  afterAll(async () => stack?.close());

  it(`${LIMIT} a minute: the first ${LIMIT} verify, the rest get 429 with Retry-After and cause no AWS call`, {
    timeout: 120_000,
  }, async () => {
    stack.aws!.reset();
    const answers = await pool(50, 10, () => call(stack, API.verify, okVerifyBody()));
    const ok = answers.filter((a) => a.status === 200);
    const limited = answers.filter((a) => a.status === 429);
    console.log(
      `[load] rate limit ${LIMIT}/min: 50 requests -> ${ok.length} verified, ${limited.length} answered 429`,
    );
    expect(ok).toHaveLength(LIMIT);
    expect(limited).toHaveLength(50 - LIMIT);
    for (const a of limited) expectRateLimited(a);
    // Only the admitted verifications reached AWS: one client cannot flood STS through the server.
    expect(stack.aws!.count()).toBe(LIMIT * CALLS_PER_VERIFICATION);
  });

  it('health still answers while the API is limited', async () => {
    const health = await call(stack, API.health);
    expect(health.status).toBe(200);
  });

  it('a spoofed X-Forwarded-For does not buy a new allowance', async () => {
    for (let i = 0; i < 5; i++) {
      const a = await call(stack, API.verify, okVerifyBody(), {
        'x-forwarded-for': `203.0.113.${i}`,
        'x-real-ip': `198.51.100.${i}`,
      });
      expectRateLimited(a);
    }
  });

  it('other API routes share the limit', async () => {
    expectRateLimited(await call(stack, API.identity, { source: { kind: 'sdk-default' } }));
    expectRateLimited(await call(stack, API.config));
  });
});

function expectRateLimited(a: JsonAnswer) {
  expect(a.status).toBe(429);
  const retryAfter = Number(a.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter), `Retry-After: ${a.headers.get('retry-after')}`).toBe(true);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(60);
  const body = errorBodySchema.parse(a.body);
  expect(body.error.code).toBe('RATE_LIMITED');
  // The refusal is still a response of this server: the same protective headers.
  expect(a.headers.get('x-content-type-options')).toBe('nosniff');
  expect(a.headers.get('access-control-allow-origin')).toBeNull();
}
