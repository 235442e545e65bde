import type * as z from 'zod/mini';
import { errorBodySchema } from '../domain/api-contract.ts';
import { NDJSON, readNdjson } from '../domain/ndjson-stream.ts';
import { ApiError } from './api-client.ts';

// The fetch wrapper of the streamed answers (the organization run, the verification): POST, read
// NDJSON event by event, each parsed with its schema. An answer that is not 200 (input errors, the
// rate limit) is an ordinary JSON error and becomes the same ApiError as apiFetch's. Aborting the
// signal closes the stream, which the server takes as a cancel.

export async function streamFetch<E>(
  path: string,
  body: unknown,
  schema: z.ZodMiniType<E>,
  onEvent: (event: E) => void,
  signal: AbortSignal,
): Promise<void> {
  const aborted = () => new ApiError('aborted', 'The request was cancelled.');
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      signal,
      credentials: 'same-origin',
      headers: { accept: NDJSON, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    if (signal.aborted) throw aborted();
    throw new ApiError('network', 'The server could not be reached. Is it still running?');
  }
  if (!response.ok || !response.body) {
    const parsed = errorBodySchema.safeParse(await response.json().catch(() => null));
    const e = parsed.success ? parsed.data.error : null;
    throw new ApiError(
      'http',
      e?.message ?? `The server answered ${response.status}.`,
      response.status,
      e?.code,
      e?.fields ?? [],
      e?.requestId,
    );
  }
  try {
    await readNdjson(response.body, schema, onEvent);
  } catch (cause) {
    if (signal.aborted) throw aborted();
    throw new ApiError('contract', (cause as Error).message);
  }
}
