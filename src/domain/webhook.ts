import * as z from 'zod/mini';

// The alert webhook's contract (issue 13), documented in docs/webhooks.md: one JSON body per
// status change of a saved connection, signed with HMAC-SHA256 under AWS_CONNECT_WEBHOOK_SECRET.
// It carries codes and identifiers only: never a report, a key or a token.

export const WEBHOOK_SIGNATURE_HEADER = 'x-aws-connect-signature';
export const WEBHOOK_EVENT_HEADER = 'x-aws-connect-event';
export const WEBHOOK_DELIVERY_HEADER = 'x-aws-connect-delivery';
/** A receiver refuses a signature whose timestamp is further than this from its clock (replays). */
export const WEBHOOK_REPLAY_WINDOW_S = 300;

const status = z.enum(['ok', 'warning', 'broken', 'unknown']);

export const webhookEventSchema = z.object({
  type: z.literal('connection.status_changed'),
  /** The transition's id: the same on every retry of one event, so receivers can drop duplicates. */
  id: z.string(),
  occurredAt: z.string(),
  connection: z.object({
    id: z.string(),
    alias: z.nullable(z.string()),
    accountId: z.string(),
    roleArn: z.string(),
    /** The API path of the connection's detail (history, report, deliveries). */
    path: z.string(),
  }),
  status: z.object({ from: z.nullable(status), to: status }),
  diagnosis: z.object({
    code: z.string(),
    severity: z.enum(['ok', 'warning', 'error']),
    /** confirmed or suspected, when the report says. */
    confidence: z.nullable(z.string()),
  }),
  /** Differences from the role template found by the same check (kinds only). */
  drift: z.nullable(z.object({ findings: z.number(), kinds: z.array(z.string()) })),
});
export type WebhookEvent = z.infer<typeof webhookEventSchema>;
