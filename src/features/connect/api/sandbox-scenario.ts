import { type QueryClient, queryOptions, useQuery } from '@tanstack/react-query';
import { API, type ConfigResponse } from '../../../domain/api-contract.ts';
import { sandboxScenarioResponseSchema } from '../../../domain/sandbox-contract.ts';
import { apiFetch } from '../../../lib/api-client.ts';

export function getSandboxScenario(signal?: AbortSignal) {
  return apiFetch(API.sandboxScenario, { schema: sandboxScenarioResponseSchema, signal });
}

const sandboxScenarioQuery = queryOptions({
  queryKey: ['sandbox', 'scenario'],
  queryFn: ({ signal }) => getSandboxScenario(signal),
  staleTime: 5_000,
});

/** The demo's target accounts; only asked when the server runs on the sandbox. */
export function useSandboxScenario() {
  return useQuery(sandboxScenarioQuery);
}

/**
 * The accounts a step that lists them needs for its first screen (a step drawn from the tab's copy
 * is rendered once its data is here: src/main.tsx). A failure is the step's to show.
 */
export function prefetchSandboxScenario(
  client: QueryClient,
  config: ConfigResponse | undefined,
): Promise<void> {
  return config?.sandbox ? client.prefetchQuery(sandboxScenarioQuery) : Promise.resolve();
}
