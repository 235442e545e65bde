import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DiagnosisCode } from '../../domain/diagnosis/codes.ts';
import {
  type AccountEvent,
  discoverResponseSchema,
  ORG_API,
  type OrgEvent,
  orgEventSchema,
  type StartEvent,
  type SummaryEvent,
} from '../../domain/org-contract.ts';
import { readOrgEvents } from '../../domain/org-stream.ts';
import {
  type GeneratedOutcome,
  generatedOutcomes,
  organizationSchema,
} from '../../sandbox/organization-scenario.ts';
import {
  DELEGATED_ADMIN_ACCOUNT,
  FIRST_GENERATED,
  MANAGEMENT_ACCOUNT,
  managementRoleArn,
  OUS,
  organizationScenario,
  PLAIN_MEMBER_ACCOUNT,
  SCANNER,
} from '../../sandbox/test-organization.ts';
import { KEYS } from '../../sandbox/test-scenario.ts';
import { startAwsProxy } from '../../testing/aws-proxy.ts';
import { sqliteBackend } from '../../testing/store-backends.ts';
import { buildApp } from '../app.ts';
import { openStore, type Store } from '../store/database.ts';
import { captureLogs, type SandboxApp, sandboxApp, TEST_EXTERNAL_ID, testConfig } from '../test-support.ts';

// POST /api/org/verify over HTTP against the sandbox's organization (60 generated member accounts
// with a mix of outcomes): the outcomes table, the stream's order and completeness, SSE, retry of
// the failed only, cancel (proved with the sandbox's request log), throttling, the per-account
// timeout, discovery failures as events, and input refused before any AWS call.

const COUNT = 60;
const scenario = organizationScenario({ count: COUNT });
const expected = generatedOutcomes(organizationSchema.parse(scenario.organization));
const backend = sqliteBackend();
let store: Store;
const DECLARED = { trustedAccountId: SCANNER.accountId, iamPrincipal: SCANNER.iamPrincipal };

/**
 * What each generated outcome verifies as, with the trust settings declared. AWS answers the four
 * refusals with the same AccessDenied, and the caller matches the declared settings, so the verify
 * service names the most likely cause for all four: a different External ID (suspected).
 */
const OUTCOME_CODE: Record<Exclude<GeneratedOutcome, 'suspended'>, DiagnosisCode> = {
  connected: 'OK',
  'no-role': 'EXTERNAL_ID_MISMATCH',
  'trust-account-mismatch': 'EXTERNAL_ID_MISMATCH',
  'trust-principal-mismatch': 'EXTERNAL_ID_MISMATCH',
  'external-id-mismatch': 'EXTERNAL_ID_MISMATCH',
  'permissions-incomplete': 'PERMISSIONS_INCOMPLETE',
  'external-id-not-enforced': 'EXTERNAL_ID_NOT_ENFORCED',
};

let h: SandboxApp;
beforeAll(async () => {
  store = await openStore(await backend.fresh());
  h = await sandboxApp(
    { AWS_CONNECT_ORG_ACCOUNT_TIMEOUT_MS: '1000' },
    { scenario, deps: { store, orgThrottle: { backoffMs: 10 } } },
  );
});
afterAll(async () => {
  await h.close();
  await store.close();
  await backend.stop();
});
beforeEach(() => {
  h.sandbox.world.setFaults({ propagationDelayMs: 0 });
  h.sandbox.world.requestLog.clear();
});

