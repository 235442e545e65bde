import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A private server + sandbox for the specs that change the sandbox (faults, deployments): the real
// `node src/server/main.ts`, on a free port (port 0), with the sandbox's admin API at hand.

export interface DemoServer {
  url: string;
  sandboxUrl: string;
  externalId: string;
  /** Back to the loaded scenario: stacks, faults and counters. */
  reset(): Promise<void>;
  setFaults(faults: Record<string, unknown>): Promise<void>;
  /** The sandbox's request log: counts by action, the last requests. */
  requests(): Promise<{ byAction: Record<string, number> }>;
  close(): Promise<void>;
}

async function admin(sandboxUrl: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${sandboxUrl}/__sandbox${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`sandbox admin ${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json().catch(() => null) as Promise<unknown>;
}

export async function startDemoServer(env: Record<string, string> = {}): Promise<DemoServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'aws-connect-e2e-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: process.cwd(),
    env: {
      PATH: process.env.PATH ?? '',
      HOME: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      AWS_CONNECT_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      // Fault specs make a call hang: time out fast. Many verifications per minute: lift the limit.
      AWS_CONNECT_AWS_TIMEOUT_MS: '1500',
      AWS_CONNECT_RATE_LIMIT_PER_MINUTE: '100000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const urls = await new Promise<{ url: string; sandboxUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo server did not start:\n${out}`)), 30_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      const sandboxUrl = /sandbox endpoint (http:\/\/[^\s,]+)/.exec(out)?.[1];
      if (url && sandboxUrl) {
        clearTimeout(timer);
        resolve({ url, sandboxUrl });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`the demo server exited with ${code}:\n${out}`)));
  });
  const config = (await (await fetch(`${urls.url}/api/config`)).json()) as { externalId: string };
  return {
    ...urls,
    externalId: config.externalId,
    reset: async () => {
      await admin(urls.sandboxUrl, 'POST', '/reset');
    },
    setFaults: async (faults) => {
      await admin(urls.sandboxUrl, 'PUT', '/faults', faults);
    },
    requests: async () =>
      (await admin(urls.sandboxUrl, 'GET', '/requests')) as { byAction: Record<string, number> },
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
