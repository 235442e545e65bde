import { IAMClient } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { SandboxCredentials } from './sandbox-process.ts';

// SDK clients for the benches' direct calls: explicit endpoint, region and credentials, one
// attempt (a retry would hide an error the figures must not include). The bench process also
// never lets the SDK probe instance metadata.
process.env.AWS_EC2_METADATA_DISABLED = 'true';

export interface ClientCredentials extends SandboxCredentials {
  sessionToken?: string;
}

export function stsClient(endpoint: string, credentials: ClientCredentials): STSClient {
  return new STSClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
}

export function iamClient(endpoint: string, credentials: ClientCredentials): IAMClient {
  return new IAMClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
}

/** One bare GetCallerIdentity, timed by send() with its parsing: the unit the latency budgets use. */
export async function timeBareCall(sts: STSClient): Promise<number> {
  const t = performance.now();
  await sts.send(new GetCallerIdentityCommand({}));
  return performance.now() - t;
}
