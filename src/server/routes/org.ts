import type { FastifyInstance } from 'fastify';
import {
  discoverRequestSchema,
  ORG_API,
  type OrgEvent,
  orgVerifyRequestSchema,
} from '../../domain/org-contract.ts';
import { ApiError } from '../errors.ts';
import { discoverOrganization } from '../org/discover.ts';
import { negotiateStream, openEventStream } from '../org/event-stream.ts';
import { executeRun, type OrgRunDeps, planRun } from '../org/org-run.ts';
import type { Tenancy } from '../tenancy.ts';
import { parseBody } from '../validate.ts';
import { confusedDeputyGuard } from './verify.ts';

// POST /api/org/discover (JSON) and POST /api/org/verify (a stream of events, issue 14). Input
// errors are ordinary 4xx answers before anything reaches AWS; once a run starts, the answer is 200
// and every outcome, discovery failures included, is an event. The client closing the stream
// cancels the run: no verification starts after that, and those in flight send nothing more.

/** 10,000 accounts of {accountId, alias, roleName} fit; the other routes keep the small limit. */
export const ORG_VERIFY_BODY_LIMIT = 2 * 1024 * 1024;

/**
 * The tenancy decides, as for /api/verify and /api/connections, which External ID the server's own
 * identity may use (hosted: the session's) and who owns the connections a run saves.
 */
export function orgRoutes(
  app: FastifyInstance,
  deps: Omit<OrgRunDeps, 'issuedExternalId'>,
  tenancy: Tenancy,
): void {
  app.post(ORG_API.discover, async (req, reply) => {
    const request = parseBody(discoverRequestSchema, req.body);
    confusedDeputyGuard(request, await tenancy.externalId(req, reply));
    const result = await discoverOrganization(request, { ...deps.verify, requestId: String(req.id) });
    req.log.info(
      result.ok
        ? { organizationId: result.discovery.organization.id, accounts: result.discovery.accounts.length }
        : { failure: result.failure.code },
      'discovery finished',
    );
    return result;
  });

  app.post(ORG_API.verify, { bodyLimit: ORG_VERIFY_BODY_LIMIT }, async (req, reply) => {
    const format = negotiateStream(req.headers.accept);
    if (!format) {
      throw new ApiError(
        406,
        'NOT_ACCEPTABLE',
        'This answer is a stream: ask for application/x-ndjson or text/event-stream.',
      );
    }
    const body = parseBody(orgVerifyRequestSchema, req.body);
    const issuedExternalId = await tenancy.externalId(req, reply);
    const { owner } = await tenancy.scope(req, reply);
    const runDeps: OrgRunDeps = { ...deps, issuedExternalId };
    const plan = planRun(body, runDeps, owner);

    // A session the tenancy just started keeps its cookie (openEventStream carries it over).
    const { res, writer, signal } = openEventStream<OrgEvent>(req, reply, format);
    try {
      // Each connected account is noted in the run's record, for a later push to Prowler App.
      const emit = (event: OrgEvent) => {
        if (event.type === 'account') deps.runs.note(event);
        writer.emit(event);
      };
      const summary = await executeRun(plan, runDeps, emit, signal, writer.drained);
      req.log.info(
        {
          runId: plan.runId,
          retryOf: plan.retryOf,
          events: writer.count,
          summary: summary && {
            total: summary.total,
            completed: summary.completed,
            ok: summary.ok,
            cancelled: summary.cancelled,
          },
        },
        signal.aborted ? 'organization run cancelled' : 'organization run finished',
      );
      res.end();
    } catch (error) {
      req.log.error({ runId: plan.runId, err: error }, 'organization run failed');
      res.destroy();
    }
  });
}
