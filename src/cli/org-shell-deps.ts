import { hostname } from 'node:os';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { webhookNotifier } from '../server/alerts/webhook.ts';
import { ConfigError, loadAwsSettings, loadOrgSettings, loadStoreSettings } from '../server/config.ts';
import type { ConnectionService } from '../server/connections/service.ts';
import type { OrgRunDeps } from '../server/org/org-run.ts';
import { type ConnectionResultStore, connectionResultStore } from '../server/org/result-store.ts';
import { RunRegistry } from '../server/org/runs.ts';
import { BucketRegistry } from '../server/org/token-bucket.ts';
import { openStore, type Store } from '../server/store/database.ts';
import { type AwsAgents, createAgents } from '../server/verify/aws-clients.ts';
import { type VerifyContext, verifyConnection } from '../server/verify/verify.ts';
import { CLI_GUIDANCE } from './cli-guidance.ts';

// What `aws-connect org` runs with: this shell's default credential chain, and the AWS and bulk
// settings from its environment, parsed by the server's config module. With --save, also the
// server's store (AWS_CONNECT_DATA_DIR or DATABASE_URL), so each verified account becomes a saved
// connection exactly as a run through the server makes it (docs/decisions/045).

export interface ShellDeps {
  deps: OrgRunDeps;
  agents: AwsAgents;
  /** The store the results go to (with --save), for the closing line and to close. */
  store: Store | null;
  /** Waits for the alerts of the run's status changes, then closes the store. */
  close(): Promise<void>;
}

/** The run's dependencies in a shell; `save` opens the store the server uses. */
export async function shellDeps(opts: {
  save: boolean;
  stderr: { write(text: string): unknown };
}): Promise<ShellDeps | { error: string }> {
  let aws: ReturnType<typeof loadAwsSettings>;
  let settings: ReturnType<typeof loadOrgSettings>;
  let storeSettings: ReturnType<typeof loadStoreSettings> | null = null;
  try {
    aws = loadAwsSettings(process.env);
    settings = loadOrgSettings(process.env);
    if (opts.save) storeSettings = loadStoreSettings(process.env);
  } catch (e) {
    if (e instanceof ConfigError) return { error: e.message };
    throw e;
  }
  if (storeSettings?.flavour === 'hosted') {
    return {
      error:
        '--save: in the hosted flavour (AWS_CONNECT_FLAVOUR=hosted) each connection belongs to the browser session that saved it; run the organization from the web app to keep its results.',
    };
  }
  const agents = createAgents();
  const verify: Omit<VerifyContext, 'requestId' | 'signal'> = {
    region: aws.region,
    timeoutMs: aws.timeoutMs,
    endpoints: aws.endpoints,
    defaultCredentials: fromNodeProviderChain(),
    agents,
    guidance: CLI_GUIDANCE,
  };
  let store: Store | null = null;
  if (storeSettings) {
    try {
      store = await openStore({ dataDir: storeSettings.dataDir, databaseUrl: storeSettings.databaseUrl });
    } catch (e) {
      return { error: `--save: the store could not be opened: ${(e as Error).message}` };
    }
  }
  const svc: ConnectionService | null =
    store && storeSettings
      ? {
          store,
          verify: (request, requestId) =>
            verifyConnection(request, { ...verify, ...(requestId ? { requestId } : {}) }),
          schedule: storeSettings.monitor,
          runner: `${hostname()}:${process.pid}`,
          ...(storeSettings.webhook
            ? {
                onTransition: webhookNotifier({
                  ...storeSettings.webhook,
                  store,
                  log: { warn: (_obj, msg) => opts.stderr.write(`aws-connect org verify: ${msg}\n`) },
                }),
              }
            : {}),
        }
      : null;
  const results: ConnectionResultStore | null = svc ? connectionResultStore(svc) : null;
  return {
    agents,
    store,
    async close() {
      await results?.drain();
      await store?.close();
    },
    deps: {
      verify,
      settings,
      buckets: new BucketRegistry(settings.stsRatePerSecond, settings.stsBurst),
      runs: new RunRegistry(),
      store: results,
    },
  };
}
