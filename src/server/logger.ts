import { type FastifyBaseLogger, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { type DestinationStream, pino } from 'pino';
import { prettyDestination } from './log-format.ts';

// Structured logs with a request id (issue 5). Secrets are redacted by configuration, bodies are
// never logged, and request URLs are logged without their query string.

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-amz-security-token"]',
  'res.headers["set-cookie"]',
  'body',
  'req.body',
  'source.secretAccessKey',
  'source.sessionToken',
  '*.secretAccessKey',
  '*.sessionToken',
  '*.*.secretAccessKey',
  '*.*.sessionToken',
  'credentials',
  '*.credentials',
  'Credentials',
  '*.Credentials',
];

/** json: one JSON object a line (for collectors); pretty: one short line for people; auto: pretty on a terminal. */
export type LogFormat = 'json' | 'pretty' | 'auto';

function output(format: LogFormat, destination: DestinationStream | undefined): DestinationStream {
  const pretty = format === 'pretty' || (format === 'auto' && !destination && process.stdout.isTTY === true);
  if (pretty) return prettyDestination((text) => (destination ?? process.stdout).write(text));
  return destination ?? pino.destination(1);
}

export function createLogger(
  level: string,
  destination?: DestinationStream,
  format: LogFormat = 'auto',
): FastifyBaseLogger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: {
        req: (req: { id?: string; method?: string; url?: string }) => ({
          id: req.id,
          method: req.method,
          url: typeof req.url === 'string' ? req.url.split('?')[0] : undefined,
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        // Errors are summarised by the error handler; a raw error could quote a request body.
        err: (err: { name?: string; code?: string; statusCode?: number }) => ({
          type: err.name,
          code: err.code,
          statusCode: err.statusCode,
        }),
      },
    },
    output(format, destination),
  );
}

/**
 * Fastify logs every request twice at info ("incoming request", "request completed"): a short
 * session of `npm start` was over a thousand lines. One line when the answer is sent, with the
 * method and path; the incoming line only at debug.
 */
export class OneLinePerRequest extends LogController {
  override incomingRequest(request: FastifyRequest) {
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply) {
    const fields = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...fields, err: error }, 'request errored');
    else reply.log.info(fields, 'request completed');
  }
}
