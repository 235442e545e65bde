import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { FinalizeRequestMiddleware, MetadataBearer } from '@smithy/types';
import { partitionForRegion } from '../../domain/arn.ts';
import type { Partition } from '../../domain/inputs.ts';
import type { AwsEndpoints } from '../config.ts';

// SDK clients for one verification: its own credentials, a regional endpoint in the role's
// partition (or the configured AWS_ENDPOINT_URL*), a per-call timeout, and no SDK retries
// (aws-call.ts retries throttling itself so it can report the attempts).

/** Connection pools shared by every verification, so keep-alive sockets are reused, not leaked. */
export interface AwsAgents {
  http: HttpAgent;
  https: HttpsAgent;
}

export function createAgents(): AwsAgents {
  return {
    http: new HttpAgent({ keepAlive: true, maxSockets: 64 }),
    https: new HttpsAgent({ keepAlive: true, maxSockets: 64 }),
  };
}

export function destroyAgents(agents: AwsAgents): void {
  agents.http.destroy();
  agents.https.destroy();
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
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Called with each request's endpoint (scheme://host[:port]) just before it is sent. */
  onEndpoint?: (endpoint: string) => void;
}

function common(opts: ClientOptions) {
  return {
    region: opts.region,
    credentials: opts.credentials,
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: opts.timeoutMs,
      requestTimeout: opts.timeoutMs,
      // Without it the handler only warns when requestTimeout passes (@smithy/node-http-handler 4.x).
      throwOnRequestTimeout: true,
      httpAgent: opts.agents.http,
      httpsAgent: opts.agents.https,
    },
  };
}

function endpointRecorder(
  onEndpoint: (endpoint: string) => void,
): FinalizeRequestMiddleware<object, MetadataBearer> {
  return (next) => async (args) => {
    const req = args.request as { protocol?: string; hostname?: string; port?: number };
    if (req.hostname)
      onEndpoint(`${req.protocol ?? 'https:'}//${req.hostname}${req.port ? `:${req.port}` : ''}`);
    return next(args);
  };
}

const RECORDER = { step: 'finalizeRequest', name: 'awsConnectRecordEndpoint', override: true } as const;

// Clients are not destroy()ed: that would close the shared agents. They hold nothing else.
export function stsClient(opts: ClientOptions): STSClient {
  const client = new STSClient({
    ...common(opts),
    ...(opts.endpoints.sts ? { endpoint: opts.endpoints.sts } : {}),
  });
  if (opts.onEndpoint) client.middlewareStack.add(endpointRecorder(opts.onEndpoint), RECORDER);
  return client;
}

export function iamClient(opts: ClientOptions): IAMClient {
  const client = new IAMClient({
    ...common(opts),
    ...(opts.endpoints.iam ? { endpoint: opts.endpoints.iam } : {}),
  });
  if (opts.onEndpoint) client.middlewareStack.add(endpointRecorder(opts.onEndpoint), RECORDER);
  return client;
}
