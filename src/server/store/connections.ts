import { randomUUID } from 'node:crypto';
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { ConnectionStatus } from '../../domain/connection-inputs.ts';
import type {
  ConnectionsTable,
  Database,
  StatusTransitionsTable,
  VerificationsTable,
  WebhookDeliveriesTable,
} from './schema.ts';

// The connections aggregate: every query on a connection, its history, transitions and
// deliveries lives here, typed by Kysely; values always travel as bound parameters.
// What is stored never includes a secret: the caller passes a verify request without its
// `source` keys and a report that verify.ts already scrubbed.

export type ConnectionRow = Selectable<ConnectionsTable>;
export type VerificationRow = Selectable<VerificationsTable>;
export type TransitionRow = Selectable<StatusTransitionsTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;
type Db = Kysely<Database> | Transaction<Database>;

/** Whose connections a query sees: one hosted session's, or (self-hosted) all. */
export type Scope = { owner: string } | 'all';

export interface SavedSettings {
  accountId: string;
  roleArn: string;
  externalId: string;
  sourceKind: 'sdk-default' | 'access-keys';
  trustedAccountId: string | null;
  iamPrincipal: string | null;
  sessionName: string | null;
  durationSeconds: number | null;
  region: string | null;
  alias: string | null;
}

export interface VerificationResult {
  /** The report as JSON text (validated by the caller with verifyReportSchema). */
  reportJson: string;
  diagnosisCode: string;
  confidence: string | null;
  status: ConnectionStatus;
  /** The drift check as JSON text, or null when none ran. */
  driftJson: string | null;
  durationMs: number;
  trigger: VerificationsTable['trigger'];
  runner: string | null;
  at: number;
  /** Next scheduled check; null for connections the monitor does not check. */
  nextCheckAt: number | null;
}

export interface RecordedVerification {
  previous: ConnectionStatus | null;
  transition: TransitionRow | null;
}

/**
 * A transaction that reads then writes. SQLite's plain BEGIN takes the write lock only at the
 * first write, and a second process (the server and `aws-connect monitor --once` on one file)
 * then fails with SQLITE_BUSY instead of waiting; BEGIN IMMEDIATE takes it at once and waits
 * its busy_timeout. https://www.sqlite.org/lang_transaction.html
 */
async function readThenWrite<T>(
  db: Kysely<Database>,
  kind: 'sqlite' | 'postgres',
  fn: (trx: Db) => Promise<T>,
): Promise<T> {
  if (kind === 'postgres') return db.transaction().execute(fn);
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const value = await fn(conn);
      await sql`commit`.execute(conn);
      return value;
    } catch (err) {
      await sql`rollback`.execute(conn);
      throw err;
    }
  });
}

const ownerOf = (scope: Scope): string | null => (scope === 'all' ? null : scope.owner);

async function insertVerification(db: Db, connectionId: string, result: VerificationResult): Promise<void> {
  await db
    .insertInto('verifications')
    .values({
      id: randomUUID(),
      connection_id: connectionId,
      at: result.at,
      outcome: result.status,
      diagnosis_code: result.diagnosisCode,
      confidence: result.confidence,
      duration_ms: Math.round(result.durationMs),
      trigger: result.trigger,
      runner: result.runner,
    })
    .execute();
}

async function insertTransition(
  db: Db,
  connectionId: string,
  from: ConnectionStatus | null,
  result: VerificationResult,
): Promise<TransitionRow> {
  const row: TransitionRow = {
    id: randomUUID(),
    connection_id: connectionId,
    at: result.at,
    from_status: from,
    to_status: result.status,
    diagnosis_code: result.diagnosisCode,
  };
  await db.insertInto('status_transitions').values(row).execute();
  return row;
}

const settingsColumns = (settings: SavedSettings) => ({
  account_id: settings.accountId,
  role_arn: settings.roleArn,
  external_id: settings.externalId,
  source_kind: settings.sourceKind,
  trusted_account_id: settings.trustedAccountId,
  iam_principal: settings.iamPrincipal,
  session_name: settings.sessionName,
  duration_seconds: settings.durationSeconds,
  region: settings.region,
});

const verificationColumns = (result: VerificationResult) => ({
  last_report: result.reportJson,
  last_diagnosis_code: result.diagnosisCode,
  last_confidence: result.confidence,
  last_verified_at: result.at,
  last_duration_ms: Math.round(result.durationMs),
  last_drift: result.driftJson,
  updated_at: result.at,
  next_check_at: result.nextCheckAt,
});

