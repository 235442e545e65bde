import { afterAll, describe, expect, it } from 'vitest';
import {
  type ConnectionDetail,
  type ConnectionSummary,
  connectionDetailSchema,
  connectionListSchema,
  connectionPath,
} from '../../domain/connection-contract.ts';
import { type AccountEvent, ORG_API, type OrgEvent } from '../../domain/org-contract.ts';
import { readOrgEvents } from '../../domain/org-stream.ts';
import { generatedOutcomes, organizationSchema } from '../../sandbox/organization-scenario.ts';
import {
  FIRST_GENERATED,
  managementRoleArn,
  organizationScenario,
  PLAIN_MEMBER_ACCOUNT,
  SCANNER,
} from '../../sandbox/test-organization.ts';
import { KEYS } from '../../sandbox/test-scenario.ts';
import { ProwlerFake } from '../../testing/prowler-fake.ts';
import { type Backend, postgresBackend, sqliteBackend } from '../../testing/store-backends.ts';
import { startReceiver } from '../../testing/webhook-receiver.ts';
import { ProwlerClient } from '../prowler/client.ts';
import { openStore } from '../store/database.ts';
import { type SandboxApp, sandboxApp, sandboxAppOnStore, TEST_EXTERNAL_ID } from '../test-support.ts';

// Issue 14, "results are saved as connections": an organization run through the real API, the
// sandbox's organization and a real store (SQLite file and PostgreSQL) leaves one saved connection
// per verified account; the next run updates the same ones, with history, transitions and alerts.

const COUNT = 14;
const scenario = organizationScenario({ count: COUNT });
const expected = generatedOutcomes(organizationSchema.parse(scenario.organization));
const idOf = (outcome: string) => [...expected].find(([, o]) => o === outcome)?.[0] ?? '';
const NO_ROLE = idOf('no-role');
const INCOMPLETE = idOf('permissions-incomplete');
const DECLARED = { trustedAccountId: SCANNER.accountId, iamPrincipal: SCANNER.iamPrincipal };
const WEBHOOK_SECRET = 'org-results-webhook-secret-0123456789';
const fromOrganization = {
  targets: { kind: 'organization', roleArn: managementRoleArn() },
  externalId: TEST_EXTERNAL_ID,
  ...DECLARED,
};

const backends: (Backend & { available?: boolean })[] = [sqliteBackend(), postgresBackend()];
afterAll(async () => {
  for (const b of backends) await b.stop();
});

const start = (backend: Backend, env: Record<string, string> = {}) =>
  sandboxAppOnStore(
    backend,
    { AWS_CONNECT_ORG_ACCOUNT_TIMEOUT_MS: '1000', ...env },
    { scenario, deps: { orgThrottle: { backoffMs: 10 }, webhook: { baseDelayMs: 1, attempts: 1 } } },
  );

