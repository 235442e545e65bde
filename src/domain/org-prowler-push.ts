import * as z from 'zod/mini';
import { comparisonSchema, pushResultSchema } from './prowler-api.ts';

// Pushing an organization run's connected accounts into Prowler App (issue 16): the request, and
// the events of its NDJSON answer (start, one per pushed account in finishing order, summary),
// shared by the server, `aws-connect org verify --push-to-prowler` and the organization page.

export const PROWLER_BULK_MAX_CONCURRENCY = 16;
export const PROWLER_BULK_DEFAULT_CONCURRENCY = 4;

const CONCURRENCY_MESSAGE = `The concurrency is a whole number from 1 to ${PROWLER_BULK_MAX_CONCURRENCY}.`;

export const bulkPushRequestSchema = z.strictObject({
  /** Pushes at once (each is several calls to Prowler's API, then its connection task). */
  concurrency: z.optional(
    z
      .number({ error: CONCURRENCY_MESSAGE })
      .check(
        z.int(CONCURRENCY_MESSAGE),
        z.minimum(1, CONCURRENCY_MESSAGE),
        z.maximum(PROWLER_BULK_MAX_CONCURRENCY, CONCURRENCY_MESSAGE),
      ),
  ),
});

export const bulkPushStartSchema = z.object({
  type: z.literal('start'),
  runId: z.string(),
  /** The run's accounts that connected: the ones pushed. */
  total: z.int(),
  /** The run's accounts that did not connect: not pushed. */
  skipped: z.int(),
  concurrency: z.int(),
});

export const bulkPushAccountSchema = z.object({
  type: z.literal('account'),
  runId: z.string(),
  /** 1..total: this event's position. */
  index: z.int(),
  accountId: z.string(),
  alias: z.optional(z.string()),
  roleArn: z.string(),
  push: pushResultSchema,
  /** Our verdict (the run's verification of this account) beside Prowler's; null when not pushed. */
  comparison: z.nullable(comparisonSchema),
});
export type BulkPushAccount = z.infer<typeof bulkPushAccountSchema>;

export const bulkPushSummarySchema = z.object({
  type: z.literal('summary'),
  runId: z.string(),
  total: z.int(),
  /** Accounts with an account event (all of them unless cancelled). */
  completed: z.int(),
  /** Prowler took the push (provider, secret, connection test to its end). */
  pushed: z.int(),
  /** Prowler's own test said connected. */
  prowlerConnected: z.int(),
  /** Prowler's test failed: account and our reading of its text. */
  prowlerFailed: z.array(z.object({ accountId: z.string(), code: z.string() })),
  /** Prowler's API refused or did not answer: account, failure kind, whether pushing again may work. */
  pushFailed: z.array(z.object({ accountId: z.string(), kind: z.string(), retryable: z.boolean() })),
  cancelled: z.boolean(),
});
export type BulkPushSummary = z.infer<typeof bulkPushSummarySchema>;

export const bulkPushEventSchema = z.discriminatedUnion('type', [
  bulkPushStartSchema,
  bulkPushAccountSchema,
  bulkPushSummarySchema,
]);
export type BulkPushEvent = z.infer<typeof bulkPushEventSchema>;

/** POST /api/org/runs/:runId/prowler-push, answered as application/x-ndjson. */
export const bulkPushEndpoint = {
  method: 'POST',
  path: '/api/org/runs/:runId/prowler-push',
  pathOf: (runId: string) => `/api/org/runs/${encodeURIComponent(runId)}/prowler-push`,
  request: bulkPushRequestSchema,
  event: bulkPushEventSchema,
} as const;
