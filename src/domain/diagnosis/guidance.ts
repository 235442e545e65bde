import type { DiagnosisCode } from './codes.ts';
import { severityOf } from './codes.ts';
import {
  type Guidance,
  type GuidanceBody,
  type GuidanceContext,
  type Helpers,
  helpersFor,
} from './guidance-context.ts';
import {
  durationExceedsMax,
  invalidInput,
  ok,
  permissionsIncomplete,
  regionDisabled,
  stsTimeout,
  stsUnreachable,
  throttled,
  unknown,
} from './guidance-service.ts';
import {
  sourceClockSkew,
  sourceKeyInvalid,
  sourceNoCredentials,
  sourceSecretInvalid,
  sourceTokenExpired,
} from './guidance-source.ts';
import {
  callerNotPermitted,
  explicitDeny,
  externalIdMismatch,
  externalIdNotEnforced,
  partitionMismatch,
  roleAccountMismatch,
  trustAccountMismatch,
  trustPrincipalMismatch,
} from './guidance-trust.ts';

// The guidance catalogue: for every diagnosis code, a title, what happened, why, the fix as steps
// with this user's own values, and the evidence to show. A Record over DiagnosisCode, so a new
// code does not compile until it has guidance. docs/decisions explains the catalogue.

export type { Guidance, GuidanceContext, GuidanceStep } from './guidance-context.ts';
export { EVIDENCE_KEYS, type EvidenceKey } from './guidance-context.ts';

const CATALOGUE: Record<DiagnosisCode, (h: Helpers) => GuidanceBody> = {
  OK: ok,
  SOURCE_NO_CREDENTIALS: sourceNoCredentials,
  SOURCE_KEY_INVALID: sourceKeyInvalid,
  SOURCE_SECRET_INVALID: sourceSecretInvalid,
  SOURCE_TOKEN_EXPIRED: sourceTokenExpired,
  SOURCE_CLOCK_SKEW: sourceClockSkew,
  TRUST_ACCOUNT_MISMATCH: trustAccountMismatch,
  TRUST_PRINCIPAL_MISMATCH: trustPrincipalMismatch,
  EXTERNAL_ID_MISMATCH: externalIdMismatch,
  CALLER_NOT_PERMITTED: callerNotPermitted,
  EXPLICIT_DENY: explicitDeny,
  ROLE_ACCOUNT_MISMATCH: roleAccountMismatch,
  PARTITION_MISMATCH: partitionMismatch,
  DURATION_EXCEEDS_MAX: durationExceedsMax,
  REGION_DISABLED: regionDisabled,
  STS_UNREACHABLE: stsUnreachable,
  STS_TIMEOUT: stsTimeout,
  THROTTLED: throttled,
  PERMISSIONS_INCOMPLETE: permissionsIncomplete,
  EXTERNAL_ID_NOT_ENFORCED: externalIdNotEnforced,
  INVALID_INPUT: invalidInput,
  UNKNOWN: unknown,
};

export function guidanceFor(code: DiagnosisCode, ctx: GuidanceContext): Guidance {
  const entry = CATALOGUE[code] ?? CATALOGUE.UNKNOWN;
  const body = entry(helpersFor(ctx));
  return { code, severity: severityOf(code), ...body };
}
