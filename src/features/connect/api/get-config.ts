import { queryOptions } from '@tanstack/react-query';
import { API, configResponseSchema } from '../../../domain/api-contract.ts';
import { apiFetch } from '../../../lib/api-client.ts';

export function getConfig(signal?: AbortSignal) {
  return apiFetch(API.config, { schema: configResponseSchema, signal });
}

// The installation's config does not change while the page is open.
export const configQuery = queryOptions({
  queryKey: ['config'],
  queryFn: ({ signal }) => getConfig(signal),
  staleTime: Number.POSITIVE_INFINITY,
  retry: 2,
});
