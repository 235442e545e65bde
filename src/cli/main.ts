import { runMonitorCommand } from './monitor-command.ts';
import { runSandboxCommand } from './sandbox-command.ts';
import { runServeCommand } from './serve-command.ts';
import { runTemplateCommand } from './template-command.ts';
import { runTrustCommand } from './trust-command.ts';
import { runVerifyCommand } from './verify-command.ts';

// Exit codes shared by every command: 0 success, 1 the check failed, 2 bad input.
export type CommandResult = Promise<number>;

const USAGE = `aws-connect <command> [options]

Commands:
  serve                 start the wizard and API (same as npm start, without building)
  verify                verify a role from this shell's AWS credentials
  trust evaluate        explain whether a trust policy admits a principal
  template              print the role's CloudFormation template
  sandbox               run the local AWS sandbox alone
  monitor [--once]      re-verify the saved connections (one pass with --once)

Run "aws-connect <command> --help" for a command's options.`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return runServeCommand(rest);
    case 'verify':
      return runVerifyCommand(rest);
    case 'trust':
      return runTrustCommand(rest);
    case 'template':
      return runTemplateCommand(rest);
    case 'sandbox':
      return runSandboxCommand(rest);
    case 'monitor':
      return runMonitorCommand(rest);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`aws-connect: unknown command "${command}". Run "aws-connect --help".\n`);
      return 2;
  }
}
