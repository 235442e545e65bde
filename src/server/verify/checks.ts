import type { CallFailure, DiagnoseInput, Diagnosis } from '../../domain/diagnosis/diagnose.ts';
import type { Check, VerifyReport } from '../../domain/diagnosis-contract.ts';
import type { AuditResult } from './audit.ts';

// The four checks of a report (CHECK_IDS), in the order the verification runs them.

const failed = (f: CallFailure) =>
  `${f.error.awsError.call} failed: ${f.error.awsError.code}: ${f.error.awsError.message}`;

function sourceCheck(e: DiagnoseInput): Check {
  const base = { id: 'source-identity', title: 'Source credentials' } as const;
  if (!e.source.ok) return { ...base, status: 'fail', detail: failed(e.source.failure) };
  if (!e.caller) return { ...base, status: 'skipped', detail: 'sts:GetCallerIdentity was not called.' };
  if (!e.caller.ok) return { ...base, status: 'fail', detail: failed(e.caller.failure) };
  return { ...base, status: 'pass', detail: `The source resolves to ${e.caller.value.arn}.` };
}

function assumeCheck(
  e: DiagnoseInput,
  d: Pick<Diagnosis, 'code'> | null,
  assumed: VerifyReport['assumed'],
): Check {
  const base = { id: 'assume-role', title: 'Assume the role with the External ID' } as const;
  if (e.assume?.ok && assumed) {
    return {
      ...base,
      status: 'pass',
      detail: `Assumed ${assumed.arn}; the session expires at ${assumed.expiration}.`,
    };
  }
  if (e.assume && !e.assume.ok) return { ...base, status: 'fail', detail: failed(e.assume.failure) };
  if (d?.code === 'DURATION_EXCEEDS_MAX') {
    return {
      ...base,
      status: 'fail',
      detail: `Not called: a role session cannot assume a role for more than 3600 seconds (role chaining); asked for ${e.request.durationSeconds}.`,
    };
  }
  return { ...base, status: 'skipped', detail: 'Not called: the source credentials did not work.' };
}

function enforcementCheck(e: DiagnoseInput): Check {
  const base = { id: 'external-id-enforced', title: 'The role requires the External ID' } as const;
  if (!e.enforcement) return { ...base, status: 'skipped', detail: 'Not checked: the role was not assumed.' };
  if (!e.enforcement.ok) {
    return { ...base, status: 'skipped', detail: `Could not be checked: ${failed(e.enforcement.failure)}` };
  }
  return e.enforcement.value.enforced
    ? { ...base, status: 'pass', detail: 'AWS refused sts:AssumeRole without the External ID.' }
    : {
        ...base,
        status: 'warn',
        detail:
          'The role can be assumed WITHOUT the External ID: anyone the trust policy admits can use it (confused deputy).',
      };
}

function auditCheck(e: DiagnoseInput, audit: AuditResult | null): Check {
  const base = { id: 'permission-audit', title: 'The role has the scan permissions' } as const;
  if (!e.audit) return { ...base, status: 'skipped', detail: 'Not checked: the role was not assumed.' };
  if (!e.audit.ok)
    return { ...base, status: 'skipped', detail: `Could not be checked: ${failed(e.audit.failure)}` };
  const notes = audit?.notes.length ? ` (${audit.notes.join('; ')})` : '';
  if (e.audit.value.missing.length === 0) {
    return {
      ...base,
      status: 'pass',
      detail: 'SecurityAudit, ViewOnlyAccess and the read-only additions policy are attached.',
    };
  }
  return { ...base, status: 'warn', detail: `Missing: ${e.audit.value.missing.join(', ')}${notes}.` };
}

/**
 * `d` decides only the assume-role check of a verification that never called AssumeRole; before
 * the diagnosis exists (the stream's early checks) it is null.
 */
export function buildChecks(
  e: DiagnoseInput,
  d: Pick<Diagnosis, 'code'> | null,
  assumed: VerifyReport['assumed'],
  audit: AuditResult | null,
): Check[] {
  return [sourceCheck(e), assumeCheck(e, d, assumed), enforcementCheck(e), auditCheck(e, audit)];
}
