import type * as z from 'zod/mini';
import { fieldErrorsFrom } from '../domain/field-errors.ts';
import { ApiError } from './errors.ts';

/** The shared schema, applied before anything touches AWS (docs/architecture.md#one-schema-both-sides). */
export function parseBody<T extends z.ZodMiniType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new ApiError(400, 'INVALID_INPUT', 'Some fields need attention.', fieldErrorsFrom(result.error));
  }
  return result.data;
}
