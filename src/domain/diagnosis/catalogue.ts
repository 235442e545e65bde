import type { DiagnosisCode, Severity } from './codes.ts';
import type { GuidanceBody, Helpers } from './guidance-context.ts';
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
  roleNotFound,
  trustAccountMismatch,
  trustPrincipalMismatch,
} from './guidance-trust.ts';

// Each code's facts in one table: how bad it is, whether waiting for a deployment can change it,
// whether redeploying the template with the right values fixes it, whether it is a trust-side
// cause (suspected until the role's real state shows it), and its guidance. A Record over
// DiagnosisCode, so a new code does not compile until every fact is written down.

export interface CodeFacts {
  /** The code in a few words, e.g. as a candidate's name. */
  label: string;
  severity: Severity;
  /** A stack still being created or updated explains it: re-verifying after a backoff may pass. */
  worthWaiting: boolean;
  /** Deploying the template again with values that admit the caller fixes it. */
  fixedByRedeploy: boolean;
  /** A cause on the role's side that AWS does not name: confirmed only by the role's real state. */
  trustSide: boolean;
  guidance: (h: Helpers) => GuidanceBody;
}

const fact = (
  label: string,
  severity: Severity,
  guidance: CodeFacts['guidance'],
  flags: Partial<Pick<CodeFacts, 'worthWaiting' | 'fixedByRedeploy' | 'trustSide'>> = {},
): CodeFacts => ({
  label,
  severity,
  worthWaiting: false,
  fixedByRedeploy: false,
  trustSide: false,
  guidance,
  ...flags,
});

const TRUST_SIDE = { worthWaiting: true, fixedByRedeploy: true, trustSide: true } as const;
const DRIFT = { worthWaiting: true, fixedByRedeploy: true } as const;

export const CATALOGUE: Record<DiagnosisCode, CodeFacts> = {
  OK: fact('Connected', 'ok', ok),
  SOURCE_NO_CREDENTIALS: fact('No AWS credentials', 'error', sourceNoCredentials),
  SOURCE_KEY_INVALID: fact('Unknown access key', 'error', sourceKeyInvalid),
  SOURCE_SECRET_INVALID: fact('Wrong secret access key', 'error', sourceSecretInvalid),
  SOURCE_TOKEN_EXPIRED: fact('Expired session token', 'error', sourceTokenExpired),
  SOURCE_CLOCK_SKEW: fact('Clock out of sync', 'error', sourceClockSkew),
  TRUST_ACCOUNT_MISMATCH: fact(
    'The role trusts a different account',
    'error',
    trustAccountMismatch,
    TRUST_SIDE,
  ),
  TRUST_PRINCIPAL_MISMATCH: fact(
    'The role does not trust this principal',
    'error',
    trustPrincipalMismatch,
    TRUST_SIDE,
  ),
  ROLE_NOT_FOUND: fact('There is no such role', 'error', roleNotFound, TRUST_SIDE),
  EXTERNAL_ID_MISMATCH: fact('The role expects another External ID', 'error', externalIdMismatch, TRUST_SIDE),
  CALLER_NOT_PERMITTED: fact('The caller may not call sts:AssumeRole', 'error', callerNotPermitted),
  EXPLICIT_DENY: fact('An explicit Deny', 'error', explicitDeny),
  ROLE_ACCOUNT_MISMATCH: fact('The role is in a different account', 'error', roleAccountMismatch),
  PARTITION_MISMATCH: fact('Different partitions', 'error', partitionMismatch),
  DURATION_EXCEEDS_MAX: fact('Session duration too long', 'error', durationExceedsMax),
  REGION_DISABLED: fact('Region not enabled', 'error', regionDisabled),
  STS_UNREACHABLE: fact('AWS STS unreachable', 'error', stsUnreachable),
  STS_TIMEOUT: fact('AWS STS did not answer in time', 'error', stsTimeout),
  THROTTLED: fact('Throttled', 'error', throttled),
  PERMISSIONS_INCOMPLETE: fact('Scan permissions missing', 'warning', permissionsIncomplete, DRIFT),
  EXTERNAL_ID_NOT_ENFORCED: fact('External ID not enforced', 'warning', externalIdNotEnforced, DRIFT),
  INVALID_INPUT: fact('Invalid input', 'error', invalidInput),
  UNKNOWN: fact('Unexpected error', 'error', unknown),
};

export const severityOf = (code: DiagnosisCode): Severity => CATALOGUE[code].severity;
export const worthWaiting = (code: DiagnosisCode): boolean => CATALOGUE[code].worthWaiting;
export const fixedByRedeploy = (code: DiagnosisCode): boolean => CATALOGUE[code].fixedByRedeploy;
export const isTrustSide = (code: DiagnosisCode): boolean => CATALOGUE[code].trustSide;
