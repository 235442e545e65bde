import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { API } from '../../domain/api-contract.ts';
import type { VerifyReport } from '../../domain/diagnosis-contract.ts';
import { identityRequestSchema } from '../../domain/inputs.ts';
import { partitionForRegion } from '../../domain/regions.ts';
import { type VerifyRequest, verifyRequestSchema } from '../../domain/verify-request.ts';
import type { VerifyEvent } from '../../domain/verify-stream.ts';
import { ApiError } from '../errors.ts';
import { negotiateStream, openEventStream, type StreamFormat } from '../org/event-stream.ts';
import type { Tenancy } from '../tenancy.ts';
import { parseBody } from '../validate.ts';
import { resolveIdentity } from '../verify/identity.ts';
import { type VerifyContext, verifyConnection } from '../verify/verify.ts';

// POST /api/identity and POST /api/verify (issue 5). 200 for every verification that ran, whatever
// its outcome; 400 with field errors before any AWS call. POST /api/verify answers a stream of
// events when asked for one by Accept (issue 15, src/domain/verify-stream.ts).

/**
 * In sdk-default mode the server acts with its own identity, so only its own External ID is
 * accepted: otherwise anyone could make it reach roles set up for someone else.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 */
export function confusedDeputyGuard(
  request: Pick<VerifyRequest, 'source' | 'externalId'>,
  issued: string,
): void {
  if (request.source.kind !== 'sdk-default' || request.externalId === issued) return;
  throw new ApiError(
    400,
    'EXTERNAL_ID_NOT_ISSUED',
    'This server only verifies with the External ID it issued.',
    [
      {
        path: 'externalId',
        message:
          `Use the External ID this server issued, ${issued}. With "AWS SDK Default" the server assumes the role with its own ` +
          'identity, so accepting another External ID would let anyone use it to reach roles set up for someone else ' +
          '(the confused-deputy problem). Redeploy the stack with this External ID.',
      },
    ],
  );
}

/** Consistency the schema alone cannot see: a region outside the requested partition. */
export function partitionGuard(request: VerifyRequest): void {
  if (!request.region || !request.partition) return;
  const regionPartition = partitionForRegion(request.region);
  if (regionPartition !== request.partition) {
    throw new ApiError(400, 'INVALID_INPUT', 'Some fields need attention.', [
      {
        path: 'region',
        message: `${request.region} is in the ${regionPartition} partition, not ${request.partition}.`,
      },
    ]);
  }
}

export function verifyRoutes(
  app: FastifyInstance,
  tenancy: Tenancy,
  ctx: Omit<VerifyContext, 'requestId'>,
): void {
  app.post(API.identity, async (req) => {
    const { source } = parseBody(identityRequestSchema, req.body);
    return resolveIdentity(source, { ...ctx, requestId: String(req.id) });
  });

  app.post(API.verify, async (req, reply) => {
    const request = parseBody(verifyRequestSchema, req.body);
    if (request.source.kind === 'sdk-default')
      confusedDeputyGuard(request, await tenancy.externalId(req, reply));
    partitionGuard(request);
    const format = streamAsked(req.headers.accept);
    if (format) return streamVerification(req, reply, format, request, ctx);
    const report = await verifyConnection(request, { ...ctx, requestId: String(req.id) });
    logFinished(req, report, false);
    return report;
  });
}

/** A stream only when the client names one: no Accept, or only wildcards, keeps the JSON answer. */
function streamAsked(accept: string | undefined): StreamFormat | null {
  if (!accept?.trim()) return null;
  return negotiateStream(accept.replace(/(\*|application)\/\*/g, 'application/json'));
}

function logFinished(req: FastifyRequest, report: VerifyReport, cancelled: boolean): void {
  req.log.info(
    {
      diagnosis: report.diagnosis.code,
      sourceKind: report.request.sourceKind,
      roleArn: report.request.roleArn,
    },
    cancelled ? 'verification cancelled' : 'verification finished',
  );
}

/**
 * The same verification, answered as it goes (issue 15): the checks, the verdict, the report. Input
 * errors and the rate limit were answered before this point as ordinary JSON errors. The client
 * closing the connection aborts the verification: no AWS call not yet sent is sent.
 */
async function streamVerification(
  req: FastifyRequest,
  reply: FastifyReply,
  format: StreamFormat,
  request: VerifyRequest,
  ctx: Omit<VerifyContext, 'requestId'>,
): Promise<void> {
  const { res, writer, signal } = openEventStream<VerifyEvent>(req, reply, format);
  try {
    const report = await verifyConnection(
      request,
      {
        ...ctx,
        requestId: String(req.id),
        signal: signal,
      },
      writer.emit,
    );
    // The last byte first: the log line is not what the client waits for.
    res.end();
    logFinished(req, report, signal.aborted);
  } catch (error) {
    req.log.error({ err: error }, 'verification failed');
    res.destroy();
  }
}
