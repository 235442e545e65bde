import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/testing/moto.ts';
import { type SandboxInfo, type SandboxProcess, startSandboxProcess } from './sandbox-process.ts';

// Starts the real server the way `npm start` does after its build step
// (`node --import tsx src/server/main.ts`), on 127.0.0.1 and a free port, with an environment
// built from scratch: no AWS_* variable of the caller's shell leaks in, the SDK never probes
// instance metadata and reads empty shared config files.

export const SERVER_COMMAND = ['--import', 'tsx', 'src/server/main.ts'] as const;

/**
 * The server in real-AWS mode against a sandbox process: its endpoint as AWS_ENDPOINT_URL, the
 * scanner's keys as the default chain, and no rate limit (it exists for people, not for a bench).
 */
export function serverOnSandboxEnv(info: SandboxInfo): Record<string, string> {
  return {
    AWS_CONNECT_SANDBOX: 'off',
    AWS_ENDPOINT_URL: info.url,
    AWS_ACCESS_KEY_ID: info.scanner.accessKeyId,
    AWS_SECRET_ACCESS_KEY: info.scanner.secretAccessKey,
    AWS_CONNECT_EXTERNAL_ID: info.externalId,
    AWS_CONNECT_RATE_LIMIT_PER_MINUTE: '1000000',
  };
}

export interface ServerProcess {
  url: string;
  port: number;
  pid: number;
  /** Milliseconds from spawn to the first 200 from /api/health. */
  readyMs: number;
  /** The last few kB of the server's stdout+stderr, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

// Servers still running when this process exits (an exception, Ctrl-C, a closed stdout pipe)
// are ended on the way out, so a failed bench never leaves one behind.
const live = new Set<() => void>();
process.once('exit', () => {
  for (const kill of live) kill();
});
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const) {
  process.once(signal, () => process.exit(code));
}

export interface AwsIsolation {
  env: Record<string, string>;
  cleanup(): void;
}

/** Empty shared config/credentials files and no metadata probing: nothing but what we pass reaches the SDK. */
export function isolatedAwsEnv(): AwsIsolation {
  const dir = mkdtempSync(join(tmpdir(), 'aws-connect-bench-'));
  writeFileSync(join(dir, 'config'), '');
  writeFileSync(join(dir, 'credentials'), '');
  return {
    env: {
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_REGION: 'us-east-1',
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function baseEnv(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'NODE_OPTIONS', 'TZ'];
  const env: Record<string, string> = {};
  for (const key of keep) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}

export interface StartServerOptions {
  /** Extra environment (AWS_CONNECT_*, AWS_ENDPOINT_URL, credentials...). */
  env?: Record<string, string>;
  timeoutMs?: number;
  /**
   * Another command line than `node --import tsx src/server/main.ts` (e.g. `npm start`). It runs in
   * its own process group, so stop() ends npm and the server it started, and nothing else.
   */
  command?: [string, ...string[]];
}

export async function startServer(options: StartServerOptions = {}): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'aws-connect-bench-data-'));
  const isolation = isolatedAwsEnv();
  // The server's log goes to a file, not a pipe: under load the bench process must not spend
  // its CPU reading log lines (it shares two cores with the server and the sandbox).
  const logFile = join(dataDir, 'server.log');
  const logFd = openSync(logFile, 'w');
  const started = performance.now();
  const [file, ...args] = options.command ?? [process.execPath, ...SERVER_COMMAND];
  const group = options.command !== undefined;
  const child: ChildProcess = spawn(file, args, {
    cwd: process.cwd(),
    detached: group,
    stdio: ['ignore', logFd, logFd],
    env: {
      ...baseEnv(),
      ...isolation.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      AWS_CONNECT_DATA_DIR: dataDir,
      ...options.env,
    },
  });
  closeSync(logFd);
  const output = () => {
    try {
      return readFileSync(logFile, 'utf8').slice(-6000);
    } catch {
      return '';
    }
  };

  const cleanup = () => {
    isolation.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  };
  const signal = (name: NodeJS.Signals) => {
    try {
      // A negative pid signals the process group this spawn created (npm, its shell, the server).
      if (group && child.pid) process.kill(-child.pid, name);
      else child.kill(name);
    } catch {
      // already gone
    }
  };
  const killNow = () => signal('SIGKILL');
  live.add(killNow);
  const stop = async () => {
    live.delete(killNow);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    } else if (group) {
      signal('SIGTERM');
    }
    cleanup();
  };

  try {
    await waitHealthy(url, child, options.timeoutMs ?? 60_000);
  } catch (error) {
    const log = output();
    await stop();
    throw new Error(`${(error as Error).message}\n--- server output ---\n${log}`);
  }
  const readyMs = performance.now() - started;
  return { url, port, pid: child.pid ?? -1, readyMs, output, stop };
}

/** Polls /api/health every 10 ms until it answers 200, the child exits or the deadline passes. */
async function waitHealthy(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `server exited (code ${child.exitCode}, signal ${child.signalCode}) before /api/health was ready`,
      );
    }
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) throw new Error(`server not healthy within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * A sandbox process and the server against it (serverOnSandboxEnv, plus `serverEnv`) for as long
 * as `use` runs; both are stopped after it, whatever happens.
 */
export async function withServerOnSandbox<T>(
  use: (sandbox: SandboxProcess, server: ServerProcess) => Promise<T>,
  options: { sandbox?: Parameters<typeof startSandboxProcess>[0]; serverEnv?: Record<string, string> } = {},
): Promise<T> {
  const sandbox = await startSandboxProcess(options.sandbox);
  try {
    const server = await startServer({ env: { ...serverOnSandboxEnv(sandbox.info), ...options.serverEnv } });
    try {
      return await use(sandbox, server);
    } finally {
      await server.stop();
    }
  } finally {
    await sandbox.stop();
  }
}
