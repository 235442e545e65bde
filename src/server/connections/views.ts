import {
  type ConnectionDetail,
  type ConnectionSummary,
  type DriftReport,
  driftReportSchema,
} from '../../domain/connection-contract.ts';
import { type VerifyReport, verifyReportSchema } from '../../domain/diagnosis-contract.ts';
import type { ConnectionRow, DeliveryRow, TransitionRow, VerificationRow } from '../store/connections.ts';

// Rows as the API answers them (api-contract.ts). Stored JSON is validated on the way out: a
// report written by an older version in another shape is reported as outdated, never guessed at.

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toSummary(row: ConnectionRow): ConnectionSummary {
  return {
    id: row.id,
    alias: row.alias,
    accountId: row.account_id,
    roleArn: row.role_arn,
    sourceKind: row.source_kind,
    status: row.status,
    monitored: row.source_kind === 'sdk-default',
    lastVerifiedAt: iso(row.last_verified_at),
    diagnosisCode: row.last_diagnosis_code,
    confidence: row.last_confidence,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

function parseJson<T>(
  text: string | null,
  schema: { safeParse(v: unknown): { success: boolean; data?: T } },
) {
  if (text === null) return { value: null, outdated: false };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { value: null, outdated: true };
  }
  const parsed = schema.safeParse(raw);
  return parsed.success ? { value: parsed.data as T, outdated: false } : { value: null, outdated: true };
}

export function storedReport(row: ConnectionRow): { report: VerifyReport | null; outdated: boolean } {
  const { value, outdated } = parseJson<VerifyReport>(row.last_report, verifyReportSchema);
  return { report: value, outdated };
}

export function toDetail(
  row: ConnectionRow,
  history: VerificationRow[],
  transitions: TransitionRow[],
  deliveries: DeliveryRow[],
): ConnectionDetail {
  const { report, outdated } = storedReport(row);
  const drift = parseJson<DriftReport>(row.last_drift, driftReportSchema).value;
  return {
    ...toSummary(row),
    externalId: row.external_id,
    trustedAccountId: row.trusted_account_id,
    iamPrincipal: row.iam_principal,
    sessionName: row.session_name,
    durationSeconds: row.duration_seconds,
    region: row.region,
    report,
    reportOutdated: outdated,
    drift,
    nextCheckAt: iso(row.next_check_at),
    history: history.map((h) => ({
      at: new Date(h.at).toISOString(),
      outcome: h.outcome,
      diagnosisCode: h.diagnosis_code,
      confidence: h.confidence,
      durationMs: h.duration_ms,
      trigger: h.trigger,
    })),
    transitions: transitions.map((t) => ({
      id: t.id,
      at: new Date(t.at).toISOString(),
      from: t.from_status,
      to: t.to_status,
      diagnosisCode: t.diagnosis_code,
    })),
    deliveries: deliveries.map((d) => ({
      transitionId: d.transition_id,
      at: new Date(d.at).toISOString(),
      url: d.url,
      attempt: d.attempt,
      statusCode: d.status_code,
      error: d.error,
      delivered: d.delivered === 1,
    })),
  };
}
