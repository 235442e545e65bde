import type { FastifyInstance } from 'fastify';
import {
  type BulkPushEvent,
  bulkPushEndpoint,
  PROWLER_BULK_DEFAULT_CONCURRENCY,
} from '../../domain/org-prowler-push.ts';
import { ApiError } from '../errors.ts';
import { negotiateStream, openEventStream } from '../org/event-stream.ts';
import { pushRun, pushTargetsOf } from '../org/prowler-push-run.ts';
import type { RunRegistry } from '../org/runs.ts';
import type { PushOptions } from '../prowler/push.ts';
import type { Tenancy } from '../tenancy.ts';
import { parseBody } from '../validate.ts';

// POST /api/org/runs/:runId/prowler-push (issue 16): the connected accounts of a bulk run into
// Prowler App, as an NDJSON stream (start, one event per account, summary), like the run itself
// (docs/decisions/035, 049). The run ID is the capability, as for retryOf: a random UUID, kept a
// day. Closing the stream stops it: no further account is pushed.

export function prowlerOrgRoutes(
  app: FastifyInstance,
  deps: { runs: RunRegistry; issuedExternalId: string; prowler: PushOptions | null; tenancy: Tenancy },
): void {
  app.post(bulkPushEndpoint.path, async (req, reply) => {
    if (!deps.prowler) {
      throw new ApiError(
        404,
        'PROWLER_NOT_CONFIGURED',
        'The Prowler App integration is off: set PROWLER_API_URL and PROWLER_API_KEY on the server.',
      );
    }
    if (negotiateStream(req.headers.accept) !== 'ndjson') {
      throw new ApiError(406, 'NOT_ACCEPTABLE', 'This answer is a stream: ask for application/x-ndjson.');
    }
    const body = parseBody(bulkPushEndpoint.request, req.body ?? {});
    const runId = (req.params as { runId?: string }).runId ?? '';
    // In the hosted flavour a run belongs to the session that started it, as for retryOf.
    const { owner } = await deps.tenancy.scope(req, reply);
    const found = deps.runs.get(runId);
    const run = found && found.owner === owner ? found : undefined;
    if (!run)
      throw new ApiError(404, 'RUN_NOT_FOUND', 'No such run here: runs are kept for a day, 50 at most.');
    // Prowler's worker is a deputy: only the External ID this server issues goes out.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
    if (run.settings.externalId !== deps.issuedExternalId) {
      throw new ApiError(
        400,
        'EXTERNAL_ID_NOT_ISSUED',
        `That run used External ID ${run.settings.externalId}; only the one this server issues (${deps.issuedExternalId}, the Prowler tenant ID) is pushed.`,
      );
    }
    const { targets, skipped } = pushTargetsOf(run);
    const prowler = deps.prowler;

    const { res, writer, signal } = openEventStream<BulkPushEvent>(req, reply, 'ndjson');
    signal.addEventListener('abort', () =>
      req.log.info({ runId }, 'prowler push of an organization run: the client closed the stream'),
    );
    try {
      const summary = await pushRun(
        targets,
        skipped,
        {
          runId,
          externalId: run.settings.externalId,
          concurrency: body.concurrency ?? PROWLER_BULK_DEFAULT_CONCURRENCY,
          push: prowler,
          signal,
          ready: writer.drained,
        },
        writer.emit,
      );
      req.log.info(
        {
          runId,
          total: summary.total,
          pushed: summary.pushed,
          prowlerConnected: summary.prowlerConnected,
          prowlerFailed: summary.prowlerFailed.length,
          pushFailed: summary.pushFailed.length,
          cancelled: summary.cancelled,
        },
        'prowler push of an organization run finished',
      );
      res.end();
    } catch (error) {
      req.log.error({ runId, err: error }, 'prowler push of an organization run failed');
      res.destroy();
    }
  });
}
