import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// The CLI as a user runs it: `node bin/aws-connect.js …` from the repository root, in a child
// process, its output collected. At most two at a time: each spawn compiles the CLI through tsx,
// and the CI machine has two cores.

const BIN = fileURLToPath(new URL('../../bin/aws-connect.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** The child's whole environment (the parent's when absent). */
  env?: Record<string, string | undefined>;
  /** Written to stdin, which is then closed; stdin is empty otherwise. */
  stdin?: string;
  /** A command that does not stop (a server on bad input) is killed then, failing its case, not the run. */
  killAfterMs?: number;
}

let running = 0;
const waiting: (() => void)[] = [];

export async function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  if (running >= 2) await new Promise<void>((go) => waiting.push(go));
  running++;
  try {
    return await new Promise<CliRun>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...args], {
        cwd: ROOT,
        ...(options.env ? { env: options.env } : {}),
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
      });
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 80_000);
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
      child.stdin.end(options.stdin ?? '');
    });
  } finally {
    running--;
    waiting.shift()?.();
  }
}
