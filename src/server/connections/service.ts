import { parseRoleArn } from '../../domain/arn.ts';
import { type DriftReport, driftReportSchema } from '../../domain/connection-contract.ts';
import type { CreateConnectionRequest } from '../../domain/connection-inputs.ts';
import { confidenceOf, connectionStatusOf } from '../../domain/connection-status.ts';
import type { VerifyReport } from '../../domain/diagnosis-contract.ts';
import { verifyReportSchema } from '../../domain/diagnosis-contract.ts';
import type { AccessKeysSource } from '../../domain/inputs.ts';
import { type VerifyRequest, verifyRequestSchema } from '../../domain/verify-request.ts';
import {
  type ConnectionRow,
  createConnection,
  getConnection,
  recordVerification,
  type SavedSettings,
  saveForRole,
  type TransitionRow,
  type VerificationResult,
} from '../store/connections.ts';
import type { Store } from '../store/database.ts';

// Verify and keep (issue 13): the one path by which a verification becomes a saved connection's
// state, for the API (create, re-verify) and the monitor alike. What is saved is the request
// without its keys and the scrubbed report; the report is validated against the contract first.

export interface TransitionEvent {
  connection: ConnectionRow;
  transition: TransitionRow;
  report: VerifyReport;
  drift: DriftReport | null;
}

export interface ConnectionService {
  store: Store;
  /** verifyConnection with the server's context, bound. */
  verify(request: VerifyRequest, requestId?: string): Promise<VerifyReport>;
  /** Reads the role's state with the assumed credentials and compares it with the template (monitor/drift.ts). */
  checkDrift?: (request: VerifyRequest, report: VerifyReport) => Promise<DriftReport | null>;
  schedule: { intervalMs: number; jitter: number };
  /** Told about every status change of an existing connection (alerts). */
  onTransition?: (event: TransitionEvent) => Promise<void>;
  now?: () => number;
  random?: () => number;
  /** Which process ran a verification (host:pid), recorded in the history. */
  runner: string;
}

const INCONCLUSIVE_RETRY_MS = 5 * 60_000;

/** The next check: one interval on, moved by up to ±jitter of it so checks do not bunch up. */
export function nextCheckAt(svc: ConnectionService, now: number, first = false): number {
  const r = (svc.random ?? Math.random)();
  const { intervalMs, jitter } = svc.schedule;
  // A new connection was just verified: its first scheduled check comes within one interval.
  if (first) return now + Math.round(intervalMs * (1 - jitter + jitter * r));
  return now + Math.round(intervalMs * (1 + jitter * (2 * r - 1)));
}

function settingsOf(
  request: Pick<
    CreateConnectionRequest,
    | 'roleArn'
    | 'externalId'
    | 'accountId'
    | 'trustedAccountId'
    | 'iamPrincipal'
    | 'sessionName'
    | 'durationSeconds'
    | 'region'
  > & {
    source: { kind: VerifyRequest['source']['kind'] };
  },
  alias: string | null,
): SavedSettings {
  const role = parseRoleArn(request.roleArn);
  return {
    accountId: request.accountId ?? role?.accountId ?? '',
    roleArn: request.roleArn,
    externalId: request.externalId,
    sourceKind: request.source.kind,
    trustedAccountId: request.trustedAccountId ?? null,
    iamPrincipal: request.iamPrincipal ?? null,
    sessionName: request.sessionName ?? null,
    durationSeconds: request.durationSeconds ?? null,
    region: request.region ?? null,
    alias,
  };
}

/** The verify request a saved connection stands for; access-key ones need their keys again. */
export function requestOf(row: ConnectionRow, keys?: AccessKeysSource): VerifyRequest {
  return verifyRequestSchema.parse({
    source: row.source_kind === 'sdk-default' ? { kind: 'sdk-default' } : keys,
    roleArn: row.role_arn,
    externalId: row.external_id,
    ...(row.session_name ? { sessionName: row.session_name } : {}),
    ...(row.duration_seconds ? { durationSeconds: row.duration_seconds } : {}),
    ...(row.trusted_account_id ? { trustedAccountId: row.trusted_account_id } : {}),
    ...(row.iam_principal ? { iamPrincipal: row.iam_principal } : {}),
    accountId: row.account_id,
    ...(row.region ? { region: row.region } : {}),
  });
}

/** What a verification leaves on a connection: status, history entry, next scheduled check. */
function resultOf(
  svc: ConnectionService,
  sourceKind: VerifyRequest['source']['kind'],
  verified: { report: VerifyReport; drift: DriftReport | null; durationMs: number; at: number },
  trigger: VerificationResult['trigger'],
  first: boolean,
): VerificationResult {
  const { report, drift, at } = verified;
  const result: VerificationResult = {
    reportJson: JSON.stringify(report),
    diagnosisCode: report.diagnosis.code,
    confidence: confidenceOf(report),
    status: connectionStatusOf(report, drift?.findings.length ?? 0),
    driftJson: drift ? JSON.stringify(drift) : null,
    durationMs: verified.durationMs,
    trigger,
    runner: svc.runner,
    at,
    nextCheckAt: null,
  };
  // Access-key connections keep no keys, so nothing can check them on a schedule. A check that
  // could not tell (unreachable, throttled) is retried within minutes, not a whole interval later.
  if (sourceKind === 'sdk-default') {
    const next = nextCheckAt(svc, at, first);
    result.nextCheckAt = result.status === 'unknown' ? Math.min(next, at + INCONCLUSIVE_RETRY_MS) : next;
  }
  return result;
}

