import * as z from 'zod/mini';

// The stable diagnosis names shared by the UI, API, CLI and tests (docs/design.md#diagnosis-codes). What
// each code means, and its facts (severity, worth waiting for, fixed by a redeploy, guidance), is in
// catalogue.ts.
export const DIAGNOSIS_CODES = [
  'OK',
  'SOURCE_NO_CREDENTIALS',
  'SOURCE_KEY_INVALID',
  'SOURCE_SECRET_INVALID',
  'SOURCE_TOKEN_EXPIRED',
  'SOURCE_CLOCK_SKEW',
  'TRUST_ACCOUNT_MISMATCH',
  'TRUST_PRINCIPAL_MISMATCH',
  'ROLE_NOT_FOUND',
  'EXTERNAL_ID_MISMATCH',
  'CALLER_NOT_PERMITTED',
  'EXPLICIT_DENY',
  'ROLE_ACCOUNT_MISMATCH',
  'PARTITION_MISMATCH',
  'DURATION_EXCEEDS_MAX',
  'REGION_DISABLED',
  'STS_UNREACHABLE',
  'STS_TIMEOUT',
  'THROTTLED',
  'PERMISSIONS_INCOMPLETE',
  'EXTERNAL_ID_NOT_ENFORCED',
  'INVALID_INPUT',
  'UNKNOWN',
] as const;

export const diagnosisCodeSchema = z.enum(DIAGNOSIS_CODES);
export type DiagnosisCode = z.infer<typeof diagnosisCodeSchema>;

export type Severity = 'ok' | 'warning' | 'error';
