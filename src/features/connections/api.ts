import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import * as z from 'zod/mini';
import {
  CONNECTION_API,
  connectionDetailSchema,
  connectionListSchema,
  connectionPath,
  connectionVerifiedSchema,
} from '../../domain/connection-contract.ts';
import type { ConnectionStatus } from '../../domain/connection-inputs.ts';
import { prowlerPushResponseSchema } from '../../domain/prowler-api.ts';
import { apiFetch } from '../../lib/api-client.ts';

// Saved connections (issue 13): the list, one connection, re-verify and delete. The server drew
// the page with the same data (src/server/routes/pages.ts), which main.tsx puts in the cache.

export const connectionsQuery = (status: ConnectionStatus | null) =>
  queryOptions({
    queryKey: ['connections', status ?? 'all'],
    queryFn: ({ signal }) =>
      apiFetch(`${CONNECTION_API.list}${status ? `?status=${status}` : ''}`, {
        schema: connectionListSchema,
        signal,
      }),
  });

export const connectionQuery = (id: string) =>
  queryOptions({
    queryKey: ['connection', id],
    queryFn: ({ signal }) => apiFetch(connectionPath(id), { schema: connectionDetailSchema, signal }),
  });

/** Re-verify an SDK-default connection now (access-key ones need their keys: the wizard). */
export function useReverify(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () =>
      apiFetch(connectionPath(id, true), { method: 'POST', body: {}, schema: connectionVerifiedSchema }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['connection', id] }),
  });
}

export function useDeleteConnection(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch(connectionPath(id), { method: 'DELETE', schema: z.null() }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['connections'] }),
  });
}

/**
 * Push this saved connection into Prowler App by its id (issue 16): the server reads its role and
 * External ID, so the page sends none. Pushing again is always safe (the push is idempotent).
 */
export function useConnectionProwlerPush(id: string) {
  return useMutation({
    mutationFn: (force: boolean) =>
      // POST /api/connections/:id/prowler-push (prowler-connection-push.ts); the answer is the
      // push's, with the connection's id beside it.
      apiFetch(`${connectionPath(id)}/prowler-push`, {
        method: 'POST',
        body: force ? { force: true } : {},
        schema: prowlerPushResponseSchema,
      }),
  });
}
