import * as z from 'zod/mini';
import { prowlerPushResponseSchema } from './prowler-api.ts';

// Pushing a saved connection into Prowler App by its id (issue 16): the server reads its role and
// External ID, so the page sends at most `force`. Apart from prowler-push-request.ts, so the
// connection page carries none of the push's input schemas.

/** Push a saved connection: the server reads its values, so the browser sends no External ID. */
export const connectionPushRequestSchema = z.strictObject({
  /** Push even when its last verification did not assume the role (docs/decisions/048). */
  force: z.optional(z.boolean()),
});

export const connectionPushResponseSchema = z.object({
  connection: z.string(),
  ...prowlerPushResponseSchema.shape,
});

/** POST /api/connections/:id/prowler-push. */
export const connectionPushEndpoint = {
  method: 'POST',
  path: '/api/connections/:id/prowler-push',
  pathOf: (id: string) => `/api/connections/${encodeURIComponent(id)}/prowler-push`,
  request: connectionPushRequestSchema,
  response: connectionPushResponseSchema,
} as const;