async function post(path: string, body: unknown, accept = 'application/x-ndjson', signal?: AbortSignal) {
  return fetch(`${h.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
}

async function events(body: unknown): Promise<OrgEvent[]> {
  const res = await post(ORG_API.verify, body);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
  expect(res.headers.get('cache-control')).toBe('no-store');
  const out: OrgEvent[] = [];
  await readOrgEvents(res.body as ReadableStream<Uint8Array>, (e) => out.push(e));
  return out;
}

/** start, one account event per planned account, summary: nothing else, nothing twice. */
function checkStream(list: OrgEvent[]) {
  const [start, ...rest] = list;
  const summary = rest.pop();
  expect(start?.type).toBe('start');
  expect(summary?.type).toBe('summary');
  const s = start as StartEvent;
  const accounts = rest as AccountEvent[];
  expect(accounts.every((e) => e.type === 'account' && e.runId === s.runId)).toBe(true);
  expect(accounts.map((e) => e.index)).toEqual(accounts.map((_, i) => i + 1));
  expect(accounts.map((e) => e.accountId).sort()).toEqual(s.accounts.map((a) => a.accountId).sort());
  expect((summary as SummaryEvent).completed).toBe(s.total);
  return { start: s, accounts, summary: summary as SummaryEvent };
}

const fromOrganization = {
  targets: { kind: 'organization', roleArn: managementRoleArn() },
  externalId: TEST_EXTERNAL_ID,
  ...DECLARED,
};

describe('POST /api/org/verify: a whole organization', () => {
  it('the outcomes table: each account verified as its stack says, then the summary by outcome', async () => {
    const { start, accounts, summary } = checkStream(await events(fromOrganization));
    const suspended = [...expected].filter(([, o]) => o === 'suspended').map(([id]) => id);
    expect(start.total).toBe(3 + COUNT - suspended.length);
    expect(start.discovery).toMatchObject({
      organizationId: 'o-sandbox0001',
      managementAccountId: MANAGEMENT_ACCOUNT,
    });
    expect(start.accounts.map((a) => a.accountId)).not.toContain(suspended[0]);

    const want = new Map<string, DiagnosisCode>([
      [MANAGEMENT_ACCOUNT, 'OK'],
      [DELEGATED_ADMIN_ACCOUNT, 'OK'],
      [PLAIN_MEMBER_ACCOUNT, 'OK'],
    ]);
    for (const [id, outcome] of expected) if (outcome !== 'suspended') want.set(id, OUTCOME_CODE[outcome]);
    const got = new Map(accounts.map((e) => [e.accountId, e.code]));
    expect(got).toEqual(want);

    const byCode: Record<string, number> = {};
    for (const code of want.values()) byCode[code] = (byCode[code] ?? 0) + 1;
    expect(summary.byCode).toEqual(byCode);
    expect(summary.ok).toBe(byCode.OK);
    expect(summary.connected).toBe(
      (byCode.OK ?? 0) + (byCode.PERMISSIONS_INCOMPLETE ?? 0) + (byCode.EXTERNAL_ID_NOT_ENFORCED ?? 0),
    );
    expect(summary.failed.sort()).toEqual(
      [...want]
        .filter(([, c]) => c !== 'OK')
        .map(([id]) => id)
        .sort(),
    );
    expect(summary.cancelled).toBe(false);

    // Each account event carries its full report, and names the saved connection that keeps it.
    const one = accounts.find((e) => e.accountId === FIRST_GENERATED);
    expect(one?.report?.request.roleArn).toBe(`arn:aws:iam::${FIRST_GENERATED}:role/ProwlerScan`);
    expect(one?.report?.request.accountId).toBe(FIRST_GENERATED);
    const rows = await store.db.selectFrom('connections').select(['id', 'role_arn']).execute();
    const byRole = new Map(rows.map((r) => [r.role_arn, r.id]));
    expect(accounts.every((e) => e.saved && e.connectionId === byRole.get(e.roleArn))).toBe(true);
    expect(accounts.every((e) => e.roleArn === e.report?.request.roleArn)).toBe(true);
  });

  it('include and exclude by OU and account', async () => {
    const { start } = checkStream(
      await events({
        ...fromOrganization,
        targets: {
          kind: 'organization',
          roleArn: managementRoleArn(),
          selection: {
            includeOus: [OUS.workloads],
            excludeOus: [OUS.prod],
            excludeAccounts: [DELEGATED_ADMIN_ACCOUNT],
          },
        },
      }),
    );
    expect(start.accounts.every((a) => a.parentId === OUS.workloads)).toBe(true);
    expect(start.accounts.map((a) => a.accountId)).not.toContain(DELEGATED_ADMIN_ACCOUNT);
    expect(start.total).toBe(19);
  });

  it('retry the failed only: retryOf verifies the accounts that were not OK, with the run’s settings', async () => {
    const first = checkStream(await events(fromOrganization));
    // Fix one account outside the product, as a user would: deploy the stack in a no-role account.
    const noRole = [...expected].find(([, o]) => o === 'no-role')?.[0] ?? '';
    h.sandbox.world.deployStack({
      accountId: noRole,
      parameters: {
        ExternalId: TEST_EXTERNAL_ID,
        AccountId: SCANNER.accountId,
        IAMPrincipal: SCANNER.iamPrincipal,
      },
    });
    const retry = checkStream(await events({ retryOf: first.start.runId }));
    expect(retry.start.retryOf).toBe(first.start.runId);
    expect(retry.start.accounts.map((a) => a.accountId).sort()).toEqual([...first.summary.failed].sort());
    expect(retry.accounts.find((e) => e.accountId === noRole)?.code).toBe('OK');
    expect(retry.summary.failed).toHaveLength(first.summary.failed.length - 1);
    // A retry of the retry takes what still failed.
    const again = checkStream(await events({ retryOf: retry.start.runId }));
    expect(again.start.total).toBe(retry.summary.failed.length);
    // Or as an account list (what the CLI sends): the failed IDs, with a per-account role name.
    const list = checkStream(
      await events({
        targets: {
          kind: 'accounts',
          accounts: [
            { accountId: noRole, alias: 'fixed' },
            { accountId: PLAIN_MEMBER_ACCOUNT, roleName: 'NoSuchRole' },
          ],
        },
        externalId: TEST_EXTERNAL_ID,
        ...DECLARED,
      }),
    );
    expect(Object.fromEntries(list.accounts.map((e) => [e.accountId, [e.code, e.alias, e.roleArn]]))).toEqual(
      {
        [noRole]: ['OK', 'fixed', `arn:aws:iam::${noRole}:role/ProwlerScan`],
        [PLAIN_MEMBER_ACCOUNT]: [
          'EXTERNAL_ID_MISMATCH',
          undefined,
          `arn:aws:iam::${PLAIN_MEMBER_ACCOUNT}:role/NoSuchRole`,
        ],
      },
    );
  });

  it('Server-Sent Events carry the same events', async () => {
    const res = await post(
      ORG_API.verify,
      {
        targets: {
          kind: 'accounts',
          accounts: [{ accountId: MANAGEMENT_ACCOUNT }, { accountId: PLAIN_MEMBER_ACCOUNT }],
        },
        externalId: TEST_EXTERNAL_ID,
      },
      'text/event-stream',
    );
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const text = await res.text();
    const blocks = text.trim().split('\n\n');
    const parsed = blocks.map((b) => {
      const [type, id, data] = b.split('\n');
      const event = orgEventSchema.parse(JSON.parse(data?.replace(/^data: /, '') ?? ''));
      expect(type).toBe(`event: ${event.type}`);
      return { id, event };
    });
    expect(parsed.map((p) => p.id)).toEqual(['id: 1', 'id: 2', 'id: 3', 'id: 4']);
    checkStream(parsed.map((p) => p.event));
  });

  it('cancel: the client closes the stream, and no AWS call is sent after the run stopped', async () => {
    // A proxy in front of the sandbox counts calls as they are sent (the sandbox's own log counts
    // them when it answers, which for a call abandoned in flight is after the run stopped).
    const proxy = await startAwsProxy(h.sandbox.url);
    const keys = h.sandbox.world.serverCredentials('scanner');
    const { stream, lines } = captureLogs();
    const app = await buildApp(
      testConfig({ AWS_CONNECT_RATE_LIMIT_PER_MINUTE: '100000', AWS_CONNECT_AWS_TIMEOUT_MS: '3000' }),
      {
        externalId: TEST_EXTERNAL_ID,
        defaultCredentials: async () => keys ?? { accessKeyId: '', secretAccessKey: '' },
        endpoints: { sts: proxy.url, iam: proxy.url, organizations: proxy.url },
        logStream: stream,
        retry: { baseDelayMs: 10 },
      },
    );
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      h.sandbox.world.setFaults({ propagationDelayMs: 0, latencyMs: 50 });
      const controller = new AbortController();
      const res = await fetch(`${url}${ORG_API.verify}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/x-ndjson' },
        body: JSON.stringify({ ...fromOrganization, concurrency: 2 }),
        signal: controller.signal,
      });
      let accountEvents = 0;
      await readOrgEvents(res.body as ReadableStream<Uint8Array>, (e) => {
        if (e.type === 'account' && ++accountEvents === 3) controller.abort();
      }).catch((e: Error) => expect(e.name).toBe('AbortError'));
      // The server says when the run stopped; from then on nothing may be sent to AWS. A call the
      // proxy receives later was already on its way when the run stopped (the proxy runs in this
      // process, and a loaded machine reads it late): the cancel cut it, so its client gave up.
      while (!lines.some((l) => l.includes('organization run cancelled')))
        await new Promise((r) => setTimeout(r, 5));
      const sent = proxy.count();
      await new Promise((r) => setTimeout(r, 200));
      expect(proxy.calls.slice(sent).filter((c) => !c.abandoned)).toEqual([]);
      // 61 accounts planned: only those the server reported before it saw the stream close (how
      // many depends on how soon the close reached it: the count comes from the server's summary)
      // and those in flight (2) were ever started. At 50 ms a call the whole run takes seconds.
      const line = lines.find((l) => l.includes('organization run cancelled')) ?? '';
      const { summary } = JSON.parse(line);
      expect(summary).toMatchObject({ total: 61, cancelled: true });
      expect(summary.completed).toBeGreaterThanOrEqual(3);
      expect(summary.completed).toBeLessThan(61);
      const members = new Set(
        proxy.calls
          .filter(
            (c) => c.action === 'AssumeRole' && c.roleArn && c.roleArn !== fromOrganization.targets.roleArn,
          )
          .map((c) => c.roleArn),
      );
      expect(members.size).toBeGreaterThanOrEqual(3);
      expect(members.size).toBeLessThanOrEqual(summary.completed + 2);
    } finally {
      await app.close();
      await proxy.close();
    }
  });

  it('an account still throttled after the verify service’s retries is verified again', async () => {
    // Concurrency 1: the first verification's AssumeRole and its probe (sent with it) get three
    // throttles each.
    h.sandbox.world.setFaults({ propagationDelayMs: 0, throttle: { next: 6, actions: ['sts:AssumeRole'] } });
    const { accounts } = checkStream(
      await events({
        targets: { kind: 'accounts', accounts: [{ accountId: MANAGEMENT_ACCOUNT }] },
        externalId: TEST_EXTERNAL_ID,
        concurrency: 1,
      }),
    );
    expect(accounts[0]).toMatchObject({ code: 'OK', attempts: 2 });
    expect(h.sandbox.world.requestLog.snapshot().byCode.Throttling).toBe(6);
  });

  it('an account with no answer within its timeout: STS_TIMEOUT, the next one goes on', async () => {
    h.sandbox.world.setFaults({ propagationDelayMs: 0, hang: { next: 1, actions: ['sts:AssumeRole'] } });
    const { accounts } = checkStream(
      await events({
        targets: {
          kind: 'accounts',
          accounts: [{ accountId: MANAGEMENT_ACCOUNT }, { accountId: PLAIN_MEMBER_ACCOUNT }],
        },
        externalId: TEST_EXTERNAL_ID,
        concurrency: 1,
      }),
    );
    expect(accounts.map((e) => [e.accountId, e.code, e.timedOut, e.report === null])).toEqual([
      [MANAGEMENT_ACCOUNT, 'STS_TIMEOUT', true, true],
      [PLAIN_MEMBER_ACCOUNT, 'OK', false, false],
    ]);
  });

  it('discovery failures are the one event of the stream', async () => {
    const wrongId = await events({
      ...fromOrganization,
      externalId: TEST_EXTERNAL_ID,
      targets: { kind: 'organization', roleArn: managementRoleArn(MANAGEMENT_ACCOUNT, 'NoOrgRead') },
    });
    expect(wrongId).toHaveLength(1);
    expect(wrongId[0]).toMatchObject({ type: 'failed', failure: { code: 'ORGANIZATIONS_ACCESS_DENIED' } });
    const unknown = await events({
      ...fromOrganization,
      targets: {
        kind: 'organization',
        roleArn: managementRoleArn(),
        selection: { includeOus: ['ou-sbx0-notthere'] },
      },
    });
    expect(unknown).toEqual([
      expect.objectContaining({
        type: 'failed',
        failure: expect.objectContaining({
          code: 'SELECTION_NOT_FOUND',
          message: 'Not in organization o-sandbox0001: ou-sbx0-notthere.',
        }),
      }),
    ]);
  });

  it('the stream carries no secret', async () => {
    const res = await post(ORG_API.verify, {
      targets: { kind: 'accounts', accounts: [{ accountId: MANAGEMENT_ACCOUNT }] },
      externalId: TEST_EXTERNAL_ID,
    });
    const text = await res.text();
    expect(text).not.toContain(KEYS.scanner.secretAccessKey);
    expect(text).not.toMatch(/secretAccessKey|sessionToken|SecretAccessKey|SessionToken/);
    expect(text).toContain('ASIA'); // the assumed key ID, masked
    expect(text).not.toMatch(/ASIA[A-Z0-9]{16}/);
  });
});

