import { useQuery } from '@tanstack/react-query';
import { API } from '../../../domain/api-contract.ts';
import { sandboxScenarioResponseSchema } from '../../../domain/sandbox-contract.ts';
import { apiFetch } from '../../../lib/api-client.ts';

export function getSandboxScenario(signal?: AbortSignal) {
  return apiFetch(API.sandboxScenario, { schema: sandboxScenarioResponseSchema, signal });
}

/** The demo's target accounts; only asked when the server runs on the sandbox. */
export function useSandboxScenario() {
  return useQuery({
    queryKey: ['sandbox', 'scenario'],
    queryFn: ({ signal }) => getSandboxScenario(signal),
    staleTime: 5_000,
  });
}
