import {
  type BulkPushEvent,
  bulkPushEndpoint,
  bulkPushEventSchema,
} from '../../../domain/org-prowler-push.ts';
import { streamFetch } from '../../../lib/stream-fetch.ts';

/**
 * POST /api/org/runs/:runId/prowler-push, read line by line, each event parsed with the shared
 * schema. Aborting the signal closes the stream: the server pushes no further account.
 */
export function streamProwlerPush(
  runId: string,
  onEvent: (event: BulkPushEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  return streamFetch(bulkPushEndpoint.pathOf(runId), {}, bulkPushEventSchema, onEvent, signal);
}
