import {
  ORG_API,
  type OrgEvent,
  type OrgVerifyRequestInput,
  orgEventSchema,
} from '../../../domain/org-contract.ts';
import { streamFetch } from '../../../lib/stream-fetch.ts';

/**
 * POST /api/org/verify, read as NDJSON event by event (every event parsed with the shared schema).
 * Aborting the signal closes the stream, which cancels the run on the server.
 */
export function streamOrgVerify(
  request: OrgVerifyRequestInput,
  onEvent: (event: OrgEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  return streamFetch(ORG_API.verify, request, orgEventSchema, onEvent, signal);
}
