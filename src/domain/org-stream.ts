import { readNdjson } from './ndjson-stream.ts';
import { type OrgEvent, orgEventSchema } from './org-contract.ts';

// Reads a run's NDJSON stream (POST /api/org/verify, and a run's push to Prowler) event by event,
// each parsed with the shared schema, for the web app and any other client of the stream.

export class OrgStreamError extends Error {
  override name = 'OrgStreamError';
}

export function readOrgEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: OrgEvent) => void,
): Promise<void> {
  return readNdjson(body, orgEventSchema, onEvent, OrgStreamError);
}
