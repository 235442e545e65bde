import * as z from 'zod/mini';
import { accessKeysSourceSchema, accountIdSchema, iamPrincipalSchema, optionalText } from './inputs.ts';
import { verifyRequestSchema } from './verify-request.ts';

// The inputs of the saved-connections API (issue 13), one schema per input as in inputs.ts; a
// module of its own so the wizard's first screen does not carry them.

/** A saved connection's name for people, e.g. "prod-eu". */
export const aliasSchema = z
  .string({ error: 'The alias is text, like prod-eu.' })
  .check(
    z.trim(),
    z.minLength(1, 'The alias is 1 to 64 characters.'),
    z.maxLength(64, 'The alias is 1 to 64 characters.'),
    z.regex(
      /^[\p{L}\p{N} ._:/()+-]+$/u,
      'The alias may use letters, digits, spaces and . _ : / ( ) + - only.',
    ),
  );

/** POST /api/connections: a verify request and an optional alias. */
export const createConnectionRequestSchema = z.strictObject({
  ...verifyRequestSchema.shape,
  alias: optionalText(aliasSchema),
});
export type CreateConnectionRequest = z.infer<typeof createConnectionRequestSchema>;

/** POST /api/connections/:id/verify: access-key connections keep no keys, so they come again here. */
export const reverifyRequestSchema = z.strictObject({ source: z.optional(accessKeysSourceSchema) });

/** PATCH /api/connections/:id: null clears the alias or a trust setting. */
export const updateConnectionRequestSchema = z.strictObject({
  alias: z.optional(z.nullable(aliasSchema)),
  trustedAccountId: z.optional(z.nullable(accountIdSchema)),
  iamPrincipal: z.optional(z.nullable(iamPrincipalSchema)),
});

export const CONNECTION_STATUSES = ['ok', 'warning', 'broken', 'unknown'] as const;
export const connectionStatusSchema = z.enum(CONNECTION_STATUSES, {
  error: `The status is one of ${CONNECTION_STATUSES.join(', ')}.`,
});
export type ConnectionStatus = z.infer<typeof connectionStatusSchema>;

const wholeNumberText = (min: number, max: number, what: string) =>
  z.pipe(
    z.string().check(z.regex(/^\d{1,9}$/, `${what} is a whole number from ${min} to ${max}.`)),
    z.pipe(
      z.transform((v: string) => Number(v)),
      z
        .number()
        .check(
          z.minimum(min, `${what} is a whole number from ${min} to ${max}.`),
          z.maximum(max, `${what} is a whole number from ${min} to ${max}.`),
        ),
    ),
  );

/** GET /api/connections?status=&limit=&offset= */
export const listConnectionsQuerySchema = z.strictObject({
  status: z.optional(connectionStatusSchema),
  limit: z._default(wholeNumberText(1, 200, 'limit'), 50),
  offset: z._default(wholeNumberText(0, 1_000_000_000, 'offset'), 0),
});
