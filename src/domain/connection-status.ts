import type { ConnectionStatus } from './connection-inputs.ts';

// A saved connection's status from its last verification and drift check (issue 13):
//   ok       assumed, nothing to fix, no drift
//   warning  assumed, but a finding remains (a warning code, or drift from the template)
//   broken   AWS refused, or the source credentials failed: the scanner cannot connect
//   unknown  the check could not tell (AWS unreachable, timed out, still throttled)
// An unreachable STS says nothing about the role, so it must not raise a "broken" alert.

const INCONCLUSIVE = new Set(['STS_UNREACHABLE', 'STS_TIMEOUT', 'THROTTLED']);

export interface StatusInput {
  ok: boolean;
  connected: boolean;
  diagnosis: { code: string };
}

export function connectionStatusOf(report: StatusInput, driftFindings = 0): ConnectionStatus {
  if (report.connected) return report.ok && driftFindings === 0 ? 'ok' : 'warning';
  return INCONCLUSIVE.has(report.diagnosis.code) ? 'unknown' : 'broken';
}

/** The report's confidence (confirmed/suspected), when its diagnosis carries one. */
export function confidenceOf(report: { diagnosis: object }): string | null {
  const value = (report.diagnosis as { confidence?: unknown }).confidence;
  return typeof value === 'string' ? value : null;
}
