import { useMutation } from '@tanstack/react-query';
import { PROWLER_PUSH_PATH, prowlerPushResponseSchema } from '../../../domain/prowler-api.ts';
import type { ProwlerPushRequestInput } from '../../../domain/prowler-push-request.ts';
import { apiFetch } from '../../../lib/api-client.ts';

/** Push the verified role into Prowler App (issue 16); 200 with both verdicts, or with the failure and the steps done. */
export function postProwlerPush(request: ProwlerPushRequestInput, signal?: AbortSignal) {
  // The server checks the request (prowler-push-request.ts); the page only parses the answer.
  return apiFetch(PROWLER_PUSH_PATH, {
    method: 'POST',
    body: request,
    schema: prowlerPushResponseSchema,
    signal,
  });
}

/** A mutation: the user starts it, and pushing again is always safe (the push is idempotent). */
export function useProwlerPush() {
  return useMutation({ mutationFn: (request: ProwlerPushRequestInput) => postProwlerPush(request) });
}
