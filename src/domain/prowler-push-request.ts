import * as z from 'zod/mini';
import { diagnosisCodeSchema } from './diagnosis/codes.ts';
import {
  accountIdSchema,
  durationSecondsSchema,
  externalIdSchema,
  optionalText,
  roleArnSchema,
  sessionNameSchema,
} from './inputs.ts';
import { PROWLER_PUSH_PATH, prowlerPushResponseSchema, sourceKindSchema } from './prowler-api.ts';

// What the wizard and the CLI send to push a role into Prowler App (issue 16), checked by the
// server with these schemas before any call to Prowler.

/** Prowler's provider alias: 3 to 100 characters (its OpenAPI document, ProviderCreateRequest). */
export const prowlerAliasSchema = z
  .string()
  .check(
    z.trim(),
    z.minLength(3, 'The alias is 3 to 100 characters.'),
    z.maxLength(100, 'The alias is 3 to 100 characters.'),
  );

/** What the push needs: one account's role, as the verification saw it (the seam for a saved connection). */
export const prowlerPushInputSchema = z.strictObject({
  roleArn: roleArnSchema,
  externalId: externalIdSchema,
  /** The provider's uid; the role ARN's account when absent. */
  accountId: optionalText(accountIdSchema),
  alias: optionalText(prowlerAliasSchema),
  sessionName: optionalText(sessionNameSchema),
  durationSeconds: z.optional(durationSecondsSchema),
});
export type ProwlerPushInput = z.infer<typeof prowlerPushInputSchema>;

/** ourVerdictSchema's fields, each checked like the form's. */
export const ourVerdictInputSchema = z.strictObject({
  code: diagnosisCodeSchema,
  connected: z.boolean(),
  sourceKind: sourceKindSchema,
  callerArn: z.optional(z.string().check(z.maxLength(2048))),
  roleArn: roleArnSchema,
  externalId: externalIdSchema,
  finishedAt: z.optional(z.string().check(z.maxLength(64))),
});

export const prowlerPushRequestSchema = z.strictObject({
  ...prowlerPushInputSchema.shape,
  ours: z.optional(ourVerdictInputSchema),
});
export type ProwlerPushRequestInput = z.input<typeof prowlerPushRequestSchema>;

/** POST /api/prowler/push: one object for the route and the client (docs/architecture.md#one-schema-both-sides). */
export const prowlerPushEndpoint = {
  method: 'POST',
  path: PROWLER_PUSH_PATH,
  request: prowlerPushRequestSchema,
  response: prowlerPushResponseSchema,
} as const;
