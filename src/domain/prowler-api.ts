import * as z from 'zod/mini';
import { diagnosisCodeSchema } from './diagnosis/codes.ts';

// Pushing a connection into Prowler App (issue 16): the typed result, with Prowler's verdict beside
// ours, that the server sends and the wizard parses. The request is in prowler-push-request.ts,
// apart, so the wizard's bundle carries only what it parses (issue 7 budgets). Prowler's own API
// is in src/server/prowler/ (docs/prowler-api.md).

export const sourceKindSchema = z.enum(['sdk-default', 'access-keys']);

/**
 * Our verification's verdict as the page (or a saved connection) holds it. The server did not keep
 * it, so it is labelled as the page's last run, never as something the server checked again.
 * Checked field by field on the way in (prowler-push-request.ts); echoed as it came.
 */
export const ourVerdictSchema = z.object({
  code: diagnosisCodeSchema,
  connected: z.boolean(),
  sourceKind: sourceKindSchema,
  /** Who assumed the role (GetCallerIdentity's ARN), when known. */
  callerArn: z.optional(z.string()),
  roleArn: z.string(),
  externalId: z.string(),
  finishedAt: z.optional(z.string()),
});
export type OurVerdict = z.infer<typeof ourVerdictSchema>;

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

/** What went wrong with Prowler's API; a type only, so the page's bundle carries no list (issue 7). */
export type PushFailureKind =
  | 'auth'
  | 'forbidden'
  | 'unreachable'
  | 'timeout'
  | 'content-type'
  | 'validation'
  | 'not-found'
  | 'conflict'
  | 'server'
  | 'contract'
  | 'task-failed'
  | 'task-unfinished';

/** An error of the integration itself (not of the role): Prowler's API refused or did not answer. */
export const pushFailureSchema = z.object({
  stage: pushStageSchema,
  /** A PushFailureKind (checked as text: the page shows the message, never switches on it). */
  kind: z.string(),
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

/** POST /api/prowler/push; its request schema and the endpoint object are in prowler-push-request.ts. */
export const PROWLER_PUSH_PATH = '/api/prowler/push';
