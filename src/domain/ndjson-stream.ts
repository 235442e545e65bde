import type * as z from 'zod/mini';

// Reads an NDJSON answer (one JSON object a line) event by event, each parsed with its schema at
// the client boundary: the organization run (org-stream.ts) and the streamed verification
// (verify-stream.ts) share it.

export const NDJSON = 'application/x-ndjson';

export class StreamError extends Error {
  override name = 'StreamError';
}

export async function readNdjson<E>(
  body: ReadableStream<Uint8Array>,
  schema: z.ZodMiniType<E>,
  onEvent: (event: E) => void,
  Failure: new (message: string) => Error = StreamError,
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
      throw new Failure(`The server sent a line that is not JSON: ${text.slice(0, 80)}`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new Failure(`The server sent an event this client cannot read: ${text.slice(0, 80)}`);
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
