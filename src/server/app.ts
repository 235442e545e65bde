import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { DestinationStream } from 'pino';
import { API, type ConfigResponse } from '../domain/api-contract.ts';
import { type WebhookOptions, webhookNotifier } from './alerts/webhook.ts';
import { refuseNonCanonicalUrl } from './canonical-url.ts';
import type { AwsEndpoints, ServerConfig } from './config.ts';
import type { ConnectionService } from './connections/service.ts';
import { ApiError, errorBody, errorHandler } from './errors.ts';
import { createLogger, OneLinePerRequest } from './logger.ts';
import { driftChecker } from './monitor/drift.ts';
import { connectionResultStore } from './org/result-store.ts';
import { RunRegistry } from './org/runs.ts';
import { BucketRegistry } from './org/token-bucket.ts';
import { ProwlerClient } from './prowler/client.ts';
import type { PushOptions } from './prowler/push.ts';
import { connectionRoutes } from './routes/connections.ts';
import { configResponse, metaRoutes } from './routes/meta.ts';
import { orgRoutes } from './routes/org.ts';
import { type ConnectionPageRenderers, pageRoutes } from './routes/pages.ts';
import { prowlerRoutes } from './routes/prowler.ts';
import { prowlerConnectionRoutes } from './routes/prowler-connections.ts';
import { prowlerOrgRoutes } from './routes/prowler-org.ts';
import { type SandboxAccess, sandboxRoutes } from './routes/sandbox.ts';
import { verifyRoutes } from './routes/verify.ts';
import {
  clientErrorHandler,
  originGuard,
  refuseClosedConnections,
  refuseWhileClosing,
  registerSecurityHeaders,
  SECURITY_HEADERS,
} from './security.ts';
import { DEFAULT_WEB_ROOT, loadWebBuild, notFoundHandler, registerWebApp } from './static.ts';
import type { Store } from './store/database.ts';
import { installationTenancy, sessionTenancy } from './tenancy.ts';
import { type AwsAgents, createAgents, destroyAgents } from './verify/aws-clients.ts';
import { verifyConnection } from './verify/verify.ts';

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
  /** Renders the wizard's first step as HTML for "/" (src/app/first-screen.tsx, given by main.ts). */
  renderFirstScreen?: (config: ConfigResponse) => string;
  /** Renders the organization flow's first screen for "/?flow=organization" (src/app/first-screen.tsx). */
  renderOrganizationScreen?: (config: ConfigResponse) => string;
  agents?: AwsAgents;
  /** The Prowler App client (built from config.prowler when absent) and how the task is polled. */
  prowler?: PushOptions;
  /** Throttling retries per AWS call (3) and the backoff base in ms (100). */
  retry?: { maxAttempts?: number; baseDelayMs?: number };
  /** The database (store/database.ts): enables /api/connections; the hosted flavour needs it. */
  store?: Store;
  /** Adds to the saved connections' service (the monitor's drift check and alerts, given by main.ts). */
  connections?: Pick<ConnectionService, 'checkDrift' | 'onTransition'>;
  /** Draw /connections and /connections/:id as HTML (src/app/first-screen.tsx, given by main.ts). */
  renderConnectionPages?: ConnectionPageRenderers;
  /** Retry timing of the webhook (tests shorten it). */
  webhook?: Pick<WebhookOptions, 'attempts' | 'baseDelayMs' | 'timeoutMs'>;
  /** Bulk verification: verifications of an account still THROTTLED (3), backoff base in ms (1000). */
  orgThrottle?: { maxAttempts?: number; backoffMs?: number };
}

/** The /api routes the limit counts: all but health. Unrouted requests (404) do no work. */
function isLimitedRoute(route: string | undefined): boolean {
  return route?.startsWith('/api/') === true && route !== API.health;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Saved connections (null without a store): the API's, and the monitor's (main.ts). */
    connectionService: ConnectionService | null;
  }
}

/** host:pid, recorded with each verification so replicas can be told apart. */
export const RUNNER = `${hostname()}:${process.pid}`;

