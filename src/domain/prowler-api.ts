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

// Pushing a connection into Prowler App (issue 16): the request the wizard and the CLI send, and
// the typed result with Prowler's verdict beside ours. Prowler's own API is in
// src/server/prowler/ (docs/prowler-api.md).

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

export const sourceKindSchema = z.enum(['sdk-default', 'access-keys']);

/**
 * Our verification's verdict as the page (or a saved connection) holds it. The server did not keep
 * it, so it is labelled as the page's last run, never as something the server checked again.
 */
export const ourVerdictSchema = z.strictObject({
  code: diagnosisCodeSchema,
  connected: z.boolean(),
  sourceKind: sourceKindSchema,
  /** Who assumed the role (GetCallerIdentity's ARN), when known. */
  callerArn: z.optional(z.string().check(z.maxLength(2048))),
  roleArn: roleArnSchema,
  externalId: externalIdSchema,
  finishedAt: z.optional(z.string().check(z.maxLength(64))),
});
export type OurVerdict = z.infer<typeof ourVerdictSchema>;

export const prowlerPushRequestSchema = z.strictObject({
  ...prowlerPushInputSchema.shape,
  ours: z.optional(ourVerdictSchema),
});
export type ProwlerPushRequest = z.infer<typeof prowlerPushRequestSchema>;
export type ProwlerPushRequestInput = z.input<typeof prowlerPushRequestSchema>;

export const confidenceSchema = z.enum(['confirmed', 'suspected']);

/** Prowler's connection test, as its task reported it, and what it means in our catalogue. */
export const prowlerVerdictSchema = z.object({
  /** `result.connected` of the task: Prowler's word. */
  connected: z.boolean(),
  /** `result.error` of the task, verbatim (control characters and secrets removed). */
  error: z.nullable(z.string()),
  /** Our reading of `error` (prowler-verdict.ts); null when connected. */
  diagnosis: z.nullable(
    z.object({
      code: diagnosisCodeSchema,
      confidence: confidenceSchema,
      /** The row of the table that matched, e.g. "assume-role-client-error". */
      rule: z.string(),
      summary: z.string(),
      fix: z.string(),
      /** Other codes the text leaves possible, ranked (only for a suspected cause). */
      candidates: z.array(diagnosisCodeSchema),
    }),
  ),
});
export type ProwlerVerdict = z.infer<typeof prowlerVerdictSchema>;

export const PUSH_STAGES = ['tenant', 'provider', 'secret', 'connection', 'task'] as const;
export const pushStageSchema = z.enum(PUSH_STAGES);

/** What the push did, call by call, so a failure loses nothing of what went before. */
export const pushStepSchema = z.object({
  stage: pushStageSchema,
  /** created, found (after 409), updated (PATCH after 400 unique), queued, completed, ... */
  outcome: z.string(),
  detail: z.string(),
  /** HTTP attempts this step took (retries after a timeout or a refused connection count). */
  attempts: z.int(),
});
export type PushStep = z.infer<typeof pushStepSchema>;

export const PUSH_FAILURE_KINDS = [
  'auth',
  'forbidden',
  'unreachable',
  'timeout',
  'content-type',
  'validation',
  'not-found',
  'conflict',
  'server',
  'contract',
  'task-failed',
  'task-unfinished',
] as const;

/** An error of the integration itself (not of the role): Prowler's API refused or did not answer. */
export const pushFailureSchema = z.object({
  stage: pushStageSchema,
  kind: z.enum(PUSH_FAILURE_KINDS),
  message: z.string(),
  /** Prowler's HTTP status, null when it did not answer. */
  status: z.nullable(z.int()),
  /** Prowler's error `code` (e.g. "not_authenticated", "unique"). */
  code: z.nullable(z.string()),
  /** The JSON pointer of the refused field (e.g. "/data/attributes/secret/external_id"). */
  pointer: z.nullable(z.string()),
  attempts: z.int(),
  /** Pushing again may succeed (nothing is left half-done: the push is idempotent). */
  retryable: z.boolean(),
});
export type PushFailure = z.infer<typeof pushFailureSchema>;

export const pushResultSchema = z.discriminatedUnion('pushed', [
  z.object({
    pushed: z.literal(true),
    providerId: z.string(),
    providerUid: z.string(),
    secretId: z.nullable(z.string()),
    taskId: z.string(),
    steps: z.array(pushStepSchema),
    prowler: prowlerVerdictSchema,
  }),
  z.object({ pushed: z.literal(false), steps: z.array(pushStepSchema), failure: pushFailureSchema }),
]);
export type PushResult = z.infer<typeof pushResultSchema>;

export const comparisonSchema = z.object({
  /** agree / disagree on whether the role can be assumed; none when there is no verdict of ours. */
  agreement: z.enum(['agree', 'disagree', 'none']),
  /** Sentences, each saying where its fact comes from. */
  explanation: z.array(z.string()),
});
export type Comparison = z.infer<typeof comparisonSchema>;

export const prowlerPushResponseSchema = z.object({
  push: pushResultSchema,
  ours: z.nullable(ourVerdictSchema),
  /** Null when the push did not reach a verdict. */
  comparison: z.nullable(comparisonSchema),
});
export type ProwlerPushResponse = z.infer<typeof prowlerPushResponseSchema>;

/** POST /api/prowler/push: one object for the route and the client (STYLE.md, "a fact lives in one place"). */
export const prowlerPushEndpoint = {
  method: 'POST',
  path: '/api/prowler/push',
  request: prowlerPushRequestSchema,
  response: prowlerPushResponseSchema,
} as const;