async function run(
  svc: ConnectionService,
  request: VerifyRequest,
  trigger: VerificationResult['trigger'],
  requestId: string | undefined,
): Promise<{ report: VerifyReport; drift: DriftReport | null; result: VerificationResult }> {
  const now = svc.now ?? Date.now;
  const started = now();
  const report = verifyReportSchema.parse(await svc.verify(request, requestId));
  const drift = report.connected && svc.checkDrift ? await svc.checkDrift(request, report) : null;
  const at = now();
  const verified = { report, drift, durationMs: at - started, at };
  return {
    report,
    drift,
    result: resultOf(svc, request.source.kind, verified, trigger, trigger === 'create'),
  };
}

export async function verifyAndSave(
  svc: ConnectionService,
  request: CreateConnectionRequest,
  owner: string | null,
  requestId?: string,
): Promise<{ row: ConnectionRow; report: VerifyReport }> {
  const { alias, ...verifyRequest } = request;
  const { report, result } = await run(svc, verifyRequest, 'create', requestId);
  const { id } = await createConnection(
    svc.store.db,
    settingsOf(verifyRequest, alias ?? null),
    owner,
    result,
  );
  const row = await getConnection(svc.store.db, id, 'all');
  if (!row) throw new Error('the saved connection could not be read back');
  return { row, report };
}

/** Re-verifies a saved connection; undefined when it was deleted meanwhile. */
export async function reverify(
  svc: ConnectionService,
  row: ConnectionRow,
  opts: { trigger: 'manual' | 'monitor'; keys?: AccessKeysSource; requestId?: string },
): Promise<{ row: ConnectionRow; report: VerifyReport } | undefined> {
  const request = requestOf(row, opts.keys);
  const { report, drift, result } = await run(svc, request, opts.trigger, opts.requestId);
  const recorded = await recordVerification(svc.store.db, row.id, result, svc.store.kind);
  if (!recorded) return undefined;
  const updated = await getConnection(svc.store.db, row.id, 'all');
  if (!updated) return undefined;
  if (recorded.transition && svc.onTransition) {
    await svc.onTransition({ connection: updated, transition: recorded.transition, report, drift });
  }
  return { row: updated, report };
}

/** A verification made elsewhere (an organization run), with its request minus the keys. */
export interface VerifiedElsewhere {
  request: Omit<VerifyRequest, 'source'> & { source: { kind: VerifyRequest['source']['kind'] } };
  /** From discovery or the CSV; kept only when it is a valid connection alias. */
  alias: string | null;
  report: VerifyReport;
  durationMs: number;
}

/** The drift check a connection keeps, when it is one this version can read. */
function storedDrift(json: string | null): DriftReport | null {
  if (!json) return null;
  try {
    const parsed = driftReportSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Keeps an organization run's result of one account as that owner's connection for the role ARN:
 * created on the first run, updated (history, transition, alert) on the next. The bulk run already
 * spent its STS budget per account (docs/organizations.md), so no drift check here: the last one,
 * with its date, still stands for a role the run found assumable (a drift it found is not undone
 * by a check that did not look), and the monitor's next check makes a new one (decision 044). The
 * alert is returned, not awaited: a webhook that retries for a minute must not hold one of the
 * run's verification slots.
 */
export async function saveVerified(
  svc: ConnectionService,
  verified: VerifiedElsewhere,
  owner: string | null,
): Promise<{ row: ConnectionRow; created: boolean; alert: Promise<void> | null }> {
  const report = verifyReportSchema.parse(verified.report);
  const at = (svc.now ?? Date.now)();
  const { request } = verified;
  // A new connection's first check comes within one interval, as for one saved from the wizard.
  let drift: DriftReport | null = null;
  const resultFor = (previous: { lastDrift: string | null } | null) => {
    drift = report.connected && previous ? storedDrift(previous.lastDrift) : null;
    return resultOf(
      svc,
      request.source.kind,
      { report, drift, durationMs: verified.durationMs, at },
      'org',
      previous === null,
    );
  };
  const saved = await saveForRole(
    svc.store.db,
    svc.store.kind,
    settingsOf(request, verified.alias),
    owner,
    resultFor,
  );
  const row = await getConnection(svc.store.db, saved.id, 'all');
  if (!row) throw new Error('the saved connection could not be read back');
  const alert =
    !saved.created && saved.transition && svc.onTransition
      ? svc.onTransition({ connection: row, transition: saved.transition, report, drift })
      : null;
  return { row, created: saved.created, alert };
}