describe('refused before any AWS call', () => {
  it.each([
    [
      'both targets and retryOf',
      { ...fromOrganization, retryOf: '00000000-0000-0000-0000-000000000000' },
      400,
      'INVALID_INPUT',
      'targets',
    ],
    ['neither', { externalId: TEST_EXTERNAL_ID }, 400, 'INVALID_INPUT', 'targets'],
    ['no External ID', { targets: fromOrganization.targets }, 400, 'INVALID_INPUT', 'externalId'],
    [
      'a bad account in the list',
      { targets: { kind: 'accounts', accounts: [{ accountId: '1234' }] }, externalId: TEST_EXTERNAL_ID },
      400,
      'INVALID_INPUT',
      'targets.accounts.0.accountId',
    ],
    ['concurrency above 64', { ...fromOrganization, concurrency: 65 }, 400, 'INVALID_INPUT', 'concurrency'],
    [
      'another External ID with the server’s identity',
      { ...fromOrganization, externalId: 'someone-elses-external-id' },
      400,
      'EXTERNAL_ID_NOT_ISSUED',
      'externalId',
    ],
    ['an unknown run', { retryOf: '00000000-0000-0000-0000-000000000000' }, 404, 'RUN_NOT_FOUND', null],
  ])('%s', async (_, body, status, code, field) => {
    const res = await post(ORG_API.verify, body);
    expect(res.status).toBe(status);
    const json = (await res.json()) as { error: { code: string; fields: { path: string }[] } };
    expect(json.error.code).toBe(code);
    if (field) expect(json.error.fields.map((f) => f.path)).toContain(field);
    expect(h.sandbox.world.requestLog.snapshot().total).toBe(0);
  });

  it('asks for a stream: 406 for Accept: application/json', async () => {
    const res = await post(ORG_API.verify, fromOrganization, 'application/json');
    expect(res.status).toBe(406);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_ACCEPTABLE');
  });
});

describe('POST /api/org/discover', () => {
  it('answers the discovery as JSON', async () => {
    const res = await post(
      ORG_API.discover,
      { roleArn: managementRoleArn(), externalId: TEST_EXTERNAL_ID },
      'application/json',
    );
    expect(res.status).toBe(200);
    const body = discoverResponseSchema.parse(await res.json());
    if (!body.ok) throw new Error(body.failure.message);
    expect(body.discovery.units).toHaveLength(4);
    expect(body.discovery.accounts.length + body.discovery.inactiveAccounts.length).toBe(3 + COUNT);
  });
});
