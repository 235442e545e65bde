import { IAMClient } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { API } from '../../domain/api-contract.ts';
import type { VerifyReport } from '../../domain/diagnosis-contract.ts';
import { ALL_REGIONS } from '../../domain/regions.ts';
import { startSandbox } from '../../sandbox/server.ts';
import {
  CANARY,
  call,
  type LiveStack,
  okVerifyBody,
  SCANNER_ACCOUNT,
  startLiveStack,
} from '../../testing/live-stack.ts';
import {
  type AwsAgents,
  createAgents,
  destroyAgents,
  iamClient,
  MAX_SHARED_CLIENTS,
  stsClient,
} from './aws-clients.ts';

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

describe('a call without a verification', () => {
  it('is refused before it is signed: the sandbox sees no request', { timeout: 30_000 }, async () => {
    const sandbox = await startSandbox({ port: 0 });
    const agents = createAgents();
    try {
      const opts = {
        region: 'us-east-1',
        endpoints: { sts: sandbox.url, iam: sandbox.url },
        timeoutMs: 5_000,
        agents,
        credentials: sandbox.world.serverCredentials('scanner')!,
      };
      // A verification's call on the shared client works, so the client itself is sound...
      expect((await stsClient(opts).send(new GetCallerIdentityCommand({}))).Account).toBe('111111111111');
      sandbox.world.requestLog.clear();
      // ...and the same client, sent a command that no verification prepared, signs with nobody's keys.
      const shared = [...agents.clients.values()][0] as STSClient;
      await expect(shared.send(new GetCallerIdentityCommand({}))).rejects.toThrow(/refusing to sign/);
      expect(sandbox.world.requestLog.snapshot().total).toBe(0);
    } finally {
      destroyAgents(agents);
      await sandbox.close();
    }
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

describe('the client cache is bounded', () => {
  const keys = { accessKeyId: 'AKIAONE', secretAccessKey: 'x' };
  const newest = (agents: AwsAgents) => [...agents.clients.values()].at(-1);

  it('holds both services in every Region without evicting', () => {
    expect(MAX_SHARED_CLIENTS).toBeGreaterThanOrEqual(2 * ALL_REGIONS.length);
    const agents = createAgents();
    const destroyed = vi.spyOn(STSClient.prototype, 'destroy');
    try {
      for (const region of ALL_REGIONS) {
        const opts = { region, endpoints: {}, timeoutMs: 1000, agents, credentials: keys };
        stsClient(opts);
        iamClient(opts);
      }
      expect(agents.clients.size).toBe(2 * ALL_REGIONS.length);
      expect(destroyed).not.toHaveBeenCalled();
    } finally {
      destroyed.mockRestore();
      destroyAgents(agents);
    }
  });

  it('3000 distinct keys leave at most MAX_SHARED_CLIENTS; each evicted one was destroyed, the pools were not', () => {
    const agents = createAgents();
    const destroyed = [vi.spyOn(STSClient.prototype, 'destroy'), vi.spyOn(IAMClient.prototype, 'destroy')];
    const pools = [vi.spyOn(agents.http, 'destroy'), vi.spyOn(agents.https, 'destroy')];
    try {
      const created: (STSClient | IAMClient | undefined)[] = [];
      for (let i = 0; i < 3000; i++) {
        const opts = {
          region: ALL_REGIONS[i % ALL_REGIONS.length]!,
          endpoints: {},
          timeoutMs: 1000 + i, // every key distinct
          agents,
          credentials: keys,
        };
        (i % 2 === 0 ? stsClient : iamClient)(opts);
        created.push(newest(agents));
      }
      expect(new Set(created).size).toBe(3000);
      expect(agents.clients.size).toBe(MAX_SHARED_CLIENTS);
      const kept = new Set(agents.clients.values());
      expect(created.slice(-MAX_SHARED_CLIENTS)).toEqual([...kept]);
      // The real clients' own destroy(), called once on each evicted client and never on a kept one.
      const destroyedClients = destroyed.flatMap((spy) => spy.mock.contexts);
      expect(destroyedClients).toHaveLength(3000 - MAX_SHARED_CLIENTS);
      expect(new Set(destroyedClients)).toEqual(new Set(created.filter((c) => c && !kept.has(c))));
      for (const spy of pools) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of [...destroyed, ...pools]) spy.mockRestore();
      destroyAgents(agents);
    }
  });

  it('a call in flight on a client that is evicted still completes, and the pools still serve calls', {
    timeout: 30_000,
  }, async () => {
    const sandbox = await startSandbox({ port: 0 });
    const agents = createAgents();
    // A client that has sent a request resolves its handler's config, agents included: destroying it
    // the SDK's way would close the shared https pool (real AWS) under every other verification.
    const pools = [vi.spyOn(agents.http, 'destroy'), vi.spyOn(agents.https, 'destroy')];
    try {
      const scanner = sandbox.world.serverCredentials('scanner')!;
      const opts = (region: string, timeoutMs: number) => ({
        region,
        endpoints: { sts: sandbox.url, iam: sandbox.url },
        timeoutMs,
        agents,
        credentials: scanner,
      });
      sandbox.world.setFaults({ latencyMs: 400 });
      const first = stsClient(opts('us-east-1', 20_000));
      const evictedClient = newest(agents);
      const inFlight = first.send(new GetCallerIdentityCommand({}));
      // On the wire (a pooled socket carries it) before the client is evicted.
      await vi.waitFor(() => expect(Object.keys(agents.http.sockets)).not.toHaveLength(0));
      for (let i = 0; i < 200; i++) stsClient(opts('eu-west-1', 5_000 + i));
      expect([...agents.clients.values()]).not.toContain(evictedClient);
      expect((await inFlight).Account).toBe('111111111111');
      for (const spy of pools) expect(spy).not.toHaveBeenCalled();
      sandbox.world.setFaults({});
      const later = await stsClient(opts('ap-east-2', 20_000)).send(new GetCallerIdentityCommand({}));
      expect(later.Account).toBe('111111111111');
    } finally {
      for (const spy of pools) spy.mockRestore();
      destroyAgents(agents);
      await sandbox.close();
    }
  });
});
