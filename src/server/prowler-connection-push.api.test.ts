import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionVerifiedSchema } from '../domain/connection-contract.ts';
import { connectionPushEndpoint } from '../domain/prowler-connection-push.ts';
import { ProwlerFake } from '../testing/prowler-fake.ts';
import { contractProblems, OpenApiContract } from '../testing/prowler-openapi.ts';
import { PROWLER_ERROR_TEXTS } from '../testing/prowler-texts.ts';
import { sqliteBackend } from '../testing/store-backends.ts';
import { ProwlerClient } from './prowler/client.ts';
import { openStore, type Store } from './store/database.ts';
import { type SandboxApp, sandboxApp, TEST_EXTERNAL_ID } from './test-support.ts';

// POST /api/connections/:id/prowler-push on the real server: a connection saved after a real
// verification against the sandbox, in a real SQLite store, pushed by its id to the fake Prowler
// App (every exchange held to the OpenAPI document); hosted, another session's connection is a
// 404. The key canary covers every answer and log line.

const KEY = 'pk_CanaryConnectionPushKey.0123456789abcdefCONNCANARY';
const ROLE = 'arn:aws:iam::222222222222:role/ProwlerScan';
const backend = sqliteBackend();
const bodies: string[] = [];
let fake: ProwlerFake;

