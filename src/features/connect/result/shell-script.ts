/** A command as a file a shell runs: a shebang, the command, and a final newline. */
export function shellScript(command: string): string {
  return `#!/bin/sh\n${command.replace(/\n*$/, '')}\n`;
}