async function insertConnection(
  db: Db,
  id: string,
  settings: SavedSettings,
  owner: string | null,
  first: VerificationResult,
): Promise<TransitionRow> {
  await db
    .insertInto('connections')
    .values({
      id,
      ...settingsColumns(settings),
      alias: settings.alias,
      status: first.status,
      ...verificationColumns(first),
      created_at: first.at,
      leased_until: null,
      leased_by: null,
      owner_session: owner,
    })
    .execute();
  await insertVerification(db, id, first);
  return insertTransition(db, id, null, first);
}

/** Saves a new connection with its first verification; returns its id. */
export async function createConnection(
  db: Kysely<Database>,
  settings: SavedSettings,
  owner: string | null,
  first: VerificationResult,
): Promise<{ id: string; transition: TransitionRow }> {
  const id = randomUUID();
  return db.transaction().execute(async (trx) => {
    const transition = await insertConnection(trx, id, settings, owner, first);
    return { id, transition };
  });
}

/** The row's new state after a verification, its history entry, and a transition when the status changed. */
async function applyVerification(
  trx: Db,
  id: string,
  from: ConnectionStatus,
  result: VerificationResult,
  settings?: SavedSettings,
): Promise<TransitionRow | null> {
  await trx
    .updateTable('connections')
    .set({
      ...(settings ? settingsColumns(settings) : {}),
      // An alias the run does not know leaves the one people gave it.
      ...(settings?.alias ? { alias: settings.alias } : {}),
      status: result.status,
      ...verificationColumns(result),
      leased_until: null,
      leased_by: null,
    })
    .where('id', '=', id)
    .execute();
  await insertVerification(trx, id, result);
  return from === result.status ? null : insertTransition(trx, id, from, result);
}

/**
 * Records a verification of an existing connection: its row, the history entry and, when the
 * status changed, a transition. Releases the monitor's lease. Undefined when the connection is gone.
 */
export async function recordVerification(
  db: Kysely<Database>,
  id: string,
  result: VerificationResult,
  kind: 'sqlite' | 'postgres',
): Promise<RecordedVerification | undefined> {
  return readThenWrite(db, kind, async (trx) => {
    let current = trx.selectFrom('connections').select(['status']).where('id', '=', id);
    if (kind === 'postgres') current = current.forUpdate();
    const row = await current.executeTakeFirst();
    if (!row) return undefined;
    const transition = await applyVerification(trx, id, row.status, result);
    return { previous: row.status, transition };
  });
}

export interface SavedVerification extends RecordedVerification {
  id: string;
  created: boolean;
}

/**
 * One connection per owner and role ARN (an organization run): updates the most recently created
 * one with these settings and this verification, or creates it. On PostgreSQL a transaction-scoped
 * advisory lock on the pair makes two runs over one account at once take turns instead of both
 * creating; on SQLite BEGIN IMMEDIATE already serialises writers.
 * https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-ADVISORY-LOCKS
 */
export async function saveForRole(
  db: Kysely<Database>,
  kind: 'sqlite' | 'postgres',
  settings: SavedSettings,
  owner: string | null,
  /**
   * The verification to record, for a connection it creates (`previous` null) or updates (the
   * connection's last drift check as stored, or null when none ran).
   */
  resultFor: (previous: { lastDrift: string | null } | null) => VerificationResult,
): Promise<SavedVerification> {
  return readThenWrite(db, kind, async (trx) => {
    if (kind === 'postgres') {
      await sql`select pg_advisory_xact_lock(hashtext(${`${owner ?? ''} ${settings.roleArn}`}))`.execute(trx);
    }
    const existing = await trx
      .selectFrom('connections')
      .select(['id', 'status', 'last_drift'])
      .where('role_arn', '=', settings.roleArn)
      .where((eb) => (owner === null ? eb('owner_session', 'is', null) : eb('owner_session', '=', owner)))
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    if (!existing) {
      const id = randomUUID();
      const transition = await insertConnection(trx, id, settings, owner, resultFor(null));
      return { id, created: true, previous: null, transition };
    }
    const result = resultFor({ lastDrift: existing.last_drift });
    const transition = await applyVerification(trx, existing.id, existing.status, result, settings);
    return { id: existing.id, created: false, previous: existing.status, transition };
  });
}

export async function getConnection(
  db: Kysely<Database>,
  id: string,
  scope: Scope,
): Promise<ConnectionRow | undefined> {
  const owner = ownerOf(scope);
  return db
    .selectFrom('connections')
    .selectAll()
    .where('id', '=', id)
    .$if(owner !== null, (q) => q.where('owner_session', '=', owner))
    .executeTakeFirst();
}

