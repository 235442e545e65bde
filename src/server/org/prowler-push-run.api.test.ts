import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccountEvent, ORG_API, type OrgEvent } from '../../domain/org-contract.ts';
import {
  type BulkPushAccount,
  type BulkPushEvent,
  type BulkPushSummary,
  bulkPushEndpoint,
  bulkPushEventSchema,
} from '../../domain/org-prowler-push.ts';
import { readOrgEvents } from '../../domain/org-stream.ts';
import { managementRoleArn, organizationScenario, SCANNER } from '../../sandbox/test-organization.ts';
import { ProwlerFake } from '../../testing/prowler-fake.ts';
import { contractProblems, OpenApiContract } from '../../testing/prowler-openapi.ts';
import { PROWLER_ERROR_TEXTS } from '../../testing/prowler-texts.ts';
import { ProwlerClient } from '../prowler/client.ts';
import { type SandboxApp, sandboxApp, TEST_EXTERNAL_ID } from '../test-support.ts';

// POST /api/org/runs/:runId/prowler-push on the real server: a bulk run over the sandbox's
// organization (a mix of outcomes), then its connected accounts pushed to the fake Prowler App
// (every exchange held to the OpenAPI document): only those pushed, at most `concurrency` at once,
// one Prowler failure read as our code, one API refusal kept as a push failure, the key in nothing.

const KEY = 'pk_CanaryBulkPushKey.0123456789abcdefBULKCANARY';
const COUNT = 24;
const texts: string[] = [];
let fake: ProwlerFake;
let h: SandboxApp;

beforeAll(async () => {
  fake = await new ProwlerFake({ apiKey: KEY, tenantId: TEST_EXTERNAL_ID }).start();
  h = await sandboxApp(
    { PROWLER_API_URL: fake.url, PROWLER_API_KEY: KEY },
    {
      scenario: organizationScenario({ count: COUNT }),
      deps: {
        orgThrottle: { backoffMs: 10 },
        prowler: {
          client: new ProwlerClient({ baseUrl: fake.url, apiKey: KEY, timeoutMs: 2_000, baseDelayMs: 0 }),
          poll: { baseDelayMs: 0 },
        },
      },
    },
  );
  h.sandbox.world.setFaults({ propagationDelayMs: 0 });
});
afterAll(async () => {
  await h.close();
  await fake.close();
  expect(contractProblems(new OpenApiContract(), fake.log)).toEqual([]);
  const everything = [...texts, ...h.logs].join('\n');
  expect(everything).not.toContain(KEY.slice(3, 30));
});

