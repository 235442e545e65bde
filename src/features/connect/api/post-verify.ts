import { useMutation } from '@tanstack/react-query';
import { API } from '../../../domain/api-contract.ts';
import { verifyReportSchema } from '../../../domain/diagnosis-contract.ts';
import type { VerifyRequestInput } from '../../../domain/verify-request.ts';
import { apiFetch } from '../../../lib/api-client.ts';

/** One verification (issue 5); the server answers 200 with a report for every AWS outcome. */
export function postVerify(request: VerifyRequestInput, signal?: AbortSignal) {
  return apiFetch(API.verify, { method: 'POST', body: request, schema: verifyReportSchema, signal });
}

/**
 * A mutation: a verification is an action the user starts, and the request (with the keys of an
 * access-key run) must not become a cache key. The caller owns the AbortSignal (cancel on leaving).
 */
export function useVerify() {
  return useMutation({
    mutationFn: ({ request, signal }: { request: VerifyRequestInput; signal: AbortSignal }) =>
      postVerify(request, signal),
    // The variables hold the keys of an access-key run: drop them as soon as nobody watches.
    gcTime: 0,
  });
}
