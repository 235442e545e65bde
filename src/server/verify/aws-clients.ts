import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type {
  ChecksumConstructor,
  FinalizeRequestMiddleware,
  HandlerExecutionContext,
  HashConstructor,
  HttpAuthScheme,
  HttpSigner,
  MetadataBearer,
  MiddlewareStack,
  SerializeMiddleware,
  SMITHY_CONTEXT_KEY,
} from '@smithy/types';
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
// differs per verification, the credentials and who hears the endpoint, travels with each command
// in a middleware of its own (docs/decisions/062): no AsyncLocalStorage, whose promise hooks cost
// every promise in the process ~5% of the server's CPU (bench/throughput.ts).

interface CallScope {
  credentials: AwsCredentialIdentity;
  onEndpoint?: (endpoint: string) => void;
}

/** The identity a shared client resolves by itself: no keys. Only a verification's command replaces it. */
const NO_VERIFICATION: AwsCredentialIdentity = Object.freeze({ accessKeyId: '', secretAccessKey: '' });
const SCOPE = Symbol('awsConnectVerification');
/** Where the SDK keeps the chosen auth scheme (@smithy/types SMITHY_CONTEXT_KEY, a type-only import here). */
const SMITHY_CONTEXT: typeof SMITHY_CONTEXT_KEY = '__smithy_context';

type Context = HandlerExecutionContext & { [SCOPE]?: CallScope };
type SelectedScheme = { identity?: unknown } | undefined;
const selectedScheme = (context: HandlerExecutionContext): SelectedScheme =>
  (context[SMITHY_CONTEXT] as { selectedHttpAuthScheme?: SelectedScheme } | undefined)
    ?.selectedHttpAuthScheme;

/**
 * Signs with the identity the request carries, and only a verification's. The SDK's own
 * AwsSdkSigV4Signer (@aws-sdk/core 3.981, httpAuthSchemes) ignores the identity it is handed and
 * asks the client's credential provider again; this one signs with what httpSigningMiddleware
 * (@smithy/core 3.41) passes it, `selectedHttpAuthScheme.identity`, and refuses the client's own.
 * Clock skew correction is off on these clients (below), so its skew sampling has nothing to do.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 */
const verificationSigner: HttpSigner = {
  async sign(request, identity, props) {
    const credentials = identity as AwsCredentialIdentity;
    if (credentials === NO_VERIFICATION || !credentials.accessKeyId)
      throw new Error('An AWS call ran outside a verification scope: refusing to sign it.');
    const config = props.config as { sha256: ChecksumConstructor | HashConstructor };
    // The Region and service the endpoint rules chose (endpointV2Middleware), else the operation's.
    const region = (props.signingRegion ?? props.region) as string;
    const service = (props.signingName ?? props.name) as string;
    const signer = new SignatureV4({
      credentials,
      region,
      service,
      sha256: config.sha256,
      uriEscapePath: true,
    });
    return signer.sign(request as HttpRequest, {
      signingDate: new Date(),
      signingRegion: region,
      signingService: service,
    });
  },
};

/** Only SigV4, with the signer above: an operation or endpoint that asks for another scheme fails. */
const httpAuthSchemes: HttpAuthScheme[] = [
  {
    schemeId: 'aws.auth#sigv4',
    identityProvider: () => async () => NO_VERIFICATION,
    signer: verificationSigner,
  },
];

/** A credential provider nothing should call (the scheme above does not): it refuses, not the default chain. */
const refusingCredentials: AwsCredentialIdentityProvider & { memoized: true } = Object.assign(
  async (): Promise<AwsCredentialIdentity> => {
    throw new Error('An AWS call ran outside a verification scope: refusing to sign it.');
  },
  { memoized: true as const },
);

function common(opts: ClientOptions) {
  return {
    region: opts.region,
    credentials: refusingCredentials,
    httpAuthSchemes,
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

/**
 * On each command of a verification: once httpAuthSchemeMiddleware has chosen the scheme and
 * resolved the client's identity (NO_VERIFICATION), put this verification's credentials in its
 * place; httpSigningMiddleware hands that identity to the signer.
 */
const verificationMiddleware =
  (scope: CallScope): SerializeMiddleware<object, MetadataBearer> =>
  (next, context) =>
  (args) => {
    const scheme = selectedScheme(context);
    if (scheme) scheme.identity = scope.credentials;
    (context as Context)[SCOPE] = scope;
    return next(args);
  };

const VERIFICATION_STEP = {
  name: 'awsConnectVerificationIdentity',
  relation: 'after',
  toMiddleware: 'httpAuthSchemeMiddleware',
  override: true,
} as const;

const endpointRecorder: FinalizeRequestMiddleware<object, MetadataBearer> =
  (next, context) => async (args) => {
    const req = args.request as { protocol?: string; hostname?: string; port?: number };
    const onEndpoint = (context as Context)[SCOPE]?.onEndpoint;
    if (onEndpoint && req.hostname)
      onEndpoint(`${req.protocol ?? 'https:'}//${req.hostname}${req.port ? `:${req.port}` : ''}`);
    return next(args);
  };

const RECORDER = { step: 'finalizeRequest', name: 'awsConnectRecordEndpoint', override: true } as const;

type SdkClient = STSClient | IAMClient;
type SdkClientClass<C extends SdkClient> = new (
  config: ReturnType<typeof common> & { endpoint?: string },
) => C;
type SdkCommand = { middlewareStack: MiddlewareStack<object, MetadataBearer> };

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
  const middleware = verificationMiddleware({
    credentials: opts.credentials,
    ...(opts.onEndpoint ? { onEndpoint: opts.onEndpoint } : {}),
  });
  const shared = client;
  const send = (command: Parameters<C['send']>[0], options?: Parameters<C['send']>[1]) => {
    (command as unknown as SdkCommand).middlewareStack.addRelativeTo(middleware, VERIFICATION_STEP);
    return (shared.send as (c: unknown, o: unknown) => Promise<unknown>).call(shared, command, options);
  };
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
