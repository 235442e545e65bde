import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema } from '../domain/api-contract.ts';
import { sandboxDeployResponseSchema, sandboxScenarioResponseSchema } from '../domain/sandbox-contract.ts';
import { DEMO_SCENARIO } from './scenario.ts';
import { type SandboxHandle, startSandbox } from './server.ts';
import { expectAwsError, sts } from './test-clients.ts';
import { EXTERNAL_ID, KEYS, roleArn } from './test-scenario.ts';

// The admin API under /__sandbox/ driven over HTTP, with its effects checked through real AWS calls.

let sb: SandboxHandle;
beforeAll(async () => {
  sb = await startSandbox({ externalId: EXTERNAL_ID });
});
afterAll(() => sb.close());
afterEach(async () => {
  await call('POST', '/reset');
});

// Every call says JSON, as the admin API requires of writes (admin-guard.test.ts).
const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${sb.url}/__sandbox${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as unknown };
};
const assume = (RoleArn: string, ExternalId = EXTERNAL_ID) =>
  sts(sb.url, KEYS.scanner).send(
    new AssumeRoleCommand({ RoleArn, RoleSessionName: 'admin-test', ExternalId }),
  );
const SECRETS = [
  ...Object.values(DEMO_SCENARIO.accounts).flatMap((a) => [
    ...a.users.flatMap((u) => u.accessKeys.map((k) => k.secret)),
    ...(a.administrator?.accessKeys.map((k) => k.secret) ?? []),
    ...a.sessions.flatMap((s) => [s.secret, s.token]),
  ]),
];

describe('GET /__sandbox/targets (describeTargets)', () => {
  it('lists the demo targets with their expected diagnosis, and no secret', async () => {
    const { status, json } = await call('GET', '/targets');
    expect(status).toBe(200);
    const body = sandboxScenarioResponseSchema.parse(json);
    expect(body.scannerAccountId).toBe('111111111111');
    expect(body.targets.map((t) => [t.accountId, t.expectedDiagnosis ?? null])).toEqual([
      ['222222222222', 'OK'],
      ['333333333333', 'TRUST_PRINCIPAL_MISMATCH'],
      ['444444444444', 'TRUST_ACCOUNT_MISMATCH'],
      ['555555555555', 'EXTERNAL_ID_MISMATCH'],
      ['666666666666', 'PERMISSIONS_INCOMPLETE'],
      ['777777777777', 'EXTERNAL_ID_NOT_ENFORCED'],
      ['888888888888', 'ROLE_NOT_FOUND'],
    ]);
    expect(body.targets.find((t) => t.accountId === '888888888888')?.roleArn).toBeNull();
    // Each target's administrator, by ARN and key ID; its secret stays in the scenario file.
    expect(body.targets.map((t) => t.administrator)).toEqual(
      body.targets.map((t) => ({
        arn: `arn:aws:iam::${t.accountId}:user/admin`,
        accessKeyId: `AKIASANDBOXADMIN${t.accountId.slice(0, 4)}`,
      })),
    );
    expect(body.sources?.map((s) => s.expectedDiagnosis)).toEqual([
      'CALLER_NOT_PERMITTED',
      'SOURCE_TOKEN_EXPIRED',
      'EXPLICIT_DENY',
    ]);
    const text = JSON.stringify(json);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    expect(text).not.toContain(EXTERNAL_ID);
  });
});

