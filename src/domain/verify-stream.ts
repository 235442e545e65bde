import * as z from 'zod/mini';
import { CHECK_IDS, checkSchema, verifyReportSchema } from './diagnosis-contract.ts';
import { readNdjson } from './ndjson-stream.ts';

// POST /api/verify as a stream (issue 15; docs/decisions/052-verify-stream-events.md), asked for
// with `Accept: application/x-ndjson` or `text/event-stream`: one `check` event per check as it
// finishes (each exactly once, equal to the report's entry), one `verdict` event once the first
// round has answered whether the role can be assumed (GetCallerIdentity and AssumeRole), then the
// `report`, the same report the JSON answer carries. Every event
// is built from the scrubbed pieces of that report: nothing in it that the report would not show.

export const checkEventSchema = z.object({ type: z.literal('check'), check: checkSchema });

export const verdictEventSchema = z.object({
  type: z.literal('verdict'),
  /** AWS answered AssumeRole with credentials. */
  connected: z.boolean(),
  assumed: verifyReportSchema.shape.assumed,
  /**
   * The report's diagnosis when nothing still to come can change it (the role was not assumed, so
   * no audit follows); null while the probe and the audit can still change it.
   */
  diagnosis: z.nullable(verifyReportSchema.shape.diagnosis),
  /** Checks not finished yet: the audit, and the probe when it answers after AssumeRole. */
  pending: z.array(z.enum(CHECK_IDS)),
});

export const reportEventSchema = z.object({ type: z.literal('report'), report: verifyReportSchema });

export const verifyEventSchema = z.discriminatedUnion('type', [
  checkEventSchema,
  verdictEventSchema,
  reportEventSchema,
]);
export type VerifyEvent = z.infer<typeof verifyEventSchema>;
export type VerdictEvent = z.infer<typeof verdictEventSchema>;

export function readVerifyEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: VerifyEvent) => void,
): Promise<void> {
  return readNdjson(body, verifyEventSchema, onEvent);
}
