import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectionDetailSchema, connectionVerifiedSchema } from '../../domain/connection-contract.ts';
import {
  WEBHOOK_DELIVERY_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  webhookEventSchema,
} from '../../domain/webhook.ts';
import { SCANNER_ACCOUNT, TARGET_ROLE_ARN } from '../../testing/live-stack.ts';
import { DRIFT_CASES, MONITOR_SCENARIO } from '../../testing/monitor-scenario.ts';
import { sqliteBackend } from '../../testing/store-backends.ts';
import { type Receiver, startReceiver } from '../../testing/webhook-receiver.ts';
import { verifySignature } from '../alerts/signature.ts';
import { openStore, type Store } from '../store/database.ts';
import { captureLogs, type SandboxApp, sandboxApp, TEST_EXTERNAL_ID } from '../test-support.ts';
import { Monitor } from './monitor.ts';

// The monitor against the real sandbox (issue 13, "Tests"): break a role through the sandbox's
// admin API -> broken; repair it -> ok; each kind of drift named, with its fix.

const backend = sqliteBackend();
let store: Store;
let s: SandboxApp;

const WEBHOOK_SECRET = 'monitor-suite-webhook-secret-0123456789';
let receiver: Receiver;

beforeEach(async () => {
  receiver = await startReceiver();
  store = await openStore(await backend.fresh());
  s = await sandboxApp(
    { AWS_CONNECT_WEBHOOK_URL: receiver.url, AWS_CONNECT_WEBHOOK_SECRET: WEBHOOK_SECRET },
    { scenario: MONITOR_SCENARIO, deps: { store, webhook: { baseDelayMs: 20 } } },
  );
});
afterEach(async () => {
  await s.close();
  await store.close();
  await receiver.close();
});

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${s.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: await res.json() };
}

const save = async (roleArn = TARGET_ROLE_ARN) => {
  const res = await api('POST', '/api/connections', {
    source: { kind: 'sdk-default' },
    roleArn,
    externalId: TEST_EXTERNAL_ID,
    trustedAccountId: SCANNER_ACCOUNT,
    iamPrincipal: '*',
  });
  expect(res.status).toBe(201);
  return connectionVerifiedSchema.parse(res.body);
};
const detail = async (id: string) =>
  connectionDetailSchema.parse((await api('GET', `/api/connections/${id}`)).body);
/** Makes every monitored connection due now (the schedule's own times are an interval away). */
const makeDue = () =>
  sql`update connections set next_check_at = 0 where next_check_at is not null`.execute(store.db);

function monitor(log = captureLogs()) {
  const svc = s.app.connectionService;
  if (!svc) throw new Error('no connection service');
  const logger = {
    info: (o: object, m: string) => log.lines.push(JSON.stringify({ ...o, msg: m })),
    warn: (o: object, m: string) => log.lines.push(JSON.stringify({ ...o, msg: m, level: 'warn' })),
    error: (o: object, m: string) => log.lines.push(JSON.stringify({ ...o, msg: m, level: 'error' })),
  };
  return {
    m: new Monitor({ svc, concurrency: 2, leaseMs: 60_000, pollMs: 1000, log: logger, backoffMs: 10 }),
    log,
  };
}

