import { Writable } from 'node:stream';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { FastifyInstance } from 'fastify';
import { type SandboxHandle, startSandbox } from '../sandbox/server.ts';
import type { Backend } from '../testing/store-backends.ts';
import { type AppDeps, buildApp } from './app.ts';
import { type Env, loadConfig, type ServerConfig } from './config.ts';
import { openStore } from './store/database.ts';

// Shared by the server's tests (imported by *.test.ts only): configuration without touching
// process.env, captured log lines, and the app wired to a real sandbox.

export const TEST_EXTERNAL_ID = 'aws-connect-test-0123456789abcdef';

export function testConfig(env: Env = {}): ServerConfig {
  return loadConfig({
    LOG_LEVEL: 'info',
    AWS_CONNECT_DATA_DIR: '/nonexistent',
    AWS_REGION: 'us-east-1',
    ...env,
  });
}

/** A pino destination that keeps every line, for the secret canary and the request-id checks. */
export function captureLogs(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { stream, lines };
}

/** A default chain that must not be consulted: a 400 must never reach AWS. */
export function forbiddenCredentials(): AwsCredentialIdentityProvider & { calls: number } {
  const provider = Object.assign(
    async () => {
      provider.calls++;
      throw new Error('the default credential chain was consulted');
    },
    { calls: 0 },
  );
  return provider;
}

export interface SandboxApp {
  app: FastifyInstance;
  sandbox: SandboxHandle;
  logs: string[];
  url: string;
  close(): Promise<void>;
}

/** The real app on a real port, its default chain holding the sandbox's scanner keys. */
export async function sandboxApp(
  env: Env = {},
  opts: { caller?: 'scanner' | 'none' | 'unknown-key'; scenario?: unknown; deps?: Partial<AppDeps> } = {},
): Promise<SandboxApp> {
  const sandbox = await startSandbox({
    port: 0,
    externalId: TEST_EXTERNAL_ID,
    ...(opts.scenario ? { scenario: opts.scenario } : {}),
  });
  // The demo makes fresh stacks wait like IAM does; tests deploy and verify at once.
  sandbox.world.setFaults({ propagationDelayMs: 0 });
  const keys = sandbox.world.serverCredentials(opts.caller ?? 'scanner');
  const defaultCredentials: AwsCredentialIdentityProvider = async () => {
    if (!keys)
      throw Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      });
    return keys;
  };
  const { stream, lines } = captureLogs();
  const config = testConfig({
    AWS_CONNECT_RATE_LIMIT_PER_MINUTE: '100000',
    AWS_CONNECT_AWS_TIMEOUT_MS: '3000',
    ...env,
  });
  const app = await buildApp(config, {
    externalId: TEST_EXTERNAL_ID,
    defaultCredentials,
    endpoints: { sts: sandbox.url, iam: sandbox.url, organizations: sandbox.url },
    sandbox: sandbox.world,
    logStream: stream,
    retry: { baseDelayMs: 10 },
    ...opts.deps,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app,
    sandbox,
    logs: lines,
    url: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      await sandbox.close();
    },
  };
}

/** sandboxApp on a fresh database of `backend`, saving into it; close() stops the app, then the store. */
export async function sandboxAppOnStore(
  backend: Backend,
  env: Env = {},
  opts: Parameters<typeof sandboxApp>[1] = {},
) {
  const target = await backend.fresh();
  const store = await openStore(target);
  const app = await sandboxApp(env, { ...opts, deps: { ...opts.deps, store } });
  return {
    app,
    store,
    target,
    async close() {
      await app.close();
      await store.close();
    },
  };
}