async function call(s: SandboxApp, method: string, path: string, body?: unknown, cookie?: string) {
  const res = await fetch(`${s.url}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(cookie ? { cookie } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  bodies.push(text);
  return {
    status: res.status,
    json: (text ? JSON.parse(text) : null) as Record<string, never>,
    cookie: res.headers.get('set-cookie')?.split(';')[0],
  };
}

const prowlerDeps = () => ({
  client: new ProwlerClient({ baseUrl: fake.url, apiKey: KEY, timeoutMs: 2_000, baseDelayMs: 0 }),
  poll: { baseDelayMs: 0 },
});
const PROWLER_ENV = () => ({ PROWLER_API_URL: fake.url, PROWLER_API_KEY: KEY });

beforeAll(async () => {
  fake = await new ProwlerFake({ apiKey: KEY, tenantId: TEST_EXTERNAL_ID }).start();
});
afterAll(async () => {
  await fake.close();
  await backend.stop();
  expect(contractProblems(new OpenApiContract(), fake.log)).toEqual([]);
  expect(bodies.join('\n')).not.toContain(KEY.slice(3, 30));
});

describe('POST /api/connections/:id/prowler-push (self-hosted)', () => {
  let s: SandboxApp;
  let store: Store;
  beforeAll(async () => {
    store = await openStore(await backend.fresh());
    s = await sandboxApp(PROWLER_ENV(), { deps: { store, prowler: prowlerDeps() } });
  });
  afterAll(async () => {
    await s.close();
    await store.close();
    expect(s.logs.join('\n')).not.toContain(KEY.slice(3, 30));
  });

  const save = async (roleArn: string, extra: Record<string, unknown> = {}) =>
    connectionVerifiedSchema.parse(
      (
        await call(s, 'POST', '/api/connections', {
          source: { kind: 'sdk-default' },
          roleArn,
          externalId: TEST_EXTERNAL_ID,
          ...extra,
        })
      ).json,
    );

  it('pushes the saved role, External ID, alias and session settings; ours is the saved verification', async () => {
    fake.outcome = () => ({ connected: true, error: null });
    const saved = await save(ROLE, { alias: 'prod-eu', sessionName: 'prowler-scan', durationSeconds: 3600 });
    expect(saved.status).toBe('ok');
    const { status, json } = await call(s, 'POST', connectionPushEndpoint.pathOf(saved.id), {});
    expect(status).toBe(200);
    const answer = connectionPushEndpoint.response.parse(json);
    expect(answer.connection).toBe(saved.id);
    expect(answer.push).toMatchObject({
      pushed: true,
      providerUid: '222222222222',
      prowler: { connected: true },
    });
    expect(answer.ours).toMatchObject({
      code: 'OK',
      connected: true,
      roleArn: ROLE,
      sourceKind: 'sdk-default',
    });
    expect(answer.comparison?.agreement).toBe('agree');
    const provider = [...fake.providers.values()].find((p) => p.uid === '222222222222');
    expect(provider?.alias).toBe('prod-eu');
    expect(fake.secrets.get(provider?.secretId ?? '')?.secret).toEqual({
      role_arn: ROLE,
      external_id: TEST_EXTERNAL_ID,
      role_session_name: 'prowler-scan',
      session_duration: 3600,
    });
  });

  it('is retryable: pushing again finds the provider (409) and changes its secret (PATCH)', async () => {
    const saved = await save(ROLE);
    const answer = connectionPushEndpoint.response.parse(
      (await call(s, 'POST', connectionPushEndpoint.pathOf(saved.id))).json,
    );
    expect(answer.push.steps.map((x) => x.outcome)).toEqual(['found', 'updated', 'queued', 'completed']);
  });

  it('maps a failed Prowler test to our code beside our verdict (they disagree)', async () => {
    const denied = PROWLER_ERROR_TEXTS.find((t) => t.code === 'ROLE_ACCOUNT_MISMATCH');
    fake.outcome = () => ({ connected: false, error: denied!.text });
    const saved = await save(ROLE);
    const answer = connectionPushEndpoint.response.parse(
      (await call(s, 'POST', connectionPushEndpoint.pathOf(saved.id), {})).json,
    );
    if (!answer.push.pushed) throw new Error(answer.push.failure.message);
    expect(answer.push.prowler.diagnosis?.code).toBe('ROLE_ACCOUNT_MISMATCH');
    expect(answer.comparison?.agreement).toBe('disagree');
    fake.outcome = () => ({ connected: true, error: null });
  });

  it('a connection whose last verification failed: 409 before any call to Prowler; force pushes it', async () => {
    const broken = await save('arn:aws:iam::222222222222:role/NoSuchRole');
    expect(broken.status).toBe('broken');
    const before = fake.log.length;
    const refused = await call(s, 'POST', connectionPushEndpoint.pathOf(broken.id), {});
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({ error: { code: 'CONNECTION_NOT_VERIFIED' } });
    expect(JSON.stringify(refused.json)).toContain('send {\\"force\\": true}');
    expect(fake.log.length).toBe(before);
    const forced = await call(s, 'POST', connectionPushEndpoint.pathOf(broken.id), { force: true });
    expect(forced.status).toBe(200);
    const answer = connectionPushEndpoint.response.parse(forced.json);
    expect(answer.push.pushed).toBe(true);
    expect(answer.ours?.connected).toBe(false);
    expect(answer.comparison?.agreement).toBe('disagree');
  });

  it('404 for an unknown id or one that is not an id; 400 for an unknown field', async () => {
    const unknown = await call(
      s,
      'POST',
      connectionPushEndpoint.pathOf('00000000-0000-4000-8000-000000000000'),
      {},
    );
    expect(unknown.status).toBe(404);
    expect((await call(s, 'POST', connectionPushEndpoint.pathOf('nope'), {})).status).toBe(404);
    const saved = await save(ROLE);
    const extra = await call(s, 'POST', connectionPushEndpoint.pathOf(saved.id), { externalId: 'x-y-z-1' });
    expect(extra.status).toBe(400);
  });

  it('an integration failure is a 200 with the failure, the key masked', async () => {
    const saved = await save(ROLE);
    fake.inject('POST /providers/{id}/connection', {
      status: 400,
      body: {
        errors: [{ detail: `echo ${KEY}`, status: '400', source: { pointer: '/data' }, code: 'invalid' }],
      },
    });
    const answer = connectionPushEndpoint.response.parse(
      (await call(s, 'POST', connectionPushEndpoint.pathOf(saved.id), {})).json,
    );
    if (answer.push.pushed) throw new Error('pushed');
    expect(answer.push.failure).toMatchObject({ stage: 'connection', retryable: false });
    expect(answer.push.failure.message).toContain('[API key]');
  });
});

describe('the integration off', () => {
  it('answers 404 PROWLER_NOT_CONFIGURED', async () => {
    const store = await openStore(await backend.fresh());
    const off = await sandboxApp({}, { deps: { store } });
    try {
      const res = await call(
        off,
        'POST',
        connectionPushEndpoint.pathOf('00000000-0000-4000-8000-000000000000'),
        {},
      );
      expect(res.status).toBe(404);
      expect(res.json).toMatchObject({ error: { code: 'PROWLER_NOT_CONFIGURED' } });
    } finally {
      await off.close();
      await store.close();
    }
  });
});

describe('hosted: each session its own connections', () => {
  it('another session’s connection is a 404, and Prowler is never called for it', async () => {
    const store = await openStore(await backend.fresh());
    const s = await sandboxApp(
      { ...PROWLER_ENV(), AWS_CONNECT_FLAVOUR: 'hosted', AWS_CONNECT_SANDBOX: 'off' },
      { deps: { store, prowler: prowlerDeps() } },
    );
    try {
      const first = await call(s, 'GET', '/api/config');
      const a = first.cookie;
      const externalId = (first.json as unknown as { externalId: string }).externalId;
      const saved = connectionVerifiedSchema.parse(
        (
          await call(
            s,
            'POST',
            '/api/connections',
            { source: { kind: 'sdk-default' }, roleArn: ROLE, externalId },
            a,
          )
        ).json,
      );
      const b = (await call(s, 'GET', '/api/config')).cookie;
      expect(b).not.toBe(a);
      const before = fake.log.length;
      const other = await call(s, 'POST', connectionPushEndpoint.pathOf(saved.id), { force: true }, b);
      expect(other.status).toBe(404);
      expect(fake.log.length).toBe(before);
      // Its owner may push it (forced: the sandbox's role trusts the installation's ID, not the session's).
      const own = await call(s, 'POST', connectionPushEndpoint.pathOf(saved.id), { force: true }, a);
      expect(own.status).toBe(200);
      expect(connectionPushEndpoint.response.parse(own.json).push.pushed).toBe(true);
    } finally {
      await s.close();
      await store.close();
    }
  });
});
