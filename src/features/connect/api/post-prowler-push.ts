import { useMutation } from '@tanstack/react-query';
import { type ProwlerPushRequestInput, prowlerPushEndpoint } from '../../../domain/prowler-api.ts';
import { apiFetch } from '../../../lib/api-client.ts';

/** Push the verified role into Prowler App (issue 16); 200 with both verdicts, or with the failure and the steps done. */
export function postProwlerPush(request: ProwlerPushRequestInput, signal?: AbortSignal) {
  return apiFetch(prowlerPushEndpoint.path, {
    method: prowlerPushEndpoint.method,
    body: request,
    schema: prowlerPushEndpoint.response,
    signal,
  });
}

/** A mutation: the user starts it, and pushing again is always safe (the push is idempotent). */
export function useProwlerPush() {
  return useMutation({ mutationFn: (request: ProwlerPushRequestInput) => postProwlerPush(request) });
}
