import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { type Backend, postgresBackend, sqliteBackend } from '../../testing/store-backends.ts';
import {
  claimDue,
  createConnection,
  deleteConnection,
  deliveriesOf,
  getConnection,
  historyOf,
  listConnections,
  recordDelivery,
  recordVerification,
  type SavedSettings,
  saveForRole,
  transitionsOf,
  updateConnection,
  type VerificationResult,
} from './connections.ts';
import { openStore, type Store } from './database.ts';
import { MIGRATIONS, migrateTo, migrateToLatest } from './migrate.ts';
import { externalIdForSession } from './sessions.ts';

// ONE suite, run against embedded SQLite and against a real PostgreSQL (issue 13, "Tests").

const SETTINGS: SavedSettings = {
  accountId: '222222222222',
  roleArn: 'arn:aws:iam::222222222222:role/ProwlerScan',
  externalId: 'store-suite-external-id-0001',
  sourceKind: 'sdk-default',
  trustedAccountId: '111111111111',
  iamPrincipal: 'user/prowler-app',
  sessionName: null,
  durationSeconds: null,
  region: null,
  alias: 'prod',
};

function result(over: Partial<VerificationResult> = {}): VerificationResult {
  return {
    reportJson: JSON.stringify({ ok: true, marker: 'report' }),
    diagnosisCode: 'OK',
    confidence: null,
    status: 'ok',
    driftJson: null,
    durationMs: 12.4,
    trigger: 'create',
    runner: 'test',
    at: 1_000_000,
    nextCheckAt: 2_000_000,
    ...over,
  };
}

const backends: (Backend & { available?: boolean })[] = [sqliteBackend(), postgresBackend()];
afterAll(async () => {
  for (const b of backends) await b.stop();
});