async function run(app: SandboxApp, body: unknown): Promise<AccountEvent[]> {
  const res = await fetch(`${app.url}${ORG_API.verify}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/x-ndjson' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  const events: OrgEvent[] = [];
  await readOrgEvents(res.body as ReadableStream<Uint8Array>, (e) => events.push(e));
  expect(events.at(-1)?.type, JSON.stringify(events.at(-1)).slice(0, 400)).toBe('summary');
  return events.filter((e): e is AccountEvent => e.type === 'account');
}

async function get<T>(app: SandboxApp, path: string, schema: { parse(v: unknown): T }): Promise<T> {
  const res = await fetch(`${app.url}${path}`);
  expect(res.status).toBe(200);
  return schema.parse(await res.json());
}

const list = (app: SandboxApp) => get(app, '/api/connections?limit=200', connectionListSchema);
const detail = (app: SandboxApp, id: string): Promise<ConnectionDetail> =>
  get(app, `/api/connections/${id}`, connectionDetailSchema);
const STATUS_OF: Record<string, ConnectionSummary['status']> = {
  OK: 'ok',
  PERMISSIONS_INCOMPLETE: 'warning',
  EXTERNAL_ID_NOT_ENFORCED: 'warning',
  EXTERNAL_ID_MISMATCH: 'broken',
};

describe.each(backends)('organization results are saved connections ($name)', (backend) => {
  const skip = backend.available === false;

  it.skipIf(skip)(
    'one connection per verified account, with its status, diagnosis, settings and an org history row; the next run updates them and alerts on each change',
    async () => {
      const receiver = await startReceiver();
      const s = await start(backend, {
        AWS_CONNECT_WEBHOOK_URL: receiver.url,
        AWS_CONNECT_WEBHOOK_SECRET: WEBHOOK_SECRET,
      });
      try {
        const first = await run(s.app, fromOrganization);
        expect(first.length).toBe(3 + COUNT);
        expect(first.every((e) => e.saved && typeof e.connectionId === 'string')).toBe(true);

        const saved = await list(s.app);
        expect(saved.total).toBe(first.length);
        const byAccount = new Map(saved.items.map((c) => [c.accountId, c]));
        for (const e of first) {
          expect(byAccount.get(e.accountId), e.accountId).toMatchObject({
            id: e.connectionId,
            roleArn: e.roleArn,
            sourceKind: 'sdk-default',
            monitored: true,
            status: STATUS_OF[e.code],
            diagnosisCode: e.code,
          });
        }
        expect(byAccount.get(INCOMPLETE)?.status).toBe('warning');
        expect(byAccount.get(NO_ROLE)).toMatchObject({ status: 'broken', confidence: 'suspected' });

        const plain = byAccount.get(PLAIN_MEMBER_ACCOUNT) as ConnectionSummary;
        const one = await detail(s.app, plain.id);
        expect(one).toMatchObject({
          alias: 'plain-member', // the account's name in the organization
          externalId: TEST_EXTERNAL_ID,
          trustedAccountId: SCANNER.accountId,
          iamPrincipal: SCANNER.iamPrincipal,
          sessionName: 'aws-connect-org-verify',
          reportOutdated: false,
          history: [{ outcome: 'ok', diagnosisCode: 'OK', trigger: 'org' }],
          transitions: [{ from: null, to: 'ok' }],
        });
        expect(one.report?.requestId).toBe(
          first.find((e) => e.accountId === PLAIN_MEMBER_ACCOUNT)?.report?.requestId,
        );
        expect(one.nextCheckAt).not.toBeNull();
        // Created connections raise no alert, as for one saved from the wizard.
        expect(receiver.received).toHaveLength(0);

        // Between the runs: one broken account is fixed, one connected account loses its role.
        s.app.sandbox.world.deployStack({
          accountId: NO_ROLE,
          parameters: {
            ExternalId: TEST_EXTERNAL_ID,
            AccountId: SCANNER.accountId,
            IAMPrincipal: SCANNER.iamPrincipal,
          },
        });
        s.app.sandbox.world.deleteRole(FIRST_GENERATED, 'ProwlerScan');

        const second = await run(s.app, fromOrganization);
        expect(second.map((e) => e.connectionId).sort()).toEqual(first.map((e) => e.connectionId).sort());
        const after = await list(s.app);
        expect(after.total).toBe(first.length);
        const changed = new Map(after.items.map((c) => [c.accountId, c]));
        expect(changed.get(NO_ROLE)).toMatchObject({ status: 'ok', diagnosisCode: 'OK' });
        expect(changed.get(FIRST_GENERATED)).toMatchObject({
          status: 'broken',
          diagnosisCode: 'EXTERNAL_ID_MISMATCH',
        });

        const fixed = await detail(s.app, changed.get(NO_ROLE)?.id ?? '');
        expect(fixed.history.map((h) => [h.trigger, h.outcome])).toEqual([
          ['org', 'ok'],
          ['org', 'broken'],
        ]);
        expect(fixed.transitions.map((t) => [t.from, t.to])).toEqual([
          ['broken', 'ok'],
          [null, 'broken'],
        ]);
        const unchanged = await detail(s.app, plain.id);
        expect(unchanged.history).toHaveLength(2);
        expect(unchanged.transitions).toHaveLength(1);

        // Exactly the two changes were alerted, once each, through the webhook.
        await s.app.app.close(); // drains the alerts under way
        const alerted = receiver.received.map((r) => JSON.parse(r.body));
        expect(alerted.map((a) => [a.connection.accountId, a.status.from, a.status.to]).sort()).toEqual(
          [
            [FIRST_GENERATED, 'ok', 'broken'],
            [NO_ROLE, 'broken', 'ok'],
          ].sort(),
        );
      } finally {
        await s.close().catch(() => undefined);
        await receiver.close();
      }
    },
  );

  it.skipIf(skip)(
    'a run makes no drift check: the drift the last check found still stands, with its date, instead of reading ok',
    async () => {
      const s = await start(backend);
      try {
        const first = await run(s.app, fromOrganization);
        const id = first.find((e) => e.accountId === PLAIN_MEMBER_ACCOUNT)?.connectionId ?? '';
        expect((await detail(s.app, id)).status).toBe('ok');
        // Changed outside CloudFormation: still assumable, but no longer the template's role.
        const { world } = s.app.sandbox;
        const role = world.role(PLAIN_MEMBER_ACCOUNT, 'ProwlerScan');
        if (!role) throw new Error('the member account has no ProwlerScan role');
        world.putRole(PLAIN_MEMBER_ACCOUNT, { ...role, maxSessionDuration: 7200 });
        // A check that compares the role with the template, as the monitor's does.
        const res = await fetch(`${s.app.url}${connectionPath(id, true)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        expect(res.status).toBe(200);
        const checked = await detail(s.app, id);
        expect(checked.status).toBe('warning');
        expect(checked.drift?.findings.map((f) => f.kind)).toEqual(['max-session-duration']);

        await run(s.app, fromOrganization);
        const after = await detail(s.app, id);
        expect(after).toMatchObject({ status: 'warning', diagnosisCode: 'OK' });
        expect(after.drift).toEqual(checked.drift);
        expect(after.history.map((h) => h.trigger)).toEqual(['org', 'manual', 'org']);
        expect(after.transitions.map((t) => [t.from, t.to])).toEqual([
          ['ok', 'warning'],
          [null, 'ok'],
        ]);
      } finally {
        await s.close();
      }
    },
  );

  it.skipIf(skip)('an account with no result within its timeout is not saved', async () => {
    const s = await start(backend);
    try {
      s.app.sandbox.world.setFaults({
        propagationDelayMs: 0,
        hang: { next: 1, actions: ['sts:AssumeRole'] },
      });
      const events = await run(s.app, {
        targets: {
          kind: 'accounts',
          accounts: [{ accountId: PLAIN_MEMBER_ACCOUNT }, { accountId: INCOMPLETE }],
        },
        externalId: TEST_EXTERNAL_ID,
        concurrency: 1,
      });
      expect(events.map((e) => [e.accountId, e.timedOut, e.saved, e.connectionId])).toEqual([
        [PLAIN_MEMBER_ACCOUNT, true, false, undefined],
        [INCOMPLETE, false, true, expect.any(String)],
      ]);
      expect((await list(s.app)).items.map((c) => c.accountId)).toEqual([INCOMPLETE]);
    } finally {
      await s.close();
    }
  });

  it.skipIf(skip)(
    'an access-key run saves no key: the secret and the sessions it obtained are in no byte of the database',
    async () => {
      const s = await start(backend);
      try {
        const source = { kind: 'access-keys', ...KEYS.scanner };
        const events = await run(s.app, {
          ...fromOrganization,
          source,
          externalId: TEST_EXTERNAL_ID,
        });
        expect(events.length).toBeGreaterThan(3);
        expect(events.every((e) => e.saved)).toBe(true);
        const saved = await list(s.app);
        expect(saved.items.every((c) => c.sourceKind === 'access-keys' && !c.monitored)).toBe(true);
        expect((await detail(s.app, saved.items[0]?.id ?? '')).nextCheckAt).toBeNull();
        // The assumed sessions the run obtained: their secrets are secrets too.
        const secrets = new Set<string>([KEYS.scanner.secretAccessKey]);
        for (const r of s.app.sandbox.world.requestLog.snapshot().recent) {
          const cred = r.accessKeyId ? s.app.sandbox.world.credential(r.accessKeyId) : undefined;
          if (cred?.kind === 'session') {
            secrets.add(cred.secretAccessKey);
            secrets.add(cred.session.sessionToken);
          }
        }
        expect(secrets.size).toBeGreaterThan(2);
        await s.close();
        const everything = await backend.dumpAll(s.target);
        expect(everything).toContain(KEYS.scanner.accessKeyId.slice(0, 4)); // readable text
        for (const secret of secrets) {
          expect(everything).not.toContain(secret);
          expect(everything).not.toContain(secret.slice(0, 24));
        }
      } finally {
        await s.close().catch(() => undefined);
      }
    },
  );
});

