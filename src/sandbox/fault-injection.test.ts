import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FaultsInput } from './faults.ts';
import { type SandboxHandle, startSandbox } from './server.ts';
import { expectAwsError, sts } from './test-clients.ts';
import { EXTERNAL_ID, KEYS, roleArn, testScenario } from './test-scenario.ts';

// Faults over real HTTP, as the AWS SDK v3 with its standard retries experiences them. The "next N"
// form keeps these deterministic; the request log proves how many requests the SDK really made.

let sb: SandboxHandle;
beforeAll(async () => {
  sb = await startSandbox({ scenario: testScenario(), externalId: EXTERNAL_ID });
});
afterAll(() => sb.close());
afterEach(() => {
  sb.world.reset();
});

const client = (extra = {}) => sts(sb.url, KEYS.scanner, { maxAttempts: 3, ...extra });
const whoAmI = (extra = {}) => client(extra).send(new GetCallerIdentityCommand({}));
const faults = (f: FaultsInput) => sb.world.setFaults(f);

describe('faults the SDK retries', () => {
  it.each([
    ['throttle', { throttle: { next: 2 } }],
    ['a 503', { serverError: { status: 503, next: 2 } }],
    ['a 500', { serverError: { next: 1 } }],
  ] as [string, FaultsInput][])('recovers from %s within its 3 attempts', async (_, f) => {
    faults(f);
    const out = await whoAmI();
    const expected = (f.throttle?.next ?? f.serverError?.next ?? 0) + 1;
    expect(out.$metadata.attempts).toBe(expected);
    expect(sb.world.requestLog.total).toBe(expected);
  });

  it.each([
    [{ throttle: { next: 5 } }, 'Throttling', 400, 'Rate exceeded'],
    [{ serverError: { status: 503, rate: 1 } }, 'ServiceUnavailable', 503, undefined],
    [{ serverError: { status: 500, rate: 1 } }, 'InternalFailure', 500, undefined],
  ] as [FaultsInput, string, number, string | undefined][])(
    'gives up after 3 attempts on %j',
    async (f, name, status, message) => {
      faults(f);
      const err = await expectAwsError(whoAmI(), { name, status, ...(message ? { message } : {}) });
      expect((err as { $metadata?: { attempts?: number } }).$metadata?.attempts).toBe(3);
      expect(sb.world.requestLog.byCode[name]).toBe(3);
    },
  );
});

describe('network faults', () => {
  it('resets the connection: the SDK sees ECONNRESET', async () => {
    faults({ reset: { rate: 1 } });
    const err = (await whoAmI({ maxAttempts: 1 }).catch((e) => e)) as NodeJS.ErrnoException;
    expect(err.code ?? err.name).toMatch(/ECONNRESET|socket hang up|ECONNREFUSED/);
  });

  it('never answers: the client timeout fires', async () => {
    faults({ hang: { next: 1 } });
    const started = Date.now();
    const err = (await whoAmI({
      maxAttempts: 1,
      requestHandler: { requestTimeout: 300, throwOnRequestTimeout: true },
    }).catch((e) => e)) as Error;
    expect(err.name).toBe('TimeoutError');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    // The next request is answered again.
    expect((await whoAmI()).Account).toBe('111111111111');
  });

  it('sends malformed XML: the SDK cannot parse it', async () => {
    faults({ malformed: { next: 1 } });
    const err = (await whoAmI({ maxAttempts: 1 }).catch((e) => e)) as Error & {
      $metadata?: { httpStatusCode?: number };
    };
    expect(err).toBeInstanceOf(Error);
    expect(err.$metadata?.httpStatusCode).toBe(200);
    expect(err.message).not.toBe('');
  });

  it('adds latency', async () => {
    faults({ latencyMs: 250 });
    const started = Date.now();
    await whoAmI();
    expect(Date.now() - started).toBeGreaterThanOrEqual(245);
  });
});

describe('fault scope', () => {
  it('limits a fault to the named actions', async () => {
    faults({ throttle: { rate: 1, actions: ['sts:AssumeRole'] } });
    await whoAmI();
    const assume = client().send(
      new AssumeRoleCommand({
        RoleArn: roleArn('222222222222'),
        RoleSessionName: 's1',
        ExternalId: EXTERNAL_ID,
      }),
    );
    await expectAwsError(assume, { name: 'Throttling', status: 400 });
  });

  it('counts "next" down only on matching requests', async () => {
    faults({ actions: ['AssumeRole'], throttle: { next: 1 } });
    await whoAmI();
    expect(sb.world.faults.snapshot().throttle?.next).toBe(1);
  });

  it('makes a run-time deployment assumable only after propagationDelayMs', async () => {
    faults({ propagationDelayMs: 400 });
    const { roleArn: arn } = sb.world.deployStack({
      accountId: '888888888888',
      parameters: { ExternalId: EXTERNAL_ID, AccountId: '111111111111', IAMPrincipal: 'user/prowler-app' },
    });
    const assume = () =>
      client({ maxAttempts: 1 }).send(
        new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 's1', ExternalId: EXTERNAL_ID }),
      );
    await expectAwsError(assume(), { name: 'AccessDenied', status: 403 });
    await new Promise((r) => setTimeout(r, 450));
    expect((await assume()).AssumedRoleUser?.Arn).toBe(
      'arn:aws:sts::888888888888:assumed-role/ProwlerScan/s1',
    );
  });
});
