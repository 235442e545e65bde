import type { FastifyBaseLogger } from 'fastify';
import { type DestinationStream, pino } from 'pino';

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

export function createLogger(level: string, destination?: DestinationStream): FastifyBaseLogger {
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
    destination ?? pino.destination(1),
  );
}
