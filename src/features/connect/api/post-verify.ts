import { API, verifyReportSchema } from '../../../domain/api-contract.ts';
import type { VerifyRequestInput } from '../../../domain/inputs.ts';
import { apiFetch } from '../../../lib/api-client.ts';

/** One verification (issue 5); the server answers 200 with a report for every AWS outcome. */
export function postVerify(request: VerifyRequestInput, signal?: AbortSignal) {
  return apiFetch(API.verify, { method: 'POST', body: request, schema: verifyReportSchema, signal });
}
