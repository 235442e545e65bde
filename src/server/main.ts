import { mkdir, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { FastifyInstance } from 'fastify';
import type { SandboxHandle } from '../sandbox/server.ts';
import { type AppDeps, buildApp } from './app.ts';
import { ConfigError, type Env, loadConfig, type ServerConfig } from './config.ts';
import { ExternalIdConflict, type IssuedExternalId, resolveExternalId } from './external-id.ts';
import { Monitor, scheduleTimes } from './monitor/monitor.ts';
import { openBrowser, shouldOpenBrowser } from './open-browser.ts';
import { ProwlerClient } from './prowler/client.ts';
import { PushFailed } from './prowler/failure.ts';
import { prowlerTenantId } from './prowler/tenant.ts';
import { DEFAULT_WEB_ROOT, webAppBuilt } from './static.ts';
import { openStore, type Store } from './store/database.ts';

// `npm start` / `aws-connect serve`: configuration, the issued External ID, the embedded sandbox
// (unless AWS_CONNECT_SANDBOX=off) and the HTTP server (issue 2).

const EXTERNAL_ID_SOURCE: Partial<Record<string, string>> = {
  configuration: 'from AWS_CONNECT_EXTERNAL_ID',
  'prowler-tenant': 'the Prowler tenant ID, from GET /tenants',
};

export interface RunningServer {
  url: string;
  config: ServerConfig;
  app: FastifyInstance;
  sandbox: SandboxHandle | null;
  store: Store;
  close(): Promise<void>;
}

interface WebRenderers {
  renderFirstScreen: NonNullable<AppDeps['renderFirstScreen']>;
  renderConnectionPages: NonNullable<AppDeps['renderConnectionPages']>;
  renderOrganizationScreen: NonNullable<AppDeps['renderOrganizationScreen']>;
}

/** Variables that could hand the SDK an identity other than the sandbox's. */
const CHAIN_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
];

/**
 * Sandbox mode: the SDK's default chain must find exactly the sandbox identity chosen by
 * AWS_CONNECT_SANDBOX_CALLER, never the operator's real ~/.aws files, and never probe instance metadata.
 * This is the one place in src/server that writes process.env.
 */
async function pointSdkAtSandbox(sandbox: SandboxHandle, config: ServerConfig): Promise<void> {
  const env = process.env;
  for (const name of CHAIN_VARIABLES) delete env[name];
  env.AWS_ENDPOINT_URL = sandbox.url;
  env.AWS_ENDPOINT_URL_STS = sandbox.url;
  env.AWS_ENDPOINT_URL_IAM = sandbox.url;
  env.AWS_EC2_METADATA_DISABLED = 'true';
  const dir = resolve(config.dataDir, 'sandbox-aws');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  env.AWS_CONFIG_FILE = join(dir, 'config');
  env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
  await writeFile(env.AWS_CONFIG_FILE, '', { mode: 0o600 });
  await writeFile(env.AWS_SHARED_CREDENTIALS_FILE, '', { mode: 0o600 });
  const keys = sandbox.world.serverCredentials(config.sandboxCaller);
  if (keys) {
    env.AWS_ACCESS_KEY_ID = keys.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = keys.secretAccessKey;
  }
}

function urlOf(app: FastifyInstance): string {
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;
}

/**
 * The one import of web code on the server: the first screen, rendered once as HTML for "/"
 * (docs/decisions/011-first-screen-from-the-server.md). Loaded only when there is a page to serve;
 * if it cannot load, the page goes out without it and the app draws the step itself.
 */
async function loadFirstScreen(out: (line: string) => void): Promise<WebRenderers | undefined> {
  if (!webAppBuilt(DEFAULT_WEB_ROOT)) return undefined;
  try {
    const web = await import('../app/first-screen.tsx');
    return {
      renderFirstScreen: web.renderFirstScreen,
      renderOrganizationScreen: web.renderOrganizationScreen,
      // The connections pages (issue 13) come from the same module, drawn per request.
      renderConnectionPages: { list: web.renderConnectionsPage, detail: web.renderConnectionPage },
    };
  } catch (err) {
    out(
      `The first screen is not pre-drawn (${err instanceof Error ? err.message : String(err)}); the app draws it.`,
    );
    return undefined;
  }
}

export interface Runtime {
  config: ServerConfig;
  app: FastifyInstance;
  sandbox: SandboxHandle | null;
  store: Store;
  issued: IssuedExternalId;
  /** The Prowler App client when the integration is on (PROWLER_API_URL). */
  prowler: ProwlerClient | null;
  close(): Promise<void>;
}

/**
 * Everything but listening: configuration, the issued External ID, the embedded sandbox (unless
 * AWS_CONNECT_SANDBOX=off), the store and the app. `serve` listens on it; `monitor --once` runs
 * one pass with it.
 */