/** The sandbox's admin API: deploy (or redeploy) the template into an account. */
async function deploy(accountId: string, externalId: string) {
  const res = await fetch(`${s.sandbox.url}/__sandbox/stacks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      accountId,
      parameters: { ExternalId: externalId, AccountId: SCANNER_ACCOUNT, IAMPrincipal: '*' },
    }),
  });
  expect(res.status).toBe(200);
}

describe('monitor', () => {
  it('a role broken through the sandbox admin API turns broken; repaired, it turns ok', async () => {
    const saved = await save();
    expect(saved.status).toBe('ok');
    const { m } = monitor();

    // Nothing is due yet: a pass checks nothing.
    expect((await m.runPass()).checked).toBe(0);

    await deploy('222222222222', 'an-external-id-someone-else-chose');
    await makeDue();
    const broke = await m.runPass();
    expect(broke).toMatchObject({ checked: 1, transitions: 1, byStatus: { broken: 1 } });
    let d = await detail(saved.id);
    expect(d.status).toBe('broken');
    expect(d.diagnosisCode).toBe('EXTERNAL_ID_MISMATCH');
    expect(d.transitions.map((t) => [t.from, t.to])).toEqual([
      ['ok', 'broken'],
      [null, 'ok'],
    ]);
    expect(d.history[0]).toMatchObject({ trigger: 'monitor', outcome: 'broken' });
    // The next check is scheduled about one interval (default 3600 s, ±10 %) from now.
    const next = Date.parse(d.nextCheckAt ?? '') - Date.now();
    expect(next).toBeGreaterThan(3600_000 * 0.85);
    expect(next).toBeLessThanOrEqual(3600_000 * 1.1);

    await deploy('222222222222', TEST_EXTERNAL_ID);
    await makeDue();
    expect(await m.runPass()).toMatchObject({ checked: 1, transitions: 1, byStatus: { ok: 1 } });
    d = await detail(saved.id);
    expect(d.status).toBe('ok');
    expect(d.transitions.map((t) => t.to)).toEqual(['ok', 'broken', 'ok']);

    // Unchanged: history grows, no transition.
    await makeDue();
    expect(await m.runPass()).toMatchObject({ checked: 1, transitions: 0 });
    expect((await detail(saved.id)).history).toHaveLength(4);
  });

  it('a status change sends a signed webhook; a 500 is retried; every attempt is recorded', async () => {
    const saved = await save();
    // Saving is not a change of status: no alert for it.
    expect(receiver.received).toEqual([]);
    const { m } = monitor();
    receiver.script([500]);
    await deploy('222222222222', 'an-external-id-someone-else-chose');
    await makeDue();
    await m.runPass();

    expect(receiver.received).toHaveLength(2);
    const bodies = receiver.received.map((r) => r.body);
    expect(bodies[1]).toBe(bodies[0]);
    for (const r of receiver.received) {
      const header = r.headers[WEBHOOK_SIGNATURE_HEADER] as string;
      expect(verifySignature(WEBHOOK_SECRET, header, r.body)).toMatchObject({ ok: true });
      expect(verifySignature('not-the-secret-at-all!', header, r.body)).toMatchObject({ ok: false });
      expect(r.headers['content-type']).toBe('application/json');
    }
    const event = webhookEventSchema.parse(JSON.parse(bodies[0] as string));
    const d = await detail(saved.id);
    expect(event).toMatchObject({
      type: 'connection.status_changed',
      id: d.transitions[0]?.id,
      connection: {
        id: saved.id,
        accountId: '222222222222',
        roleArn: TARGET_ROLE_ARN,
        path: `/api/connections/${saved.id}`,
      },
      status: { from: 'ok', to: 'broken' },
      diagnosis: { code: 'EXTERNAL_ID_MISMATCH', severity: 'error' },
    });
    expect(receiver.received[0]?.headers[WEBHOOK_DELIVERY_HEADER]).toBe(event.id);
    // The body carries codes and ids only: no External ID, no report.
    expect(bodies[0]).not.toContain(TEST_EXTERNAL_ID);
    expect(d.deliveries.map((x) => [x.attempt, x.statusCode, x.error, x.delivered])).toEqual([
      [2, 200, null, true],
      [1, 500, 'HTTP 500', false],
    ]);
    expect(d.deliveries[0]?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/…$/);

    // Repaired: one more alert, to ok.
    await deploy('222222222222', TEST_EXTERNAL_ID);
    await makeDue();
    await m.runPass();
    expect(receiver.received).toHaveLength(3);
    expect(webhookEventSchema.parse(JSON.parse(receiver.received[2]?.body ?? '')).status).toEqual({
      from: 'broken',
      to: 'ok',
    });
  });

  it('a receiver that is down gets every attempt recorded with its error, then gives up', async () => {
    const saved = await save();
    await receiver.close();
    await deploy('222222222222', 'an-external-id-someone-else-chose');
    await makeDue();
    await monitor().m.runPass();
    const d = await detail(saved.id);
    expect(d.status).toBe('broken');
    expect(d.deliveries.map((x) => [x.attempt, x.statusCode, x.error, x.delivered])).toEqual([
      [4, null, 'ECONNREFUSED', false],
      [3, null, 'ECONNREFUSED', false],
      [2, null, 'ECONNREFUSED', false],
      [1, null, 'ECONNREFUSED', false],
    ]);
    receiver = await startReceiver();
  });

  it('checks only SDK-default connections: access-key ones keep no keys to check with', async () => {
    await save();
    const keys = {
      accessKeyId: 'AKIACANARYUSER000001',
      secretAccessKey: 'CanaryUserSecretKeyQ7Wv9Zr2Lp5Nt8Bf4Hk6J',
    };
    const res = await api('POST', '/api/connections', {
      source: { kind: 'access-keys', ...keys },
      roleArn: TARGET_ROLE_ARN,
      externalId: TEST_EXTERNAL_ID,
    });
    expect(res.status).toBe(201);
    // Even with a due time on every row, only the SDK-default one is taken.
    await sql`update connections set next_check_at = 0`.execute(store.db);
    expect(await monitor().m.runPass()).toMatchObject({ checked: 1, failed: 0 });
  });

  it('throttling is "unknown", not "broken": retried within minutes, and the monitor backs off', async () => {
    const saved = await save();
    s.sandbox.world.setFaults({
      propagationDelayMs: 0,
      throttle: { next: 1000, actions: ['sts:AssumeRole'] },
    });
    await makeDue();
    const { m, log } = monitor();
    expect(await m.runPass()).toMatchObject({ checked: 1, byStatus: { unknown: 1 } });
    const d = await detail(saved.id);
    expect(d).toMatchObject({ status: 'unknown', diagnosisCode: 'THROTTLED' });
    expect(Date.parse(d.nextCheckAt ?? '') - Date.now()).toBeLessThanOrEqual(5 * 60_000);
    expect(log.lines.some((l) => l.includes('AWS throttled a check: the monitor pauses'))).toBe(true);
  });

  it('names each drift from the template with its fix (drift table)', async () => {
    const clean = await save();
    expect((await detail(clean.id)).drift).toMatchObject({ findings: [], notChecked: [] });
    for (const c of DRIFT_CASES) {
      const saved = await save(`arn:aws:iam::${c.account}:role/ProwlerScan`);
      const d = await detail(saved.id);
      expect(d.drift?.provenance, c.account).toBe('observed');
      expect(
        d.drift?.findings.map((f) => f.kind),
        c.account,
      ).toEqual(c.kinds);
      expect(d.drift?.notChecked, c.account).toEqual([]);
      // Still assumable, so a warning, never "ok" while the role differs from the template.
      expect(d.status, c.account).toBe('warning');
      for (const f of d.drift?.findings ?? []) expect(f.fix).toMatch(/^(aws |aws-connect template)/);
    }
    const outdated = await save(`arn:aws:iam::301000000005:role/ProwlerScan`);
    const version = (await detail(outdated.id)).drift;
    expect(version?.templateVersion).toEqual({ current: '2', deployed: '1' });
    expect(version?.findings[0]?.summary).toContain(
      'version 2 tags the role with aws-connect:template-version',
    );
    expect(version?.findings[0]?.fix).toContain('--template-body file://prowler-scan-role.yaml');
  });
});
