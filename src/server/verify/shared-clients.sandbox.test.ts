import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, type VerifyReport } from '../../domain/api-contract.ts';
import {
  CANARY,
  call,
  type LiveStack,
  okVerifyBody,
  SCANNER_ACCOUNT,
  startLiveStack,
} from '../../testing/live-stack.ts';
import { createAgents, destroyAgents, iamClient, stsClient } from './aws-clients.ts';

// The SDK clients are shared by every verification (aws-clients.ts); each call carries its own
// verification's credentials. These tests fail if one verification ever signs with another's keys
// or inherits another's clock correction.

describe('shared SDK clients', () => {
  let stack: LiveStack;
  beforeAll(async () => {
    stack = await startLiveStack({ env: { AWS_CONNECT_AWS_TIMEOUT_MS: '60000' } });
  });
  afterAll(async () => stack?.close());

  const verify = async (body: unknown) => {
    const res = await call(stack, API.verify, body);
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    return res.body as VerifyReport;
  };
  const keysBody = (accessKeyId: string, secretAccessKey: string) => ({
    ...okVerifyBody(),
    source: { kind: 'access-keys', accessKeyId, secretAccessKey },
  });

  it('60 verifications with three different sources at once: each signs with its own keys', {
    timeout: 120_000,
  }, async () => {
    const kinds = ['server', 'canary', 'unknown'] as const;
    const bodies = {
      server: okVerifyBody(),
      canary: keysBody(CANARY.user.accessKeyId, CANARY.user.secretAccessKey),
      unknown: keysBody('AKIAUNKNOWNKEY000001', 'UnknownSecretKey0000000000000000000000000'),
    };
    const order = Array.from({ length: 60 }, (_, i) => kinds[i % 3]!);
    const reports = await Promise.all(order.map((kind) => verify(bodies[kind])));
    const seen = reports.map((r, i) => `${order[i]}: ${r.diagnosis.code} ${r.caller?.arn ?? '-'}`);
    const expected = order.map(
      (kind) =>
        ({
          server: `server: OK arn:aws:iam::${SCANNER_ACCOUNT}:user/prowler-app`,
          canary: `canary: OK arn:aws:iam::${SCANNER_ACCOUNT}:user/canary`,
          unknown: 'unknown: SOURCE_KEY_INVALID -',
        })[kind],
    );
    expect(seen).toEqual(expected);
  });

  it('a skewed clock is reported by every verification, and forgotten once it is gone', {
    timeout: 60_000,
  }, async () => {
    // "send": the sandbox shows its skewed Date header, which the SDK would learn from.
    stack.sandbox.world.setFaults({ clockSkewSeconds: 1200, dateHeader: 'send' });
    try {
      expect((await verify(okVerifyBody())).diagnosis.code).toBe('SOURCE_CLOCK_SKEW');
      expect((await verify(okVerifyBody())).diagnosis.code).toBe('SOURCE_CLOCK_SKEW');
    } finally {
      stack.sandbox.world.setFaults({});
    }
    expect((await verify(okVerifyBody())).diagnosis.code).toBe('OK');
  });
});

describe('the client cache', () => {
  it('keeps one client per service, region, endpoint and timeout', () => {
    const agents = createAgents();
    const base = {
      region: 'us-east-1',
      endpoints: { sts: 'http://127.0.0.1:1', iam: 'http://127.0.0.1:1' },
      timeoutMs: 1000,
      agents,
    };
    const keys = (id: string) => ({ accessKeyId: id, secretAccessKey: 'x' });
    stsClient({ ...base, credentials: keys('AKIAONE') });
    stsClient({ ...base, credentials: keys('AKIATWO') });
    expect(agents.clients.size).toBe(1);
    iamClient({ ...base, credentials: keys('AKIAONE') });
    stsClient({ ...base, region: 'eu-west-1', credentials: keys('AKIAONE') });
    expect(agents.clients.size).toBe(3);
    destroyAgents(agents);
    expect(agents.clients.size).toBe(0);
  });
});
