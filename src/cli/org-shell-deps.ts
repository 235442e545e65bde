import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { ConfigError, loadAwsSettings, loadOrgSettings } from '../server/config.ts';
import type { OrgRunDeps } from '../server/org/org-run.ts';
import { InMemoryResultStore } from '../server/org/result-store.ts';
import { RunRegistry } from '../server/org/runs.ts';
import { BucketRegistry } from '../server/org/token-bucket.ts';
import { type AwsAgents, createAgents } from '../server/verify/aws-clients.ts';
import { CLI_GUIDANCE } from './cli-guidance.ts';

// What `aws-connect org` runs with: this shell's default credential chain, and the AWS and bulk
// settings from its environment, parsed by the server's config module.

/** The run's dependencies in a shell: this shell's credentials, AWS settings and bulk settings from the environment. */
export function shellDeps(): { deps: OrgRunDeps; agents: AwsAgents } | { error: string } {
  let aws: ReturnType<typeof loadAwsSettings>;
  let settings: ReturnType<typeof loadOrgSettings>;
  try {
    aws = loadAwsSettings(process.env);
    settings = loadOrgSettings(process.env);
  } catch (e) {
    if (e instanceof ConfigError) return { error: e.message };
    throw e;
  }
  const agents = createAgents();
  return {
    agents,
    deps: {
      verify: {
        region: aws.region,
        timeoutMs: aws.timeoutMs,
        endpoints: aws.endpoints,
        defaultCredentials: fromNodeProviderChain(),
        agents,
        guidance: CLI_GUIDANCE,
      },
      settings,
      buckets: new BucketRegistry(settings.stsRatePerSecond, settings.stsBurst),
      runs: new RunRegistry(),
      store: new InMemoryResultStore(),
    },
  };
}
