import { afterAll, describe, expect, it } from 'vitest';
import {
  connectionDetailSchema,
  connectionListSchema,
  connectionVerifiedSchema,
} from '../domain/connection-contract.ts';
import {
  CANARY,
  canaryValues,
  SCANNER_ACCOUNT,
  TARGET_ROLE_ARN,
  TEST_SCENARIO,
} from '../testing/live-stack.ts';
import { type Backend, postgresBackend, sqliteBackend } from '../testing/store-backends.ts';
import { type SandboxApp, sandboxAppOnStore, TEST_EXTERNAL_ID } from './test-support.ts';

// The saved-connections API (issue 13) on the real server, the real sandbox and a real store.

const OK_BODY = {
  source: { kind: 'sdk-default' },
  roleArn: TARGET_ROLE_ARN,
  externalId: TEST_EXTERNAL_ID,
  trustedAccountId: SCANNER_ACCOUNT,
  iamPrincipal: '*',
  alias: 'prod-eu',
};

async function api(
  app: SandboxApp,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${app.url}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, text };
}

const fieldsOf = (body: { error: { fields: { path: string }[] } }) => body.error.fields.map((f) => f.path);

const backends: (Backend & { available?: boolean })[] = [sqliteBackend(), postgresBackend()];
afterAll(async () => {
  for (const b of backends) await b.stop();
});

const start = (backend: Backend) => sandboxAppOnStore(backend, {}, { scenario: TEST_SCENARIO });