describe.each(backends)('store on $name', (backend) => {
  const skip = backend.available === false;
  const open = async (target: { dataDir: string; databaseUrl?: string }, migrate = true): Promise<Store> =>
    openStore({ ...target, migrate });

  it.skipIf(skip)('migrates an empty database to the latest schema and records each migration', async () => {
    const store = await open(await backend.fresh());
    try {
      const applied = await store.db
        .selectFrom('kysely_migration' as never)
        .select(sql<string>`name`.as('name'))
        .execute();
      expect(applied.map((r) => r.name)).toEqual(Object.keys(MIGRATIONS));
      // A second start applies nothing.
      expect(await migrateToLatest(store.db)).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it.skipIf(skip)('migrates from the previous schema and keeps its rows', async () => {
    const target = await backend.fresh();
    const store = await open(target, false);
    try {
      await migrateTo(store.db, '001-connections');
      // A row as the previous version wrote it (no schedule, owner or drift columns yet).
      await sql`insert into connections (id, account_id, role_arn, external_id, source_kind, status,
        last_report, last_diagnosis_code, created_at, updated_at)
        values (${'old-1'}, ${'222222222222'}, ${SETTINGS.roleArn}, ${'ext-old'}, ${'sdk-default'}, ${'broken'},
        ${'{"old":true}'}, ${'EXTERNAL_ID_MISMATCH'}, ${5}, ${6})`.execute(store.db);
      await sql`insert into verifications (id, connection_id, at, outcome, diagnosis_code, duration_ms, trigger)
        values (${'v-1'}, ${'old-1'}, ${5}, ${'broken'}, ${'EXTERNAL_ID_MISMATCH'}, ${9}, ${'create'})`.execute(
        store.db,
      );
      expect(await migrateToLatest(store.db)).toEqual([
        '002-schedule-and-sessions',
        '003-connections-by-role',
      ]);
      const row = await getConnection(store.db, 'old-1', 'all');
      expect(row).toMatchObject({
        status: 'broken',
        last_report: '{"old":true}',
        created_at: 5,
        next_check_at: null,
        leased_until: null,
        owner_session: null,
        last_drift: null,
      });
      expect(await historyOf(store.db, 'old-1')).toMatchObject([{ id: 'v-1', runner: null, duration_ms: 9 }]);
      // ... and the new schema works on the old row.
      const recorded = await recordVerification(
        store.db,
        'old-1',
        result({ trigger: 'manual', at: 7 }),
        store.kind,
      );
      expect(recorded?.transition).toMatchObject({ from_status: 'broken', to_status: 'ok' });
    } finally {
      await store.close();
    }
  });

  it.skipIf(skip)('a restart keeps connections, history, transitions, deliveries and sessions', async () => {
    const target = await backend.fresh();
    let store = await open(target);
    const { id, transition } = await createConnection(store.db, SETTINGS, null, result());
    await recordVerification(
      store.db,
      id,
      result({
        status: 'broken',
        diagnosisCode: 'EXTERNAL_ID_MISMATCH',
        confidence: 'suspected',
        at: 1_500_000,
      }),
      store.kind,
    );
    await recordDelivery(store.db, {
      connection_id: id,
      transition_id: transition.id,
      at: 1_500_001,
      url: 'http://127.0.0.1:1/hook',
      attempt: 1,
      status_code: 500,
      error: null,
      delivered: 0,
    });
    const issued = await externalIdForSession(store.db, 'session-hash-1', 'issued-id-1', 1);
    await store.close();

    store = await open(target);
    try {
      const row = await getConnection(store.db, id, 'all');
      expect(row).toMatchObject({
        ...{ account_id: SETTINGS.accountId, role_arn: SETTINGS.roleArn, external_id: SETTINGS.externalId },
        alias: 'prod',
        status: 'broken',
        last_diagnosis_code: 'EXTERNAL_ID_MISMATCH',
        last_confidence: 'suspected',
        last_verified_at: 1_500_000,
        next_check_at: 2_000_000,
      });
      expect(typeof row?.last_verified_at).toBe('number');
      expect((await historyOf(store.db, id)).map((h) => [h.outcome, h.diagnosis_code])).toEqual([
        ['broken', 'EXTERNAL_ID_MISMATCH'],
        ['ok', 'OK'],
      ]);
      expect((await transitionsOf(store.db, id)).map((t) => [t.from_status, t.to_status])).toEqual([
        ['ok', 'broken'],
        [null, 'ok'],
      ]);
      expect(await deliveriesOf(store.db, id)).toMatchObject([
        { status_code: 500, delivered: 0, attempt: 1 },
      ]);
      expect(issued).toBe('issued-id-1');
      expect(await externalIdForSession(store.db, 'session-hash-1', 'another', 2)).toBe('issued-id-1');
    } finally {
      await store.close();
    }
  });

  it.skipIf(skip)(
    'lists with paging and a status filter, scoped to an owner; updates and deletes',
    async () => {
      const store = await open(await backend.fresh());
      try {
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) {
          const status = i % 2 === 0 ? 'ok' : 'broken';
          const owner = i < 4 ? 'owner-a' : 'owner-b';
          ids.push((await createConnection(store.db, SETTINGS, owner, result({ status, at: 100 + i }))).id);
        }
        const all = await listConnections(store.db, { scope: 'all', limit: 2, offset: 0 });
        expect(all.total).toBe(5);
        expect(all.rows.map((r) => r.id)).toEqual([ids[4], ids[3]]);
        const page2 = await listConnections(store.db, { scope: 'all', limit: 2, offset: 2 });
        expect(page2.rows.map((r) => r.id)).toEqual([ids[2], ids[1]]);
        const broken = await listConnections(store.db, {
          scope: 'all',
          status: 'broken',
          limit: 50,
          offset: 0,
        });
        expect(broken.rows.map((r) => r.id).sort()).toEqual([ids[1], ids[3]].sort());
        const mine = await listConnections(store.db, { scope: { owner: 'owner-b' }, limit: 50, offset: 0 });
        expect(mine.rows.map((r) => r.id)).toEqual([ids[4]]);
        // Another owner sees nothing of it, and cannot change or delete it.
        const id0 = ids[0] as string;
        expect(await getConnection(store.db, id0, { owner: 'owner-b' })).toBeUndefined();
        expect(await updateConnection(store.db, id0, { owner: 'owner-b' }, { alias: 'x' }, 1)).toBe(false);
        expect(await deleteConnection(store.db, id0, { owner: 'owner-b' })).toBe(false);

        expect(
          await updateConnection(store.db, id0, 'all', { alias: null, iamPrincipal: 'role/scanner' }, 9),
        ).toBe(true);
        expect(await getConnection(store.db, id0, 'all')).toMatchObject({
          alias: null,
          iam_principal: 'role/scanner',
          trusted_account_id: '111111111111',
          updated_at: 9,
        });
        expect(await deleteConnection(store.db, id0, 'all')).toBe(true);
        expect(await getConnection(store.db, id0, 'all')).toBeUndefined();
        // History and transitions go with it (ON DELETE CASCADE, on in SQLite only when asked).
        expect(await historyOf(store.db, id0)).toEqual([]);
        expect(await transitionsOf(store.db, id0)).toEqual([]);
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(skip)('claims due connections once until their lease expires', async () => {
    const store = await open(await backend.fresh());
    try {
      const due = (await createConnection(store.db, SETTINGS, null, result({ nextCheckAt: 10 }))).id;
      await createConnection(store.db, SETTINGS, null, result({ nextCheckAt: 10_000 }));
      await createConnection(
        store.db,
        { ...SETTINGS, sourceKind: 'access-keys' },
        null,
        result({ nextCheckAt: null }),
      );
      const opts = { limit: 10, leaseMs: 100, kind: store.kind } as const;
      const first = await claimDue(store.db, { ...opts, now: 50, runner: 'a' });
      expect(first.map((r) => r.id)).toEqual([due]);
      expect(first[0]).toMatchObject({ leased_by: 'a', leased_until: 150 });
      // Leased: nobody else takes it, however often they ask.
      expect(await claimDue(store.db, { ...opts, now: 60, runner: 'b' })).toEqual([]);
      // Runner a died: after the lease, b takes it.
      expect((await claimDue(store.db, { ...opts, now: 151, runner: 'b' })).map((r) => r.id)).toEqual([due]);
      await recordVerification(store.db, due, result({ at: 160, nextCheckAt: 5_000 }), store.kind);
      expect(await getConnection(store.db, due, 'all')).toMatchObject({
        leased_until: null,
        leased_by: null,
      });
      expect(await claimDue(store.db, { ...opts, now: 200, runner: 'b' })).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it.skipIf(skip)(
    'saveForRole: one connection per owner and role ARN, however many saves at once; owners apart',
    async () => {
      const target = await backend.fresh();
      const one = await open(target);
      // PostgreSQL: two pools, as two replicas running the same organization at once.
      const two = backend.name === 'postgres' ? await open(target) : one;
      try {
        const saves = Array.from({ length: 12 }, (_, i) =>
          saveForRole((i % 2 ? two : one).db, one.kind, SETTINGS, null, (previous) =>
            result({ at: 10 + i, trigger: 'org', status: previous === null ? 'broken' : 'ok' }),
          ),
        );
        const saved = await Promise.all(saves);
        expect(new Set(saved.map((s) => s.id)).size).toBe(1);
        expect(saved.filter((s) => s.created)).toHaveLength(1);
        const id = saved[0]?.id ?? '';
        expect(await historyOf(one.db, id)).toHaveLength(12);
        // Created broken, then ok: one transition from null, one broken -> ok, nothing else.
        expect((await transitionsOf(one.db, id)).map((t) => [t.from_status, t.to_status]).sort()).toEqual(
          [
            [null, 'broken'],
            ['broken', 'ok'],
          ].sort(),
        );
        // Another owner's run over the same role is another connection.
        const other = await saveForRole(one.db, one.kind, SETTINGS, 'session-b', () =>
          result({ trigger: 'org' }),
        );
        expect(other).toMatchObject({ created: true });
        expect(other.id).not.toBe(id);
        // With two saved for one role (the wizard may save it twice), a run updates the newest.
        const newer = await createConnection(one.db, SETTINGS, null, result({ at: 5_000_000 }));
        const again = await saveForRole(one.db, one.kind, { ...SETTINGS, alias: null }, null, () =>
          result({ at: 6_000_000, trigger: 'org', status: 'warning' }),
        );
        expect(again).toMatchObject({ id: newer.id, created: false, previous: 'ok' });
        // An alias the run does not know leaves the one the connection had.
        expect((await getConnection(one.db, newer.id, 'all'))?.alias).toBe(SETTINGS.alias);
        expect((await getConnection(one.db, id, 'all'))?.status).toBe('ok');
      } finally {
        await one.close();
        if (two !== one) await two.close();
      }
    },
  );

  // Replicas share PostgreSQL. Two SQLite handles in ONE process would deadlock by design: the
  // driver is synchronous, so a waiting BEGIN blocks the event loop that would commit the other.
  it.skipIf(skip || backend.name === 'sqlite')(
    'claims from two pools at once never take the same row',
    async () => {
      const target = await backend.fresh();
      const one = await open(target);
      const two = await open(target);
      try {
        for (let i = 0; i < 40; i++)
          await createConnection(one.db, SETTINGS, null, result({ nextCheckAt: i }));
        const opts = { limit: 7, leaseMs: 60_000, now: 100, kind: one.kind } as const;
        const taken: string[] = [];
        for (let round = 0; round < 4; round++) {
          const [a, b] = await Promise.all([
            claimDue(one.db, { ...opts, runner: 'a' }),
            claimDue(two.db, { ...opts, runner: 'b' }),
          ]);
          taken.push(...a.map((r) => r.id), ...b.map((r) => r.id));
        }
        expect(taken).toHaveLength(new Set(taken).size);
        expect(taken.length).toBe(40);
      } finally {
        await one.close();
        await two.close();
      }
    },
  );
});
