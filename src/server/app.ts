import { randomUUID } from 'node:crypto';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { DestinationStream } from 'pino';
import type { AwsEndpoints, ServerConfig } from './config.ts';
import { ApiError, errorBody, errorHandler } from './errors.ts';
import { createLogger } from './logger.ts';
import { metaRoutes } from './routes/meta.ts';
import { type SandboxAccess, sandboxRoutes } from './routes/sandbox.ts';
import { verifyRoutes } from './routes/verify.ts';
import { originGuard, registerSecurityHeaders } from './security.ts';
import { DEFAULT_WEB_ROOT, notFoundHandler, registerWebApp } from './static.ts';
import { type AwsAgents, createAgents, destroyAgents } from './verify/aws-clients.ts';

// The HTTP server: the API under /api and the built web app (issue 2, issue 5, issue 8).

export interface AppDeps {
  /** The External ID this installation issued (external-id.ts). */
  externalId: string;
  /** The server's default credential chain (fromNodeProviderChain in production). */
  defaultCredentials: AwsCredentialIdentityProvider;
  /** Overrides config.aws.endpoints (the embedded sandbox's URL). */
  endpoints?: AwsEndpoints;
  /** The embedded sandbox, when it runs: enables /api/sandbox/*. */
  sandbox?: SandboxAccess | null;
  /** Where logs go (tests capture them); stdout by default. */
  logStream?: DestinationStream;
  /** The vite build output; dist/web by default. */
  webRoot?: string;
  agents?: AwsAgents;
  /** Throttling retries per AWS call (3) and the backoff base in ms (100). */
  retry?: { maxAttempts?: number; baseDelayMs?: number };
}

export async function buildApp(config: ServerConfig, deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: createLogger(config.logLevel, deps.logStream),
    genReqId: () => randomUUID(),
    bodyLimit: config.bodyLimitBytes,
    // JSON only: a text/plain or form body is the classic cross-site "simple request".
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
    // A URL that cannot be decoded (e.g. /api/%ff) never reaches routing or the error handler.
    frameworkErrors: (err, request, rawReply) => {
      (rawReply as FastifyReply)
        .code(400)
        .header('x-request-id', String(request.id))
        .header('x-content-type-options', 'nosniff')
        .send(errorBody('BAD_REQUEST', 'The request URL is not valid.', [], String(request.id)));
      void err;
    },
  });
  app.removeContentTypeParser(['text/plain']);
  app.setErrorHandler(errorHandler(config.bodyLimitBytes));
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', String(request.id));
  });
  await registerSecurityHeaders(app);
  app.addHook('onRequest', originGuard(config.allowedHosts));
  await app.register(rateLimit, {
    max: config.rateLimitPerMinute,
    timeWindow: 60_000,
    // Only the API is limited; health stays answerable for monitors and the e2e harness.
    allowList: (req) => !req.url.startsWith('/api/') || req.url.split('?')[0] === '/api/health',
    errorResponseBuilder: (_req, context) =>
      new ApiError(
        429,
        'RATE_LIMITED',
        `Too many requests: at most ${context.max} a minute. Try again in ${context.after}.`,
      ),
  });

  const agents = deps.agents ?? createAgents();
  if (!deps.agents) app.addHook('onClose', async () => destroyAgents(agents));

  metaRoutes(app, config, deps.externalId, Boolean(deps.sandbox));
  verifyRoutes(app, deps.externalId, {
    region: config.aws.region,
    timeoutMs: config.aws.timeoutMs,
    endpoints: deps.endpoints ?? config.aws.endpoints,
    defaultCredentials: deps.defaultCredentials,
    agents,
    ...(deps.retry?.maxAttempts ? { maxAttempts: deps.retry.maxAttempts } : {}),
    ...(deps.retry?.baseDelayMs !== undefined ? { baseDelayMs: deps.retry.baseDelayMs } : {}),
  });
  if (deps.sandbox) sandboxRoutes(app, deps.sandbox);

  const webBuilt = await registerWebApp(app, deps.webRoot ?? DEFAULT_WEB_ROOT);
  app.setNotFoundHandler(notFoundHandler(webBuilt));
  return app;
}
