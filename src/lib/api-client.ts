import type * as z from 'zod/mini';
import { errorBodySchema, type FieldError } from '../domain/api-contract.ts';

// The one fetch wrapper (docs/architecture.md#errors): every response is parsed with its
// zod contract at this boundary, and every failure becomes an ApiError, the error type registered
// with TanStack Query in query-client.ts.

export type ApiErrorKind = 'http' | 'network' | 'contract' | 'aborted';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly status: number | null = null,
    /** The server's error code (errorBodySchema), e.g. "INVALID_INPUT". */
    readonly code: string = kind.toUpperCase(),
    /** Field errors keyed by dotted request path, e.g. "roleArn" or "source.accessKeyId". */
    readonly fields: readonly FieldError[] = [],
    readonly requestId?: string,
  ) {
    super(message);
  }
}

export interface ApiRequest<T> {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  schema: z.ZodMiniType<T>;
  signal?: AbortSignal;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function apiFetch<T>(
  path: string,
  { method = 'GET', body, schema, signal }: ApiRequest<T>,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      signal,
      credentials: 'same-origin',
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (cause) {
    if (signal?.aborted) throw new ApiError('aborted', 'The request was cancelled.');
    throw new ApiError(
      'network',
      `The server did not answer (${String((cause as Error)?.message ?? cause)}). Is it still running?`,
    );
  }
  const json = await readJson(response);
  if (!response.ok) {
    const parsed = errorBodySchema.safeParse(json);
    if (parsed.success) {
      const { code, message, fields, requestId } = parsed.data.error;
      throw new ApiError('http', message, response.status, code, fields, requestId);
    }
    throw new ApiError(
      'http',
      `The server answered ${response.status} ${response.statusText}.`,
      response.status,
    );
  }
  return parseAnswer(path, schema, json, response.status);
}

/** Parses an answer with its contract; a mismatch is an ApiError of kind "contract". */
export function parseAnswer<T>(path: string, schema: z.ZodMiniType<T>, json: unknown, status: number): T {
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ApiError(
      'contract',
      `The server's answer to ${path} did not match the API contract; is the server the same version?`,
      status,
    );
  }
  return parsed.data;
}
