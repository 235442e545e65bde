import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyReportSchema } from '../domain/diagnosis-contract.ts';
import type { LoggedRequest } from '../sandbox/request-log.ts';
import { role } from './sandbox-cases.ts';
import { type SandboxApp, sandboxApp, TEST_EXTERNAL_ID } from './test-support.ts';

// The rounds of one verification (issue 15), read from the sandbox's request log: arrival and
// answer positions on one counter, no clock. The first round is everything that needs only the
// source (GetCallerIdentity, AssumeRole, the External-ID probe); the audit waits for AssumeRole.

let server: SandboxApp;
beforeAll(async () => {
  server = await sandboxApp({ AWS_CONNECT_AWS_TIMEOUT_MS: '10000' });
});
afterAll(async () => {
  await server.close();
});

async function verifyAndLog(account: string): Promise<LoggedRequest[]> {
  const world = server.sandbox.world;
  world.requestLog.clear();
  // Every answer waits, so calls that run together overlap at the sandbox.
  world.setFaults({ latencyMs: 100, propagationDelayMs: 0 });
  try {
    const res = await fetch(`${server.url}/api/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        source: { kind: 'sdk-default' },
        roleArn: role(account),
        externalId: TEST_EXTERNAL_ID,
      }),
    });
    verifyReportSchema.parse(await res.json());
    return world.requestLog.snapshot().recent;
  } finally {
    world.setFaults({ propagationDelayMs: 0 });
  }
}

const one = (log: LoggedRequest[], pick: (r: LoggedRequest) => boolean) => {
  const found = log.filter(pick);
  expect(found).toHaveLength(1);
  return found[0] as LoggedRequest & { arrived: number; answered: number };
};

describe('the verification’s rounds, from the sandbox’s request log', () => {
  it('starts the probe with GetCallerIdentity and AssumeRole; no audit call before AssumeRole answered', async () => {
    const log = await verifyAndLog('222222222222');
    const caller = one(log, (r) => r.action === 'GetCallerIdentity');
    const assume = one(log, (r) => r.action === 'AssumeRole' && r.status === 200);
    // The ready role enforces the External ID: the probe is the AssumeRole AWS refused.
    const probe = one(log, (r) => r.action === 'AssumeRole' && r.code === 'AccessDenied');
    expect(caller.arrived).toBeLessThan(assume.answered);
    expect(probe.arrived).toBeLessThan(assume.answered);
    const audit = log.filter((r) => r.service === 'iam');
    expect(audit.map((r) => r.action).sort()).toEqual([
      'GetRole',
      'GetRolePolicy',
      'ListAttachedRolePolicies',
    ]);
    for (const call of audit) expect(call.arrived).toBeGreaterThan(assume.answered);
  });

  it('a role that was not assumed: one round, the probe in it, no audit', async () => {
    const log = await verifyAndLog('555555555555');
    const assumes = log.filter((r) => r.action === 'AssumeRole');
    expect(assumes).toHaveLength(2);
    const firstAnswer = Math.min(...assumes.map((r) => r.answered ?? Number.POSITIVE_INFINITY));
    for (const r of assumes) expect(r.arrived).toBeLessThan(firstAnswer);
    expect(log.filter((r) => r.service === 'iam')).toEqual([]);
  });
});
