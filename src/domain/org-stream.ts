import { type OrgEvent, orgEventSchema } from './org-contract.ts';

// Reads a run's NDJSON stream (POST /api/org/verify, and a run's push to Prowler) event by event,
// each parsed with the shared schema, for the web app and any other client of the stream.

export class OrgStreamError extends Error {
  override name = 'OrgStreamError';
}

/** Reads an NDJSON stream line by line, each line parsed with `schema` (org runs, Prowler pushes). */
export async function readNdjson<T>(
  body: ReadableStream<Uint8Array>,
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  onEvent: (event: T) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  const line = (text: string) => {
    if (text.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new OrgStreamError(`The server sent a line that is not JSON: ${text.slice(0, 80)}`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new OrgStreamError(`The server sent an event this client cannot read: ${text.slice(0, 80)}`);
    onEvent(parsed.data);
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      line(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
    }
  }
  line(buffered + decoder.decode());
}

export function readOrgEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: OrgEvent) => void,
): Promise<void> {
  return readNdjson(body, orgEventSchema, onEvent);
}
