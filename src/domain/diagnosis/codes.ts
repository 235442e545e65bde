import * as z from 'zod/mini';

// The stable diagnosis names shared by the UI, API, CLI and tests (docs/design.md#diagnosis-codes).
export const DIAGNOSIS_CODES = [
  'OK',
  'SOURCE_NO_CREDENTIALS',
  'SOURCE_KEY_INVALID',
  'SOURCE_SECRET_INVALID',
  'SOURCE_TOKEN_EXPIRED',
  'SOURCE_CLOCK_SKEW',
  'TRUST_ACCOUNT_MISMATCH',
  'TRUST_PRINCIPAL_MISMATCH',
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

/** Warnings: the role was assumed, but something a security team would fix remains. */
export const WARNING_CODES = new Set<DiagnosisCode>(['PERMISSIONS_INCOMPLETE', 'EXTERNAL_ID_NOT_ENFORCED']);

export type Severity = 'ok' | 'warning' | 'error';
export function severityOf(code: DiagnosisCode): Severity {
  if (code === 'OK') return 'ok';
  return WARNING_CODES.has(code) ? 'warning' : 'error';
}
