import { useMutation } from '@tanstack/react-query';
import { type DiscoverRequest, discoverResponseSchema, ORG_API } from '../../../domain/org-contract.ts';
import { apiFetch } from '../../../lib/api-client.ts';

/** Discovery (issue 14): the server assumes the management role and reads the organization. */
export function useDiscover() {
  return useMutation({
    mutationFn: (request: Omit<DiscoverRequest, 'source'>) =>
      apiFetch(ORG_API.discover, { method: 'POST', body: request, schema: discoverResponseSchema }),
  });
}