async function post(path: string, body: unknown) {
  return fetch(`${h.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/x-ndjson' },
    body: JSON.stringify(body),
  });
}

async function verifyRun(): Promise<{ runId: string; accounts: AccountEvent[] }> {
  const res = await post(ORG_API.verify, {
    targets: { kind: 'organization', roleArn: managementRoleArn() },
    externalId: TEST_EXTERNAL_ID,
    trustedAccountId: SCANNER.accountId,
    iamPrincipal: SCANNER.iamPrincipal,
  });
  const events: OrgEvent[] = [];
  await readOrgEvents(res.body as ReadableStream<Uint8Array>, (e) => events.push(e));
  const accounts = events.filter((e): e is AccountEvent => e.type === 'account');
  return { runId: accounts[0]?.runId ?? '', accounts };
}

async function pushEvents(runId: string, body: unknown = {}) {
  const res = await post(bulkPushEndpoint.pathOf(runId), body);
  const text = await res.text();
  texts.push(text);
  if (res.status !== 200) return { status: res.status, text, events: [] as BulkPushEvent[] };
  expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
  const events = text
    .split('\n')
    .filter(Boolean)
    .map((line) => bulkPushEventSchema.parse(JSON.parse(line)));
  return { status: res.status, text, events };
}

describe('POST /api/org/runs/:runId/prowler-push', () => {
  it('pushes only the run’s connected accounts, bounded, with a summary by outcome', async () => {
    const { runId, accounts } = await verifyRun();
    const connected = accounts.filter((a) => a.connected).map((a) => a.accountId);
    const refused = accounts.filter((a) => !a.connected).map((a) => a.accountId);
    expect(connected.length).toBeGreaterThan(3);
    expect(refused.length).toBeGreaterThan(0);

    const mismatch = PROWLER_ERROR_TEXTS.find((t) => t.code === 'ROLE_ACCOUNT_MISMATCH')!;
    // The last one starts after a whole push finished, so the one 403 below went to another account.
    const failing = connected.at(-1);
    let inFlight = 0;
    let most = 0;
    fake.outcome = async ({ provider }) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return provider.uid === failing
        ? { connected: false, error: mismatch.text }
        : { connected: true, error: null };
    };
    // Prowler refuses one provider outright (403): that account is a push failure, the others go on.
    fake.inject('POST /providers', {
      status: 403,
      body: { errors: [{ detail: 'You do not have permission.', status: '403', code: 'permission_denied' }] },
    });

    const { status, events } = await pushEvents(runId, { concurrency: 3 });
    expect(status).toBe(200);
    const [start, ...rest] = events;
    const summary = rest.pop() as BulkPushSummary;
    const pushedEvents = rest as BulkPushAccount[];
    expect(start).toMatchObject({
      type: 'start',
      runId,
      total: connected.length,
      skipped: refused.length,
      concurrency: 3,
    });
    expect(pushedEvents.map((e) => e.accountId).sort()).toEqual([...connected].sort());
    expect(pushedEvents.map((e) => e.index)).toEqual(pushedEvents.map((_, i) => i + 1));
    // Not one exchange with Prowler about an account that did not connect.
    const uids = new Set([...fake.providers.values()].map((p) => p.uid));
    expect(refused.filter((a) => uids.has(a))).toEqual([]);
    const posted = fake.log
      .filter((x) => x.method === 'POST' && x.path.endsWith('/providers'))
      .map((x) => (x.body as { data: { attributes: { uid: string } } }).data.attributes.uid);
    expect(posted.filter((uid) => refused.includes(uid))).toEqual([]);
    expect(most).toBeLessThanOrEqual(3);

    expect(summary).toMatchObject({ type: 'summary', total: connected.length, completed: connected.length });
    expect(summary.pushFailed).toEqual([expect.objectContaining({ kind: 'forbidden', retryable: false })]);
    expect(summary.pushFailed[0]?.accountId).not.toBe(failing);
    expect(summary.pushed).toBe(connected.length - 1);
    expect(summary.prowlerFailed).toEqual([{ accountId: failing, code: 'ROLE_ACCOUNT_MISMATCH' }]);
    const failed = pushedEvents.find((e) => e.accountId === failing);
    expect(failed?.comparison?.agreement).toBe('disagree');
    expect(failed?.push.pushed && failed.push.prowler.diagnosis?.code).toBe('ROLE_ACCOUNT_MISMATCH');
    expect(summary.prowlerConnected).toBe(summary.pushed - summary.prowlerFailed.length);
    const agreeing = pushedEvents.find((e) => e.push.pushed && e.push.prowler.connected);
    expect(agreeing?.comparison?.agreement).toBe('agree');

    // Pushing the run again is the retry: every step is idempotent, the refused one now goes through.
    fake.outcome = () => ({ connected: true, error: null });
    const again = await pushEvents(runId, {});
    const last = again.events.at(-1) as BulkPushSummary;
    expect(last).toMatchObject({
      pushed: connected.length,
      prowlerConnected: connected.length,
      pushFailed: [],
    });
  }, 60_000);

  it('refuses an unknown run (404), a bad concurrency (400), and another Accept (406), before any call to Prowler', async () => {
    const before = fake.log.length;
    expect((await pushEvents('00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const { runId } = await verifyRun();
    expect((await pushEvents(runId, { concurrency: 0 })).status).toBe(400);
    const sse = await fetch(`${h.url}${bulkPushEndpoint.pathOf(runId)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: '{}',
    });
    expect(sse.status).toBe(406);
    expect(fake.log.length).toBe(before);
  }, 60_000);

  it('closing the stream stops it: no account is pushed after that', async () => {
    const { runId, accounts } = await verifyRun();
    expect(accounts.filter((a) => a.connected).length).toBeGreaterThan(2);
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let reached: () => void = () => {};
    const first = new Promise<void>((r) => {
      reached = r;
    });
    fake.outcome = async () => {
      reached();
      await gate;
      return { connected: true, error: null };
    };
    const posts = () => fake.log.filter((x) => x.method === 'POST' && x.path.endsWith('/providers')).length;
    const before = posts();
    const controller = new AbortController();
    const res = await fetch(`${h.url}${bulkPushEndpoint.pathOf(runId)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/x-ndjson' },
      body: JSON.stringify({ concurrency: 1 }),
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    await first;
    controller.abort();
    // Let the first push finish only once the server has seen the stream close.
    const closed = () => h.logs.some((l) => l.includes('the client closed the stream') && l.includes(runId));
    for (let i = 0; i < 200 && !closed(); i++) await new Promise((r) => setTimeout(r, 25));
    expect(closed()).toBe(true);
    release();
    // The server says when it stopped; until then nothing is counted.
    const stopped = () => h.logs.some((l) => l.includes('"cancelled":true') && l.includes(runId));
    for (let i = 0; i < 200 && !stopped(); i++) await new Promise((r) => setTimeout(r, 25));
    expect(stopped()).toBe(true);
    expect(posts() - before).toBe(1);
    fake.outcome = () => ({ connected: true, error: null });
  }, 60_000);
});
