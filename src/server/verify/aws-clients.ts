import { AsyncLocalStorage } from 'node:async_hooks';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { FinalizeRequestMiddleware, MetadataBearer } from '@smithy/types';
import type { Partition } from '../../domain/inputs.ts';
import { partitionForRegion } from '../../domain/regions.ts';
import type { AwsEndpoints } from '../config.ts';
import { LruCache } from './lru-cache.ts';

// SDK clients for verifications: each call with its verification's own credentials, a regional
// endpoint in the role's partition (or the configured AWS_ENDPOINT_URL*), a per-call timeout, and
// no SDK retries (aws-call.ts retries throttling itself so it can report the attempts).

/** Connection pools and SDK clients shared by every verification: keep-alive sockets are reused, not leaked. */
export interface AwsAgents {
  http: HttpAgent;
  https: HttpsAgent;
  /** The shared clients, by service, region, endpoint and timeout (see scopedClient() below). */
  clients: LruCache<string, STSClient | IAMClient>;
}

/**
 * Clients kept at once. Room for both services in every Region of the list (96) with the one
 * endpoint and timeout a process has, so a server that verifies in every Region never rebuilds a
 * client (an LRU smaller than a cycle of keys misses on every one); and a bound all the same: a
 * cache keyed on whatever region a request named grew the server to 1 GB (docs/decisions/014).
 */
export const MAX_SHARED_CLIENTS = 128;

export function createAgents(): AwsAgents {
  return {
    http: new HttpAgent({ keepAlive: true, maxSockets: 64 }),
    https: new HttpsAgent({ keepAlive: true, maxSockets: 64 }),
    // A client leaving the cache is destroyed; its handler leaves the shared pools open (below).
    clients: new LruCache(MAX_SHARED_CLIENTS, (client) => client.destroy()),
  };
}

export function destroyAgents(agents: AwsAgents): void {
  agents.clients.clear();
  agents.http.destroy();
  agents.https.destroy();
}

/**
 * The request handler of a shared client. NodeHttpHandler.destroy() destroys the agents it was
 * given, and client.destroy() calls it: an evicted client would close the pools every other client
 * (and a verification still in flight on the evicted one) is using. The pools are closed once, by
 * destroyAgents().
 */
class SharedPoolHandler extends NodeHttpHandler {
  override destroy(): void {}
}

/** A Region in each partition whose STS endpoint is used when the configured one belongs to another partition. */
const PARTITION_HOME_REGION: Record<Partition, string> = {
  aws: 'us-east-1',
  'aws-cn': 'cn-north-1',
  'aws-us-gov': 'us-gov-west-1',
  'aws-iso': 'us-iso-east-1',
  'aws-iso-b': 'us-isob-east-1',
  'aws-iso-e': 'eu-isoe-west-1',
  'aws-iso-f': 'us-isof-south-1',
  'aws-eusc': 'eusc-de-east-1',
};

/**
 * The region whose STS endpoint serves this verification: the requested one, else the configured
 * one when it is in the same partition as the role, else the partition's home region.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_region-endpoints.html
 */
export function regionFor(opts: { requested?: string; partition: Partition; configured: string }): string {
  if (opts.requested) return opts.requested;
  if (partitionForRegion(opts.configured) === opts.partition) return opts.configured;
  return PARTITION_HOME_REGION[opts.partition];
}

export interface ClientOptions {
  region: string;
  endpoints: AwsEndpoints;
  timeoutMs: number;
  agents: AwsAgents;
  credentials: AwsCredentialIdentity;
  /** Called with each request's endpoint (scheme://host[:port]) just before it is sent. */
  onEndpoint?: (endpoint: string) => void;
}

// One SDK client per service, region, endpoint and timeout, shared by every verification that
// uses the same pools: building two clients per verification, and their first request's setup,
// cost ~3 ms of a verification's ~6 ms outside AWS (bench/RESULTS.md, verify latency). What
// differs per verification, the credentials and who hears the endpoint, travels with the call in
// an AsyncLocalStorage scope, which the SDK reads when it signs that request.

