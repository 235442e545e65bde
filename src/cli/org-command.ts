import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { ConfigError, loadAwsSettings, loadOrgSettings } from '../server/config.ts';
import type { OrgRunDeps } from '../server/org/org-run.ts';
import { InMemoryResultStore } from '../server/org/result-store.ts';
import { RunRegistry } from '../server/org/runs.ts';
import { BucketRegistry } from '../server/org/token-bucket.ts';
import { type AwsAgents, createAgents } from '../server/verify/aws-clients.ts';
import { closest } from './parse-options.ts';

// `aws-connect org discover | verify` (issue 14): the organization features from a shell, with this
// shell's default credential chain (AWS_PROFILE, AWS_ACCESS_KEY_ID, AWS_ENDPOINT_URL* as usual) and
// no External-ID restriction, as `aws-connect verify`. Each subcommand is loaded when it runs.

const USAGE = `aws-connect org <discover | verify> [options]

  discover   read an organization's OUs and accounts from its management (or delegated
             administrator) account
  verify     verify the scan role in every account of an organization, or of a CSV

Run "aws-connect org <discover | verify> --help" for the options.`;

const SUBCOMMANDS: Record<string, () => Promise<(argv: string[]) => Promise<number>>> = {
  discover: async () => (await import('./org-discover-command.ts')).runOrgDiscoverCommand,
  verify: async () => (await import('./org-verify-command.ts')).runOrgVerifyCommand,
};

export async function runOrgCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return sub === undefined ? 2 : 0;
  }
  const load = Object.hasOwn(SUBCOMMANDS, sub) ? SUBCOMMANDS[sub] : undefined;
  if (load) return (await load())(rest);
  const suggestion = closest(sub, Object.keys(SUBCOMMANDS));
  process.stderr.write(
    `aws-connect org: unknown subcommand "${sub.slice(0, 40)}".${suggestion ? ` Did you mean "${suggestion}"?` : ''} Run "aws-connect org --help".\n`,
  );
  return 2;
}

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
      },
      settings,
      buckets: new BucketRegistry(settings.stsRatePerSecond, settings.stsBurst),
      runs: new RunRegistry(),
      store: new InMemoryResultStore(),
    },
  };
}
