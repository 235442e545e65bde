import { API, configResponseSchema } from '../../src/domain/api-contract.ts';
import type { VerifyReport } from '../../src/domain/diagnosis-contract.ts';
import { verifyReportSchema } from '../../src/domain/diagnosis-contract.ts';
import type { VerifyRequestInput } from '../../src/domain/verify-request.ts';
import { BENCH_ROLE_ARN } from './sandbox-process.ts';

// The two API calls the benches make, through the public HTTP contract only.

export function jsonHeaders(): Record<string, string> {
  return { 'content-type': 'application/json', accept: 'application/json' };
}

export async function fetchExternalId(serverUrl: string): Promise<string> {
  const res = await fetch(`${serverUrl}${API.config}`);
  if (!res.ok) throw new Error(`GET ${API.config} answered ${res.status}`);
  return configResponseSchema.parse(await res.json()).externalId;
}

export function verifyBody(externalId: string, roleArn = BENCH_ROLE_ARN): string {
  const body: VerifyRequestInput = { source: { kind: 'sdk-default' }, roleArn, externalId };
  return JSON.stringify(body);
}

/**
 * One POST /api/verify; throws unless it answers 200 with a green report (a red one is cheaper and
 * would flatter the figures). `ms` is the HTTP exchange, from sending to the last byte of the answer;
 * checking the report against its schema comes after, so the bench's own parsing is not counted.
 */
export async function verifyOnce(
  serverUrl: string,
  body: string,
): Promise<{ report: VerifyReport; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${serverUrl}${API.verify}`, { method: 'POST', headers: jsonHeaders(), body });
  const text = await res.text();
  const ms = performance.now() - started;
  if (res.status !== 200) throw new Error(`POST ${API.verify} answered ${res.status}: ${text.slice(0, 500)}`);
  const report = verifyReportSchema.parse(JSON.parse(text));
  if (!report.ok || report.diagnosis.code !== 'OK') {
    throw new Error(
      `verification is not green: ${report.diagnosis.code} ${JSON.stringify(report.diagnosis.facts)}`,
    );
  }
  return { report, ms };
}

/** Cheap check of a raw response body, for autocannon's verifyBody. */
export function isGreenReport(text: string): boolean {
  try {
    const parsed = JSON.parse(text) as { ok?: unknown; diagnosis?: { code?: unknown } };
    return parsed.ok === true && parsed.diagnosis?.code === 'OK';
  } catch {
    return false;
  }
}
