import { startSandbox } from '../../src/sandbox/server.ts';
import { organizationScenario } from '../../src/sandbox/test-organization.ts';
import type { SandboxReply, SandboxRequest } from './sandbox-process.ts';
import { BENCH_ROLE_ARN } from './sandbox-process.ts';

// The child side of sandbox-process.ts: the demo scenario with the bench's External ID, on
// 127.0.0.1 and a free port; faults and the request log are driven over the IPC channel.
// BENCH_ORG_ACCOUNTS=N adds an organization of N generated member accounts (bench/org.ts).

const send = (message: SandboxReply) => process.send?.(message);

try {
  const externalId = process.env.BENCH_EXTERNAL_ID ?? '';
  const members = Number(process.env.BENCH_ORG_ACCOUNTS ?? 0);
  const scenario = members > 0 ? organizationScenario({ count: members }) : undefined;
  const sandbox = await startSandbox({
    port: 0,
    host: '127.0.0.1',
    externalId,
    ...(scenario ? { scenario } : {}),
  });
  const scanner = sandbox.world.serverCredentials('scanner');
  if (!scanner) throw new Error('the demo scenario has no scanner user keys');
  process.on('message', (request: SandboxRequest) => {
    try {
      if (request.type === 'faults') {
        sandbox.world.setFaults({ latencyMs: request.latencyMs });
        send({ id: request.id, type: 'ok' });
      } else if (request.type === 'calls') {
        const { total, byAction, byCode } = sandbox.world.requestLog.snapshot();
        send({ id: request.id, type: 'ok', calls: { total, byAction, byCode } });
      } else {
        sandbox.world.requestLog.clear();
        send({ id: request.id, type: 'ok' });
      }
    } catch (error) {
      send({ id: request.id, type: 'error', message: (error as Error).message });
    }
  });
  // Ends with the parent: the IPC channel closing is the signal.
  process.on('disconnect', () => {
    void sandbox.close().then(() => process.exit(0));
  });
  process.on('SIGTERM', () => {
    void sandbox.close().then(() => process.exit(0));
  });
  send({ type: 'ready', info: { url: sandbox.url, externalId, scanner, roleArn: BENCH_ROLE_ARN } });
} catch (error) {
  send({ type: 'failed', message: (error as Error).message });
  process.exit(1);
}