describe('saved connections API (SQLite)', () => {
  const backend = backends[0] as Backend;

  it('verifies and saves, lists, shows the detail with history, edits, re-verifies and deletes', async () => {
    const s = await start(backend);
    try {
      const created = await api(s.app, 'POST', '/api/connections', OK_BODY);
      expect(created.status).toBe(201);
      const saved = connectionVerifiedSchema.parse(created.body);
      expect(saved).toMatchObject({
        status: 'ok',
        report: { ok: true },
        connection: { alias: 'prod-eu', monitored: true },
      });

      const list = connectionListSchema.parse((await api(s.app, 'GET', '/api/connections')).body);
      expect(list).toMatchObject({ total: 1, limit: 50, offset: 0 });
      expect(list.items[0]).toMatchObject({
        id: saved.id,
        accountId: '222222222222',
        status: 'ok',
        diagnosisCode: 'OK',
      });

      const detail = connectionDetailSchema.parse(
        (await api(s.app, 'GET', `/api/connections/${saved.id}`)).body,
      );
      expect(detail.report?.diagnosis.code).toBe('OK');
      expect(detail.reportOutdated).toBe(false);
      expect(detail.history).toMatchObject([{ outcome: 'ok', diagnosisCode: 'OK', trigger: 'create' }]);
      expect(detail.transitions).toMatchObject([{ from: null, to: 'ok' }]);
      expect(detail.nextCheckAt).not.toBeNull();

      // Edit the declared trust settings: the re-verification uses them.
      const patched = await api(s.app, 'PATCH', `/api/connections/${saved.id}`, {
        alias: 'prod',
        iamPrincipal: 'user/prowler-app',
      });
      expect(patched.status).toBe(200);
      expect(connectionDetailSchema.parse(patched.body)).toMatchObject({
        alias: 'prod',
        iamPrincipal: 'user/prowler-app',
      });
      const again = await api(s.app, 'POST', `/api/connections/${saved.id}/verify`, {});
      expect(again.status).toBe(200);
      expect(connectionVerifiedSchema.parse(again.body).report.request.iamPrincipal).toBe('user/prowler-app');
      const after = connectionDetailSchema.parse(
        (await api(s.app, 'GET', `/api/connections/${saved.id}`)).body,
      );
      expect(after.history.map((h) => h.trigger)).toEqual(['manual', 'create']);

      expect((await api(s.app, 'DELETE', `/api/connections/${saved.id}`)).status).toBe(204);
      expect((await api(s.app, 'GET', `/api/connections/${saved.id}`)).status).toBe(404);
      expect((await api(s.app, 'DELETE', `/api/connections/${saved.id}`)).status).toBe(404);
    } finally {
      await s.close();
    }
  });

  it('saves a broken connection too, and filters the list by status with paging', async () => {
    const s = await start(backend);
    try {
      const bad = { ...OK_BODY, roleArn: 'arn:aws:iam::222222222222:role/NoSuchRole', alias: 'typo' };
      const broken = connectionVerifiedSchema.parse((await api(s.app, 'POST', '/api/connections', bad)).body);
      expect(broken.status).toBe('broken');
      for (let i = 0; i < 3; i++)
        await api(s.app, 'POST', '/api/connections', { ...OK_BODY, alias: `ok-${i}` });
      const onlyBroken = connectionListSchema.parse(
        (await api(s.app, 'GET', '/api/connections?status=broken')).body,
      );
      expect(onlyBroken.items.map((c) => c.id)).toEqual([broken.id]);
      const page = connectionListSchema.parse(
        (await api(s.app, 'GET', '/api/connections?limit=2&offset=1')).body,
      );
      expect(page).toMatchObject({ total: 4, limit: 2, offset: 1 });
      expect(page.items.map((c) => c.alias)).toEqual(['ok-1', 'ok-0']);
    } finally {
      await s.close();
    }
  });

  it('answers validation errors in the API error shape, naming the field; 404 for unknown ids', async () => {
    const s = await start(backend);
    try {
      const badArn = await api(s.app, 'POST', '/api/connections', {
        ...OK_BODY,
        roleArn: 'arn:aws:iam::1:role/x',
      });
      expect(badArn.status).toBe(400);
      expect(badArn.body.error.code).toBe('INVALID_INPUT');
      expect(fieldsOf(badArn.body)).toEqual(['roleArn']);
      const badAlias = await api(s.app, 'POST', '/api/connections', { ...OK_BODY, alias: 'x'.repeat(65) });
      expect(fieldsOf(badAlias.body)).toEqual(['alias']);
      const unknownField = await api(s.app, 'POST', '/api/connections', { ...OK_BODY, owner: 'me' });
      expect(unknownField.status).toBe(400);
      expect(fieldsOf((await api(s.app, 'GET', '/api/connections?status=fine')).body)).toEqual(['status']);
      expect(fieldsOf((await api(s.app, 'GET', '/api/connections?limit=0')).body)).toEqual(['limit']);
      expect(fieldsOf((await api(s.app, 'GET', '/api/connections?offset=-1')).body)).toEqual(['offset']);

      const missing = await api(s.app, 'GET', '/api/connections/00000000-0000-4000-8000-000000000000');
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('NOT_FOUND');
      expect((await api(s.app, 'GET', '/api/connections/not-an-id')).status).toBe(404);
      expect((await api(s.app, 'POST', '/api/connections/not-an-id/verify', {})).status).toBe(404);
      expect(
        (await api(s.app, 'PATCH', '/api/connections/00000000-0000-4000-8000-000000000000', {})).status,
      ).toBe(404);

      const saved = connectionVerifiedSchema.parse(
        (await api(s.app, 'POST', '/api/connections', OK_BODY)).body,
      );
      const badPatch = await api(s.app, 'PATCH', `/api/connections/${saved.id}`, { iamPrincipal: 'group/x' });
      expect(fieldsOf(badPatch.body)).toEqual(['iamPrincipal']);
      const keysForSdk = await api(s.app, 'POST', `/api/connections/${saved.id}/verify`, {
        source: { kind: 'access-keys', ...CANARY.user },
      });
      expect(fieldsOf(keysForSdk.body)).toEqual(['source']);
    } finally {
      await s.close();
    }
  });

  it("keeps the confused-deputy guard: the server's identity saves nothing with an External ID it did not issue", async () => {
    const s = await start(backend);
    try {
      const refused = await api(s.app, 'POST', '/api/connections', {
        ...OK_BODY,
        externalId: 'someone-elses-id',
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('EXTERNAL_ID_NOT_ISSUED');
      expect(connectionListSchema.parse((await api(s.app, 'GET', '/api/connections')).body).total).toBe(0);
      // And the existing guards: a cross-site request changes nothing.
      const cross = await api(s.app, 'POST', '/api/connections', OK_BODY, { origin: 'https://evil.example' });
      expect(cross.status).toBe(403);
      expect(connectionListSchema.parse((await api(s.app, 'GET', '/api/connections')).body).total).toBe(0);
    } finally {
      await s.close();
    }
  });

  it('an access-key connection keeps no keys: it is not monitored and re-verifies only with keys sent again', async () => {
    const s = await start(backend);
    try {
      const body = {
        ...OK_BODY,
        source: { kind: 'access-keys', ...CANARY.user },
        externalId: 'any-external-id-for-own-keys',
      };
      const saved = connectionVerifiedSchema.parse((await api(s.app, 'POST', '/api/connections', body)).body);
      expect(saved.connection).toMatchObject({ sourceKind: 'access-keys', monitored: false });
      const detail = connectionDetailSchema.parse(
        (await api(s.app, 'GET', `/api/connections/${saved.id}`)).body,
      );
      expect(detail.nextCheckAt).toBeNull();
      const without = await api(s.app, 'POST', `/api/connections/${saved.id}/verify`, {});
      expect(without.status).toBe(400);
      expect(fieldsOf(without.body)).toEqual(['source']);
      const withKeys = await api(s.app, 'POST', `/api/connections/${saved.id}/verify`, {
        source: { kind: 'access-keys', ...CANARY.user },
      });
      expect(withKeys.status).toBe(200);
    } finally {
      await s.close();
    }
  });
});

describe.each(backends)('no secret reaches the database ($name)', (backend) => {
  it.skipIf(backend.available === false)(
    'canary secrets sent in verifications are in no table and no byte of the database',
    async () => {
      const s = await start(backend);
      try {
        const sources = [
          { kind: 'access-keys', ...CANARY.user },
          { kind: 'access-keys', ...CANARY.session },
          { kind: 'access-keys', ...CANARY.expired },
          { kind: 'access-keys', accessKeyId: CANARY.user.accessKeyId, secretAccessKey: CANARY.wrongSecret },
        ];
        for (const source of sources) {
          const body = { ...OK_BODY, source, externalId: 'canary-run-external-id' };
          const saved = await api(s.app, 'POST', '/api/connections', body);
          expect(saved.status).toBe(201);
          const again = await api(s.app, 'POST', `/api/connections/${saved.body.id}/verify`, { source });
          expect(again.status).toBe(200);
        }
        // The server's own keys (sdk-default) and the assumed role's session too.
        expect((await api(s.app, 'POST', '/api/connections', OK_BODY)).status).toBe(201);
        await s.close();
        const everything = await backend.dumpAll(s.target);
        expect(everything.length).toBeGreaterThan(1000);
        expect(everything).toContain(CANARY.user.accessKeyId.slice(0, 4)); // the dump is readable text
        for (const secret of canaryValues()) {
          expect(everything).not.toContain(secret);
          expect(everything).not.toContain(secret.slice(0, 24));
        }
      } finally {
        await s.close().catch(() => undefined);
      }
    },
  );
});