describe('POST /__sandbox/stacks', () => {
  const deploy = (parameters: Record<string, string>, extra = {}) =>
    call('POST', '/stacks', { accountId: '888888888888', parameters, ...extra });
  const good = { ExternalId: EXTERNAL_ID, AccountId: '111111111111', IAMPrincipal: 'user/prowler-app' };

  it('deploys the template, then updates it in place (redeploy after a fix)', async () => {
    await call('PUT', '/faults', { propagationDelayMs: 0 });
    const wrong = await deploy({ ...good, IAMPrincipal: 'role/prowler*' });
    expect(wrong.status).toBe(200);
    expect(sandboxDeployResponseSchema.parse(wrong.json)).toEqual({
      roleArn: roleArn('888888888888'),
      stackName: 'ProwlerScan',
      updated: false,
    });
    await expectAwsError(assume(roleArn('888888888888')), { name: 'AccessDenied', status: 403 });
    const fixed = await deploy(good);
    expect(fixed.json).toMatchObject({ updated: true });
    expect((await assume(roleArn('888888888888'))).AssumedRoleUser?.Arn).toContain('888888888888');
    const targets = sandboxScenarioResponseSchema.parse((await call('GET', '/targets')).json);
    expect(targets.targets.find((t) => t.accountId === '888888888888')?.roleArn).toBe(
      roleArn('888888888888'),
    );
  });

  it('replaces the role when an update renames it, and refuses a name another role holds', async () => {
    await call('PUT', '/faults', {});
    await deploy(good, { roleName: 'First' });
    const renamed = await deploy(good, { roleName: 'Second' });
    expect(renamed.json).toMatchObject({ roleArn: roleArn('888888888888', 'Second'), updated: true });
    await expectAwsError(assume(roleArn('888888888888', 'First')), { name: 'AccessDenied', status: 403 });
    expect((await assume(roleArn('888888888888', 'Second'))).Credentials).toBeDefined();

    const taken = await call('POST', '/stacks', {
      accountId: '111111111111',
      roleName: 'prowler-worker',
      parameters: good,
    });
    expect(taken.status).toBe(400);
    expect(errorBodySchema.parse(taken.json).error.fields).toEqual([
      { path: 'roleName', message: 'A role named prowler-worker already exists in account 111111111111.' },
    ]);
  });

  it.each([
    [{ ...good, ExternalId: 'x' }, {}, 'parameters.ExternalId'],
    // Empty: the template renders without a default, and its own MinLength refuses it.
    [{ ...good, ExternalId: '' }, {}, 'parameters.ExternalId'],
    [{ ...good, AccountId: '12' }, {}, 'parameters.AccountId'],
    [{ ...good, IAMPrincipal: 'group/x' }, {}, 'parameters.IAMPrincipal'],
    [good, { extra: 1 }, 'extra'],
  ])('refuses %j with a field error', async (parameters, extra, path) => {
    const { status, json } = await deploy(parameters, extra);
    expect(status).toBe(400);
    const body = errorBodySchema.parse(json);
    expect(body.error.fields.map((f) => f.path)).toContain(path);
  });
});

describe('scenario and faults', () => {
  it('PUT /scenario replaces the world; a bad one is refused with field paths and changes nothing', async () => {
    const bad = await call('PUT', '/scenario', { accounts: { '1234': {} }, typo: true });
    expect(bad.status).toBe(400);
    expect(errorBodySchema.parse(bad.json).error.code).toBe('INVALID_SCENARIO');
    expect((await assume(roleArn('222222222222'))).Credentials).toBeDefined();

    const only = { accounts: { '111111111111': DEMO_SCENARIO.accounts['111111111111'] } };
    const ok = await call('PUT', '/scenario', only);
    expect(ok.status).toBe(200);
    await expectAwsError(assume(roleArn('222222222222')), { name: 'AccessDenied', status: 403 });
    expect(((await call('GET', '/scenario')).json as { accounts: object }).accounts).toHaveProperty(
      '111111111111',
    );
  });

  it('PUT /faults validates and reports the remaining "next" count', async () => {
    const bad = await call('PUT', '/faults', { throttle: { rate: 2 } });
    expect(bad.status).toBe(400);
    expect(errorBodySchema.parse(bad.json).error.fields[0]?.path).toBe('throttle.rate');
    const ok = await call('PUT', '/faults', { throttle: { next: 2 } });
    expect(ok.json).toMatchObject({ throttle: { next: 2 }, latencyMs: 0 });
    await expectAwsError(assume(roleArn('222222222222')), { name: 'Throttling', status: 400 });
    expect((await call('GET', '/faults')).json).toMatchObject({ throttle: { next: 1 } });
  });

  it('GET /requests counts what was answered; POST /reset clears it', async () => {
    await expectAwsError(assume(roleArn('333333333333')), { name: 'AccessDenied', status: 403 });
    const log = (await call('GET', '/requests')).json as { total: number; byCode: Record<string, number> };
    expect(log.total).toBeGreaterThanOrEqual(1);
    expect(log.byCode.AccessDenied).toBeGreaterThanOrEqual(1);
    await call('POST', '/reset');
    expect(((await call('GET', '/requests')).json as { total: number }).total).toBe(0);
  });

  it.each([
    ['GET', '/nope', 404],
    ['DELETE', '/faults', 405],
  ])('%s %s -> %i', async (method, path, status) => {
    expect((await call(method, path)).status).toBe(status);
  });
});