export async function openRuntime(
  env: Env,
  opts: { firstScreen?: Promise<WebRenderers | undefined>; logStream?: AppDeps['logStream'] } = {},
): Promise<Runtime> {
  const config = loadConfig(env);
  const prowler = config.prowler ? new ProwlerClient(config.prowler) : null;
  const issued = await resolveExternalId({
    dataDir: config.dataDir,
    configured: config.externalId,
    ...(prowler ? { prowlerTenant: () => prowlerTenantId(prowler) } : {}),
  });
  let sandbox: SandboxHandle | null = null;
  if (config.sandbox) {
    // Loaded only in sandbox mode: against real AWS none of it runs.
    const { loadScenario } = await import('../sandbox/scenario.ts');
    const { startSandbox } = await import('../sandbox/server.ts');
    const scenario = config.sandboxScenario ? await loadScenario(config.sandboxScenario) : undefined;
    sandbox = await startSandbox({
      port: 0,
      host: '127.0.0.1',
      externalId: issued.externalId,
      ...(scenario ? { scenario } : {}),
    });
    await pointSdkAtSandbox(sandbox, config);
  }
  const render = await opts.firstScreen;
  let store: Store;
  try {
    store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  } catch (err) {
    await sandbox?.close();
    throw err;
  }
  let app: FastifyInstance;
  try {
    app = await buildApp(config, {
      externalId: issued.externalId,
      store,
      ...(render ?? {}),
      ...(opts.logStream ? { logStream: opts.logStream } : {}),
      defaultCredentials: fromNodeProviderChain(),
      ...(prowler ? { prowler: { client: prowler } } : {}),
      ...(sandbox
        ? {
            endpoints: { sts: sandbox.url, iam: sandbox.url, organizations: sandbox.url },
            sandbox: sandbox.world,
          }
        : {}),
    });
  } catch (err) {
    await sandbox?.close();
    await store.close();
    throw err;
  }
  return {
    config,
    app,
    sandbox,
    store,
    issued,
    prowler,
    async close() {
      await app.close();
      await sandbox?.close();
      await store.close();
    },
  };
}

/** The monitor of this process, over the app's connection service. */
export function monitorOf(runtime: Runtime): Monitor | null {
  const svc = runtime.app.connectionService;
  if (!svc) return null;
  return new Monitor({
    svc,
    concurrency: runtime.config.monitor.concurrency,
    ...scheduleTimes(runtime.config.monitor.intervalMs),
    log: runtime.app.log,
  });
}

export async function startServer(
  env: Env = process.env,
  out: (line: string) => void = console.log,
): Promise<RunningServer> {
  // The first screen's web code takes a few hundred ms to load: start now, beside the sandbox.
  const runtime = await openRuntime(env, { firstScreen: loadFirstScreen(out) });
  const { app, config, sandbox, store, issued } = runtime;
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await runtime.close();
    throw err;
  }
  const monitor = config.monitor.enabled ? monitorOf(runtime) : null;
  monitor?.start();
  const url = urlOf(app);
  out(`aws-connect is listening on ${url}`);
  out(
    sandbox
      ? `running against the local AWS sandbox (no AWS account needed); sandbox endpoint ${sandbox.url}, server identity: ${config.sandboxCaller}`
      : `running against real AWS with this machine's default credential chain (region ${config.aws.region})`,
  );
  out(`External ID: ${issued.externalId} (${EXTERNAL_ID_SOURCE[issued.source] ?? `kept in ${issued.path}`})`);
  if (runtime.prowler)
    out(`Prowler App integration on: ${runtime.prowler.baseUrl} (the External ID is its tenant ID)`);
  out(
    `Connections are kept in ${store.kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'} (${store.location}); ` +
      (monitor
        ? `monitored every ${config.monitor.intervalMs / 1000} s`
        : 'not monitored by this server (AWS_CONNECT_MONITOR=off)'),
  );
  if (!webAppBuilt(DEFAULT_WEB_ROOT)) {
    out('The web app is not built (dist/web is missing): the API answers, the wizard needs "npm run build".');
  }
  return {
    url,
    config,
    app,
    sandbox,
    store,
    async close() {
      // Checks under way finish and their leases go back before the store closes.
      await monitor?.stop();
      await runtime.close();
    },
  };
}

/** Opens the wizard in a browser when a person started the server at a desktop (open-browser.ts). */
export function openWhenInteractive(
  server: RunningServer,
  options: { noOpen: boolean },
  out: (line: string) => void = console.log,
): void {
  const open = shouldOpenBrowser({
    config: server.config,
    isTTY: process.stdout.isTTY === true,
    platform: process.platform,
    noOpen: options.noOpen,
  });
  if (!open) return;
  out(`Opening ${server.url} in your browser (AWS_CONNECT_OPEN=0 or --no-open turns this off).`);
  openBrowser(server.url);
}

/** Serves until SIGINT/SIGTERM, then closes gracefully (in-flight requests finish). Resolves to an exit code. */
export function serveUntilSignal(
  server: Pick<RunningServer, 'close'>,
  out: (line: string) => void = console.log,
): Promise<number> {
  return new Promise((resolveExit) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      out(`${signal}: shutting down`);
      const force = setTimeout(() => resolveExit(1), 10_000);
      force.unref();
      server.close().then(
        () => resolveExit(0),
        () => resolveExit(1),
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** Exit code and one-line message for a failed start (invalid configuration names the variable). */
export function startFailure(err: unknown): { code: number; message: string } {
  if (err instanceof ConfigError || err instanceof ExternalIdConflict)
    return { code: 2, message: err.message };
  if (err instanceof PushFailed)
    return { code: 1, message: `The Prowler App integration could not start: ${err.message}` };
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'EADDRINUSE')
    return { code: 1, message: `The port is already in use (${e.message}); set PORT to another one.` };
  return { code: 1, message: `Could not start: ${e?.message ?? String(err)}` };
}

const isEntry =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isEntry) {
  startServer().then(
    async (server) => {
      openWhenInteractive(server, { noOpen: process.argv.slice(2).includes('--no-open') });
      process.exitCode = await serveUntilSignal(server);
    },
    (err) => {
      const { code, message } = startFailure(err);
      console.error(`aws-connect: ${message}`);
      process.exitCode = code;
    },
  );
}
