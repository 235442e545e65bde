import { QueryClient } from '@tanstack/react-query';
import type { ApiError } from './api-client.ts';

// Every hook agrees on the error type (docs/architecture.md#errors): registered once here.
declare module '@tanstack/react-query' {
  interface Register {
    defaultError: ApiError;
  }
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      // AWS answers are facts about a moment: refetch only when asked, never on focus.
      queries: { retry: false, refetchOnWindowFocus: false, staleTime: 30_000 },
      mutations: { retry: false },
    },
  });
}