export async function listConnections(
  db: Kysely<Database>,
  opts: { scope: Scope; status?: ConnectionStatus | undefined; limit: number; offset: number },
): Promise<{ rows: ConnectionRow[]; total: number }> {
  const owner = ownerOf(opts.scope);
  const status = opts.status;
  const base = db
    .selectFrom('connections')
    .$if(owner !== null, (q) => q.where('owner_session', '=', owner))
    .$if(status !== undefined, (q) => q.where('status', '=', status as ConnectionStatus));
  const [rows, count] = await Promise.all([
    base
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(opts.limit)
      .offset(opts.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function historyOf(db: Kysely<Database>, id: string, limit = 100): Promise<VerificationRow[]> {
  return db
    .selectFrom('verifications')
    .selectAll()
    .where('connection_id', '=', id)
    .orderBy('at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function transitionsOf(db: Kysely<Database>, id: string, limit = 100): Promise<TransitionRow[]> {
  return db
    .selectFrom('status_transitions')
    .selectAll()
    .where('connection_id', '=', id)
    .orderBy('at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function deliveriesOf(db: Kysely<Database>, id: string, limit = 100): Promise<DeliveryRow[]> {
  return db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('connection_id', '=', id)
    .orderBy('at', 'desc')
    .orderBy('attempt', 'desc')
    .limit(limit)
    .execute();
}

export interface SettingsPatch {
  alias?: string | null;
  trustedAccountId?: string | null;
  iamPrincipal?: string | null;
}

/** True when the connection existed (and is in scope). */
export async function updateConnection(
  db: Kysely<Database>,
  id: string,
  scope: Scope,
  patch: SettingsPatch,
  now: number,
): Promise<boolean> {
  const owner = ownerOf(scope);
  const result = await db
    .updateTable('connections')
    .set({
      updated_at: now,
      ...(patch.alias !== undefined ? { alias: patch.alias } : {}),
      ...(patch.trustedAccountId !== undefined ? { trusted_account_id: patch.trustedAccountId } : {}),
      ...(patch.iamPrincipal !== undefined ? { iam_principal: patch.iamPrincipal } : {}),
    })
    .where('id', '=', id)
    .$if(owner !== null, (q) => q.where('owner_session', '=', owner))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Deletes it with its history, transitions and deliveries (ON DELETE CASCADE). */
export async function deleteConnection(db: Kysely<Database>, id: string, scope: Scope): Promise<boolean> {
  const owner = ownerOf(scope);
  const result = await db
    .deleteFrom('connections')
    .where('id', '=', id)
    .$if(owner !== null, (q) => q.where('owner_session', '=', owner))
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function recordDelivery(db: Kysely<Database>, row: Omit<DeliveryRow, 'id'>): Promise<void> {
  await db
    .insertInto('webhook_deliveries')
    .values({ id: randomUUID(), ...row })
    .execute();
}

/**
 * Takes up to `limit` monitored connections that are due and not leased, and leases them to
 * `runner` until now + leaseMs. On PostgreSQL, FOR UPDATE SKIP LOCKED lets replicas claim at the
 * same moment without waiting on or double-taking each other's rows; a replica that dies leaves
 * its rows leased only until leased_until, after which any replica takes them.
 * https://www.postgresql.org/docs/current/sql-select.html#SQL-FOR-UPDATE-SHARE
 */
export async function claimDue(
  db: Kysely<Database>,
  opts: { now: number; limit: number; leaseMs: number; runner: string; kind: 'sqlite' | 'postgres' },
): Promise<ConnectionRow[]> {
  const ids = await readThenWrite(db, opts.kind, async (trx) => {
    let due = trx
      .selectFrom('connections')
      .select('id')
      // Access-key connections keep no keys: nothing could verify them unattended.
      .where('source_kind', '=', 'sdk-default')
      .where('next_check_at', 'is not', null)
      .where('next_check_at', '<=', opts.now)
      .where((eb) => eb.or([eb('leased_until', 'is', null), eb('leased_until', '<=', opts.now)]))
      .orderBy('next_check_at')
      .limit(opts.limit);
    if (opts.kind === 'postgres') due = due.forUpdate().skipLocked();
    const found = (await due.execute()).map((r) => r.id);
    if (found.length > 0) {
      await trx
        .updateTable('connections')
        .set({ leased_until: opts.now + opts.leaseMs, leased_by: opts.runner })
        .where('id', 'in', found)
        .execute();
    }
    return found;
  });
  if (ids.length === 0) return [];
  return db.selectFrom('connections').selectAll().where('id', 'in', ids).execute();
}

/** Gives a lease back without a verification (the replica is stopping). */
export async function releaseLeases(db: Kysely<Database>, runner: string): Promise<void> {
  await db
    .updateTable('connections')
    .set({ leased_until: null, leased_by: null })
    .where('leased_by', '=', runner)
    .execute();
}
