import type { OurVerdict } from '../../domain/prowler-api.ts';
import { type ProwlerPushInput, prowlerPushInputSchema } from '../../domain/prowler-push-request.ts';
import { storedReport } from '../connections/views.ts';
import type { ConnectionRow } from '../store/connections.ts';

// A saved connection as a push (issue 16): the role, External ID, alias and session settings it
// was saved with, and its last verification as "ours" beside Prowler's verdict. The API route and
// `aws-connect prowler push --connection` both use it, so they push the same values.

export interface SavedPush {
  id: string;
  input: ProwlerPushInput;
  /** The last verification, as saved; null when none could be read. */
  ours: OurVerdict | null;
  /** The last verification assumed the role (status ok or warning). */
  verified: boolean;
  status: ConnectionRow['status'];
  lastCode: string | null;
}

/** The row's values, each checked by the push's own schema; an alias Prowler would refuse is left out. */
export function savedPushOf(row: ConnectionRow): SavedPush {
  const alias =
    row.alias && prowlerPushInputSchema.shape.alias.safeParse(row.alias).success ? row.alias : null;
  const input = prowlerPushInputSchema.parse({
    roleArn: row.role_arn,
    externalId: row.external_id,
    accountId: row.account_id,
    ...(alias ? { alias } : {}),
    ...(row.session_name ? { sessionName: row.session_name } : {}),
    ...(row.duration_seconds ? { durationSeconds: row.duration_seconds } : {}),
  });
  const { report } = storedReport(row);
  const ours: OurVerdict | null = report
    ? {
        code: report.diagnosis.code,
        connected: report.connected,
        sourceKind: report.request.sourceKind,
        ...(report.caller ? { callerArn: report.caller.arn } : {}),
        roleArn: report.request.roleArn,
        externalId: report.request.externalId,
        finishedAt: report.finishedAt,
      }
    : null;
  return {
    id: row.id,
    input,
    ours,
    verified: ours?.connected === true && (row.status === 'ok' || row.status === 'warning'),
    status: row.status,
    lastCode: row.last_diagnosis_code,
  };
}

/**
 * Why a connection is not pushed unless forced (docs/decisions/048): its last verification did
 * not assume the role, so Prowler's test would most likely fail the same way.
 */
export function notVerifiedMessage(saved: SavedPush, pushAnyway: string): string {
  const last = saved.lastCode
    ? `its last verification ended ${saved.lastCode} (${saved.status}), without assuming the role`
    : 'it has no verification we can read';
  return `Connection ${saved.id} is not pushed: ${last}. Verify it again first, or ${pushAnyway} to push it anyway and see Prowler's own verdict beside ours.`;
}
