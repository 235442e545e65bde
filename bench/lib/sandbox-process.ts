import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// The sandbox (src/sandbox/server.ts) in its own process, so that in the throughput bench it
// does not share an event loop with the load generator or the direct SDK loop: both sides of
// every ratio then talk to the same separate sandbox process. Control goes over the IPC channel.

export interface SandboxCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SandboxInfo {
  url: string;
  externalId: string;
  /** The scanner user's keys: the server's "default chain" in the benches. */
  scanner: SandboxCredentials;
  roleArn: string;
}

export type SandboxRequest =
  | { id: number; type: 'faults'; latencyMs: number }
  | { id: number; type: 'calls' }
  | { id: number; type: 'reset-calls' };

export type SandboxReply =
  | { type: 'ready'; info: SandboxInfo }
  | { type: 'failed'; message: string }
  | { id: number; type: 'ok'; calls?: CallCount }
  | { id: number; type: 'error'; message: string };

/** AWS calls the sandbox answered since the last reset, by "service:Action". */
export interface CallCount {
  total: number;
  byAction: Record<string, number>;
  /** Answers by AWS error code ("OK" for success). */
  byCode: Record<string, number>;
}

export interface SandboxProcess {
  info: SandboxInfo;
  /** The sandbox process's id (for its CPU time). */
  pid: number;
  setLatency(latencyMs: number): Promise<void>;
  calls(): Promise<CallCount>;
  resetCalls(): Promise<void>;
  stop(): Promise<void>;
}

export const BENCH_EXTERNAL_ID = 'bench-external-id-7f3a9c2e5b1d4068a1c3e5f7091b2d4f';
export const BENCH_ROLE_ARN = 'arn:aws:iam::222222222222:role/ProwlerScan';

export async function startSandboxProcess(
  options: { latencyMs?: number; organizationAccounts?: number } = {},
): Promise<SandboxProcess> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./sandbox-child.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: {
      ...process.env,
      AWS_EC2_METADATA_DISABLED: 'true',
      BENCH_EXTERNAL_ID,
      BENCH_ORG_ACCOUNTS: String(options.organizationAccounts ?? 0),
    },
  });
  const info = await new Promise<SandboxInfo>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('sandbox process did not start within 30 s')), 30_000);
    child.once('exit', (code) => reject(new Error(`sandbox process exited (${code}) before it was ready`)));
    child.on('message', (message: SandboxReply) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve(message.info);
      } else if (message.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(`sandbox process: ${message.message}`));
      }
    });
  }).catch((error) => {
    child.kill('SIGKILL');
    throw error;
  });

  let nextId = 1;
  const pending = new Map<number, (reply: SandboxReply) => void>();
  child.on('message', (message: SandboxReply) => {
    if ('id' in message) {
      pending.get(message.id)?.(message);
      pending.delete(message.id);
    }
  });
  const ask = (request: Omit<SandboxRequest, 'id'>): Promise<SandboxReply> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(
        () => reject(new Error(`sandbox process: no answer to ${request.type}`)),
        10_000,
      );
      pending.set(id, (reply) => {
        clearTimeout(timer);
        if (reply.type === 'error') reject(new Error(`sandbox process: ${reply.message}`));
        else resolve(reply);
      });
      child.send({ ...request, id });
    });

  const handle: SandboxProcess = {
    info,
    pid: child.pid ?? -1,
    async setLatency(latencyMs) {
      await ask({ type: 'faults', latencyMs } as Omit<SandboxRequest, 'id'>);
    },
    async calls() {
      const reply = await ask({ type: 'calls' });
      if (reply.type !== 'ok' || !reply.calls) throw new Error('sandbox process: no call count');
      return reply.calls;
    },
    async resetCalls() {
      await ask({ type: 'reset-calls' });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
  if (options.latencyMs) await handle.setLatency(options.latencyMs);
  return handle;
}