export async function buildApp(config: ServerConfig, deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: createLogger(config.logLevel, deps.logStream, config.logFormat),
    genReqId: () => randomUUID(),
    logController: new OneLinePerRequest(),
    bodyLimit: config.bodyLimitBytes,
    // Fastify turns off Node's request timeout unless given one: a body sent a byte every few
    // seconds would hold its connection for ever. Node checks these every
    // connectionsCheckingInterval (30 s by default), so a timeout fires at most a second late.
    // https://nodejs.org/api/http.html#serverrequesttimeout
    requestTimeout: config.timeouts.requestMs,
    keepAliveTimeout: config.timeouts.keepAliveMs,
    http: {
      headersTimeout: config.timeouts.headersMs,
      requestTimeout: config.timeouts.requestMs,
      connectionsCheckingInterval: Math.min(1_000, config.timeouts.headersMs),
    },
    // `__proto__`, `constructor` and `prototype` are parsed as plain keys (JSON.parse never sets a
    // prototype) so the strict request schema refuses them by name like any unknown field:
    // docs/decisions/018-prototype-keys-are-unknown-fields.md.
    onProtoPoisoning: 'ignore',
    onConstructorPoisoning: 'ignore',
    // Fastify's answers outside the request lifecycle skip helmet's hook: see security.ts.
    return503OnClosing: false,
    clientErrorHandler,
    // A URL that cannot be decoded (e.g. /api/%ff) never reaches routing or the error handler.
    frameworkErrors: (err, request, rawReply) => {
      (rawReply as FastifyReply)
        .code(400)
        .headers(SECURITY_HEADERS)
        .header('cache-control', 'no-store')
        .header('x-request-id', String(request.id))
        .send(errorBody('BAD_REQUEST', 'The request URL is not valid.', [], String(request.id)));
      void err;
    },
  });
  // JSON only: a text/plain or form body is the classic cross-site "simple request".
  app.removeContentTypeParser(['text/plain']);
  app.setErrorHandler(errorHandler(config.bodyLimitBytes));
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', String(request.id));
    // Only the page and the built files say how they may be cached (static.ts). Everything else
    // (every /api answer, every error) carries per-request data: the request id at least, and
    // for verify and identity who the caller is.
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
  const web = loadWebBuild(deps.webRoot ?? DEFAULT_WEB_ROOT);
  await registerSecurityHeaders(app, web ?? undefined);
  refuseWhileClosing(app);
  app.addHook('onRequest', refuseClosedConnections);
  app.addHook('onRequest', originGuard(config.allowedHosts));
  app.addHook('onRequest', refuseNonCanonicalUrl);
  await app.register(rateLimit, {
    max: config.rateLimitPerMinute,
    timeWindow: 60_000,
    // Only the API is limited; health stays answerable for monitors and the e2e harness. Decided
    // on the route the router chose, never on the URL's spelling (docs/decisions/013).
    allowList: (req) => !isLimitedRoute(req.routeOptions.url),
    errorResponseBuilder: (_req, context) =>
      new ApiError(
        429,
        'RATE_LIMITED',
        `Too many requests: at most ${context.max} a minute. Try again in ${context.after}.`,
      ),
  });

  const agents = deps.agents ?? createAgents();
  if (!deps.agents) app.addHook('onClose', async () => destroyAgents(agents));

  // Hosted on real AWS: an External ID per browser session (docs/decisions/031). The embedded
  // sandbox reaches nothing real, and its demo targets trust the installation's ID, so a hosted
  // demo keeps that one.
  const perSession = config.flavour === 'hosted' && !config.sandbox;
  if (perSession && !deps.store) {
    throw new Error(
      "The hosted flavour keeps each session's External ID in the store: give buildApp a store.",
    );
  }
  const tenancy =
    perSession && deps.store ? sessionTenancy(deps.store) : installationTenancy(deps.externalId);
  const publicConfig = configResponse(config, deps.externalId, Boolean(deps.sandbox));
  metaRoutes(app, publicConfig, tenancy);
  const verifyContext = {
    region: config.aws.region,
    timeoutMs: config.aws.timeoutMs,
    endpoints: deps.endpoints ?? config.aws.endpoints,
    defaultCredentials: deps.defaultCredentials,
    agents,
    guidance: {
      flavour: config.flavour,
      productName: config.productName,
      deployment: config.deployment,
      audience: 'web' as const,
    },
    ...(deps.retry?.maxAttempts ? { maxAttempts: deps.retry.maxAttempts } : {}),
    ...(deps.retry?.baseDelayMs !== undefined ? { baseDelayMs: deps.retry.baseDelayMs } : {}),
  };
  verifyRoutes(app, tenancy, verifyContext);
  let service: ConnectionService | null = null;
  if (deps.store) {
    service = {
      store: deps.store,
      verify: (request, requestId) =>
        verifyConnection(request, { ...verifyContext, ...(requestId ? { requestId } : {}) }),
      checkDrift: driftChecker(verifyContext),
      schedule: { intervalMs: config.monitor.intervalMs, jitter: config.monitor.jitter },
      runner: RUNNER,
      ...(config.webhook
        ? {
            onTransition: webhookNotifier({
              ...config.webhook,
              store: deps.store,
              log: app.log,
              ...deps.webhook,
            }),
          }
        : {}),
      ...deps.connections,
    };
    connectionRoutes(app, service, tenancy);
  }
  app.decorate('connectionService', service);
  const orgResults = service ? connectionResultStore(service) : null;
  // Alerts an organization run sent go out before the store closes (main.ts closes it after the app).
  if (orgResults) app.addHook('onClose', () => orgResults.drain());
  const runs = new RunRegistry();
  orgRoutes(
    app,
    {
      verify: verifyContext,
      settings: config.org,
      buckets: new BucketRegistry(config.org.stsRatePerSecond, config.org.stsBurst),
      runs,
      // Each verified account becomes (or updates) a saved connection whenever there is a store.
      store: orgResults,
      ...(deps.orgThrottle ? { throttle: deps.orgThrottle } : {}),
    },
    tenancy,
  );
  if (deps.sandbox) sandboxRoutes(app, deps.sandbox);
  const prowler = deps.prowler ?? (config.prowler ? { client: new ProwlerClient(config.prowler) } : null);
  prowlerRoutes(app, deps.externalId, config.prowler ? prowler : null);
  if (service) prowlerConnectionRoutes(app, service, tenancy, config.prowler ? prowler : null);
  prowlerOrgRoutes(app, {
    runs,
    issuedExternalId: deps.externalId,
    prowler: config.prowler ? prowler : null,
    tenancy,
  });

  const pages = await registerWebApp(app, web, {
    config: publicConfig,
    ...(tenancy.kind === 'session' ? { sessionExternalId: tenancy.externalId } : {}),
    ...(deps.renderFirstScreen ? { renderFirstScreen: deps.renderFirstScreen } : {}),
    ...(deps.renderOrganizationScreen ? { renderOrganizationScreen: deps.renderOrganizationScreen } : {}),
  });
  if (pages && service && deps.renderConnectionPages) {
    pageRoutes(app, {
      pages,
      svc: service,
      tenancy,
      config: publicConfig,
      render: deps.renderConnectionPages,
    });
  }
  app.setNotFoundHandler(notFoundHandler(pages));
  return app;
}
