// The tables as Kysely sees them (one interface per table). Times are epoch milliseconds: one
// integer type that sorts and compares the same in SQLite and PostgreSQL, whatever the collation.
// JSON documents (the last report, the last drift check) are text, validated when read.

export interface ConnectionsTable {
  id: string;
  account_id: string;
  role_arn: string;
  external_id: string;
  source_kind: 'sdk-default' | 'access-keys';
  trusted_account_id: string | null;
  iam_principal: string | null;
  session_name: string | null;
  duration_seconds: number | null;
  region: string | null;
  alias: string | null;
  status: 'ok' | 'warning' | 'broken' | 'unknown';
  /** The last verification's report, JSON (verifyReportSchema). */
  last_report: string | null;
  last_diagnosis_code: string | null;
  last_confidence: string | null;
  last_verified_at: number | null;
  last_duration_ms: number | null;
  created_at: number;
  updated_at: number;
  // 002-schedule-and-sessions
  /** When the monitor next checks it; null for connections it does not monitor (access keys). */
  next_check_at: number | null;
  /** A replica holds it until then (monitor lease); null when nobody does. */
  leased_until: number | null;
  leased_by: string | null;
  /** Hosted flavour: the browser session that owns it (sessions.id); null when self-hosted. */
  owner_session: string | null;
  /** The last drift check, JSON (driftReportSchema). */
  last_drift: string | null;
}

export interface VerificationsTable {
  id: string;
  connection_id: string;
  at: number;
  outcome: 'ok' | 'warning' | 'broken' | 'unknown';
  diagnosis_code: string;
  confidence: string | null;
  duration_ms: number;
  /** What started it: create, manual (API), monitor, or org (an organization run). Plain text: no CHECK constrains it. */
  trigger: 'create' | 'manual' | 'monitor' | 'org';
  // 002-schedule-and-sessions
  /** Which process ran it (host:pid), to tell replicas apart. */
  runner: string | null;
}

export interface StatusTransitionsTable {
  id: string;
  connection_id: string;
  at: number;
  from_status: 'ok' | 'warning' | 'broken' | 'unknown' | null;
  to_status: 'ok' | 'warning' | 'broken' | 'unknown';
  diagnosis_code: string;
}

export interface WebhookDeliveriesTable {
  id: string;
  connection_id: string;
  transition_id: string;
  at: number;
  url: string;
  attempt: number;
  status_code: number | null;
  error: string | null;
  delivered: number;
}

export interface SessionsTable {
  /** sha256 of the cookie value: the database never holds a usable session id. */
  id: string;
  external_id: string;
  created_at: number;
  last_seen_at: number;
}

export interface Database {
  connections: ConnectionsTable;
  verifications: VerificationsTable;
  status_transitions: StatusTransitionsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  sessions: SessionsTable;
}