interface CallScope {
  credentials: AwsCredentialIdentity;
  onEndpoint?: (endpoint: string) => void;
}

const callScope = new AsyncLocalStorage<CallScope>();

/**
 * The shared clients' credentials: the calling verification's, asked for on every request.
 * `memoized` tells the SDK not to cache them (it would otherwise keep the first caller's keys
 * for every later request); a request outside a scope fails rather than borrowing anyone's.
 */
const scopedCredentials: AwsCredentialIdentityProvider & { memoized: true } = Object.assign(
  async () => {
    const scope = callScope.getStore();
    if (!scope) throw new Error('An AWS call ran outside a verification scope: refusing to sign it.');
    return scope.credentials;
  },
  { memoized: true as const },
);

function common(opts: ClientOptions) {
  return {
    region: opts.region,
    credentials: scopedCredentials,
    maxAttempts: 1,
    // The SDK learns the clock offset from answers and keeps it in the client. Shared, that would
    // let one verification's answers move the next one's clock, and hide the skew that
    // SOURCE_CLOCK_SKEW reports; each verification signs with this machine's own clock.
    disableClockSkewCorrection: true,
    requestHandler: new SharedPoolHandler({
      connectionTimeout: opts.timeoutMs,
      requestTimeout: opts.timeoutMs,
      // Without it the handler only warns when requestTimeout passes (@smithy/node-http-handler 4.x).
      throwOnRequestTimeout: true,
      httpAgent: opts.agents.http,
      httpsAgent: opts.agents.https,
    }),
  };
}

const endpointRecorder: FinalizeRequestMiddleware<object, MetadataBearer> = (next) => async (args) => {
  const req = args.request as { protocol?: string; hostname?: string; port?: number };
  const onEndpoint = callScope.getStore()?.onEndpoint;
  if (onEndpoint && req.hostname)
    onEndpoint(`${req.protocol ?? 'https:'}//${req.hostname}${req.port ? `:${req.port}` : ''}`);
  return next(args);
};

const RECORDER = { step: 'finalizeRequest', name: 'awsConnectRecordEndpoint', override: true } as const;

type SdkClient = STSClient | IAMClient;
type SdkClientClass<C extends SdkClient> = new (
  config: ReturnType<typeof common> & { endpoint?: string },
) => C;

/** The shared client for this service and options, and a send() bound to this verification. */
function scopedClient<C extends SdkClient>(
  opts: ClientOptions,
  service: 'sts' | 'iam',
  Client: SdkClientClass<C>,
): ScopedClient<C> {
  const endpoint = opts.endpoints[service];
  const key = [service, opts.region, endpoint ?? '', opts.timeoutMs].join('|');
  let client = opts.agents.clients.get(key) as C | undefined;
  if (!client) {
    client = new Client({ ...common(opts), ...(endpoint ? { endpoint } : {}) });
    (client as STSClient).middlewareStack.add(endpointRecorder, RECORDER);
    opts.agents.clients.set(key, client);
  }
  const scope: CallScope = {
    credentials: opts.credentials,
    ...(opts.onEndpoint ? { onEndpoint: opts.onEndpoint } : {}),
  };
  const shared = client;
  const send = (command: Parameters<C['send']>[0], options?: Parameters<C['send']>[1]) =>
    callScope.run(scope, () =>
      (shared.send as (c: unknown, o: unknown) => Promise<unknown>).call(shared, command, options),
    );
  return { send: send as C['send'] };
}

/** A client's send(), bound to one verification's credentials and endpoint observer. */
export interface ScopedClient<C extends { send: unknown }> {
  send: C['send'];
}

export const stsClient = (opts: ClientOptions): ScopedClient<STSClient> =>
  scopedClient(opts, 'sts', STSClient);

export const iamClient = (opts: ClientOptions): ScopedClient<IAMClient> =>
  scopedClient(opts, 'iam', IAMClient);
