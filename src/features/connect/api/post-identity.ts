import { useMutation, useQuery } from '@tanstack/react-query';
import { API, identityAnswerSchema } from '../../../domain/api-contract.ts';
import type { IdentityResponse } from '../../../domain/diagnosis-contract.ts';
import type { CredentialSource } from '../../../domain/inputs.ts';
import { apiFetch, parseAnswer } from '../../../lib/api-client.ts';

/**
 * Who a credential source resolves to (sts:GetCallerIdentity on the server). A failure is parsed in
 * full too, with the schema that loads with the guidance panel (docs/decisions/041-first-screen-contract.md).
 */
export async function postIdentity(
  source: CredentialSource,
  signal?: AbortSignal,
): Promise<IdentityResponse> {
  const answer = await apiFetch(API.identity, {
    method: 'POST',
    body: { source },
    schema: identityAnswerSchema,
    signal,
  });
  if (answer.ok) return answer;
  const { identityResponseSchema } = await import('../../../domain/diagnosis-contract.ts');
  return parseAnswer(API.identity, identityResponseSchema, answer, 200);
}

/** The server's own identity (SDK default): no secrets, so a cached query is fine. */
export function useSdkIdentity() {
  return useQuery({
    queryKey: ['identity', 'sdk-default'],
    queryFn: ({ signal }) => postIdentity({ kind: 'sdk-default' }, signal),
    staleTime: 60_000,
  });
}

/**
 * Checks pasted keys. A mutation, not a query: the keys must not become a cache key, and the
 * result is only needed by the step that asked.
 */
export function useCheckKeys() {
  // gcTime 0: the keys in the variables are dropped as soon as the form unmounts.
  return useMutation({ mutationFn: (source: CredentialSource) => postIdentity(source), gcTime: 0 });
}
