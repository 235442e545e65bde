import type { PushFailure, PushFailureKind, PushStep } from '../../domain/prowler-api.ts';
import type { ProwlerAnswer, ProwlerClient } from './client.ts';
import { errorDocumentSchema, type ProwlerErrorItem } from './resources.ts';

// Errors of the integration itself, each with one clear sentence and nothing lost: Prowler's
// status, its error code, the JSON pointer of the refused field, and how many attempts it took.

type Stage = PushStep['stage'];

export class PushFailed extends Error {
  constructor(readonly failure: PushFailure) {
    super(failure.message);
  }
}

export function prowlerErrors(body: unknown): ProwlerErrorItem[] {
  const parsed = errorDocumentSchema.safeParse(body);
  return parsed.success ? parsed.data.errors : [];
}

function detailOf(item: ProwlerErrorItem | undefined): string {
  const d = item?.detail;
  if (typeof d === 'string') return d;
  return d === undefined ? '' : JSON.stringify(d);
}

const STAGE_WHAT: Record<Stage, string> = {
  tenant: 'reading the tenant',
  provider: 'creating the provider',
  secret: 'writing the role secret',
  connection: 'starting the connection test',
  task: 'following the connection test',
};

/** A failure for an answer the push cannot go on from. */
export function failureOf(client: ProwlerClient, stage: Stage, answer: ProwlerAnswer): PushFailure {
  const where = `Prowler App at ${client.baseUrl}`;
  const doing = STAGE_WHAT[stage];
  if (!answer.answered) {
    const tries = `${answer.attempts} attempt${answer.attempts === 1 ? '' : 's'}`;
    const message =
      answer.kind === 'timeout'
        ? `${where} did not answer while ${doing} (${answer.message}, ${tries}). Push again when it answers; PROWLER_API_TIMEOUT_MS sets the wait.`
        : `${where} could not be reached while ${doing} (${answer.message}, ${tries}): is it running, and is PROWLER_API_URL right?`;
    return failure(stage, answer.kind, message, null, null, null, answer.attempts, true);
  }
  const errors = prowlerErrors(answer.body);
  const first = errors[0];
  const code = first?.code ?? null;
  const pointer = first?.source?.pointer ?? null;
  const detail = client.redact(detailOf(first)).slice(0, 500);
  const said = detail ? `: “${detail}”` : '';
  const { status, attempts } = answer;
  if (status === 401) {
    return failure(
      stage,
      'auth',
      `${where} refused the API key (401${code ? ` ${code}` : ''}): set PROWLER_API_KEY to a key of this tenant that is neither revoked nor expired.`,
      status,
      code,
      pointer,
      attempts,
      false,
    );
  }
  if (status === 403) {
    return failure(
      stage,
      'forbidden',
      `${where} does not let this API key do that (403) while ${doing}${said}. Give the key's user the permission to manage providers.`,
      status,
      code,
      pointer,
      attempts,
      false,
    );
  }
  if (status === 415) {
    return failure(
      stage,
      'content-type',
      `${where} refused the request's content type (415) while ${doing}${said}. It takes only application/vnd.api+json: this is a defect of aws-connect, please report it.`,
      status,
      code,
      pointer,
      attempts,
      false,
    );
  }
  if (status === 400 || status === 422) {
    const field = pointer ? ` the field ${pointer}` : ' the request';
    return failure(
      stage,
      'validation',
      `${where} refused${field} while ${doing} (${status}${code ? ` ${code}` : ''})${said}.`,
      status,
      code,
      pointer,
      attempts,
      false,
    );
  }
  if (status === 404) {
    return failure(
      stage,
      'not-found',
      `${where} answered 404 while ${doing}${said}: the provider or task is gone (deleted meanwhile?). Push again to create it anew.`,
      status,
      code,
      pointer,
      attempts,
      true,
    );
  }
  if (status === 409) {
    return failure(
      stage,
      'conflict',
      `${where} answered 409 while ${doing}${said}.`,
      status,
      code,
      pointer,
      attempts,
      true,
    );
  }
  if (status >= 500 || status === 429) {
    return failure(
      stage,
      'server',
      `${where} failed while ${doing} (${status}, ${attempts} attempt${attempts === 1 ? '' : 's'})${said}. Push again later.`,
      status,
      code,
      pointer,
      attempts,
      true,
    );
  }
  return contractFailure(client, stage, answer, `it answered ${status}`);
}

/** An answer that is not what Prowler's API document describes. */
export function contractFailure(
  client: ProwlerClient,
  stage: Stage,
  answer: ProwlerAnswer,
  what: string,
): PushFailure {
  const status = answer.answered ? answer.status : null;
  return failure(
    stage,
    'contract',
    `Prowler App at ${client.baseUrl} gave an unexpected answer while ${STAGE_WHAT[stage]}: ${what}. Is PROWLER_API_URL the API (ending in /api/v1) of a Prowler App this version supports?`,
    status,
    null,
    null,
    answer.attempts,
    false,
  );
}

export function failure(
  stage: Stage,
  kind: PushFailureKind,
  message: string,
  status: number | null,
  code: string | null,
  pointer: string | null,
  attempts: number,
  retryable: boolean,
): PushFailure {
  return { stage, kind, message, status, code, pointer, attempts, retryable };
}
