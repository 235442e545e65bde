import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody, FieldError } from '../domain/api-contract.ts';

// Every non-2xx answer has the errorBodySchema shape (api-contract.ts); never a stack trace.

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
  }
}

export function errorBody(
  code: string,
  message: string,
  fields: FieldError[],
  requestId?: string,
): ErrorBody {
  return { error: { code, message, fields, ...(requestId ? { requestId } : {}) } };
}

const BODY_FIELD = '(body)';

/**
 * What security.ts clientErrorHandler answered on a connection (not valid HTTP, too slow). The
 * request already dispatched on it then fails too, and must be logged as what the client was
 * told, not as a server fault.
 */
const refusedConnections = new WeakMap<object, ApiError>();

export function markRefused(connection: object, refusal: ApiError): void {
  refusedConnections.set(connection, refusal);
}

export function refusalOf(connection: object | undefined): ApiError | undefined {
  return connection ? refusedConnections.get(connection) : undefined;
}

/** Fastify's own errors, mapped to what a client can act on. Messages are ours: theirs may quote the body. */
function fromFastify(err: FastifyError, limit: number): ApiError {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiError(400, 'INVALID_INPUT', 'Send the request body as JSON.', [
        { path: BODY_FIELD, message: 'Send JSON with the header Content-Type: application/json.' },
      ]);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError(400, 'INVALID_INPUT', 'The request body is empty.', [
        { path: BODY_FIELD, message: 'Send a JSON object.' },
      ]);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, 'BODY_TOO_LARGE', `The request body is larger than ${limit} bytes.`, [
        { path: BODY_FIELD, message: `The request body is at most ${limit} bytes.` },
      ]);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return invalidJson();
    // The body stopped arriving: the client closed the connection, or Node's parser refused it.
    case 'ECONNRESET':
    case 'ERR_STREAM_PREMATURE_CLOSE':
      return new ApiError(400, 'BAD_REQUEST', 'The request body did not arrive whole.');
    default:
      break;
  }
  if (err.statusCode === 429) {
    return new ApiError(429, 'RATE_LIMITED', err.message || 'Too many requests: wait and try again.');
  }
  if (err instanceof SyntaxError || err.statusCode === 400) return invalidJson();
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return new ApiError(err.statusCode, 'BAD_REQUEST', 'The request was not understood.');
  }
  return new ApiError(
    500,
    'INTERNAL',
    'Something went wrong on the server; the request id identifies it in the log.',
  );
}

function invalidJson(): ApiError {
  return new ApiError(400, 'INVALID_INPUT', 'The request body is not valid JSON.', [
    { path: BODY_FIELD, message: 'The body must be a JSON object (check quotes and commas).' },
  ]);
}

export function errorHandler(bodyLimit: number) {
  return (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const api =
      err instanceof ApiError ? err : (refusalOf(request.raw.socket) ?? fromFastify(err, bodyLimit));
    if (api.statusCode >= 500)
      request.log.error({ errType: err.name, errMessage: err.message, stack: err.stack }, 'request failed');
    else request.log.info({ code: api.code, statusCode: api.statusCode }, 'request refused');
    return reply.code(api.statusCode).send(errorBody(api.code, api.message, api.fields, String(request.id)));
  };
}
