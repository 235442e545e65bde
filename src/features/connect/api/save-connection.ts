import { useMutation } from '@tanstack/react-query';
import { CONNECTION_API, connectionVerifiedSchema } from '../../../domain/connection-contract.ts';
import type { VerifyRequestInput } from '../../../domain/verify-request.ts';
import { apiFetch } from '../../../lib/api-client.ts';

/** "Save connection" (issue 13): the server verifies once more and keeps the result (never the keys). */
export function useSaveConnection() {
  return useMutation({
    mutationFn: (body: VerifyRequestInput & { alias?: string }) =>
      apiFetch(CONNECTION_API.list, { method: 'POST', body, schema: connectionVerifiedSchema }),
    // The variables hold the keys of an access-key run: drop them as soon as nobody watches.
    gcTime: 0,
  });
}
