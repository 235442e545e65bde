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
