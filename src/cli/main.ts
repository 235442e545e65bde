import { closest } from './parse-options.ts';

const USAGE = `aws-connect <command> [options]

Commands:
  serve                 start the wizard and API (same as npm start, without building)
  verify                verify a role from this shell's AWS credentials
  doctor                with the role account's credentials: why the scanner is (not) admitted
  trust evaluate        explain whether a trust policy admits a principal
  template              print the role's CloudFormation template
  sandbox               run the local AWS sandbox alone
  monitor [--once]      re-verify the saved connections (one pass with --once)
  prowler push          push a role into Prowler App and run its connection test
  org discover          read an organization's OUs and accounts
  org verify            verify the role in every account of an organization or a CSV

Run "aws-connect <command> --help" for a command's options.`;

// Each command is imported only when it runs: `verify` alone brings the AWS SDK, `serve` Fastify
// and React's server renderer, and `--help` or `template` should not wait for either.
const COMMANDS: Record<string, () => Promise<(argv: string[]) => Promise<number>>> = {
  serve: async () => (await import('./serve-command.ts')).runServeCommand,
  verify: async () => (await import('./verify-command.ts')).runVerifyCommand,
  doctor: async () => (await import('./doctor-command.ts')).runDoctorCommand,
  trust: async () => (await import('./trust-command.ts')).runTrustCommand,
  template: async () => (await import('./template-command.ts')).runTemplateCommand,
  sandbox: async () => (await import('./sandbox-command.ts')).runSandboxCommand,
  monitor: async () => (await import('./monitor-command.ts')).runMonitorCommand,
  prowler: async () => (await import('./prowler-command.ts')).runProwlerCommand,
  org: async () => (await import('./org-command.ts')).runOrgCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (load) return (await load())(rest);
  const suggestion = closest(command, Object.keys(COMMANDS));
  process.stderr.write(
    `aws-connect: unknown command "${command.slice(0, 40)}".${suggestion ? ` Did you mean "${suggestion}"?` : ''} Run "aws-connect --help".\n`,
  );
  return 2;
}
