import { errorBodySchema } from '../../../domain/api-contract.ts';
import { NDJSON } from '../../../domain/org-contract.ts';
import {
  type BulkPushEvent,
  bulkPushEndpoint,
  bulkPushEventSchema,
} from '../../../domain/org-prowler-push.ts';
import { readNdjson } from '../../../domain/org-stream.ts';
import { ApiError } from '../../../lib/api-client.ts';

/**
 * POST /api/org/runs/:runId/prowler-push, read line by line, each event parsed with the shared
 * schema. Aborting the signal closes the stream: the server pushes no further account.
 */
export async function streamProwlerPush(
  runId: string,
  onEvent: (event: BulkPushEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  let response: Response;
  try {
    response = await fetch(bulkPushEndpoint.pathOf(runId), {
      method: 'POST',
      signal,
      credentials: 'same-origin',
      headers: { accept: NDJSON, 'content-type': 'application/json' },
      body: '{}',
    });
  } catch {
    throw new ApiError(signal.aborted ? 'aborted' : 'network', 'The server could not be reached.');
  }
  if (!response.ok || !response.body) {
    const body = errorBodySchema.safeParse(await response.json().catch(() => null));
    const e = body.success ? body.data.error : null;
    throw new ApiError(
      'http',
      e?.message ?? `The server answered ${response.status}.`,
      response.status,
      e?.code,
    );
  }
  try {
    await readNdjson(response.body, bulkPushEventSchema, onEvent);
  } catch (cause) {
    throw new ApiError(signal.aborted ? 'aborted' : 'contract', (cause as Error).message);
  }
}
