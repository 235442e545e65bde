import { errorBodySchema } from '../../../domain/api-contract.ts';
import { NDJSON, ORG_API, type OrgEvent, type OrgVerifyRequestInput } from '../../../domain/org-contract.ts';
import { readOrgEvents } from '../../../domain/org-stream.ts';
import { ApiError } from '../../../lib/api-client.ts';

/**
 * POST /api/org/verify, read as NDJSON event by event (every event parsed with the shared schema).
 * Aborting the signal closes the stream, which cancels the run on the server.
 */
export async function streamOrgVerify(
  request: OrgVerifyRequestInput,
  onEvent: (event: OrgEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  let response: Response;
  try {
    response = await fetch(ORG_API.verify, {
      method: 'POST',
      signal,
      credentials: 'same-origin',
      headers: { accept: NDJSON, 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
  } catch {
    if (signal.aborted) throw new ApiError('aborted', 'The run was cancelled.');
    throw new ApiError('network', 'The server could not be reached.');
  }
  if (!response.ok || !response.body) {
    const body = errorBodySchema.safeParse(await response.json().catch(() => null));
    const e = body.success ? body.data.error : null;
    throw new ApiError(
      'http',
      e?.message ?? `The server answered ${response.status}.`,
      response.status,
      e?.code,
      e?.fields ?? [],
    );
  }
  try {
    await readOrgEvents(response.body, onEvent);
  } catch (cause) {
    if (signal.aborted) throw new ApiError('aborted', 'The run was cancelled.');
    throw new ApiError('contract', (cause as Error).message);
  }
}
