import { useMutation } from '@tanstack/react-query';
import { API } from '../../../domain/api-contract.ts';
import type { VerifyReport } from '../../../domain/diagnosis-contract.ts';
import type { VerifyRequestInput } from '../../../domain/verify-request.ts';
import { type VerifyEvent, verifyEventSchema } from '../../../domain/verify-stream.ts';
import { ApiError } from '../../../lib/api-client.ts';
import { streamFetch } from '../../../lib/stream-fetch.ts';

export type ProgressEvent = Exclude<VerifyEvent, { type: 'report' }>;

/**
 * One verification (issues 5 and 15), streamed: checks and verdict as they come, then the report
 * (the server answers 200 with a report for every AWS outcome).
 */
export async function streamVerify(
  request: VerifyRequestInput,
  onProgress: (event: ProgressEvent) => void,
  signal: AbortSignal,
): Promise<VerifyReport> {
  let report: VerifyReport | null = null;
  await streamFetch(
    API.verify,
    request,
    verifyEventSchema,
    (event) => {
      if (event.type === 'report') report = event.report;
      else onProgress(event);
    },
    signal,
  );
  if (!report) throw new ApiError('contract', 'The verification ended without its report.');
  return report;
}

interface VerifyVariables {
  request: VerifyRequestInput;
  signal: AbortSignal;
  onProgress: (event: ProgressEvent) => void;
}

/**
 * A mutation: a verification is an action the user starts, and the request (with the keys of an
 * access-key run) must not become a cache key. The caller owns the AbortSignal (cancel on leaving).
 */
export function useVerify() {
  return useMutation({
    mutationFn: ({ request, signal, onProgress }: VerifyVariables) =>
      streamVerify(request, onProgress, signal),
    // The variables hold the keys of an access-key run: drop them as soon as nobody watches.
    gcTime: 0,
  });
}