describe('hosted flavour: a run’s connections belong to the browser session that started it', () => {
  /** One browser: its session cookie, kept across calls. */
  class Jar {
    cookie: string | null = null;
    constructor(readonly app: SandboxApp) {}
    async call(method: string, path: string, body?: unknown, accept = 'application/json') {
      const res = await fetch(`${this.app.url}${path}`, {
        method,
        headers: {
          accept,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(this.cookie ? { cookie: this.cookie } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const set = res.headers.get('set-cookie');
      if (set) this.cookie = set.split(';')[0] ?? null;
      return res;
    }
    async externalId(): Promise<string> {
      return ((await (await this.call('GET', '/api/config')).json()) as { externalId: string }).externalId;
    }
    async run(body: unknown): Promise<OrgEvent[]> {
      const res = await this.call('POST', ORG_API.verify, body, 'application/x-ndjson');
      expect(res.status).toBe(200);
      const events: OrgEvent[] = [];
      await readOrgEvents(res.body as ReadableStream<Uint8Array>, (e) => events.push(e));
      return events;
    }
    async connections() {
      return connectionListSchema.parse(await (await this.call('GET', '/api/connections')).json());
    }
  }

  it.skipIf(backends[0]?.available === false)(
    'only that session lists them, updates them, or retries its run; another session cannot use its External ID',
    async () => {
      const target = await (backends[0] as Backend).fresh();
      const store = await openStore(target);
      const prowlerKey = 'pk_HostedRunPushKey.0123456789abcdef';
      const prowler = await new ProwlerFake({ apiKey: prowlerKey, tenantId: TEST_EXTERNAL_ID }).start();
      // Real-AWS mode (the sandbox only as an AWS endpoint), as the hosted External ID test does.
      const app = await sandboxApp(
        {
          AWS_CONNECT_FLAVOUR: 'hosted',
          AWS_CONNECT_SANDBOX: 'off',
          PROWLER_API_URL: prowler.url,
          PROWLER_API_KEY: prowlerKey,
        },
        {
          scenario,
          deps: {
            store,
            prowler: {
              client: new ProwlerClient({ baseUrl: prowler.url, apiKey: prowlerKey, timeoutMs: 2_000 }),
            },
          },
        },
      );
      try {
        const a = new Jar(app);
        const b = new Jar(app);
        const idA = await a.externalId();
        const idB = await b.externalId();
        app.sandbox.world.deployStack({
          accountId: PLAIN_MEMBER_ACCOUNT,
          parameters: { ExternalId: idA, AccountId: SCANNER.accountId, IAMPrincipal: SCANNER.iamPrincipal },
        });
        const body = (externalId: string) => ({
          targets: { kind: 'accounts', accounts: [{ accountId: PLAIN_MEMBER_ACCOUNT, alias: 'member' }] },
          externalId,
          ...DECLARED,
        });
        const first = await a.run(body(idA));
        const event = first.find((e): e is AccountEvent => e.type === 'account');
        expect(event).toMatchObject({ code: 'OK', saved: true });
        expect((await a.connections()).items).toMatchObject([
          { id: event?.connectionId, accountId: PLAIN_MEMBER_ACCOUNT, alias: 'member', status: 'ok' },
        ]);
        expect((await b.connections()).total).toBe(0);
        expect((await b.call('GET', `/api/connections/${event?.connectionId}`)).status).toBe(404);

        // B knows A's External ID and run: refused before AWS, and the installation's ID too.
        for (const externalId of [idA, TEST_EXTERNAL_ID]) {
          const stolen = await b.call('POST', ORG_API.verify, body(externalId), 'application/x-ndjson');
          expect(stolen.status).toBe(400);
          const text = await stolen.text();
          expect(text).toContain('EXTERNAL_ID_NOT_ISSUED');
          expect(text).toContain(idB);
          expect(text).not.toContain(idA);
        }
        const runId = first[0]?.runId;
        const retry = await b.call('POST', ORG_API.verify, { retryOf: runId }, 'application/x-ndjson');
        expect(retry.status).toBe(404);
        expect((await b.connections()).total).toBe(0);
        // Nor can B push A's run into Prowler App: the run is not B's, as if it did not exist.
        const push = await b.call('POST', `/api/org/runs/${runId}/prowler-push`, {}, 'application/x-ndjson');
        expect(push.status).toBe(404);
        expect(await push.text()).toContain('RUN_NOT_FOUND');
        expect(prowler.log).toEqual([]);

        // A's next run (a retry of nothing failed would be empty: run again) updates A's connection.
        const again = await a.run(body(idA));
        expect(again.find((e) => e.type === 'account')).toMatchObject({ connectionId: event?.connectionId });
        expect((await a.connections()).total).toBe(1);
        const detail = connectionDetailSchema.parse(
          await (await a.call('GET', `/api/connections/${event?.connectionId}`)).json(),
        );
        expect(detail.history.map((h) => h.trigger)).toEqual(['org', 'org']);

        // A browser whose first request is a run (own keys: no issued ID needed) gets its session
        // cookie on the stream's answer, so it can see the connection the run saved for it.
        const fresh = new Jar(app);
        const own = await fresh.run({ ...body(idA), source: { kind: 'access-keys', ...KEYS.scanner } });
        expect(fresh.cookie).toMatch(/^aws_connect_session=/);
        const ownEvent = own.find((e): e is AccountEvent => e.type === 'account');
        expect(ownEvent?.saved).toBe(true);
        expect((await fresh.connections()).items.map((c) => c.id)).toEqual([ownEvent?.connectionId]);
        expect(ownEvent?.connectionId).not.toBe(event?.connectionId);
      } finally {
        await app.close();
        await store.close();
        await prowler.close();
      }
    },
  );
});
